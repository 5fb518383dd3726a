//! Static files (CSS, JavaScript, fonts, vendored libraries) compiled into the binary and
//! served with long-lived caching: their URLs carry a content hash.

use crate::app::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "static/"]
struct Static;

/// The static-file routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/{*path}", get(show))
        .route("/visit-sw.js", get(visit_worker))
}

/// The offline visit's service worker. It lives at the root so that it may control
/// `/visit/`, and is revalidated on every check so a new version reaches every phone.
async fn visit_worker() -> Response {
    let Some(file) = Static::get("js/visit-sw.js") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        file.data,
    )
        .into_response()
}

/// The versioned URL of a bundled file (`css/site.css` → `/static/css/site.css?v=…`).
pub fn url(path: &str) -> String {
    match Static::get(path) {
        Some(file) => format!(
            "/static/{path}?v={}",
            &hex::encode(file.metadata.sha256_hash())[..12]
        ),
        None => {
            tracing::error!(%path, "template refers to a missing static file");
            format!("/static/{path}")
        }
    }
}

async fn show(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(file) = Static::get(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", &hex::encode(file.metadata.sha256_hash())[..16]);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let mime = mime_guess::from_path(&path).first_or_octet_stream();
    let content_type = if mime.type_() == "text" || mime.subtype() == "javascript" {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&content_type).expect("mime types are ASCII"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
            (header::ETAG, HeaderValue::from_str(&etag).expect("hex")),
        ],
        file.data,
    )
        .into_response()
}
