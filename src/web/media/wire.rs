//! Hot media answered straight on the socket, below hyper. An HTTP/1.1 `GET` of a file the
//! [`ServeCache`](super::ServeCache) already answers is parsed here, its ready-made head is
//! written and the file is handed to the kernel (`sendfile`: the bytes never pass through
//! this process; a short body already in memory goes with the head in one `writev`), and
//! the next request on the connection is read the same way. Anything
//! else — another method, a page, a request with a body, HTTP/1.0, an upgrade, a head we
//! cannot parse — is not ours: the connection goes to hyper with the bytes already read
//! (see `app::serve`), and hyper answers it and every later request on it.
//!
//! Only what the full path has answered before is answered here, with the same headers, so
//! this is a faster transport for answers the application already gave, never a second
//! implementation of the rules.

use super::{Conditions, Hot, Prepared, ServeCache, content_range};
use crate::app::AppState;
use bytes::Bytes;
use std::fs::File;
use std::io;
use std::ops::Not;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::Interest;
use tokio::net::TcpStream;

/// Files longer than this are not sent from here (a cold read of a large file would hold a
/// worker thread); the full path streams them.
const MAX_SENDFILE: u64 = 4 << 20;

/// Bodies up to this long are written from memory when they are there (one `writev` with
/// the head costs less than `sendfile` for them).
const MEMORY_FIRST: u64 = 64 * 1024;

/// Running totals, shown by `/metrics`.
#[derive(Debug, Default)]
pub struct Counts {
    /// Requests answered on the socket.
    pub answered: AtomicU64,
    /// Connections handed to hyper.
    pub handed_over: AtomicU64,
}

/// What the bytes at the start of a connection's buffer are.
pub(crate) enum Parsed {
    /// The request head is not complete yet.
    Partial,
    /// Not a request this module answers: the connection goes to hyper.
    Other,
    /// A request answered here.
    Answer(Answer),
    /// A plain `GET` of media whose answer is not ready (never asked, or expired): once
    /// [`warm`] has run the full path for it, it may be answered here.
    Cold(Cold),
}

/// The answer to one request.
pub(crate) struct Answer {
    /// How many bytes of the buffer the request took.
    pub consumed: usize,
    /// Whether the connection ends after this answer (`Connection: close`).
    pub close: bool,
    head: Vec<u8>,
    body: Payload,
}

enum Payload {
    None,
    Memory(Bytes),
    File(Arc<OpenFile>, u64, u64),
}

/// An open file and its length when it was opened.
pub(crate) struct OpenFile {
    file: File,
    len: u64,
}

/// Parses the request at the start of `buf` and, if it is a hot media `GET`, prepares its
/// answer.
pub(crate) fn parse(state: &AppState, buf: &[u8]) -> Parsed {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut req = httparse::Request::new(&mut headers);
    let consumed = match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Parsed::Partial,
        Err(_) => return Parsed::Other,
    };
    answer(state, &req, consumed)
}

/// A request whose answer is not ready: its path and conditions.
pub(crate) struct Cold {
    path: String,
    headers: axum::http::HeaderMap,
}

/// Runs the full path for a cold request (the work hyper would do for it), which prepares
/// its answer if the file is public and the answer simple enough to be given here.
pub(crate) async fn warm(state: &AppState, cold: &Cold) {
    let mut parts = cold.path.trim_start_matches("/media/").splitn(2, '/');
    let (sha, variant) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let _ = super::answer::answer(state, sha, variant, &cold.path, &cold.headers).await;
}

fn answer(state: &AppState, req: &httparse::Request<'_, '_>, consumed: usize) -> Parsed {
    match prepare(state, req, consumed) {
        Ok(a) => {
            state.served.counts.answered.fetch_add(1, Ordering::Relaxed);
            Parsed::Answer(a)
        }
        Err(Some((path, conditions))) => {
            use axum::http::{HeaderValue, header};
            // Without `If-None-Match`: a 304 prepares nothing, the 200 or 206 does, and
            // then the 304 is answered here.
            let mut headers = axum::http::HeaderMap::new();
            for (name, value) in [
                (header::RANGE, conditions.range),
                (header::IF_RANGE, conditions.if_range),
            ] {
                match value.map(HeaderValue::from_str) {
                    Some(Ok(v)) => {
                        headers.insert(name, v);
                    }
                    Some(Err(_)) => return Parsed::Other,
                    None => {}
                }
            }
            Parsed::Cold(Cold {
                path: path.to_owned(),
                headers,
            })
        }
        Err(None) => Parsed::Other,
    }
}

