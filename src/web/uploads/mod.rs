//! Uploads, for signed-in curators: resumable uploads (tus 1.0 core, creation and
//! termination), plain multipart for small files, and WebVTT tracks. Every request carries
//! the session's CSRF token in `X-CSRF-Token` (or a `_csrf` form field).

pub mod multipart;
mod tracks;
mod tus;

use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::model::Item;
use crate::catalogue::types::Slug;
use crate::error::AppError;
use crate::media::ingest::IngestError;
use crate::media::uploads::UploadFields;
use crate::repo::Visibility;
use crate::web::session::require_csrf;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{options, post, put};

/// The upload routes. They are not subject to the request timeout: a large file on a
/// county network takes as long as it takes, and tus makes it resumable anyway.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/uploads", options(tus::options).post(tus::create))
        .route(
            "/api/v1/uploads/{id}",
            axum::routing::head(tus::head)
                .patch(tus::patch)
                .delete(tus::delete),
        )
        .route("/api/v1/items/{slug}/media", post(multipart::create))
        .route(
            "/api/v1/media/{id}/tracks/{lang}/{kind}",
            put(tracks::put).delete(tracks::delete),
        )
        .layer(DefaultBodyLimit::disable())
}

/// The CSRF token from the `X-CSRF-Token` header.
fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-csrf-token").and_then(|v| v.to_str().ok())
}

/// Checks the CSRF header.
fn check_csrf(auth: &Authenticated, headers: &HeaderMap) -> Result<(), AppError> {
    require_csrf(auth, csrf_header(headers))
}

/// The item (any status) a signed-in user may add media to, or why not.
async fn editable_item(
    state: &AppState,
    auth: &Authenticated,
    slug: &str,
) -> Result<Item, AppError> {
    let slug = Slug::parse(slug).map_err(|_| AppError::bad_param("item", slug, None))?;
    let item = state
        .catalogue
        .item(&slug, Visibility::All)
        .await?
        .ok_or_else(|| AppError::bad_param("item", slug.as_str(), None))?;
    if !auth.user.can_edit_base(&item.base.slug) {
        return Err(AppError::Forbidden(format!(
            "you may not change items of the base {}",
            item.base.slug
        )));
    }
    Ok(item)
}

/// A refused file as an HTTP answer: the status the tus and HTTP specs use, and a message.
fn refusal(e: IngestError) -> Response {
    let status = match &e {
        IngestError::Empty
        | IngestError::TooManyPixels { .. }
        | IngestError::Damaged(_)
        | IngestError::Unfit(_) => StatusCode::UNPROCESSABLE_ENTITY,
        IngestError::Unsupported { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        IngestError::TooLarge { .. } | IngestError::TooLargeForForm { .. } => {
            StatusCode::PAYLOAD_TOO_LARGE
        }
        IngestError::BadName(_) => StatusCode::BAD_REQUEST,
        IngestError::Io(err) => {
            return AppError::Internal(anyhow::anyhow!("{err:#}")).into_response();
        }
    };
    let code = match &e {
        IngestError::Empty => "empty_file",
        IngestError::Unsupported { .. } => "unsupported_type",
        IngestError::TooLarge { .. } | IngestError::TooLargeForForm { .. } => "too_large",
        IngestError::TooManyPixels { .. } => "too_many_pixels",
        IngestError::Damaged(_) => "damaged_file",
        IngestError::BadName(_) => "bad_file_name",
        IngestError::Unfit(_) => "unsuitable_file",
        IngestError::Io(_) => "internal",
    };
    (
        status,
        axum::Json(serde_json::json!({"code": code, "message": e.to_string()})),
    )
        .into_response()
}

/// What the uploader said about a file of `item`, from the upload's metadata.
pub(super) fn item_fields<'a>(
    item: &crate::catalogue::model::Item,
    get: &impl Fn(&str) -> Option<&'a str>,
) -> Result<UploadFields, AppError> {
    let fields = UploadFields {
        alt: crate::i18n::LocalizedText::new(
            get("alt_zh").map(Into::into),
            get("alt_mn").map(Into::into),
            get("alt_en").map(Into::into),
        ),
        caption: crate::i18n::LocalizedText::new(
            get("caption_zh").map(Into::into),
            get("caption_mn").map(Into::into),
            get("caption_en").map(Into::into),
        ),
        credit: get("credit").unwrap_or("").chars().take(200).collect(),
        rights: get("rights").map(str::to_owned),
        item: item.fields.slug.to_string(),
    };
    if let Some(rights) = &fields.rights {
        crate::catalogue::rights::check_rights_uri(rights)
            .map_err(|e| AppError::bad_param("rights", rights, Some(e.0)))?;
    }
    Ok(UploadFields {
        rights: fields.rights.or_else(|| Some(item.fields.rights.clone())),
        ..fields
    })
}

/// A refused import zip, in the shape of [`refusal`].
pub(super) fn zip_refusal(status: StatusCode, code: &str, message: String) -> Response {
    (
        status,
        axum::Json(serde_json::json!({"code": code, "message": message})),
    )
        .into_response()
}

/// Forgets a resumable upload and its bytes, logging what could not be deleted (the
/// sweep deletes it later).
pub(crate) async fn discard(state: &AppState, id: &str) {
    if let Err(e) = state.discard_upload(id).await {
        tracing::warn!(error = %format!("{e:#}"), id, "could not delete an upload");
    }
}

/// Moves a complete import zip from this server's staging folder into the media store's
/// staging area, under its upload id, where a dry run on any server finds it. When the
/// store refuses (it is down), the bytes stay here and the next check tries again.
pub(crate) async fn keep_import_zip(state: &AppState, id: &str) -> Result<(), AppError> {
    let key = crate::store::BlobKey::staged(id).ok_or(AppError::NotFound)?;
    state
        .blobs
        .put_staged(&key, &state.ingest.staging.path(id))
        .await
        .map_err(AppError::Internal)?;
    state.ingest.staging.remove(id).await;
    Ok(())
}
