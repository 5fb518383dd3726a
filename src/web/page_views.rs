//! The layer that counts public page views: one more for today whenever a gallery page is
//! served successfully, and one more for the item, exhibition or base when it was that
//! record's own page. It looks at the response and the page's path, never at who asked —
//! no address, no cookie, no referrer is read or kept.

use crate::app::AppState;
use crate::stats::Viewed;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// Counts the response if it is a page a person asked for: a `GET` answered `200` with
/// HTML. Redirects, errors, prefetches and self-declared robots are not views.
pub async fn count(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let counts = request.method() == Method::GET && !automated(request.headers());
    let record = counts
        .then(|| Viewed::of_path(request.uri().path()))
        .flatten();
    let response = next.run(request).await;
    if counts && is_page(&response) {
        state.page_views.record(chrono::Utc::now(), record);
    }
    response
}

fn is_page(response: &Response) -> bool {
    response.status() == StatusCode::OK
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"))
}

/// A speculative prefetch (nobody may ever look at it) or a crawler that says it is one.
fn automated(headers: &HeaderMap) -> bool {
    let has = |name: &str, needle: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains(needle))
    };
    has("sec-purpose", "prefetch")
        || has("purpose", "prefetch")
        || ["bot", "crawler", "spider", "slurp"]
            .iter()
            .any(|robot| has(header::USER_AGENT.as_str(), robot))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.insert(*name, HeaderValue::from_static(value));
        }
        h
    }

    #[test]
    fn prefetches_and_declared_robots_are_not_visitors() {
        assert!(!automated(&headers(&[(
            "user-agent",
            "Mozilla/5.0 (iPhone) MicroMessenger/8.0"
        )])));
        assert!(automated(&headers(&[(
            "sec-purpose",
            "prefetch;prerender"
        )])));
        assert!(automated(&headers(&[(
            "user-agent",
            "Mozilla/5.0 (compatible; Baiduspider/2.0)"
        )])));
        assert!(automated(&headers(&[(
            "user-agent",
            "Mozilla/5.0 (compatible; Googlebot/2.1)"
        )])));
    }
}
