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
use chrono::{DateTime, FixedOffset, Utc};
use serde::Deserialize;

/// One revision as a history page shows it (`admin/history_entries.html`).
pub(super) struct Entry {
    pub(super) number: i64,
    /// In China time, as the banner reads it.
    pub(super) at: DateTime<FixedOffset>,
    /// Empty for a state that was found rather than made.
    pub(super) actor: String,
    pub(super) changes: Vec<Change>,
    pub(super) current: bool,
}

/// The entries of a history page from revisions given newest first as `(number, time,
/// author, snapshot)`: each with what changed since the revision before it.
pub(super) fn entries<S>(
    revisions: &[(i64, DateTime<Utc>, &str, &S)],
    current: i64,
    diff: impl Fn(&S, &S) -> Vec<Change>,
) -> Vec<Entry> {
    revisions
        .iter()
        .enumerate()
        .map(|(i, (number, at, actor, snapshot))| Entry {
            number: *number,
            at: crate::stats::china_time(*at),
            actor: (*actor).to_owned(),
            changes: revisions
                .get(i + 1)
                .map(|older| diff(older.3, snapshot))
                .unwrap_or_default(),
            current: *number == current,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/item_history.html")]
struct HistoryPage {
    ctx: PageCtx,
    admin: AdminCtx,
    item: Item,
    entries: Vec<Entry>,
    /// Where `…/{n}/restore` is posted.
    restore_url: String,
    /// The revision a restore is based on.
    revision: i64,
    /// What an entry without changes says.
    no_change: &'static str,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let item = editable(&state, &auth, &slug).await?;
    let revisions = state.editor.revisions(item.id).await?;
    let versions: Vec<_> = revisions
        .iter()
        .map(|r| (r.number, r.at, r.actor.as_str(), &r.snapshot))
        .collect();
    render(&HistoryPage {
        admin: AdminCtx::new(&auth, "items"),
        entries: entries(&versions, item.revision, diff),
        restore_url: format!("/admin/items/{}/history", item.fields.slug),
        revision: item.revision,
        no_change: "history-no-field-changes",
        item,
        ctx,
    })
}

/// A restore button's form.
#[derive(Deserialize)]
pub struct RestoreSubmit {
    #[serde(default, rename = "_csrf")]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) revision: String,
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
