//! An exhibition's history in the admin: every revision with who, when and what changed
//! (fields and stops), and restoring any of them as a new revision.

use super::AdminCtx;
use super::exhibitions::editable;
use super::history::{Entry, RestoreSubmit, entries};
use crate::app::AppState;
use crate::catalogue::exhibition_editor::DraftExhibition;
use crate::catalogue::exhibition_history::diff;
use crate::error::AppError;
use crate::repo::RepoError;
use crate::web::page::{PageCtx, render};
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template)]
#[template(path = "admin/exhibition_history.html")]
struct HistoryPage {
    ctx: PageCtx,
    admin: AdminCtx,
    ex: DraftExhibition,
    entries: Vec<Entry>,
    restore_url: String,
    revision: i64,
    no_change: &'static str,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let ex = editable(&state, &auth, &slug).await?;
    let revisions = state.exhibitions.exhibition_revisions(ex.id).await?;
    let versions: Vec<_> = revisions
        .iter()
        .map(|r| (r.number, r.at, r.actor.as_str(), &r.snapshot))
        .collect();
    render(&HistoryPage {
        admin: AdminCtx::new(&auth, "exhibitions"),
        entries: entries(&versions, ex.revision, diff),
        restore_url: format!("/admin/exhibitions/{}/history", ex.fields.slug),
        revision: ex.revision,
        no_change: "history-no-change",
        ex,
        ctx,
    })
}

pub async fn restore(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((slug, number)): Path<(String, i64)>,
    Form(submit): Form<RestoreSubmit>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let ex = editable(&state, &auth, &slug).await?;
    let current: i64 = submit
        .revision
        .parse()
        .map_err(|_| AppError::bad_param("revision", &submit.revision, None))?;
    let revisions = state.exhibitions.exhibition_revisions(ex.id).await?;
    let old = revisions
        .iter()
        .find(|r| r.number == number)
        .ok_or(AppError::NotFound)?;
    if !auth.user.can_edit_base(&old.snapshot.base) {
        return Err(AppError::Forbidden(format!(
            "you may not put exhibitions in the base {}",
            old.snapshot.base
        )));
    }
    match state
        .exhibitions
        .restore_exhibition(ex.id, current, &old.snapshot, &auth.actor())
        .await
    {
        Ok(Ok(_)) => Ok(Redirect::to(&format!(
            "/admin/exhibitions/{}?saved=1",
            old.snapshot.fields.slug
        ))
        .into_response()),
        Ok(Err(_)) => Err(AppError::Conflict(
            "the exhibition changed meanwhile; reload the history".into(),
        )),
        Err(RepoError::Invalid(why)) | Err(RepoError::Conflict(why)) => Err(AppError::Conflict(
            format!("revision {number} cannot be restored: {why}"),
        )),
        Err(e) => Err(e.into()),
    }
}
