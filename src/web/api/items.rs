//! `/api/v1/items` and `/api/v1/items/{slug}`.

use super::dto::{self, ItemDto, ItemSummaryDto, Urls};
use super::openapi::ErrorDto;
use super::{DEFAULT_LIMIT, List, MAX_LIMIT, json};
use crate::app::AppState;
use crate::catalogue::repo::ItemQuery;
use crate::catalogue::types::Slug;
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::params::Params;
use axum::extract::{Path, State};
use axum::response::Response;

/// Published items, in accession-number order.
#[utoipa::path(
    get,
    path = "/api/v1/items",
    tag = "items",
    params(
        ("q" = Option<String>, Query, description = "Only items whose title or summary (any language) or accession number contains this text"),
        ("category" = Option<String>, Query, description = "Only this heritage category, by code (`quyi`, `traditional_dance`…)"),
        ("base" = Option<String>, Query, description = "Only items kept by this base (its slug)"),
        ("media" = Option<String>, Query, description = "Only items with media of this kind: `image`, `audio`, `video` or `document`"),
        ("limit" = Option<u32>, Query, description = "Page size, 1–100 (default 20)"),
        ("page" = Option<String>, Query, description = "The `next_page` token of the previous page")
    ),
    responses(
        (status = 200, description = "A page of items", body = List<ItemSummaryDto>),
        (status = 400, description = "A bad parameter, named in `param`", body = ErrorDto),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list(State(state): State<AppState>, params: Params) -> Result<Response, AppError> {
    let query = ItemQuery {
        visibility: Visibility::Public,
        category: params.category()?,
        base: params.slug("base")?,
        bases: None,
        media: params.media_kind()?,
        text: params.text("q")?,
        status: None,
        import: None,
        lacks: None,
        after: params.cursor()?,
        limit: params.limit(DEFAULT_LIMIT, MAX_LIMIT)?,
    };
    let page = state.catalogue.list_items(&query).await?;
    let urls = Urls(&state.config.public_url);
    let list = List::from_page(
        page,
        |i| dto::item_summary(i, &urls),
        |token| {
            let mut s = form_urlencoded::Serializer::new(String::new());
            for (name, value) in [
                ("q", query.text.clone()),
                ("category", query.category.map(|c| c.code().to_owned())),
                ("base", query.base.as_ref().map(|b| b.to_string())),
                ("media", query.media.map(|m| m.code().to_owned())),
                ("limit", Some(query.limit.to_string())),
                ("page", Some(token.to_owned())),
            ] {
                if let Some(value) = value {
                    s.append_pair(name, &value);
                }
            }
            format!("{}/api/v1/items?{}", state.config.public_url, s.finish())
        },
    );
    Ok(json(&list))
}

/// One published item with its media and the exhibitions that show it.
#[utoipa::path(
    get,
    path = "/api/v1/items/{slug}",
    tag = "items",
    params(("slug" = String, Path, description = "The item's slug")),
    responses(
        (status = 200, description = "The item", body = ItemDto),
        (status = 404, description = "No published record has this slug", body = ErrorDto),
    )
)]
#[tracing::instrument(skip_all, fields(%slug))]
pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let slug = Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let item = state
        .catalogue
        .item(&slug, Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    let exhibitions = state.catalogue.exhibitions_with_item(item.id).await?;
    Ok(json(&dto::item(
        item,
        exhibitions,
        &Urls(&state.config.public_url),
    )))
}
