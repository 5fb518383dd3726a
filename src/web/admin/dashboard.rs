//! The admin's first page.

use super::role_key;
use crate::accounts::model::User;
use crate::accounts::types::Role;
use crate::app::AppState;
use crate::error::AppError;
use crate::repo::AuditEntry;
use crate::web::page::{PageCtx, render};
use crate::web::session::SignedIn;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    ctx: PageCtx,
    user: User,
    role_key: &'static str,
    csrf: String,
    audit: Vec<(DateTime<Utc>, AuditEntry)>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
) -> Result<Response, AppError> {
    let audit = if auth.user.role == Role::Admin {
        state.accounts.repo().recent_audit(20).await?
    } else {
        Vec::new()
    };
    render(&DashboardPage {
        ctx,
        role_key: role_key(auth.user.role),
        csrf: auth.session.csrf_token.clone(),
        user: auth.user,
        audit,
    })
}
