//! `/iiif/3/{id}…`: the IIIF Image API 3.0 (level 2) over HTTP. The identifier is the
//! image's content address (its SHA-256, as in `/media/{sha256}/…`), so every answer is
//! immutable and a CDN may keep it; only images of published items are served, everything
//! else is 404. Every answer, errors included, allows any origin (CORS), and images carry
//! their profile and canonical `Link`s, an `ETag` and a year of caching.

use crate::app::AppState;
use crate::catalogue::types::MediaKind;
use crate::iiif::image::ImageError;
use crate::iiif::info::{self, PROFILE_URI};
use crate::iiif::request::{ImageRequest, RequestError};
use crate::store::Sha256Hex;
use axum::Router;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The Image API routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/iiif/3/{id}", get(base).options(preflight))
        .route("/iiif/3/{id}/", get(base).options(preflight))
        .route("/iiif/3/{id}/info.json", get(info).options(preflight))
        .route(
            "/iiif/3/{id}/{region}/{size}/{rotation}/{quality_format}",
            get(image).options(preflight),
        )
}

/// Why a IIIF request failed, as the Image API's status codes (§7.3).
#[derive(Debug)]
enum Failure {
    /// 404: no such public image.
    NotFound,
    /// 400 or 501, from the request's parameters.
    Request(RequestError),
    /// The image could not be made.
    Image(ImageError),
}

impl From<RequestError> for Failure {
    fn from(e: RequestError) -> Failure {
        Failure::Request(e)
    }
}

impl From<ImageError> for Failure {
    fn from(e: ImageError) -> Failure {
        Failure::Image(e)
    }
}

impl From<crate::error::AppError> for Failure {
    fn from(e: crate::error::AppError) -> Failure {
        Failure::Image(ImageError::Store(anyhow::anyhow!("{e:#}")))
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (status, code, message) = match &self {
            Failure::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "no published image has this identifier".to_owned(),
            ),
            Failure::Request(e @ RequestError::Unsupported(_)) => (
                StatusCode::NOT_IMPLEMENTED,
                "not_implemented",
                e.to_string(),
            ),
            Failure::Request(e) => (StatusCode::BAD_REQUEST, "bad_request", e.to_string()),
            Failure::Image(ImageError::Missing) => {
                tracing::error!("a public image record without its original file");
                (
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "the image file is missing".to_owned(),
                )
            }
            // The request is fine but the stored original cannot be read: the client can do
            // nothing about it, and it is not a crash either.
            Failure::Image(ImageError::Unreadable(e)) => {
                tracing::warn!(error = %e, "IIIF image from an unreadable original");
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "unreadable_image",
                    format!("this image cannot be shown: {e}"),
                )
            }
            Failure::Image(ImageError::Store(e)) => {
                tracing::warn!(error = %e, "IIIF: media store failed");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the media store is not available; try again shortly".to_owned(),
                )
            }
            Failure::Image(ImageError::Internal(e)) => {
                tracing::error!(error = %e, "IIIF image failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on our side; it has been logged".to_owned(),
                )
            }
        };
        let body = serde_json::json!({ "code": code, "message": message });
        let mut r = (status, axum::Json(body)).into_response();
        let h = r.headers_mut();
        cors(h);
        // Whether an image is public can change; errors are not kept.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}

/// Any origin may use any answer (§7.1); and no answer is ever sniffed as another type
/// (these routes come before the layer that adds that to everything else).
fn cors(h: &mut HeaderMap) {
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// The published image with this identifier, or 404.
async fn public_image(state: &AppState, id: &str) -> Result<Sha256Hex, Failure> {
    let sha = Sha256Hex::parse(id).ok_or(Failure::NotFound)?;
    match crate::web::media::public_media(state, &sha).await? {
        Some(m) if m.kind == MediaKind::Image => Ok(sha),
        _ => Err(Failure::NotFound),
    }
}

/// CORS preflight: any origin may `GET`.
async fn preflight() -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    cors(h);
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, HEAD, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    r
}

/// The base URI redirects to the image information (§2, 303 recommended). The `Location`
/// is relative, so it holds behind any proxy prefix.
async fn base(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    uri: axum::http::Uri,
) -> Response {
    let Ok(Path(id)) = id else {
        return Failure::NotFound.into_response();
    };
    if let Err(f) = public_image(&state, &id).await {
        return f.into_response();
    }
    let location = if uri.path().ends_with('/') {
        "info.json".to_owned()
    } else {
        format!("{id}/info.json")
    };
    let mut r = StatusCode::SEE_OTHER.into_response();
    let h = r.headers_mut();
    cors(h);
    if let Ok(v) = HeaderValue::from_str(&location) {
        h.insert(header::LOCATION, v);
    }
    r
}

