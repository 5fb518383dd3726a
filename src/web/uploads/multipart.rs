//! `POST /api/v1/items/{slug}/media`: plain multipart upload of one or more small files
//! (the resumable tus endpoint is for anything large or on a weak network).

use super::{editable_item, refusal};
use crate::app::AppState;
use crate::catalogue::model::{MediaFields, NewMedia};
use crate::catalogue::types::MediaKind;
use crate::error::AppError;
use crate::i18n::LocalizedText;
use crate::media::ingest::{Accepted, Fits, IngestError, anywhere, clean_file_name, gate};
use crate::media::staging::AppendError;
use crate::web::session::{ApiUser, require_csrf};
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Files larger than this go through the resumable endpoint.
pub const MULTIPART_MAX_BYTES: u64 = 256 << 20;

fn bad_form(e: impl std::fmt::Display) -> AppError {
    AppError::bad_param(
        "body",
        &e.to_string(),
        Some("multipart/form-data with a \"file\" field".into()),
    )
}

#[tracing::instrument(skip_all, fields(%slug))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(auth): ApiUser,
    Path(slug): Path<String>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let item = editable_item(&state, &auth, &slug).await?;
    let mut csrf_ok = super::csrf_header(&headers).is_some_and(|t| auth.csrf_ok(t));
    let mut text = std::collections::HashMap::<String, String>::new();
    let mut stored = Vec::new();
    while let Some(field) = form.next_field().await.map_err(bad_form)? {
        let name = field.name().unwrap_or("").to_owned();
        if name != "file" {
            let value = field.text().await.map_err(bad_form)?;
            if name == "_csrf" {
                require_csrf(&auth, Some(&value))?;
                csrf_ok = true;
            } else {
                text.insert(name, value.chars().take(2000).collect());
            }
            continue;
        }
        if !csrf_ok {
            require_csrf(&auth, None)?;
        }
        let (file_name, accepted) = match stage_field(&state, field, &anywhere).await {
            Ok(ok) => ok,
            Err(e) => return Ok(partial(refusal(e), &stored)),
        };
        let get = |k: &str| text.get(k).cloned();
        let fields = MediaFields {
            original_name: file_name.clone(),
            alt: LocalizedText::new(get("alt_zh"), get("alt_mn"), get("alt_en")),
            caption: LocalizedText::new(get("caption_zh"), get("caption_mn"), get("caption_en")),
            credit: get("credit").unwrap_or_default(),
            rights: get("rights")
                .filter(|r| crate::catalogue::rights::check_rights_uri(r).is_ok())
                .unwrap_or_else(|| item.fields.rights.clone()),
            source: None,
        };
        let file = accepted.file;
        let (sha, kind, mime, bytes, width, height, duration) = (
            file.sha256.clone(),
            file.kind,
            file.mime.clone(),
            file.bytes,
            file.width,
            file.height,
            file.duration_ms,
        );
        let media_id = state
            .editor
            .add_media(item.id, &NewMedia { file, fields }, &auth.actor())
            .await?;
        if kind == MediaKind::Image {
            state.queue_derivatives(&sha).await?;
        }
        stored.push(json!({
            "id": media_id, "sha256": sha, "kind": kind.code(), "mime": mime, "bytes": bytes,
            "width": width, "height": height, "duration_ms": duration, "file": file_name,
            "url": format!("/media/{sha}/original"),
        }));
    }
    if stored.is_empty() {
        return Err(bad_form("no file was sent"));
    }
    Ok((StatusCode::CREATED, Json(json!({ "media": stored }))).into_response())
}

/// Receives one multipart file field through staging and the ingest checks: its cleaned
/// name and the stored file, if it `fits`. On refusal nothing is kept.
pub async fn stage_field(
    state: &AppState,
    field: axum::extract::multipart::Field<'_>,
    fits: Fits<'_>,
) -> Result<(String, Accepted), IngestError> {
    let file_name = clean_file_name(field.file_name().unwrap_or(""))?;
    let id = crate::accounts::secret::random_token();
    state.ingest.staging.create(&id).await?;
    let appended = state
        .ingest
        .staging
        .append(&id, 0, MULTIPART_MAX_BYTES, Box::pin(field), &gate)
        .await;
    let length = match appended {
        Ok(n) => n,
        Err(e) => {
            state.ingest.staging.remove(&id).await;
            return Err(match e {
                AppendError::Refused(detected) => IngestError::Unsupported { detected },
                AppendError::Kept { error, .. } if matches!(*error, AppendError::TooLong) => {
                    IngestError::TooLargeForForm {
                        limit: MULTIPART_MAX_BYTES,
                    }
                }
                other => IngestError::Io(anyhow::anyhow!("{other}")),
            });
        }
    };
    let accepted = state.ingest.accept_fitting(&id, length, fits).await?;
    Ok((file_name, accepted))
}

/// A refusal that also lists the files of the same request that were stored before it.
fn partial(refused: Response, stored: &[serde_json::Value]) -> Response {
    if stored.is_empty() {
        return refused;
    }
    let (mut parts, body) = refused.into_parts();
    parts
        .headers
        .insert("edubase-stored-files", stored.len().into());
    Response::from_parts(parts, body)
}
