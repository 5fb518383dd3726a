//! The stops of an exhibition, edited without JavaScript: add an item found by searching,
//! write its narrative, choose the image to focus on and an audio guide, move it along the
//! path, remove it. Every form carries the revision the page showed; a stale one is refused.

use super::exhibition_page::{editor_page, with_status};
use super::exhibitions::editable;
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::editor::{Checked, Move};
use crate::catalogue::exhibition_editor::DraftExhibition;
use crate::catalogue::exhibition_form::{ExhibitionForm, StopForm};
use crate::catalogue::types::Slug;
use crate::error::AppError;
use crate::repo::{RepoError, Visibility};
use crate::web::page::PageCtx;
use crate::web::session::{SignedIn, require_csrf};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// A small stop form: add, move or remove.
#[derive(Deserialize)]
pub struct StopAction {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    revision: String,
    /// The item to add (its slug).
    #[serde(default)]
    item: String,
    /// `up` or `down`.
    #[serde(default)]
    to: String,
}

impl StopAction {
    fn revision(&self) -> Result<i64, AppError> {
        self.revision
            .trim()
            .parse()
            .map_err(|_| AppError::bad_param("revision", &self.revision, None))
    }
}

/// The stop form with its CSRF token.
#[derive(Deserialize)]
pub struct StopSubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(flatten)]
    form: StopForm,
}

/// The stop of `ex` showing the item `slug`, as (item id, position), or 404.
fn stop_of(ex: &DraftExhibition, slug: &str) -> Result<i64, AppError> {
    ex.stops
        .iter()
        .find(|s| s.item.as_str() == slug)
        .map(|s| s.item_id)
        .ok_or(AppError::NotFound)
}

/// Where to go after a stop changed, or the conflict page when the exhibition changed.
async fn after(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    slug: &str,
    outcome: Checked<i64>,
    notice: &str,
    anchor: &str,
) -> Result<Response, AppError> {
    match outcome {
        Ok(_) => Ok(
            Redirect::to(&format!("/admin/exhibitions/{slug}?{notice}=1#{anchor}")).into_response(),
        ),
        Err(stale) => {
            let ex = editable(state, auth, slug).await?;
            let form = ExhibitionForm::of(&ex);
            let mut page = editor_page(state, ctx, auth, form, Vec::new(), Some(ex)).await?;
            page.conflict = Some(stale.current);
            with_status(&page, StatusCode::CONFLICT)
        }
    }
}

/// Adds the item named in the form as the last stop.
#[tracing::instrument(skip_all, fields(%slug))]
pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    Form(submit): Form<StopAction>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let ex = editable(&state, &auth, &slug).await?;
    let revision = submit.revision()?;
    let item_slug = Slug::parse(submit.item.trim())
        .map_err(|_| AppError::bad_param("item", &submit.item, None))?;
    let item = state
        .catalogue
        .item(&item_slug, Visibility::All)
        .await?
        .ok_or_else(|| AppError::bad_param("item", &submit.item, None))?;
    // Curators build paths from the items they keep; the search offers only those.
    if !auth.user.can_edit_base(&item.base.slug) {
        return Err(AppError::Forbidden(format!(
            "you may not show items of the base {}",
            item.base.slug
        )));
    }
    match state
        .exhibitions
        .add_stop(ex.id, revision, item.id, &auth.actor())
        .await
    {
        Ok(outcome) => after(&state, ctx, &auth, &slug, outcome, "stop_added", "stops").await,
        Err(RepoError::Conflict(_)) => {
            let form = ExhibitionForm::of(&ex);
            let mut page = editor_page(&state, ctx, &auth, form, Vec::new(), Some(ex)).await?;
            page.notice = Some(page.ctx.t("stop-already-added"));
            with_status(&page, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

/// Saves a stop's narrative, focus image and audio guide.
#[tracing::instrument(skip_all, fields(%slug, %item))]
pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path((slug, item)): Path<(String, String)>,
    Form(submit): Form<StopSubmit>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let ex = editable(&state, &auth, &slug).await?;
    let item_id = stop_of(&ex, &item)?;
    let mut form = submit.form;
    let Some(revision) = form.revision() else {
        return Err(AppError::bad_param("revision", &form.revision, None));
    };
    let full = state
        .catalogue
        .item(
            &Slug::parse(&item).map_err(|_| AppError::NotFound)?,
            Visibility::All,
        )
        .await?
        .ok_or(AppError::NotFound)?;
    let checked = form.check(&full);
    let outcome = match &checked {
        Ok(fields) => Some(
            state
                .exhibitions
                .update_stop(ex.id, revision, item_id, fields, &auth.actor())
                .await?,
        ),
        Err(_) => None,
    };
    if let Some(Ok(_)) = outcome {
        return Ok(Redirect::to(&format!(
            "/admin/exhibitions/{slug}?stop_saved=1#stop-{item}"
        ))
        .into_response());
    }
    // A form to fix, or someone saved meanwhile: show the page with this stop's form as
    // typed, next to the exhibition as it is now.
    let ex = editable(&state, &auth, &slug).await?;
    let main = ExhibitionForm::of(&ex);
    let mut page = editor_page(&state, ctx, &auth, main, Vec::new(), Some(ex)).await?;
    let status = match (checked, outcome) {
        (Err(errors), _) => {
            if let Some(view) = page.stops.iter_mut().find(|s| s.item.id == item_id) {
                form.revision = view.form.revision.clone();
                view.form = form;
                view.errors = errors;
            }
            page.notice = Some(page.ctx.t("stop-has-errors"));
            StatusCode::UNPROCESSABLE_ENTITY
        }
        (_, Some(Err(stale))) => {
            if let Some(view) = page.stops.iter_mut().find(|s| s.item.id == item_id) {
                form.revision = stale.current.to_string();
                view.form = form;
            }
            page.conflict = Some(stale.current);
            StatusCode::CONFLICT
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    with_status(&page, status)
}

/// Moves a stop one place up or down the path.
#[tracing::instrument(skip_all, fields(%slug, %item))]
pub async fn move_stop(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path((slug, item)): Path<(String, String)>,
    Form(submit): Form<StopAction>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let ex = editable(&state, &auth, &slug).await?;
    let item_id = stop_of(&ex, &item)?;
    let revision = submit.revision()?;
    let to = match submit.to.as_str() {
        "up" => Move::Up,
        "down" => Move::Down,
        other => {
            return Err(AppError::bad_param("to", other, Some("up, down".into())));
        }
    };
    let outcome = state
        .exhibitions
        .move_stop(ex.id, revision, item_id, to, &auth.actor())
        .await?;
    after(
        &state,
        ctx,
        &auth,
        &slug,
        outcome,
        "stop_moved",
        &format!("stop-{item}"),
    )
    .await
}

/// Removes a stop from the path.
#[tracing::instrument(skip_all, fields(%slug, %item))]
pub async fn delete(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path((slug, item)): Path<(String, String)>,
    Form(submit): Form<StopAction>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let ex = editable(&state, &auth, &slug).await?;
    let item_id = stop_of(&ex, &item)?;
    let revision = submit.revision()?;
    let outcome = state
        .exhibitions
        .remove_stop(ex.id, revision, item_id, &auth.actor())
        .await?;
    after(&state, ctx, &auth, &slug, outcome, "stop_removed", "stops").await
}
