//! `/api/v1/items` and `/api/v1/items/{slug}`.

use super::dto::{self, Urls};
use super::{DEFAULT_LIMIT, List, MAX_LIMIT, json};
use crate::app::AppState;
use crate::catalogue::repo::ItemQuery;
use crate::catalogue::types::Slug;
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::params::Params;
use axum::extract::{Path, State};
use axum::response::Response;

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
