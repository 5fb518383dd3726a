//! Hall panoramas in the admin, for a base's administrators and curators: upload a
//! photograph of a hall (360° or wide), name and describe it; its edit page places
//! numbered markers at the items on show and doors to the base's other panoramas (the
//! forms are handled in `panorama_marks`).

use super::bases::editable;
use super::media::read_form;
use super::panorama_marks::{DoorForm, SpotForm};
use super::{AdminCtx, with_status};
use crate::app::AppState;
use crate::catalogue::model::Base;
use crate::catalogue::model::MediaFile;
use crate::catalogue::panorama::{NewPanorama, Panorama, PanoramaImage, PhotoRefused};
use crate::error::AppError;
use crate::i18n::LocalizedText;
use crate::media::ingest::IngestError;
use crate::repo::Visibility;
use crate::web::page::{PageCtx, render};
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use std::collections::HashMap;

/// The panorama routes of the admin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/bases/{slug}/panoramas",
            get(list).post(upload).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/admin/bases/{slug}/panoramas/{n}",
            get(show).post(describe),
        )
        .route("/admin/bases/{slug}/panoramas/{n}/remove", post(remove))
        .merge(super::panorama_marks::router())
}

#[derive(Template)]
#[template(path = "admin/panoramas.html")]
struct ListPage {
    ctx: PageCtx,
    admin: AdminCtx,
    base: Base,
    panoramas: Vec<Panorama>,
    error: Option<String>,
    notice: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    params: crate::web::params::Params,
) -> Result<Response, AppError> {
    let base = editable(&state, &auth, &slug).await?;
    let panoramas = state
        .panoramas
        .panoramas(&base.fields.slug, Visibility::All)
        .await?;
    let notice = params.get("removed").map(|_| ctx.t("panorama-removed"));
    render(&ListPage {
        admin: AdminCtx::new(&auth, "bases"),
        error: None,
        notice,
        base,
        panoramas,
        ctx,
    })
}

/// The three languages of a text from form fields `{prefix}_zh`, `_mn`, `_en`.
fn text(fields: &HashMap<String, String>, prefix: &str) -> LocalizedText {
    let get = |lang: &str| {
        fields
            .get(&format!("{prefix}_{lang}"))
            .map(|v| v.trim().chars().take(500).collect::<String>())
    };
    LocalizedText::new(get("zh"), get("mn"), get("en"))
}

