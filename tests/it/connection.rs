//! One connection, many requests: hot media answered on the socket, then the hand-over to
//! hyper at the first request of another kind (pipelined bytes included), requests that are
//! never answered on the fast path, and shutdown with idle connections open.

use crate::helpers::TestApp;
use std::path::Path;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A running server over the samples; its task, and the sender that stops it.
async fn server(
    dir: &Path,
) -> (
    std::net::SocketAddr,
    TestApp,
    tokio::task::JoinHandle<anyhow::Result<()>>,
    tokio::sync::oneshot::Sender<()>,
) {
    let app = TestApp::at(dir).await;
    app.import(Path::new("exhibits")).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = edubase::app::router(app.state.clone());
    let task = tokio::spawn(edubase::app::serve(listener, router, async {
        stopped.await.ok();
    }));
    (addr, app, task, stop)
}

/// The path of a sample photo's 400 px JPEG.
async fn thumb(app: &TestApp) -> String {
    format!("/media/{}/w400.jpg", crate::serving::photo_sha(app).await)
}

struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

/// Reads one response from a kept-alive connection (`Content-Length` or chunked body).
async fn read_answer(s: &mut TcpStream, buf: &mut Vec<u8>) -> Answer {
    let split = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        fill(s, buf).await;
    };
    let head = String::from_utf8(buf.drain(..split).collect()).unwrap();
    let lower = head.to_ascii_lowercase();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let length = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse::<usize>().unwrap());
    let body = if let Some(n) = length {
        while buf.len() < n {
            fill(s, buf).await;
        }
        buf.drain(..n).collect()
    } else if lower.contains("transfer-encoding: chunked") {
        let mut body = Vec::new();
        loop {
            let line = loop {
                if let Some(p) = buf.windows(2).position(|w| w == b"\r\n") {
                    break p;
                }
                fill(s, buf).await;
            };
            let size = usize::from_str_radix(std::str::from_utf8(&buf[..line]).unwrap().trim(), 16)
                .unwrap();
            while buf.len() < line + 2 + size + 2 {
                fill(s, buf).await;
            }
            body.extend_from_slice(&buf[line + 2..line + 2 + size]);
            buf.drain(..line + 2 + size + 2);
            if size == 0 {
                break body;
            }
        }
    } else {
        Vec::new()
    };
    Answer { status, head, body }
}

async fn fill(s: &mut TcpStream, buf: &mut Vec<u8>) {
    let mut chunk = [0; 65536];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), s.read(&mut chunk))
        .await
        .expect("an answer within 10 s")
        .unwrap();
    assert!(n > 0, "the server closed the connection early");
    buf.extend_from_slice(&chunk[..n]);
}

async fn get_once(addr: std::net::SocketAddr, path: &str) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let a = read_answer(&mut s, &mut Vec::new()).await;
    assert_eq!(a.status, 200, "{}", a.head);
    a.body
}

