//! tus 1.0: resumable uploads that survive broken connections and server restarts.
//! <https://tus.io/protocols/resumable-upload> — core protocol, `creation`, `termination`.
// Refusals here are whole responses (they carry tus headers such as `Upload-Offset`).
#![allow(clippy::result_large_err)]

use super::{check_csrf, discard, editable_item, item_fields, refusal, zip_refusal};
use crate::app::AppState;
use crate::catalogue::csv_import::media_zip::{MAX_ZIP_BYTES, looks_like_zip};
use crate::catalogue::model::{MediaFields, NewMedia};
use crate::catalogue::types::MediaKind;
use crate::error::AppError;
use crate::media::ingest::{IngestError, clean_file_name, sniff_allowed};
use crate::media::staging::AppendError;
use crate::media::uploads::{Upload, UploadFields};
use crate::web::session::ApiUser;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::Utc;
use std::sync::Mutex;

const VERSION: &str = "1.0.0";

/// Headers every tus response carries.
fn tus_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert("tus-resumable", HeaderValue::from_static(VERSION));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Refuses requests that do not speak our tus version.
fn check_version(headers: &HeaderMap) -> Result<(), Response> {
    match headers.get("tus-resumable").and_then(|v| v.to_str().ok()) {
        Some(VERSION) => Ok(()),
        _ => {
            let mut r = (
                StatusCode::PRECONDITION_FAILED,
                "this server speaks tus 1.0.0",
            )
                .into_response();
            r.headers_mut()
                .insert("tus-version", HeaderValue::from_static(VERSION));
            Err(tus_headers(r))
        }
    }
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// `Upload-Metadata`: comma-separated `key base64(value)` pairs.
fn metadata(headers: &HeaderMap) -> Result<Vec<(String, String)>, AppError> {
    let Some(raw) = headers.get("upload-metadata") else {
        return Ok(Vec::new());
    };
    let raw = raw
        .to_str()
        .map_err(|_| AppError::bad_param("Upload-Metadata", "…", None))?;
    raw.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| {
            let mut it = pair.trim().splitn(2, ' ');
            let key = it.next().unwrap_or("").to_owned();
            let value = match it.next() {
                Some(v) => base64::engine::general_purpose::STANDARD
                    .decode(v.trim())
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .ok_or_else(|| {
                        AppError::bad_param(
                            "Upload-Metadata",
                            &key,
                            Some("base64 of UTF-8 text".into()),
                        )
                    })?,
                None => String::new(),
            };
            Ok((key, value))
        })
        .collect()
}

/// `OPTIONS /api/v1/uploads`: what this server supports.
pub async fn options(State(state): State<AppState>) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    h.insert("tus-version", HeaderValue::from_static(VERSION));
    h.insert(
        "tus-extension",
        HeaderValue::from_static("creation,termination"),
    );
    h.insert(
        "tus-max-size",
        HeaderValue::from(state.ingest.limits.largest()),
    );
    tus_headers(r)
}

/// `POST /api/v1/uploads`: starts an upload for an item (`Upload-Metadata: item …`).
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(auth): ApiUser,
    headers: HeaderMap,
) -> Result<Response, Response> {
    check_version(&headers)?;
    let inner = async {
        check_csrf(&auth, &headers)?;
        let Some(length) = header_u64(&headers, "upload-length") else {
            return Err(AppError::bad_param(
                "Upload-Length",
                "missing",
                Some("the file size in bytes".into()),
            ));
        };
        let meta = metadata(&headers)?;
        let get = |k: &str| {
            meta.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        let file_name = match clean_file_name(get("filename").or(get("name")).unwrap_or("")) {
            Ok(name) => name,
            Err(e) => return Ok(refusal(e)),
        };
        let (item_id, fields) = if get("purpose") == Some("import") {
            // A bulk import's media zip: kept until the import's dry run takes it.
            crate::web::admin::require_editor(&auth)?;
            if length > MAX_ZIP_BYTES {
                return Ok(zip_refusal(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    format!("the zip is larger than {} MB", MAX_ZIP_BYTES >> 20),
                ));
            }
            (None, UploadFields::default())
        } else {
            let max = state.ingest.limits.largest();
            if length > max {
                return Ok(refusal(IngestError::TooLarge {
                    kind: MediaKind::Video,
                    limit: max,
                }));
            }
            let item = editable_item(&state, &auth, get("item").unwrap_or("")).await?;
            (Some(item.id), item_fields(&item, &get)?)
        };
        let id = crate::accounts::secret::random_token();
        state.ingest.staging.create(&id).await?;
        let now = Utc::now();
        state
            .uploads
            .create_upload(&Upload {
                id: id.clone(),
                user_id: auth.user.id,
                item_id,
                file_name,
                length,
                received: 0,
                fields,
                created_at: now,
                updated_at: now,
            })
            .await?;
        let mut r = StatusCode::CREATED.into_response();
        r.headers_mut().insert(
            header::LOCATION,
            HeaderValue::from_str(&format!("/api/v1/uploads/{id}")).expect("base64url ids"),
        );
        Ok(r)
    };
    inner
        .await
        .map(tus_headers)
        .map_err(|e| tus_headers(e.into_response()))
}

/// The upload `id` if it exists and belongs to this user (others see 404).
async fn own_upload(state: &AppState, user: i64, id: &str) -> Result<Upload, AppError> {
    let valid = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return Err(AppError::NotFound);
    }
    match state.uploads.upload(id).await? {
        Some(u) if u.user_id == user => Ok(u),
        _ => Err(AppError::NotFound),
    }
}

