//! Media serving over a real socket with raw HTTP: byte ranges (single, suffix, open,
//! multiple, unsatisfiable), 304 revalidation, If-Range, and large files streamed.

use crate::helpers::TestApp;
use crate::uploads::wav;
use edubase::catalogue::types::Slug;
use edubase::repo::Visibility;
use std::path::Path;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Raw {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

async fn raw(addr: std::net::SocketAddr, path: &str, extra: &[&str]) -> Raw {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for h in extra {
        req.push_str(h);
        req.push_str("\r\n");
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response")
        + 4;
    let head = String::from_utf8_lossy(&out[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut body = out[split..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Raw { status, head, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16)
                .unwrap();
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// A running server over a data folder with the samples and one 5 MB recording.
async fn server(
    dir: &Path,
) -> (
    std::net::SocketAddr,
    TestApp,
    String,
    Vec<u8>,
    tokio::sync::oneshot::Sender<()>,
) {
    let app = TestApp::at(dir).await;
    app.import(Path::new("exhibits")).await;
    let big = wav(330); // ~5.3 MB: streamed from disk, not cached in memory
    let staged = dir.join("big.wav");
    std::fs::write(&staged, &big).unwrap();
    let accepted = app
        .state
        .ingest
        .accept_path(&staged, &edubase::media::ingest::anywhere)
        .await
        .unwrap();
    let item = app.item("urliger").await.unwrap();
    let media = edubase::catalogue::model::NewMedia {
        file: accepted.file.clone(),
        fields: edubase::catalogue::model::MediaFields {
            original_name: "乌力格尔.wav".into(),
            alt: Default::default(),
            caption: Default::default(),
            credit: "test".into(),
            rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
            source: None,
        },
    };
    app.state
        .editor
        .add_media(item.id, &media, &edubase::repo::Actor::system("test"))
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = edubase::app::router(app.state.clone());
    tokio::spawn(edubase::app::serve(listener, router, async {
        stopped.await.ok();
    }));
    (addr, app, accepted.file.sha256, big, stop)
}

/// The content address of a sample photo (it has derivatives).
pub(crate) async fn photo_sha(app: &TestApp) -> String {
    let item = app
        .state
        .catalogue
        .item(
            &Slug::parse("morin-khuur-music").unwrap(),
            Visibility::Public,
        )
        .await
        .unwrap()
        .unwrap();
    item.media[0].sha256.clone()
}

#[tokio::test]
async fn byte_ranges_and_revalidation_follow_http_over_a_real_socket() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, _app, sha, big, _stop) = server(dir.path()).await;
    let url = format!("/media/{sha}/original");
    let n = big.len();

    let whole = raw(addr, &url, &[]).await;
    assert_eq!(whole.status, 200);
    assert_eq!(whole.body, big, "the whole file, streamed");
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    assert_eq!(whole.header("content-type"), Some("audio/wav"));
    assert!(whole.header("cache-control").unwrap().contains("immutable"));
    assert_eq!(whole.header("x-content-type-options"), Some("nosniff"));
    assert!(
        whole
            .header("content-disposition")
            .unwrap()
            .contains("filename*=UTF-8''%E4%B9%8C")
    );
    let etag = whole.header("etag").unwrap().to_owned();

    let first = raw(addr, &url, &["Range: bytes=0-9"]).await;
    assert_eq!(first.status, 206);
    assert_eq!(
        first.header("content-range"),
        Some(format!("bytes 0-9/{n}").as_str())
    );
    assert_eq!(first.body, &big[..10]);
    let middle = raw(addr, &url, &["Range: bytes=4000000-4000099"]).await;
    assert_eq!(
        (middle.status, middle.body.as_slice()),
        (206, &big[4_000_000..4_000_100]),
        "a seek deep into the file"
    );
    let suffix = raw(addr, &url, &["Range: bytes=-5"]).await;
    assert_eq!(suffix.body, &big[n - 5..]);
    let open = raw(addr, &url, &[&format!("Range: bytes={}-", n - 3)]).await;
    assert_eq!(open.body, &big[n - 3..]);

    let multi = raw(addr, &url, &["Range: bytes=0-1,10-12"]).await;
    assert_eq!(multi.status, 206);
    let ct = multi.header("content-type").unwrap();
    assert!(ct.starts_with("multipart/byteranges; boundary="), "{ct}");
    let text = String::from_utf8_lossy(&multi.body);
    assert!(
        text.contains(&format!("Content-Range: bytes 0-1/{n}"))
            && text.contains(&format!("Content-Range: bytes 10-12/{n}")),
        "{text}"
    );

    let beyond = raw(addr, &url, &[&format!("Range: bytes={}-", n + 10)]).await;
    assert_eq!(beyond.status, 416);
    assert_eq!(
        beyond.header("content-range"),
        Some(format!("bytes */{n}").as_str())
    );
    let nonsense = raw(addr, &url, &["Range: pages=1-2"]).await;
    assert_eq!(nonsense.status, 200, "a Range we cannot parse is ignored");

    let revalidated = raw(addr, &url, &[&format!("If-None-Match: {etag}")]).await;
    assert_eq!(revalidated.status, 304);
    assert!(revalidated.body.is_empty());
    assert_eq!(revalidated.header("etag"), Some(etag.as_str()));
    let stale = raw(
        addr,
        &url,
        &["Range: bytes=0-9", "If-Range: \"something-else\""],
    )
    .await;
    assert_eq!(
        stale.status, 200,
        "If-Range with another validator sends the whole file"
    );
    let fresh = raw(
        addr,
        &url,
        &["Range: bytes=0-9", &format!("If-Range: {etag}")],
    )
    .await;
    assert_eq!(fresh.status, 206);
}

#[tokio::test]
async fn small_files_and_derivatives_serve_ranges_from_memory() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, app, _, _, _stop) = server(dir.path()).await;
    let sha = &photo_sha(&app).await;
    let thumb = raw(addr, &format!("/media/{sha}/w400.jpg"), &[]).await;
    assert_eq!(thumb.status, 200);
    assert_eq!(thumb.header("content-type"), Some("image/jpeg"));
    let again = raw(
        addr,
        &format!("/media/{sha}/w400.jpg"),
        &["Range: bytes=0-1"],
    )
    .await;
    assert_eq!(again.status, 206);
    assert_eq!(again.body, &thumb.body[..2]);
    assert_eq!(again.body, [0xFF, 0xD8], "a JPEG starts with SOI");
}

#[tokio::test]
async fn remembered_answers_equal_the_full_answers() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, app, big_sha, _, _stop) = server(dir.path()).await;
    let sha = photo_sha(&app).await;
    let cases: Vec<(String, Vec<&str>)> = vec![
        (format!("/media/{sha}/w800.jpg"), vec![]),
        (format!("/media/{sha}/w800.webp"), vec![]),
        (format!("/media/{sha}/original"), vec![]),
        (
            format!("/media/{sha}/original"),
            vec!["Range: bytes=100-199"],
        ),
        (
            format!("/media/{big_sha}/original"),
            vec!["Range: bytes=0-65535"],
        ),
        (
            format!("/media/{big_sha}/original"),
            vec!["Range: bytes=300000-300099"],
        ),
    ];
    for (url, extra) in cases {
        // The first request takes the full path; later ones may be answered from memory.
        let first = raw(addr, &url, &extra).await;
        let second = raw(addr, &url, &extra).await;
        let third = raw(addr, &url, &extra).await;
        for later in [&second, &third] {
            assert_eq!(later.status, first.status, "{url} {extra:?}");
            assert_eq!(later.body, first.body, "{url} {extra:?}");
            for h in [
                "content-type",
                "content-length",
                "content-range",
                "etag",
                "cache-control",
                "accept-ranges",
                "content-disposition",
                "x-content-type-options",
                "content-security-policy",
            ] {
                assert_eq!(later.header(h), first.header(h), "{url} {extra:?}: {h}");
            }
        }
    }
}
