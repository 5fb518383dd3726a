//! `/media/{sha256}/{variant}`: originals and image derivatives of public media. URLs are
//! content addresses, so responses are immutable and cached for a year. Types come from
//! the database (sniffed at ingest), never from the request.

use crate::app::AppState;
use crate::catalogue::types::MediaKind;
use crate::error::AppError;
use crate::media::Variant;
use crate::repo::Visibility;
use crate::store::{BlobKey, Sha256Hex};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The media routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/media/{sha256}/{variant}", get(show))
}

#[tracing::instrument(skip_all, fields(%sha256, %variant))]
async fn show(
    State(state): State<AppState>,
    Path((sha256, variant)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let sha = Sha256Hex::parse(&sha256).ok_or(AppError::NotFound)?;
    let media = state
        .catalogue
        .media_by_sha256(sha.as_str(), Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    let etag = format!("\"{sha}-{variant}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let (bytes, mime) = if variant == "original" {
        let bytes = state.blobs.read(&BlobKey::Original(sha.clone())).await?;
        (bytes, media.mime)
    } else {
        let v = Variant::from_name(&variant).ok_or(AppError::NotFound)?;
        if media.kind != MediaKind::Image {
            return Err(AppError::NotFound);
        }
        (
            state.derivatives.get(&sha, v).await?,
            v.format().mime().to_owned(),
        )
    };
    let Some(bytes) = bytes else {
        tracing::error!("media record without its file");
        return Err(AppError::NotFound);
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&mime).map_err(|e| AppError::Internal(e.into()))?,
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
            (
                header::ETAG,
                HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(e.into()))?,
            ),
            // Never let a browser run an uploaded file as a page.
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            ),
        ],
        bytes,
    )
        .into_response())
}
