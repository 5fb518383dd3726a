//! An exhibition's history in the admin: every revision with who, when and what changed
//! (fields and stops), and restoring any of them as a new revision.

use super::AdminCtx;
use super::exhibitions::editable;
use crate::app::AppState;
use crate::catalogue::exhibition_editor::DraftExhibition;
use crate::catalogue::exhibition_history::diff;
use crate::catalogue::history::Change;
use crate::error::AppError;
use crate::repo::RepoError;
use crate::web::page::{PageCtx, render};
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

/// One revision as the history page shows it.
struct Entry {
    number: i64,
    /// In China time, as the banner reads it.
    at: DateTime<FixedOffset>,
    /// Empty for the state found when the history began.
    actor: String,
    changes: Vec<Change>,
    current: bool,
}

#[derive(Template)]
#[template(path = "admin/exhibition_history.html")]
struct HistoryPage {
    ctx: PageCtx,
    admin: AdminCtx,
    ex: DraftExhibition,
    entries: Vec<Entry>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let ex = editable(&state, &auth, &slug).await?;
    let revisions = state.exhibitions.exhibition_revisions(ex.id).await?;
    let entries = revisions
        .iter()
        .enumerate()
        .map(|(i, r)| Entry {
            number: r.number,
            at: crate::stats::china_time(r.at),
            actor: r.actor.clone(),
            // Newest first: each revision is compared with the one before it in time.
            changes: revisions
                .get(i + 1)
                .map(|older| diff(&older.snapshot, &r.snapshot))
                .unwrap_or_default(),
            current: r.number == ex.revision,
        })
        .collect();
    render(&HistoryPage {
        admin: AdminCtx::new(&auth, "exhibitions"),
        ex,
        entries,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct RestoreSubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    revision: String,
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
