//! The admin: sign-in, the first-admin setup, and the curators' and teachers' pages.
//! Every page here requires a session, is never cached, and every form carries the
//! session's CSRF token.

mod auth;
mod chart;
mod dashboard;

use crate::accounts::types::Role;
use crate::app::AppState;
use crate::web::html_pages;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

/// The admin routes.
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard::show))
        .route("/admin/login", get(auth::login_form).post(auth::login))
        .route("/admin/logout", post(auth::logout))
        .route("/admin/logout-everywhere", post(auth::logout_everywhere))
        .route("/admin/setup", get(auth::setup_form).post(auth::setup))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(middleware::from_fn_with_state(state, html_pages::layer))
}

/// The message key naming a role.
fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "role-admin",
        Role::Curator => "role-curator",
        Role::Teacher => "role-teacher",
    }
}
