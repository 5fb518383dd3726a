//! `/api/v1/bases` and `/api/v1/bases/{slug}`.

use super::dto::{self, BaseDto, Urls};
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

/// Published education bases, in registration order.
#[utoipa::path(
    get,
    path = "/api/v1/bases",
    tag = "bases",
    params(
        ("limit" = Option<u32>, Query, description = "Page size, 1–100 (default 20)"),
        ("page" = Option<String>, Query, description = "The `next_page` token of the previous page")
    ),
    responses(
        (status = 200, description = "A page of bases", body = List<BaseDto>),
        (status = 400, description = "A bad parameter, named in `param`", body = ErrorDto),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list(State(state): State<AppState>, params: Params) -> Result<Response, AppError> {
    let limit = params.limit(DEFAULT_LIMIT, MAX_LIMIT)?;
    let query = ListQuery {
        after: params.id_cursor()?,
        ..ListQuery::all(Visibility::Public, limit)
    };
    let page = state.catalogue.list_bases(&query).await?;
    let urls = Urls(&state.config.public_url);
    let list = List::from_page(
        page,
        |b| dto::base(b, &urls),
        |token| {
            format!(
                "{}/api/v1/bases?limit={limit}&page={token}",
                state.config.public_url
            )
        },
    );
    Ok(json(&list))
}

/// One published education base.
#[utoipa::path(
    get,
    path = "/api/v1/bases/{slug}",
    tag = "bases",
    params(("slug" = String, Path, description = "The base's slug")),
    responses(
        (status = 200, description = "The base, with its hall panoramas", body = BaseDto),
        (status = 404, description = "No published record has this slug", body = ErrorDto),
    )
)]
#[tracing::instrument(skip_all, fields(%slug))]
pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let slug = Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let base = state
        .catalogue
        .base(&slug, Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    let panoramas = state.panoramas.panoramas(&slug, Visibility::Public).await?;
    let urls = Urls(&state.config.public_url);
    Ok(json(&dto::base_with_panoramas(base, panoramas, &urls)))
}
