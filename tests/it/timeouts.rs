//! Clients that are slow on purpose: a connection that says nothing, request heads sent a
//! byte at a time (slowloris) on the hot-media path and on hyper's, and kept-alive
//! connections left idle. Each is closed when its time is up, while the drip goes on, and
//! the server keeps answering everyone else. The server runs with short timeouts here;
//! `edubase serve` uses the defaults (15 s for a head, 60 s idle).

use crate::helpers::TestApp;
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HEAD: Duration = Duration::from_millis(400);
const IDLE: Duration = Duration::from_millis(1200);

async fn server(dir: &Path) -> (std::net::SocketAddr, TestApp) {
    let app = TestApp::at(dir).await;
    app.import(Path::new("exhibits")).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = edubase::app::router(app.state.clone());
    let timeouts = edubase::app::Timeouts {
        head: HEAD,
        idle: IDLE,
    };
    tokio::spawn(edubase::app::serve_with(
        listener,
        router,
        std::future::pending(),
        timeouts,
    ));
    (addr, app)
}

/// Reads until the server closes the connection; returns what came and when it closed.
async fn until_closed(
    s: &mut tokio::net::tcp::OwnedReadHalf,
    from: Instant,
) -> (Vec<u8>, Duration) {
    let mut got = Vec::new();
    let mut chunk = [0; 65536];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(20), s.read(&mut chunk))
            .await
            .expect("the server closes the connection within 20 s");
        match read {
            Ok(0) | Err(_) => return (got, from.elapsed()),
            Ok(n) => got.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Sends `head` and then one more byte every 50 ms, for ever (until the socket fails).
fn drip(mut w: tokio::net::tcp::OwnedWriteHalf, head: String) {
    tokio::spawn(async move {
        if w.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if w.write_all(b"a").await.is_err() {
                return;
            }
        }
    });
}

async fn healthy(addr: std::net::SocketAddr) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).await.unwrap();
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "the server still answers"
    );
}

#[tokio::test]
async fn a_connection_that_says_nothing_is_closed_after_the_head_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, _app) = server(dir.path()).await;
    let start = Instant::now();
    let (mut r, _w) = TcpStream::connect(addr).await.unwrap().into_split();
    let (got, after) = until_closed(&mut r, start).await;
    assert!(got.is_empty());
    assert!(
        after >= HEAD - Duration::from_millis(50) && after < HEAD * 5,
        "{after:?}"
    );
    healthy(addr).await;
}

#[tokio::test]
async fn request_heads_sent_a_byte_at_a_time_are_cut_off_on_both_paths() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, app) = server(dir.path()).await;
    let thumb = format!("/media/{}/w400.jpg", crate::serving::photo_sha(&app).await);
    // A media request (the hot path reads its head) and a page (hyper reads it).
    for head in [
        format!("GET {thumb} HTTP/1.1\r\nHost: t\r\nX-Slow: "),
        "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ".to_owned(),
    ] {
        let start = Instant::now();
        let (mut r, w) = TcpStream::connect(addr).await.unwrap().into_split();
        drip(w, head.clone());
        let (got, after) = until_closed(&mut r, start).await;
        let got = String::from_utf8_lossy(&got);
        assert!(!got.contains(" 200 "), "{head}: nothing is answered: {got}");
        assert!(
            after >= HEAD - Duration::from_millis(50) && after < HEAD * 5,
            "{head}: cut off while still dripping, after {after:?}"
        );
    }
    // The same on a connection hyper already serves: its second head, dripped.
    let start = Instant::now();
    let (mut r, mut w) = TcpStream::connect(addr).await.unwrap().into_split();
    w.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    drip(w, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ".to_owned());
    let (got, after) = until_closed(&mut r, start).await;
    let got = String::from_utf8_lossy(&got);
    assert_eq!(
        got.matches("HTTP/1.1 200").count(),
        1,
        "only the first: {got}"
    );
    assert!(after < HEAD * 5, "cut off after {after:?}");
    healthy(addr).await;
}

#[tokio::test]
async fn kept_alive_connections_left_idle_are_closed() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, app) = server(dir.path()).await;
    let thumb = format!("/media/{}/w400.jpg", crate::serving::photo_sha(&app).await);
    // Once through the full path, so that the next answer comes from the hot path.
    healthy(addr).await;
    // The hot path waits `idle` for a next request; hyper waits for a next head as long
    // as for the rest of one (`head`).
    for (path, wait) in [
        (thumb.as_str(), IDLE),
        (thumb.as_str(), IDLE),
        ("/healthz", HEAD),
    ] {
        let (mut r, mut w) = TcpStream::connect(addr).await.unwrap().into_split();
        w.write_all(format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let start = Instant::now();
        let (got, after) = until_closed(&mut r, start).await;
        assert!(
            String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"),
            "{path} answered"
        );
        assert!(
            after >= wait - Duration::from_millis(50) && after < wait * 5,
            "{path}: idle connection closed after {after:?}"
        );
    }
    healthy(addr).await;
}
