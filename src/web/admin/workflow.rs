//! The workflow buttons of items and exhibitions (draft → in review → published →
//! archived): one form, checked the same way for both. Taking a published record off the
//! public site first shows what it would take away (the exhibitions an item is a stop of,
//! the classes that still have to visit it) and waits for a confirming click.

use super::AdminCtx;
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::types::Status;
use crate::catalogue::workflow::next_statuses;
use crate::classroom::model::Walked;
use crate::error::AppError;
use crate::i18n::LocalizedText;
use crate::web::page::{PageCtx, render};
use crate::web::session::require_csrf;
use askama::Template;
use axum::response::Response;
use serde::Deserialize;

/// A workflow button's form.
#[derive(Deserialize)]
pub struct StatusSubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    revision: String,
    /// Set by the confirmation page's button.
    #[serde(default)]
    confirm: String,
}

impl StatusSubmit {
    /// Refuses a form without the session's CSRF token (checked before anything is read).
    pub fn check_csrf(&self, auth: &Authenticated) -> Result<(), AppError> {
        require_csrf(auth, Some(&self.csrf))
    }

    /// The status asked for and the revision the page showed, if the move from `current`
    /// is one the workflow allows; a clear 400 otherwise.
    pub fn target(&self, current: Status) -> Result<(Status, i64), AppError> {
        let status = Status::parse(&self.status).map_err(|_| {
            AppError::bad_param(
                "status",
                &self.status,
                Some("draft, in_review, published, archived".into()),
            )
        })?;
        let revision: i64 = self
            .revision
            .parse()
            .map_err(|_| AppError::bad_param("revision", &self.revision, None))?;
        if !next_statuses(current).contains(&status) {
            return Err(AppError::bad_param("status", status.code(), None));
        }
        Ok((status, revision))
    }

    /// True when the move takes a published record off the public site and the
    /// confirmation page has not been through yet.
    pub fn needs_confirmation(&self, current: Status, target: Status) -> bool {
        current == Status::Published && target != Status::Published && self.confirm != "1"
    }
}

/// A record about to be taken off the public site, and what it takes with it.
pub struct Withdrawal {
    /// Its title.
    pub title: LocalizedText,
    /// Its admin page, where "cancel" goes.
    pub back: String,
    /// Where the confirmed form goes (its status address).
    pub action: String,
    /// Published exhibitions it is a stop of (items only): address and title.
    pub exhibitions: Vec<(String, LocalizedText)>,
    /// The message that counts the classes still to visit it.
    pub assignments_key: &'static str,
    /// Assignments not yet over that walk it.
    pub assignments: i64,
}

#[derive(Template)]
#[template(path = "admin/withdraw_confirm.html")]
struct ConfirmPage {
    ctx: PageCtx,
    admin: AdminCtx,
    w: Withdrawal,
    status: Status,
    revision: i64,
}

impl ConfirmPage {
    /// The status asked for, in words.
    fn status_name(&self) -> String {
        self.ctx.t(&format!("status-{}", self.status))
    }

    /// "Take “…” off the public site?"
    fn heading(&self) -> String {
        self.ctx
            .t1("withdraw-title", "title", self.ctx.txt(&self.w.title))
    }

    fn exhibition_count(&self) -> i64 {
        self.w.exhibitions.len() as i64
    }
}

/// How many assignments not yet over walk `what`.
pub async fn assignments_walking(state: &AppState, what: Walked<'_>) -> Result<i64, AppError> {
    let now = chrono::Utc::now();
    let all = state.classroom.repo().assignments_walking(what).await?;
    Ok(all.iter().filter(|a| !a.is_over(now)).count() as i64)
}

/// The page that asks before `w` goes to `status`.
pub fn confirm_page(
    ctx: PageCtx,
    auth: &Authenticated,
    section: &'static str,
    w: Withdrawal,
    status: Status,
    revision: i64,
) -> Result<Response, AppError> {
    render(&ConfirmPage {
        admin: AdminCtx::new(auth, section),
        ctx,
        w,
        status,
        revision,
    })
}
