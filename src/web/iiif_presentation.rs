//! IIIF Presentation API 3.0 over HTTP: `/iiif/3/items/{slug}/manifest` and
//! `/iiif/3/exhibitions/{slug}/collection`, readable from any origin. Published records
//! only; they change when a curator edits, so caches revalidate quickly with an ETag.

use crate::app::AppState;
use crate::catalogue::types::Slug;
use crate::error::AppError;
use crate::iiif::presentation::{self, CONTENT_TYPE, Urls};
use crate::repo::Visibility;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

/// The Presentation API routes. Every answer, a 404 included, may be read cross-origin:
/// viewers on other sites load our manifests.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/iiif/3/items/{slug}/manifest", get(show_manifest))
        .route(
            "/iiif/3/exhibitions/{slug}/collection",
            get(show_collection),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
}

#[tracing::instrument(skip_all, fields(%slug))]
async fn show_manifest(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let slug = Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let item = state
        .catalogue
        .item(&slug, Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    let doc = presentation::manifest(&item, &Urls(&state.config.public_url));
    Ok(answer(&doc, &headers))
}

#[tracing::instrument(skip_all, fields(%slug))]
async fn show_collection(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let slug = Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let exhibition = state
        .catalogue
        .exhibition(&slug, Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    let doc = presentation::collection(&exhibition, &Urls(&state.config.public_url));
    Ok(answer(&doc, &headers))
}

/// The document with its JSON-LD type, a short cache life and an ETag of its bytes; a 304
/// when the client already has these bytes. The ETag is weak because the compression layer
/// may re-encode the body.
fn answer(doc: &serde_json::Value, headers: &HeaderMap) -> Response {
    let body = doc.to_string();
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!("W/\"{}\"", &hex::encode(digest)[..20]);
    let cache = [
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=60"),
        ),
        (header::ETAG, HeaderValue::from_str(&etag).expect("hex")),
    ];
    if matches(headers, &etag) {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))],
        cache,
        body,
    )
        .into_response()
}

/// `If-None-Match` against our ETag, by the weak comparison RFC 9110 prescribes for it.
fn matches(headers: &HeaderMap, etag: &str) -> bool {
    let ours = etag.trim_start_matches("W/");
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        let mut h = HeaderMap::new();
        let etag = "W/\"abc\"";
        assert!(!matches(&h, etag));
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", \"abc\""),
        );
        assert!(matches(&h, etag));
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("W/\"abcd\""),
        );
        assert!(!matches(&h, etag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(matches(&h, etag));
    }
}
