//! `/media/{sha256}/{variant}`: originals, image derivatives and WebVTT tracks of public
//! media. URLs are content addresses, so answers are immutable: `ETag`, a year of caching,
//! 304 on revalidation, and byte ranges (single and multiple) so video seeks at once.
//! Types come from the database (sniffed at ingest), never from the request, and nothing
//! served here may run as a page of this site.
//!
//! The hottest requests — a hot file, or one range of it — are answered from ready-made
//! answers kept no longer than the public-hash answer (so a withdrawn item disappears just
//! as fast): on the socket itself by [`wire`] (with `sendfile`) while a connection asks only
//! for media, and by [`MediaFirst`] before the router and every middleware once hyper has
//! the connection. Everything else takes the full path in [`answer`]; [`source`] says where
//! its bytes come from.

mod answer;
mod source;
pub mod wire;

pub(crate) use answer::public as public_media;

use crate::app::AppState;
use crate::store::Sha256Hex;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};

/// The media routes (the full path; [`MediaFirst`] answers hot requests before them).
pub fn router() -> Router<AppState> {
    Router::new().route("/media/{sha256}/{variant}", get(show))
}

async fn show(State(state): State<AppState>, uri: axum::http::Uri, headers: HeaderMap) -> Response {
    let mut parts = uri.path().trim_start_matches("/media/").splitn(2, '/');
    let (sha, variant) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    match answer::answer(&state, sha, variant, uri.path(), &headers).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

/// A ready-made answer: the headers of the full file and, for small files, its bytes.
struct Prepared {
    /// The whole file (small files); `None` for large originals, whose ranges come from
    /// cached chunks.
    bytes: Option<Bytes>,
    /// The file's length.
    total: u64,
    /// Its content address, for chunk lookups.
    sha: Sha256Hex,
    /// Its entity tag.
    etag: String,
    /// Every header of a full `200` answer.
    headers: HeaderMap,
    /// The file on this machine, when the store keeps one (sent with `sendfile`).
    file: Option<std::path::PathBuf>,
    /// `headers` as HTTP/1.1 lines, less `Content-Length` (made when first needed).
    wire: std::sync::OnceLock<Vec<u8>>,
    /// The open file, while the file cache keeps it open.
    open: std::sync::Mutex<std::sync::Weak<wire::OpenFile>>,
}

impl Prepared {
    /// The headers of every answer as HTTP/1.1 header lines, except `Content-Length`.
    fn wire_headers(&self) -> &[u8] {
        self.wire.get_or_init(|| {
            let mut out = Vec::with_capacity(512);
            for (name, value) in &self.headers {
                if name != header::CONTENT_LENGTH {
                    out.extend_from_slice(name.as_str().as_bytes());
                    out.extend_from_slice(b": ");
                    out.extend_from_slice(value.as_bytes());
                    out.extend_from_slice(b"\r\n");
                }
            }
            out
        })
    }
}

/// Ready-made answers, keyed by request path.
pub struct ServeCache {
    entries: moka::sync::Cache<Box<str>, Arc<Prepared>>,
    /// Files kept open for [`wire`] (a few hundred; each holds a descriptor).
    files: moka::sync::Cache<std::path::PathBuf, Arc<wire::OpenFile>>,
    /// How the connections went (for `/metrics`).
    pub counts: wire::Counts,
}

impl ServeCache {
    /// An empty cache (its bytes are shared with the hot cache's).
    pub fn new() -> ServeCache {
        ServeCache {
            entries: moka::sync::Cache::builder()
                .max_capacity(20_000)
                .time_to_live(crate::media::hot::PUBLIC_TTL)
                .build(),
            files: moka::sync::Cache::builder()
                .max_capacity(256)
                .time_to_live(crate::media::hot::PUBLIC_TTL)
                .build(),
            counts: wire::Counts::default(),
        }
    }

    fn insert(&self, path: &str, prepared: Prepared) {
        self.entries.insert(path.into(), Arc::new(prepared));
    }
}

impl Default for ServeCache {
    fn default() -> Self {
        ServeCache::new()
    }
}

/// The whole application, with hot media answered first.
#[derive(Clone)]
pub struct MediaFirst<S> {
    state: AppState,
    inner: S,
    peer: Option<std::net::SocketAddr>,
}

impl<S> MediaFirst<S> {
    /// Puts the media fast path in front of `inner` (the router).
    pub fn new(state: AppState, inner: S) -> MediaFirst<S> {
        MediaFirst {
            state,
            inner,
            peer: None,
        }
    }

    /// The same application for one connection from `peer`. The address reaches the
    /// handlers that need it (sign-in throttling) as `ConnectInfo`, on requests that change
    /// state only, so reads pay nothing for it.
    pub fn with_peer(mut self, peer: std::net::SocketAddr) -> MediaFirst<S> {
        self.peer = Some(peer);
        self
    }

    /// The answer to a hot `GET`, or `None` to take the full path.
    fn fast<B>(&self, req: &Request<B>) -> Option<Response> {
        if req.method() != Method::GET {
            return None;
        }
        let headers = req.headers();
        let one = |name: header::HeaderName| -> Option<Option<&str>> {
            let mut values = headers.get_all(name).iter();
            match (values.next(), values.next()) {
                (None, _) => Some(None),
                (Some(v), None) => Some(Some(v.to_str().ok()?)),
                // Repeated conditions are left to the full path.
                (Some(_), Some(_)) => None,
            }
        };
        let conditions = Conditions {
            if_none_match: one(header::IF_NONE_MATCH)?,
            if_range: one(header::IF_RANGE)?,
            range: one(header::RANGE)?,
        };
        let (p, hot) = self.state.served.hot(req.uri().path(), &conditions)?;
        let (status, body) = match hot {
            Hot::NotModified => {
                let mut r = Response::new(Body::empty());
                *r.status_mut() = StatusCode::NOT_MODIFIED;
                *r.headers_mut() = p.headers.clone();
                r.headers_mut().remove(header::CONTENT_LENGTH);
                return Some(r);
            }
            Hot::Full => (StatusCode::OK, p.bytes.clone()?),
            Hot::Part(start, end) => {
                let body = match &p.bytes {
                    Some(b) => b.slice(start as usize..=end as usize),
                    None => source::cached_slice(&self.state, &p.sha, start, end)?,
                };
                (StatusCode::PARTIAL_CONTENT, body)
            }
        };
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = p.headers.clone();
        if let Hot::Part(start, end) = hot {
            *response.status_mut() = status;
            let h = response.headers_mut();
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start + 1));
            h.insert(
                header::CONTENT_RANGE,
                HeaderValue::from_str(&content_range(start, end, p.total)).ok()?,
            );
        }
        Some(response)
    }

    /// The application state (for the connection-level fast path in [`wire`]).
    pub(crate) fn state(&self) -> &AppState {
        &self.state
    }
}

