//! An item's history: every revision with who, when and what changed, and restoring any of
//! them (which makes a new revision, so nothing is lost either way).

use super::AdminCtx;
use super::items::editable;
use crate::app::AppState;
use crate::catalogue::history::{Change, diff};
use crate::catalogue::model::Item;
use crate::error::AppError;
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
    actor: String,
    changes: Vec<Change>,
    current: bool,
}

#[derive(Template)]
#[template(path = "admin/item_history.html")]
struct HistoryPage {
    ctx: PageCtx,
    admin: AdminCtx,
    item: Item,
    entries: Vec<Entry>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let item = editable(&state, &auth, &slug).await?;
    let revisions = state.editor.revisions(item.id).await?;
    let entries = revisions
        .iter()
        .enumerate()
        .map(|(i, r)| Entry {
            number: r.number,
            at: crate::stats::china_time(r.at),
            actor: r.actor.clone(),
            // Revisions are newest first: each is compared with the one before it in time.
            changes: revisions
                .get(i + 1)
                .map(|older| diff(&older.snapshot, &r.snapshot))
                .unwrap_or_default(),
            current: r.number == item.revision,
        })
        .collect();
    render(&HistoryPage {
        admin: AdminCtx::new(&auth, "items"),
        item,
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
    let item = editable(&state, &auth, &slug).await?;
    let revisions = state.editor.revisions(item.id).await?;
    let old = revisions
        .iter()
        .find(|r| r.number == number)
        .ok_or(AppError::NotFound)?;
    let current: i64 = submit
        .revision
        .parse()
        .map_err(|_| AppError::bad_param("revision", &submit.revision, None))?;
    if !auth.user.can_edit_base(&old.snapshot.base) {
        return Err(AppError::Forbidden(format!(
            "you may not put items in the base {}",
            old.snapshot.base
        )));
    }
    // The old text comes back; the workflow state stays as it is now.
    let mut fields = old.snapshot.fields.clone();
    fields.status = item.fields.status;
    match state
        .editor
        .update_item(item.id, current, &fields, &old.snapshot.base, &auth.actor())
        .await
    {
        Ok(Ok(_)) => {
            Ok(Redirect::to(&format!("/admin/items/{}?saved=1", fields.slug)).into_response())
        }
        Ok(Err(_)) => Err(AppError::Conflict(
            "the item changed meanwhile; reload the history".into(),
        )),
        Err(e) => Err(e.into()),
    }
}