/// 404 for an upload whose bytes so far are staged on another server (or were lost with
/// it): tus clients then start the upload again, here.
fn elsewhere() -> Response {
    (
        StatusCode::NOT_FOUND,
        "the bytes of this upload are on another server; start the upload again",
    )
        .into_response()
}

/// `HEAD /api/v1/uploads/{id}`: how much has arrived.
pub async fn head(
    State(state): State<AppState>,
    ApiUser(auth): ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = check_version(&headers) {
        return r;
    }
    match own_upload(&state, auth.user.id, &id).await {
        // A complete import zip waits in the media store, not here.
        Ok(u)
            if u.received > 0
                && u.received < u.length
                && !state.ingest.staging.holds(&id).await =>
        {
            tus_headers(elsewhere())
        }
        Ok(u) => {
            let mut r = StatusCode::OK.into_response();
            r.headers_mut()
                .insert("upload-offset", HeaderValue::from(u.received));
            r.headers_mut()
                .insert("upload-length", HeaderValue::from(u.length));
            tus_headers(r)
        }
        Err(e) => tus_headers(e.into_response()),
    }
}

/// `PATCH /api/v1/uploads/{id}`: appends bytes at `Upload-Offset`. When the last byte
/// arrives, the file is checked and becomes a media file of the item.
#[tracing::instrument(skip_all, fields(%id))]
pub async fn patch(
    State(state): State<AppState>,
    ApiUser(auth): ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(r) = check_version(&headers) {
        return r;
    }
    tus_headers(
        match patch_inner(&state, &auth, &id, &headers, body).await {
            Ok(r) => r,
            Err(r) => r,
        },
    )
}

