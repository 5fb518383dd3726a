//! `/api/v1/exhibitions` and `/api/v1/exhibitions/{slug}`.

use super::dto::{self, ExhibitionDto, ExhibitionSummaryDto, Urls};
use super::openapi::ErrorDto;
use super::{DEFAULT_LIMIT, List, MAX_LIMIT, json};
use crate::app::AppState;
use crate::catalogue::repo::ListQuery;
use crate::catalogue::types::Slug;
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::params::Params;
use axum::extract::{Path, State};
use axum::response::Response;

/// Published exhibitions, in creation order.
#[utoipa::path(
    get,
    path = "/api/v1/exhibitions",
    tag = "exhibitions",
    params(
        ("base" = Option<String>, Query, description = "Only exhibitions of this base (its slug)"),
        ("limit" = Option<u32>, Query, description = "Page size, 1–100 (default 20)"),
        ("page" = Option<String>, Query, description = "The `next_page` token of the previous page")
    ),
    responses(
        (status = 200, description = "A page of exhibitions", body = List<ExhibitionSummaryDto>),
        (status = 400, description = "A bad parameter, named in `param`", body = ErrorDto),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list(State(state): State<AppState>, params: Params) -> Result<Response, AppError> {
    let limit = params.limit(DEFAULT_LIMIT, MAX_LIMIT)?;
    let query = ListQuery {
        base: params.slug("base")?,
        after: params.id_cursor()?,
        ..ListQuery::all(Visibility::Public, limit)
    };
    let page = state.catalogue.list_exhibitions(&query).await?;
    let urls = Urls(&state.config.public_url);
    let base = query
        .base
        .as_ref()
        .map(|b| format!("&base={b}"))
        .unwrap_or_default();
    let list = List::from_page(
        page,
        |e| dto::exhibition_summary(e, &urls),
        |token| {
            format!(
                "{}/api/v1/exhibitions?limit={limit}{base}&page={token}",
                state.config.public_url
            )
        },
    );
    Ok(json(&list))
}

/// One published exhibition with its stops (published items only), in order.
#[utoipa::path(
    get,
    path = "/api/v1/exhibitions/{slug}",
    tag = "exhibitions",
    params(("slug" = String, Path, description = "The exhibition's slug")),
    responses(
        (status = 200, description = "The exhibition", body = ExhibitionDto),
        (status = 404, description = "No published record has this slug", body = ErrorDto),
    )
)]
#[tracing::instrument(skip_all, fields(%slug))]
pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let slug = Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let ex = state
        .catalogue
        .exhibition(&slug, Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(json(&dto::exhibition(ex, &Urls(&state.config.public_url))))
}
