//! The media of an item in the admin: uploading without JavaScript, describing each file
//! (alt text and caption per language, credit, rights), reordering, replacing, removing,
//! WebVTT tracks, and previews of files the public cannot see yet.

use super::items::editable;
use crate::app::AppState;
use crate::catalogue::editor::Move;
use crate::catalogue::model::{Item, Media, MediaFields, MediaTrack, NewMedia, TrackKind};
use crate::catalogue::rights::check_rights_uri;
use crate::catalogue::types::MediaKind;
use crate::error::AppError;
use crate::i18n::{Lang, LocalizedText};
use crate::media::Variant;
use crate::media::ingest::{Fits, IngestError, anywhere};
use crate::media::vtt;
use crate::repo::{AuditEntry, Visibility};
use crate::store::{BlobKey, Sha256Hex};
use crate::web::session::{SignedIn, require_csrf};
use crate::web::uploads::multipart::stage_field;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use std::collections::HashMap;

/// The media routes of the admin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/items/{slug}/media", post(upload))
        .route("/admin/items/{slug}/media/{id}", post(describe))
        .route("/admin/items/{slug}/media/{id}/move", post(move_media))
        .route("/admin/items/{slug}/media/{id}/remove", post(remove))
        .route("/admin/items/{slug}/media/{id}/replace", post(replace))
        .route("/admin/items/{slug}/media/{id}/track", post(track))
        .route("/admin/preview/{sha256}/{variant}", get(preview))
        // Files arrive here without JavaScript; the staging checks bound their size.
        .layer(DefaultBodyLimit::disable())
}

/// The media file `id` of `item` (404 when it belongs to another item or is gone).
fn media_of(item: &Item, id: i64) -> Result<&Media, AppError> {
    item.media
        .iter()
        .find(|m| m.id == id)
        .ok_or(AppError::NotFound)
}

/// Back to the item's media panel, with a notice or an error message.
fn back(slug: &str, anchor: &str, error: Option<String>) -> Response {
    let url = match error {
        None => format!("/admin/items/{slug}?media=1#{anchor}"),
        Some(message) => {
            let m: String = form_urlencoded::byte_serialize(message.as_bytes()).collect();
            format!("/admin/items/{slug}?media_error={m}#{anchor}")
        }
    };
    Redirect::to(&url).into_response()
}

/// A multipart form's text fields and its file fields, staged and checked. A file that
/// comes when `wanted` says the text fields before it are not enough is skipped unread,
/// so a form refused for its texts stores nothing; a file that does not `fit` is refused
/// before it is stored.
pub(super) async fn read_form(
    state: &AppState,
    auth: &crate::accounts::Authenticated,
    form: &mut Multipart,
    wanted: &(dyn Fn(&HashMap<String, String>) -> bool + Sync),
    fits: Fits<'_>,
) -> Result<
    (
        HashMap<String, String>,
        Vec<Result<(String, crate::media::ingest::Accepted), IngestError>>,
    ),
    AppError,
> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::bad_param("body", &e.to_string(), None)
    };
    let mut text = HashMap::new();
    let mut files = Vec::new();
    let mut csrf_ok = false;
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            if !csrf_ok {
                require_csrf(auth, None)?;
            }
            if field.file_name().is_none_or(str::is_empty) || !wanted(&text) {
                continue; // an empty file input, or one the form's texts already refuse
            }
            files.push(stage_field(state, field, fits).await);
        } else {
            let value = field.text().await.map_err(bad)?;
            if name == "_csrf" {
                require_csrf(auth, Some(&value))?;
                csrf_ok = true;
            } else {
                text.insert(name, value.chars().take(10_000).collect());
            }
        }
    }
    if !csrf_ok {
        require_csrf(auth, None)?;
    }
    Ok((text, files))
}

async fn upload(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let item = editable(&state, &auth, &slug).await?;
    let (_, files) = read_form(&state, &auth, &mut form, &|_| true, &anywhere).await?;
    let mut errors = Vec::new();
    for file in files {
        match file {
            Ok((name, accepted)) => {
                let is_image = accepted.file.kind == MediaKind::Image;
                let sha = accepted.file.sha256.clone();
                let fields = MediaFields {
                    original_name: name,
                    alt: LocalizedText::default(),
                    caption: LocalizedText::default(),
                    credit: String::new(),
                    rights: item.fields.rights.clone(),
                    source: None,
                };
                state
                    .editor
                    .add_media(
                        item.id,
                        &NewMedia {
                            file: accepted.file,
                            fields,
                        },
                        &auth.actor(),
                    )
                    .await?;
                if is_image {
                    state.queue_derivatives(&sha).await?;
                }
            }
            Err(refused) => errors.push(refused.to_string()),
        }
    }
    Ok(back(
        &slug,
        "media",
        (!errors.is_empty()).then(|| errors.join("; ")),
    ))
}

#[derive(Deserialize)]
pub struct Describe {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    alt_zh: String,
    #[serde(default)]
    alt_mn: String,
    #[serde(default)]
    alt_en: String,
    #[serde(default)]
    caption_zh: String,
    #[serde(default)]
    caption_mn: String,
    #[serde(default)]
    caption_en: String,
    #[serde(default)]
    credit: String,
    #[serde(default)]
    rights: String,
}