/// JSON-LD unless the client asks for plain JSON only (§5.1).
fn info_content_type(headers: &HeaderMap) -> HeaderValue {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.contains("application/json") && !accept.contains("application/ld+json") {
        HeaderValue::from_static("application/json")
    } else {
        HeaderValue::from_static(
            "application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\"",
        )
    }
}

/// `Link: <…level2.json>;rel="profile"` (§6), on info and images.
fn profile_link() -> String {
    format!("<{PROFILE_URI}>;rel=\"profile\"")
}

/// True when `If-None-Match` names `etag` (or `*`).
fn revalidated(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

/// `info.json`.
#[tracing::instrument(skip_all)]
async fn info(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let Ok(Path(id)) = id else {
        return Err(Failure::NotFound);
    };
    let sha = public_image(&state, &id).await?;
    let (width, height) = state.iiif.size(&sha).await?;
    let service = format!("{}/iiif/3/{sha}", state.config.public_url);
    let doc = info::info_json(&service, width, height, state.iiif.limits());
    let body = serde_json::to_vec(&doc).unwrap_or_default();
    // The document follows from the image and the settings; its hash names this version.
    let etag = format!("\"info-{}\"", &Sha256Hex::of(&body).as_str()[..20]);
    let content_type = info_content_type(&headers);
    let mut r = if revalidated(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Response::new(Body::from(body))
    };
    let h = r.headers_mut();
    cors(h);
    h.insert(header::CONTENT_TYPE, content_type);
    if let Ok(v) = HeaderValue::from_str(&profile_link()) {
        h.insert(header::LINK, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    // A day, not forever: the limits (and so the document) follow the settings.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(r)
}

/// `{id}/{region}/{size}/{rotation}/{quality}.{format}`, percent-decoded.
type ImagePath = (String, String, String, String, String);

/// An image: `{region}/{size}/{rotation}/{quality}.{format}`.
#[tracing::instrument(skip_all)]
async fn image(
    State(state): State<AppState>,
    params: Result<Path<ImagePath>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let Ok(Path((id, region, size, rotation, quality_format))) = params else {
        // Percent-encoding that is not UTF-8: not a request we can read.
        return Err(Failure::Request(RequestError::Malformed {
            part: crate::iiif::request::Part::Region,
            value: String::new(),
            why: "the path is not valid UTF-8",
        }));
    };
    let sha = public_image(&state, &id).await?;
    let request = ImageRequest::parse(&region, &size, &rotation, &quality_format)?;
    let (width, height) = state.iiif.size(&sha).await?;
    let resolved = request.resolve(width, height, state.iiif.limits())?;
    let canonical = resolved.canonical(width, height);
    let etag = format!("\"{sha}/{canonical}\"");
    let mut r = if revalidated(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let bytes = state.iiif.image(&sha, &resolved).await?;
        let mut r = Response::new(Body::from(bytes));
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(resolved.format.mime()),
        );
        r
    };
    let h = r.headers_mut();
    cors(h);
    let canonical_link = format!(
        "<{}/iiif/3/{sha}/{canonical}>;rel=\"canonical\"",
        state.config.public_url
    );
    let links = format!("{}, {canonical_link}", profile_link());
    if let Ok(v) = HeaderValue::from_str(&links) {
        h.insert(header::LINK, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_is_json_ld_unless_plain_json_is_asked_for() {
        let with = |accept: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT, HeaderValue::from_str(accept).unwrap());
            info_content_type(&h)
        };
        assert!(
            info_content_type(&HeaderMap::new())
                .to_str()
                .unwrap()
                .starts_with("application/ld+json;profile=")
        );
        assert!(
            with("*/*")
                .to_str()
                .unwrap()
                .starts_with("application/ld+json")
        );
        assert!(
            with("application/ld+json")
                .to_str()
                .unwrap()
                .starts_with("application/ld+json")
        );
        assert_eq!(with("application/json"), "application/json");
        assert!(
            with("application/ld+json, application/json;q=0.5")
                .to_str()
                .unwrap()
                .starts_with("application/ld+json")
        );
        assert_eq!(
            profile_link(),
            "<http://iiif.io/api/image/3/level2.json>;rel=\"profile\""
        );
    }
}
