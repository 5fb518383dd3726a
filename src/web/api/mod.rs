//! The JSON API, read side: `/api/v1/items`, `/bases`, `/exhibitions` and one record of
//! each, and `/api/v1/search`. Field names are part of the contract; lists are paged by key with an opaque
//! `page` token and a ready-made `next` URL.

mod bases;
mod dto;
mod exhibitions;
mod items;
mod openapi;
mod search;

use crate::app::AppState;
use crate::error::AppError;
use crate::repo::Page;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

/// The API routes, under `/api/v1`. Unknown API paths answer with a JSON 404.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::show))
        .route("/api/v1/items", get(items::list))
        .route("/api/v1/items/{slug}", get(items::show))
        .route("/api/v1/search", get(search::list))
        .route("/api/v1/bases", get(bases::list))
        .route("/api/v1/bases/{slug}", get(bases::show))
        .route("/api/v1/exhibitions", get(exhibitions::list))
        .route("/api/v1/exhibitions/{slug}", get(exhibitions::show))
        .route(
            "/api/v1/{*rest}",
            axum::routing::any(|| async { AppError::NotFound }),
        )
}

const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;

/// A page of a list.
#[derive(Serialize, utoipa::ToSchema)]
pub struct List<T> {
    /// The records.
    data: Vec<T>,
    /// Token for the next page (`?page=`), or null on the last page.
    next_page: Option<String>,
    /// The URL of the next page, or null.
    next: Option<String>,
}

impl<T> List<T> {
    fn from_page<U>(
        page: Page<U>,
        convert: impl Fn(U) -> T,
        next_url: impl Fn(&str) -> String,
    ) -> List<T> {
        let next_page = page.next.map(|c| c.encode());
        List {
            next: next_page.as_deref().map(next_url),
            data: page.items.into_iter().map(convert).collect(),
            next_page,
        }
    }
}

/// JSON with the API's cache policy: short, since records change when curators publish.
fn json(value: &impl Serialize) -> Response {
    let mut response = axum::Json(value).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}