async fn describe(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<Describe>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&f.csrf))?;
    let item = editable(&state, &auth, &slug).await?;
    let media = media_of(&item, id)?;
    let anchor = format!("media-{id}");
    if check_rights_uri(f.rights.trim()).is_err() {
        return Ok(back(
            &slug,
            &anchor,
            Some(format!("{:?} is not a rights URI", f.rights)),
        ));
    }
    let some = |s: String| Some(s.chars().take(2000).collect::<String>());
    let fields = MediaFields {
        original_name: media.fields.original_name.clone(),
        alt: LocalizedText::new(some(f.alt_zh), some(f.alt_mn), some(f.alt_en)),
        caption: LocalizedText::new(some(f.caption_zh), some(f.caption_mn), some(f.caption_en)),
        credit: f.credit.trim().chars().take(200).collect(),
        rights: f.rights.trim().to_owned(),
        source: media.fields.source.clone(),
    };
    state
        .editor
        .update_media(item.id, id, &fields, &auth.actor())
        .await?;
    Ok(back(&slug, &anchor, None))
}

#[derive(Deserialize)]
pub struct MoveSubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    to: String,
}

async fn move_media(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<MoveSubmit>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&f.csrf))?;
    let item = editable(&state, &auth, &slug).await?;
    media_of(&item, id)?;
    let to = match f.to.as_str() {
        "up" => Move::Up,
        "down" => Move::Down,
        other => return Err(AppError::bad_param("to", other, Some("up, down".into()))),
    };
    state
        .editor
        .move_media(item.id, id, to, &auth.actor())
        .await?;
    Ok(back(&slug, &format!("media-{id}"), None))
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

async fn remove(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&f.csrf))?;
    let item = editable(&state, &auth, &slug).await?;
    media_of(&item, id)?;
    state
        .editor
        .remove_media(item.id, id, &auth.actor())
        .await?;
    Ok(back(&slug, "media", None))
}

async fn replace(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((slug, id)): Path<(String, i64)>,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let item = editable(&state, &auth, &slug).await?;
    media_of(&item, id)?;
    let (_, mut files) = read_form(&state, &auth, &mut form, &|_| true, &anywhere).await?;
    let anchor = format!("media-{id}");
    match files.pop() {
        Some(Ok((_, accepted))) => {
            let is_image = accepted.file.kind == MediaKind::Image;
            let sha = accepted.file.sha256.clone();
            state
                .editor
                .replace_media_file(item.id, id, &accepted.file, &auth.actor())
                .await?;
            if is_image {
                state.queue_derivatives(&sha).await?;
            }
            Ok(back(&slug, &anchor, None))
        }
        Some(Err(refused)) => Ok(back(&slug, &anchor, Some(refused.to_string()))),
        None => Ok(back(&slug, &anchor, Some("choose a file first".into()))),
    }
}

async fn track(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((slug, id)): Path<(String, i64)>,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let item = editable(&state, &auth, &slug).await?;
    media_of(&item, id)?;
    let anchor = format!("media-{id}");
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::bad_param("body", &e.to_string(), None)
    };
    let (mut lang, mut kind, mut vtt_bytes, mut csrf_ok) = (None, TrackKind::Captions, None, false);
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "_csrf" => {
                let v = field.text().await.map_err(bad)?;
                require_csrf(&auth, Some(&v))?;
                csrf_ok = true;
            }
            "lang" => lang = field.text().await.map_err(bad)?.parse::<Lang>().ok(),
            "kind" => {
                kind = TrackKind::parse(&field.text().await.map_err(bad)?)
                    .unwrap_or(TrackKind::Captions)
            }
            "file" => {
                let bytes = field.bytes().await.map_err(bad)?;
                if bytes.len() > vtt::MAX_VTT_BYTES {
                    return Ok(back(
                        &slug,
                        &anchor,
                        Some("the track is larger than 2 MB".into()),
                    ));
                }
                vtt_bytes = Some(bytes);
            }
            _ => {}
        }
    }
    if !csrf_ok {
        require_csrf(&auth, None)?;
    }
    let (Some(lang), Some(bytes)) = (lang, vtt_bytes) else {
        return Ok(back(
            &slug,
            &anchor,
            Some("choose a language and a WebVTT file".into()),
        ));
    };
    if let Err(message) = vtt::parse(&bytes) {
        return Ok(back(&slug, &anchor, Some(message)));
    }
    let track = MediaTrack {
        lang,
        kind,
        vtt: String::from_utf8_lossy(&bytes).into_owned(),
    };
    let audit = AuditEntry {
        actor: Some(auth.user.id),
        actor_name: auth.user.username.to_string(),
        action: "media.track.set".into(),
        entity: "item".into(),
        entity_id: slug.clone(),
        before: None,
        after: Some(
            serde_json::json!({"media": id, "lang": lang, "kind": kind.code()}).to_string(),
        ),
    };
    state.catalogue.set_media_track(id, &track, &audit).await?;
    Ok(back(&slug, &anchor, None))
}

/// `/admin/preview/{sha256}/{variant}`: media of items the public cannot see yet, for
/// signed-in curators; never cached by shared caches.
async fn preview(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((sha, variant)): Path<(String, String)>,
) -> Result<Response, AppError> {
    super::require_editor(&auth)?;
    let sha = Sha256Hex::parse(&sha).ok_or(AppError::NotFound)?;
    let media = state
        .catalogue
        .media_by_sha256(sha.as_str(), Visibility::All)
        .await?
        .ok_or(AppError::NotFound)?;
    let (bytes, mime) = if variant == "original" {
        (
            state.blobs.read(&BlobKey::Original(sha.clone())).await?,
            media.mime.clone(),
        )
    } else {
        let v = Variant::from_name(&variant).ok_or(AppError::NotFound)?;
        if media.kind != MediaKind::Image {
            return Err(AppError::NotFound);
        }
        (state.derivatives.get(&sha, v).await?, v.mime().to_owned())
    };
    let bytes = bytes.ok_or(AppError::NotFound)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&mime).map_err(|e| AppError::Internal(e.into()))?,
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=600"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            ),
        ],
        bytes,
    )
        .into_response())
}