async fn upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let base = editable(&state, &auth, &slug).await?;
    // The form sends its texts before the photograph: without a title and alt text the
    // photograph is not even stored.
    let texts_given =
        |f: &HashMap<String, String>| !text(f, "title").is_empty() && !text(f, "alt").is_empty();
    // Only a photograph that can be a panorama is stored.
    let fits = |f: &MediaFile| PanoramaImage::of(f.clone(), String::new()).is_ok();
    let (fields, files) = read_form(&state, &auth, &mut form, &texts_given, &fits).await?;
    let title = text(&fields, "title");
    let alt = text(&fields, "alt");
    let refuse = |key: &str, detail: Option<String>| -> Option<String> {
        let mut m = ctx.t(key);
        if let Some(d) = detail {
            m.push(' ');
            m.push_str(&d);
        }
        Some(m)
    };
    let mut files = files.into_iter();
    let error = match (files.next(), files.next()) {
        _ if title.is_empty() => refuse("panorama-needs-title", None),
        _ if alt.is_empty() => refuse("panorama-needs-alt", None),
        (None, _) => refuse("panorama-needs-file", None),
        (Some(_), Some(_)) => refuse("panorama-one-file", None),
        (Some(Err(IngestError::Unfit(file))), None) => {
            match PanoramaImage::of(*file, String::new()) {
                Err(PhotoRefused::NotImage(mime)) => refuse("panorama-not-image", Some(mime)),
                Err(PhotoRefused::TooSmall(w, h)) => {
                    refuse("panorama-too-small", Some(format!("{w} × {h} px")))
                }
                Ok(_) => refuse("panorama-file-refused", None),
            }
        }
        (Some(Err(why)), None) => refuse("panorama-file-refused", Some(why.to_string())),
        (Some(Ok((name, accepted))), None) => match PanoramaImage::of(accepted.file, name) {
            Err(_) => refuse("panorama-file-refused", None),
            Ok(image) => {
                let sha = image.sha256.clone();
                let new = NewPanorama {
                    title: title.clone(),
                    alt: alt.clone(),
                    image,
                    spots: Vec::new(),
                };
                let n = state
                    .panoramas
                    .add_panorama(&base.fields.slug, &new, &auth.actor())
                    .await?;
                state.queue_derivatives(&sha).await?;
                let to = format!("/admin/bases/{}/panoramas/{n}?added=1", base.fields.slug);
                return Ok(Redirect::to(&to).into_response());
            }
        },
    };
    let panoramas = state
        .panoramas
        .panoramas(&base.fields.slug, Visibility::All)
        .await?;
    let page = ListPage {
        admin: AdminCtx::new(&auth, "bases"),
        notice: None,
        error,
        base,
        panoramas,
        ctx,
    };
    Ok(with_status(
        render(&page)?,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

#[derive(Template)]
#[template(path = "admin/panorama.html")]
struct EditPage {
    ctx: PageCtx,
    admin: AdminCtx,
    base: Base,
    p: Panorama,
    notice: Option<String>,
    error: Option<String>,
    /// The base's other panoramas, which a door may lead to: (number, title).
    others: Vec<(i64, LocalizedText)>,
    /// What was typed in the marker and door forms, kept when it is refused.
    typed: Typed,
}

/// What was typed in the edit page's forms.
#[derive(Default)]
pub(super) struct Typed {
    pub(super) spot: SpotForm,
    pub(super) door: DoorForm,
}

impl EditPage {
    fn marker_size(&self) -> (i64, i64) {
        crate::web::gallery::panoramas::marker_size(&self.p)
    }

    fn preview(&self) -> String {
        format!("/admin/preview/{}/w1600.jpg", self.p.image.sha256)
    }

    fn pct(&self, fraction: &f64) -> String {
        format!("{:.1}", fraction * 100.0)
    }

    /// Whether the door form had panorama `n` chosen.
    fn door_to(&self, n: &i64) -> bool {
        self.typed.door.to == n.to_string()
    }
}

/// The panorama `n` of an editable base, or 404.
pub(super) async fn panorama_of(
    state: &AppState,
    base: &Base,
    n: &str,
) -> Result<(Panorama, i64), AppError> {
    let n: i64 = n.parse().map_err(|_| AppError::NotFound)?;
    let p = state
        .panoramas
        .panorama(&base.fields.slug, n, Visibility::All)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((p, n))
}

/// The edit page, with a notice or an error (`(notice, error)`) and what was typed.
pub(super) async fn edit_page(
    state: &AppState,
    ctx: PageCtx,
    auth: &crate::accounts::Authenticated,
    base: Base,
    n: &str,
    (notice, error): (Option<String>, Option<String>),
    typed: Typed,
) -> Result<Response, AppError> {
    let n: i64 = n.parse().map_err(|_| AppError::NotFound)?;
    let (mine, others): (Vec<_>, Vec<_>) = state
        .panoramas
        .panoramas(&base.fields.slug, Visibility::All)
        .await?
        .into_iter()
        .partition(|p| p.number == n);
    let p = mine.into_iter().next().ok_or(AppError::NotFound)?;
    render(&EditPage {
        admin: AdminCtx::new(auth, "bases"),
        notice,
        error,
        others: others.into_iter().map(|o| (o.number, o.title)).collect(),
        typed,
        base,
        p,
        ctx,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path((slug, n)): Path<(String, String)>,
    params: crate::web::params::Params,
) -> Result<Response, AppError> {
    let base = editable(&state, &auth, &slug).await?;
    let notice = [
        "added",
        "saved",
        "placed",
        "unplaced",
        "door-placed",
        "door-removed",
    ]
    .into_iter()
    .find(|k| params.get(k).is_some())
    .map(|k| ctx.t(&format!("panorama-notice-{k}")));
    edit_page(
        &state,
        ctx,
        &auth,
        base,
        &n,
        (notice, None),
        Typed::default(),
    )
    .await
}

#[derive(Deserialize)]
struct DescribeForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(flatten)]
    fields: HashMap<String, String>,
}

async fn describe(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path((slug, n)): Path<(String, String)>,
    Form(f): Form<DescribeForm>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&f.csrf))?;
    let base = editable(&state, &auth, &slug).await?;
    let (_, number) = panorama_of(&state, &base, &n).await?;
    let (title, alt) = (text(&f.fields, "title"), text(&f.fields, "alt"));
    let error = if title.is_empty() {
        Some("panorama-needs-title")
    } else if alt.is_empty() {
        Some("panorama-needs-alt")
    } else {
        None
    };
    if let Some(key) = error {
        let e = Some(ctx.t(key));
        let r = edit_page(&state, ctx, &auth, base, &n, (None, e), Typed::default()).await?;
        return Ok(with_status(r, StatusCode::UNPROCESSABLE_ENTITY));
    }
    state
        .panoramas
        .describe_panorama(&base.fields.slug, number, &title, &alt, &auth.actor())
        .await?;
    let to = format!("/admin/bases/{slug}/panoramas/{number}?saved=1");
    Ok(Redirect::to(&to).into_response())
}

#[derive(Deserialize)]
pub(super) struct CsrfOnly {
    #[serde(default, rename = "_csrf")]
    pub(super) csrf: String,
}

async fn remove(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((slug, n)): Path<(String, String)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&f.csrf))?;
    let base = editable(&state, &auth, &slug).await?;
    let (_, number) = panorama_of(&state, &base, &n).await?;
    state
        .panoramas
        .remove_panorama(&base.fields.slug, number, &auth.actor())
        .await?;
    Ok(Redirect::to(&format!("/admin/bases/{slug}/panoramas?removed=1")).into_response())
}