async fn patch_inner(
    state: &AppState,
    auth: &crate::accounts::Authenticated,
    id: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, Response> {
    let fail = |e: AppError| e.into_response();
    check_csrf(auth, headers).map_err(fail)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if content_type != Some("application/offset+octet-stream") {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/offset+octet-stream",
        )
            .into_response());
    }
    let upload = own_upload(state, auth.user.id, id).await.map_err(fail)?;
    let Some(offset) = header_u64(headers, "upload-offset") else {
        return Err(fail(AppError::bad_param("Upload-Offset", "missing", None)));
    };
    if offset != upload.received {
        let mut r = (
            StatusCode::CONFLICT,
            format!("the upload is at offset {}", upload.received),
        )
            .into_response();
        r.headers_mut()
            .insert("upload-offset", HeaderValue::from(upload.received));
        return Err(r);
    }
    if offset > 0 && !state.ingest.staging.holds(id).await {
        return Err(elsewhere());
    }
    // The first bytes decide the type; a refused type (or a size its kind does not allow)
    // stops the request at once.
    let refused: Mutex<Option<IngestError>> = Mutex::new(None);
    let not_zip = Mutex::new(false);
    let limits = state.ingest.limits.clone();
    let for_import = upload.item_id.is_none();
    let gate = |head: &[u8]| -> Result<(), String> {
        if for_import {
            return if looks_like_zip(head) {
                Ok(())
            } else {
                *not_zip.lock().expect("not poisoned") = true;
                Err("not a zip".into())
            };
        }
        let verdict = match sniff_allowed(head) {
            Ok(s) if upload.length > limits.bytes_for(s.kind) => Err(IngestError::TooLarge {
                kind: s.kind,
                limit: limits.bytes_for(s.kind),
            }),
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        };
        verdict.map_err(|e| {
            let message = e.to_string();
            *refused.lock().expect("not poisoned") = Some(e);
            message
        })
    };
    let appended = state
        .ingest
        .staging
        .append(id, offset, upload.length, body.into_data_stream(), &gate)
        .await;
    let received = match appended {
        Ok(n) => n,
        Err(AppendError::Refused(_)) => {
            discard(state, id).await;
            if *not_zip.lock().expect("not poisoned") {
                return Err(zip_refusal(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_type",
                    "the file is not a zip archive".into(),
                ));
            }
            let e = refused
                .lock()
                .expect("not poisoned")
                .take()
                .unwrap_or(IngestError::Empty);
            return Err(refusal(e));
        }
        Err(AppendError::Kept { error, length }) => {
            state
                .uploads
                .set_upload_received(id, length, Utc::now())
                .await
                .map_err(|e| fail(e.into()))?;
            tracing::info!(id, length, %error, "upload interrupted; it can resume");
            let status = if matches!(*error, AppendError::TooLong) {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            let mut r = (status, error.to_string()).into_response();
            r.headers_mut()
                .insert("upload-offset", HeaderValue::from(length));
            return Err(r);
        }
        Err(AppendError::OffsetMismatch { expected }) => {
            state
                .uploads
                .set_upload_received(id, expected, Utc::now())
                .await
                .map_err(|e| fail(e.into()))?;
            let mut r = (
                StatusCode::CONFLICT,
                format!("the upload is at offset {expected}"),
            )
                .into_response();
            r.headers_mut()
                .insert("upload-offset", HeaderValue::from(expected));
            return Err(r);
        }
        Err(other) => return Err(fail(AppError::Internal(anyhow::anyhow!("{other}")))),
    };
    state
        .uploads
        .set_upload_received(id, received, Utc::now())
        .await
        .map_err(|e| fail(e.into()))?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    match upload.item_id {
        _ if received < upload.length => {}
        Some(item_id) => {
            let media_id = finish(state, auth, &upload, item_id).await?;
            response
                .headers_mut()
                .insert("edubase-media-id", HeaderValue::from(media_id));
        }
        // A complete import zip waits in the media store, where the dry run finds it on
        // whichever server it runs.
        None => super::keep_import_zip(state, id).await.map_err(fail)?,
    }
    response
        .headers_mut()
        .insert("upload-offset", HeaderValue::from(received));
    Ok(response)
}

/// Checks the complete file, stores it, and attaches it to the item.
async fn finish(
    state: &AppState,
    auth: &crate::accounts::Authenticated,
    upload: &Upload,
    item_id: crate::catalogue::model::ItemId,
) -> Result<i64, Response> {
    let t0 = std::time::Instant::now();
    let accepted = match state.ingest.accept(&upload.id, upload.length).await {
        Ok(a) => a,
        Err(e) => {
            state.uploads.delete_upload(&upload.id).await.ok();
            return Err(refusal(e));
        }
    };
    let fields = MediaFields {
        original_name: upload.file_name.clone(),
        alt: upload.fields.alt.clone(),
        caption: upload.fields.caption.clone(),
        credit: upload.fields.credit.clone(),
        rights: upload.fields.rights.clone().unwrap_or_default(),
        source: None,
    };
    let sha = accepted.file.sha256.clone();
    let is_image = accepted.file.kind == MediaKind::Image;
    let media_id = state
        .editor
        .add_media(
            item_id,
            &NewMedia {
                file: accepted.file,
                fields,
            },
            &auth.actor(),
        )
        .await
        .map_err(|e| AppError::from(e).into_response())?;
    state
        .uploads
        .delete_upload(&upload.id)
        .await
        .map_err(|e| AppError::from(e).into_response())?;
    if is_image {
        state
            .queue_derivatives(&sha)
            .await
            .map_err(|e| AppError::Internal(e).into_response())?;
    }
    tracing::info!(media = media_id, %sha, accept_ms = t0.elapsed().as_millis() as u64, "upload stored");
    Ok(media_id)
}

/// `DELETE /api/v1/uploads/{id}`: abandons an upload (termination extension).
pub async fn delete(
    State(state): State<AppState>,
    ApiUser(auth): ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = check_version(&headers) {
        return r;
    }
    let result = async {
        check_csrf(&auth, &headers)?;
        own_upload(&state, auth.user.id, &id).await?;
        discard(&state, &id).await;
        Ok::<_, AppError>(StatusCode::NO_CONTENT.into_response())
    }
    .await;
    tus_headers(result.unwrap_or_else(|e| e.into_response()))
}
