//! `PUT/DELETE /api/v1/media/{id}/tracks/{lang}/{kind}`: WebVTT captions (video) and
//! transcripts (audio) per language.

use super::check_csrf;
use crate::app::AppState;
use crate::catalogue::model::{MediaTrack, TrackKind};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::media::vtt;
use crate::repo::AuditEntry;
use crate::web::session::ApiUser;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

async fn target(
    state: &AppState,
    auth: &crate::accounts::Authenticated,
    id: &str,
    lang: &str,
    kind: &str,
) -> Result<(i64, crate::catalogue::repo::MediaOwner, Lang, TrackKind), AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let lang: Lang = lang
        .parse()
        .map_err(|_| AppError::bad_param("lang", lang, Some("zh, mn, en".into())))?;
    let kind = TrackKind::parse(kind).ok_or_else(|| {
        AppError::bad_param(
            "kind",
            kind,
            Some("captions, subtitles, descriptions".into()),
        )
    })?;
    let (owner, _) = state.catalogue.media(id).await?.ok_or(AppError::NotFound)?;
    if !auth.user.can_edit_base(&owner.base) {
        return Err(AppError::Forbidden(format!(
            "you may not change items of the base {}",
            owner.base
        )));
    }
    Ok((id, owner, lang, kind))
}

fn audit(
    auth: &crate::accounts::Authenticated,
    action: &str,
    item: &str,
    detail: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        actor: Some(auth.user.id),
        actor_name: auth.user.username.to_string(),
        action: action.into(),
        entity: "item".into(),
        entity_id: item.to_owned(),
        before: None,
        after: Some(detail.to_string()),
    }
}

#[tracing::instrument(skip_all, fields(%id, %lang, %kind))]
pub async fn put(
    State(state): State<AppState>,
    ApiUser(auth): ApiUser,
    Path((id, lang, kind)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    check_csrf(&auth, &headers)?;
    let (media, owner, lang, kind) = target(&state, &auth, &id, &lang, &kind).await?;
    let type_ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/vtt") || t.starts_with("text/plain"));
    if !type_ok {
        return Ok((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Json(json!({"code": "unsupported_type", "message": "send the track as text/vtt"})),
        )
            .into_response());
    }
    let cues = match vtt::parse(&body) {
        Ok(c) => c,
        Err(message) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({"code": "bad_webvtt", "message": message})),
            )
                .into_response());
        }
    };
    let text = String::from_utf8_lossy(&body).into_owned();
    let track = MediaTrack {
        lang,
        kind,
        vtt: text,
    };
    let entry = audit(
        &auth,
        "media.track.set",
        owner.item.as_str(),
        json!({"media": media, "lang": lang, "kind": kind.code()}),
    );
    state
        .catalogue
        .set_media_track(media, &track, &entry)
        .await?;
    Ok((
        StatusCode::OK,
        Json(json!({"media": media, "lang": lang, "kind": kind.code(), "cues": cues.len()})),
    )
        .into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    ApiUser(auth): ApiUser,
    Path((id, lang, kind)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    check_csrf(&auth, &headers)?;
    let (media, owner, lang, kind) = target(&state, &auth, &id, &lang, &kind).await?;
    let entry = audit(
        &auth,
        "media.track.delete",
        owner.item.as_str(),
        json!({"media": media, "lang": lang, "kind": kind.code()}),
    );
    if state
        .catalogue
        .delete_media_track(media, lang, kind, &entry)
        .await?
    {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(AppError::NotFound)
    }
}