/// The answer, or why there is none here: `Err(Some(..))` when the answer is not ready.
fn prepare<'a>(
    state: &AppState,
    req: &httparse::Request<'_, 'a>,
    consumed: usize,
) -> Result<Answer, Option<(&'a str, Conditions<'a>)>> {
    if req.method != Some("GET") || req.version != Some(1) {
        return Err(None);
    }
    let path = req
        .path
        .filter(|p| p.starts_with("/media/") && !p.contains('?'))
        .ok_or(None)?;
    let (conditions, close) = read_headers(req.headers).ok_or(None)?;
    let Some((p, hot)) = state.served.hot(path, &conditions) else {
        return Err(state.served.knows(path).not().then_some((path, conditions)));
    };
    let (status, body) = match hot {
        Hot::NotModified => ("304 Not Modified", Some(Payload::None)),
        Hot::Full => ("200 OK", payload(state, &p, 0, p.total.checked_sub(1))),
        Hot::Part(start, end) => ("206 Partial Content", payload(state, &p, start, Some(end))),
    };
    let body = body.ok_or(None)?;
    let mut head = Vec::with_capacity(512);
    head.extend_from_slice(b"HTTP/1.1 ");
    head.extend_from_slice(status.as_bytes());
    head.extend_from_slice(b"\r\ndate: ");
    head.extend_from_slice(&http_date());
    head.extend_from_slice(b"\r\n");
    head.extend_from_slice(p.wire_headers());
    match hot {
        Hot::NotModified => {}
        Hot::Full => push_header(&mut head, "content-length", &p.total.to_string()),
        Hot::Part(start, end) => {
            push_header(&mut head, "content-length", &(end - start + 1).to_string());
            push_header(
                &mut head,
                "content-range",
                &content_range(start, end, p.total),
            );
        }
    }
    if close {
        head.extend_from_slice(b"connection: close\r\n");
    }
    head.extend_from_slice(b"\r\n");
    Ok(Answer {
        consumed,
        close,
        head,
        body,
    })
}

/// The conditions of a plain request and whether it asks to close the connection; `None`
/// for anything hyper should see (a body, an upgrade, no `Host`, repeated conditions).
fn read_headers<'a>(headers: &[httparse::Header<'a>]) -> Option<(Conditions<'a>, bool)> {
    let mut conditions = Conditions::default();
    let (mut close, mut host) = (false, false);
    for h in headers {
        let value = std::str::from_utf8(h.value).ok()?;
        let name = h.name;
        if name.eq_ignore_ascii_case("host") {
            host = true;
        } else if name.eq_ignore_ascii_case("connection") {
            for token in value.split(',').map(str::trim) {
                if token.eq_ignore_ascii_case("close") {
                    close = true;
                } else if !token.eq_ignore_ascii_case("keep-alive") {
                    return None;
                }
            }
        } else if name.eq_ignore_ascii_case("range") {
            set_once(&mut conditions.range, value)?;
        } else if name.eq_ignore_ascii_case("if-range") {
            set_once(&mut conditions.if_range, value)?;
        } else if name.eq_ignore_ascii_case("if-none-match") {
            set_once(&mut conditions.if_none_match, value)?;
        } else if ["content-length", "transfer-encoding", "expect", "upgrade"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n))
        {
            // A body, an expectation or a protocol switch: hyper's business.
            return None;
        }
    }
    host.then_some((conditions, close))
}

/// Sets a condition; a repeated one is left to the full path.
fn set_once<'a>(slot: &mut Option<&'a str>, value: &'a str) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

fn push_header(head: &mut Vec<u8>, name: &str, value: &str) {
    head.extend_from_slice(name.as_bytes());
    head.extend_from_slice(b": ");
    head.extend_from_slice(value.as_bytes());
    head.extend_from_slice(b"\r\n");
}

