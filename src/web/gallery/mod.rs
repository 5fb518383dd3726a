//! The public gallery: server-rendered pages for bases, items and exhibitions, in the
//! visitor's language. Every page works without JavaScript.

mod bases;
pub(crate) mod exhibitions;
mod home;
pub(crate) mod item_page;
mod items;
pub(crate) mod panoramas;
pub(crate) mod search;

use crate::app::AppState;
use crate::error::AppError;
use crate::web::{html_pages, page_views};
use axum::Router;
use axum::middleware;
use axum::routing::get;

/// The gallery routes, wrapped in the page layer; successful pages count as page views.
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/bases", get(bases::list))
        .route("/bases/{slug}", get(bases::show))
        .route("/bases/{slug}/panoramas/{number}", get(panoramas::show))
        .route("/items", get(items::list))
        .route("/items/{slug}", get(item_page::show))
        .route("/q/{accession}", get(items::by_accession))
        .route("/exhibitions", get(exhibitions::list))
        .route("/exhibitions/{slug}", get(exhibitions::show))
        .route("/exhibitions/{slug}/stops/{number}", get(exhibitions::stop))
        .route("/exhibitions/{slug}/labels", get(exhibitions::labels))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            html_pages::layer,
        ))
        .layer(middleware::from_fn_with_state(state, page_views::count))
}

async fn not_found() -> AppError {
    AppError::NotFound
}
