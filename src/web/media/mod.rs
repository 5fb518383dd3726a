//! `/media/{sha256}/{variant}`: originals, image derivatives and WebVTT tracks of public
//! media. URLs are content addresses, so answers are immutable: `ETag`, a year of caching,
//! 304 on revalidation, and byte ranges (single and multiple) so video seeks at once.
//! Types come from the database (sniffed at ingest), never from the request, and nothing
//! served here may run as a page of this site.
//!
//! The hottest requests — a hot file, or one range of it — are answered by
//! [`MediaFirst`] before the router and every middleware, from ready-made answers kept no
//! longer than the public-hash answer (so a withdrawn item disappears just as fast).
//! Everything else takes the full path in [`answer`].

mod answer;

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
}

/// Ready-made answers, keyed by request path.
pub struct ServeCache {
    entries: moka::sync::Cache<Box<str>, Arc<Prepared>>,
}

impl ServeCache {
    /// An empty cache (its bytes are shared with the hot cache's).
    pub fn new() -> ServeCache {
        ServeCache {
            entries: moka::sync::Cache::builder()
                .max_capacity(20_000)
                .time_to_live(crate::media::hot::PUBLIC_TTL)
                .build(),
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

/// The hot-cache name of chunk `n` of a large original.
fn chunk_name(n: u64) -> String {
    format!("chunk-{n}")
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
        let path = req.uri().path();
        if !path.starts_with("/media/") {
            return None;
        }
        let p = self.state.served.entries.get(path)?;
        let headers = req.headers();
        if answer::matches_etag(headers, &p.etag) {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::NOT_MODIFIED;
            *r.headers_mut() = p.headers.clone();
            r.headers_mut().remove(header::CONTENT_LENGTH);
            return Some(r);
        }
        let if_range_ok = headers
            .get(header::IF_RANGE)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|v| v.trim() == p.etag);
        let range = headers.get(header::RANGE).filter(|_| if_range_ok);
        let Some(range) = range else {
            let mut r = Response::new(Body::from(p.bytes.clone()?));
            *r.headers_mut() = p.headers.clone();
            return Some(r);
        };
        // One satisfiable range of a hot file; anything else (several ranges, errors,
        // chunks not in memory) takes the full path.
        let ranges = http_range_header::parse_range_header(range.to_str().ok()?)
            .ok()?
            .validate(p.total)
            .ok()?;
        let [r] = ranges.as_slice() else { return None };
        let (start, end) = (*r.start(), *r.end());
        let body = match &p.bytes {
            Some(b) => b.slice(start as usize..=end as usize),
            None if end - start < answer::CHUNKED_RANGE_MAX
                && start / answer::CHUNK == end / answer::CHUNK =>
            {
                let n = start / answer::CHUNK;
                let chunk = self.state.hot.get(&p.sha, &chunk_name(n))?;
                chunk.slice(
                    (start - n * answer::CHUNK) as usize..=(end - n * answer::CHUNK) as usize,
                )
            }
            None => return None,
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        *response.headers_mut() = p.headers.clone();
        let h = response.headers_mut();
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start + 1));
        h.insert(
            header::CONTENT_RANGE,
            HeaderValue::from_str(&format!("bytes {start}-{end}/{}", p.total)).ok()?,
        );
        Some(response)
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