/// Bytes `start..=end` of the prepared file (`end` `None`: an empty file): from the file
/// on disk when there is one, else from memory.
fn payload(state: &AppState, p: &Prepared, start: u64, end: Option<u64>) -> Option<Payload> {
    let Some(end) = end else {
        return Some(Payload::None);
    };
    let len = end - start + 1;
    // A short body already in memory is written with the head in one `writev`; anything
    // longer goes from the file, without a copy.
    if len <= MEMORY_FIRST
        && let Some(b) = &p.bytes
    {
        return Some(Payload::Memory(b.slice(start as usize..=end as usize)));
    }
    if len <= MAX_SENDFILE
        && let Some(file) = state.served.open(p)
    {
        return Some(Payload::File(file, start, len));
    }
    if let Some(b) = &p.bytes {
        return Some(Payload::Memory(b.slice(start as usize..=end as usize)));
    }
    super::source::cached_slice(state, &p.sha, start, end).map(Payload::Memory)
}

impl ServeCache {
    /// The prepared file, open (kept open for a while), if it is on this machine and still
    /// has the length the answer was prepared with.
    fn open(&self, p: &Prepared) -> Option<Arc<OpenFile>> {
        // The answer remembers the open file as long as the file cache keeps it open.
        let known = p.open.lock().expect("not poisoned").upgrade();
        let file = match known {
            Some(f) => f,
            None => {
                let path = p.file.as_deref()?;
                let f = match self.files.get(path) {
                    Some(f) => f,
                    None => {
                        let file = File::open(path).ok()?;
                        let len = file.metadata().ok()?.len();
                        let f = Arc::new(OpenFile { file, len });
                        self.files.insert(path.into(), f.clone());
                        f
                    }
                };
                *p.open.lock().expect("not poisoned") = Arc::downgrade(&f);
                f
            }
        };
        (file.len == p.total).then_some(file)
    }
}

/// Writes an answer: its head, then its body (from a file with `sendfile`, the head held
/// back with `MSG_MORE` so both leave in the same packets).
pub(crate) async fn send(stream: &TcpStream, answer: &Answer) -> io::Result<()> {
    match &answer.body {
        Payload::None => write_all(stream, &answer.head, &[]).await,
        Payload::Memory(b) => write_all(stream, &answer.head, b).await,
        Payload::File(f, start, len) => {
            let mut sent = 0;
            while sent < answer.head.len() {
                sent += retry(stream, || {
                    rustix::net::send(stream, &answer.head[sent..], rustix::net::SendFlags::MORE)
                })
                .await?;
            }
            let (mut offset, end) = (*start, start + len);
            while offset < end {
                let want = usize::try_from(end - offset).unwrap_or(usize::MAX);
                let n = retry(stream, || {
                    rustix::fs::sendfile(stream, &f.file, Some(&mut offset), want)
                })
                .await?;
                if n == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the file ended early",
                    ));
                }
            }
            Ok(())
        }
    }
}

/// Runs a non-blocking socket write until it makes progress.
async fn retry(
    stream: &TcpStream,
    mut op: impl FnMut() -> rustix::io::Result<usize>,
) -> io::Result<usize> {
    loop {
        match stream.try_io(Interest::WRITABLE, || op().map_err(io::Error::from)) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => stream.writable().await?,
            other => return other,
        }
    }
}

async fn write_all(stream: &TcpStream, head: &[u8], body: &[u8]) -> io::Result<()> {
    let (mut head, mut body) = (head, body);
    while !head.is_empty() || !body.is_empty() {
        let parts = [io::IoSlice::new(head), io::IoSlice::new(body)];
        match stream.try_write_vectored(&parts) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                let from_head = n.min(head.len());
                head = &head[from_head..];
                body = &body[n - from_head..];
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => stream.writable().await?,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Today's `Date` header value, made once a second per thread.
fn http_date() -> [u8; 29] {
    use std::cell::Cell;
    use std::time::{SystemTime, UNIX_EPOCH};
    thread_local! {
        static DATE: Cell<(u64, [u8; 29])> = const { Cell::new((0, [0; 29])) };
    }
    let now = SystemTime::now();
    let second = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    DATE.with(|cell| {
        let (at, value) = cell.get();
        if at == second {
            return value;
        }
        let mut fresh = [0; 29];
        fresh.copy_from_slice(&httpdate::fmt_http_date(now).as_bytes()[..29]);
        cell.set((second, fresh));
        fresh
    })
}
