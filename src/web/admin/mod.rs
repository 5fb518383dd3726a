//! The admin: sign-in, the first-admin setup, and the curators' and teachers' pages.
//! Every page here requires a session, is never cached, and every form carries the
//! session's CSRF token.

mod assignment_edit;
mod assignment_export;
mod assignments;
mod audit;
mod auth;
mod base_report;
mod bases;
mod chart;
mod class_edit;
mod class_report;
mod classes;
mod csv_file;
mod dashboard;
mod essay_review;
mod exhibition_history;
mod exhibition_mongolian;
mod exhibition_page;
mod exhibition_preview;
mod exhibition_stops;
mod exhibitions;
mod fields;
mod history;
mod import;
mod import_run;
mod import_zip;
mod item_batch;
mod item_export;
mod item_page;
mod item_titles;
mod items;
mod media;
mod panorama_marks;
mod panoramas;
mod translation_list;
mod translation_sheet;
mod translations;
mod users;
mod workflow;
mod xlsx_file;

use crate::accounts::Authenticated;
use crate::accounts::types::Role;
use crate::app::AppState;
use crate::error::AppError;
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
        .merge(items::router())
        .merge(item_export::router())
        .merge(exhibitions::router())
        .merge(media::router())
        .merge(bases::router())
        .merge(panoramas::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(import::router())
        .merge(classes::router())
        .merge(assignments::router())
        .merge(assignment_edit::router())
        .merge(class_edit::router())
        .merge(class_report::router())
        .merge(base_report::router())
        .merge(item_titles::router())
        .merge(exhibition_mongolian::router())
        .merge(translations::router())
        .merge(translation_sheet::router())
        // Pages are never stored; image previews say so themselves ("private").
        .layer(SetResponseHeaderLayer::if_not_present(
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

/// What every admin page's frame shows: who is signed in, their menu, the CSRF token.
pub struct AdminCtx {
    /// The user's display name.
    pub name: String,
    /// The message key of their role.
    pub role_key: &'static str,
    /// The session's CSRF token, for every form.
    pub csrf: String,
    /// The menu entry to highlight.
    pub section: &'static str,
    /// Administrators see users, bases and the audit log.
    pub is_admin: bool,
    /// Curators and administrators catalogue.
    pub catalogues: bool,
    /// Teachers and administrators keep classes.
    pub teaches: bool,
}

impl AdminCtx {
    /// The frame for `auth` on a page of `section`.
    pub fn new(auth: &Authenticated, section: &'static str) -> AdminCtx {
        AdminCtx {
            name: auth.user.display_name.clone(),
            role_key: role_key(auth.user.role),
            csrf: auth.session.csrf_token.clone(),
            section,
            is_admin: auth.user.role == Role::Admin,
            catalogues: matches!(auth.user.role, Role::Admin | Role::Curator),
            teaches: matches!(auth.user.role, Role::Admin | Role::Teacher),
        }
    }
}

/// A rendered page with another status (422 for a form to correct, 409 for a conflict).
pub fn with_status(
    mut page: axum::response::Response,
    status: axum::http::StatusCode,
) -> axum::response::Response {
    *page.status_mut() = status;
    page
}

/// Refuses users who do not catalogue (teachers).
pub fn require_editor(auth: &Authenticated) -> Result<(), AppError> {
    match auth.user.role {
        Role::Admin | Role::Curator => Ok(()),
        Role::Teacher => Err(AppError::Forbidden(
            "cataloguing is for curators and administrators".into(),
        )),
    }
}

/// The bases `auth` may catalogue in (every base for administrators), in registration
/// order, for the base lists and choices of the admin.
pub async fn editable_bases(
    state: &AppState,
    auth: &Authenticated,
) -> Result<Vec<crate::catalogue::model::Base>, AppError> {
    let all = crate::catalogue::repo::ListQuery::all(crate::repo::Visibility::All, 500);
    Ok(state
        .catalogue
        .list_bases(&all)
        .await?
        .items
        .into_iter()
        .filter(|b| auth.user.can_edit_base(&b.fields.slug))
        .collect())
}

/// Refuses everyone but administrators.
pub fn require_admin(auth: &Authenticated) -> Result<(), AppError> {
    match auth.user.role {
        Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden(
            "this page is for administrators".into(),
        )),
    }
}