/// The value of `Content-Range` for bytes `start..=end` of `total`.
fn content_range(start: u64, end: u64, total: u64) -> String {
    format!("bytes {start}-{end}/{total}")
}

/// The request headers a hot answer depends on (each present at most once).
#[derive(Default)]
pub(crate) struct Conditions<'a> {
    pub(crate) if_none_match: Option<&'a str>,
    pub(crate) if_range: Option<&'a str>,
    pub(crate) range: Option<&'a str>,
}

/// What a hot answer is.
#[derive(Clone, Copy)]
enum Hot {
    /// 304: the client has it.
    NotModified,
    /// 200 with the whole file.
    Full,
    /// 206 with bytes `start..=end`.
    Part(u64, u64),
}

impl ServeCache {
    /// True when an answer for `path` is ready.
    fn knows(&self, path: &str) -> bool {
        self.entries.contains_key(path)
    }

    /// The ready-made answer to a `GET` of `path` under `conditions`, if there is one and it
    /// is simple: one satisfiable range at most (several ranges, unsatisfiable ones and
    /// anything unusual take the full path).
    fn hot(&self, path: &str, conditions: &Conditions<'_>) -> Option<(Arc<Prepared>, Hot)> {
        if !path.starts_with("/media/") {
            return None;
        }
        let p = self.entries.get(path)?;
        if conditions
            .if_none_match
            .is_some_and(|v| answer::etag_listed(v, &p.etag))
        {
            return Some((p, Hot::NotModified));
        }
        let if_range_ok = conditions.if_range.is_none_or(|v| v.trim() == p.etag);
        let Some(range) = conditions.range.filter(|_| if_range_ok) else {
            return Some((p, Hot::Full));
        };
        let ranges = http_range_header::parse_range_header(range)
            .ok()?
            .validate(p.total)
            .ok()?;
        let [r] = ranges.as_slice() else { return None };
        let hot = Hot::Part(*r.start(), *r.end());
        Some((p, hot))
    }
}

impl<S, B> tower::Service<Request<B>> for MediaFirst<S>
where
    S: tower::Service<Request<B>, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future =
        futures_util::future::Either<std::future::Ready<Result<Response, Infallible>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<B>) -> Self::Future {
        if let Some(response) = self.fast(&req) {
            return futures_util::future::Either::Left(std::future::ready(Ok(response)));
        }
        if let Some(peer) = self.peer
            && !matches!(*req.method(), Method::GET | Method::HEAD)
        {
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
        }
        futures_util::future::Either::Right(self.inner.call(req))
    }
}