#[tokio::test]
async fn pipelined_media_and_pages_are_answered_in_order_on_one_connection() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, app, _task, _stop) = server(dir.path()).await;
    let thumb = thumb(&app).await;
    // The first request takes the full path and makes the answer hot.
    let bytes = get_once(addr, &thumb).await;

    let mut s = TcpStream::connect(addr).await.unwrap();
    let etag = {
        s.write_all(format!("GET {thumb} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let a = read_answer(&mut s, &mut Vec::new()).await;
        assert_eq!((a.status, &a.body), (200, &bytes));
        assert!(
            a.head.to_ascii_lowercase().contains("\r\ndate: "),
            "{}",
            a.head
        );
        let etag = a
            .head
            .lines()
            .find_map(|l| l.strip_prefix("etag: "))
            .unwrap();
        etag.to_owned()
    };
    // Four requests in one write: two hot ones, a page (hyper from here on), a hot one.
    let pipelined = format!(
        "GET {thumb} HTTP/1.1\r\nHost: t\r\nRange: bytes=2-5\r\n\r\n\
         GET {thumb} HTTP/1.1\r\nHost: t\r\nIf-None-Match: {etag}\r\n\r\n\
         GET /items/morin-khuur-music HTTP/1.1\r\nHost: t\r\n\r\n\
         GET {thumb} HTTP/1.1\r\nHost: t\r\n\r\n"
    );
    s.write_all(pipelined.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let range = read_answer(&mut s, &mut buf).await;
    assert_eq!((range.status, range.body.as_slice()), (206, &bytes[2..6]));
    assert!(
        range
            .head
            .contains(&format!("content-range: bytes 2-5/{}", bytes.len()))
    );
    let cached = read_answer(&mut s, &mut buf).await;
    assert_eq!(cached.status, 304, "{}", cached.head);
    assert!(cached.body.is_empty());
    let page = read_answer(&mut s, &mut buf).await;
    assert_eq!(page.status, 200, "{}", page.head);
    assert!(String::from_utf8_lossy(&page.body).contains("<html"));
    let last = read_answer(&mut s, &mut buf).await;
    assert_eq!((last.status, &last.body), (200, &bytes));
    assert!(buf.is_empty(), "nothing more was sent");
}

#[tokio::test]
async fn requests_the_fast_path_does_not_own_reach_the_application() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, app, _task, _stop) = server(dir.path()).await;
    let thumb = thumb(&app).await;
    let bytes = get_once(addr, &thumb).await;
    let ask = |req: String| async move {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(req.as_bytes()).await.unwrap();
        s.shutdown().await.ok();
        let mut out = Vec::new();
        s.read_to_end(&mut out).await.unwrap();
        String::from_utf8_lossy(&out).into_owned()
    };
    // A body on a GET, a POST, HEAD, HTTP/1.0, no Host, a query string, a broken head:
    // each gets the application's (or hyper's) own answer, never the hot file.
    let with_body = ask(format!(
        "GET {thumb} HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"
    ))
    .await;
    assert!(with_body.starts_with("HTTP/1.1 200"), "{with_body}");
    let post = ask(format!(
        "POST {thumb} HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    ))
    .await;
    assert!(post.starts_with("HTTP/1.1 405"), "{post}");
    let head = ask(format!(
        "HEAD {thumb} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    ))
    .await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "HEAD has no body: {head}");
    let old = ask(format!("GET {thumb} HTTP/1.0\r\n\r\n")).await;
    assert!(old.starts_with("HTTP/1.0 200"), "{old}");
    let no_host = ask(format!("GET {thumb} HTTP/1.1\r\nConnection: close\r\n\r\n")).await;
    assert!(no_host.starts_with("HTTP/1.1 "), "{no_host}");
    let query = ask(format!(
        "GET {thumb}?x=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    ))
    .await;
    assert!(query.starts_with("HTTP/1.1 200"), "{query}");
    let broken = ask("GET /media/\u{1}x HTTP/1.1\r\nHost: t\r\n\r\n".to_owned()).await;
    assert!(broken.starts_with("HTTP/1.1 400"), "{broken}");
    // A head longer than the fast path reads goes to hyper half-read; hyper finishes it.
    let long = ask(format!(
        "GET {thumb} HTTP/1.1\r\nHost: t\r\nX-Pad: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(40_000)
    ))
    .await;
    assert!(
        long.starts_with("HTTP/1.1 200"),
        "{}",
        &long[..long.len().min(200)]
    );
    let two_ranges = ask(format!(
        "GET {thumb} HTTP/1.1\r\nHost: t\r\nRange: bytes=0-0\r\nRange: bytes=1-1\r\nConnection: close\r\n\r\n"
    ))
    .await;
    assert!(two_ranges.starts_with("HTTP/1.1 "), "{two_ranges}");
    // The server is still up and the file still right.
    assert_eq!(get_once(addr, &thumb).await, bytes);
}

#[tokio::test]
async fn shutdown_closes_idle_connections_and_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, app, task, stop) = server(dir.path()).await;
    let thumb = thumb(&app).await;
    get_once(addr, &thumb).await;
    // One idle connection on the fast path, one handed to hyper.
    let mut fast = TcpStream::connect(addr).await.unwrap();
    fast.write_all(format!("GET {thumb} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes())
        .await
        .unwrap();
    assert_eq!(read_answer(&mut fast, &mut Vec::new()).await.status, 200);
    let mut page = TcpStream::connect(addr).await.unwrap();
    page.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(read_answer(&mut page, &mut Vec::new()).await.status, 200);

    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), task)
        .await
        .expect("the server stops at once with idle connections")
        .unwrap()
        .unwrap();
    for s in [&mut fast, &mut page] {
        let mut rest = Vec::new();
        s.read_to_end(&mut rest).await.unwrap();
        assert!(rest.is_empty(), "closed without another answer");
    }
}

/// `(media answers on the socket, connections handed to the application)` from `/metrics`.
async fn counts(addr: std::net::SocketAddr) -> (u64, u64) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let text = String::from_utf8(read_answer(&mut s, &mut Vec::new()).await.body).unwrap();
    let value = |name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("{name} in {text}"))
            .parse()
            .unwrap()
    };
    (
        value("edubase_media_socket_answers_total"),
        value("edubase_connections_to_application_total"),
    )
}

#[tokio::test]
async fn a_file_never_asked_for_is_prepared_and_its_connection_stays_on_the_socket() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, app, _task, _stop) = server(dir.path()).await;
    let thumb = thumb(&app).await;
    let (answered, handed_over) = counts(addr).await;

    // Nothing about this file has been asked yet: a range, a revalidation, the whole file.
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut buf = Vec::new();
    s.write_all(format!("GET {thumb} HTTP/1.1\r\nHost: t\r\nRange: bytes=0-9\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let range = read_answer(&mut s, &mut buf).await;
    assert_eq!(range.status, 206, "{}", range.head);
    assert_eq!(&range.body[..2], [0xFF, 0xD8], "a JPEG starts with SOI");
    let etag = range
        .head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .unwrap();
    s.write_all(
        format!("GET {thumb} HTTP/1.1\r\nHost: t\r\nIf-None-Match: {etag}\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(read_answer(&mut s, &mut buf).await.status, 304);
    s.write_all(format!("GET {thumb} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let whole = read_answer(&mut s, &mut buf).await;
    assert_eq!(
        (whole.status, &whole.body[..10]),
        (200, range.body.as_slice())
    );

    let (answered_after, handed_over_after) = counts(addr).await;
    assert_eq!(answered_after - answered, 3, "all three on the socket");
    assert_eq!(
        handed_over_after - handed_over,
        1,
        "only the second /metrics request went to the application"
    );
}
