//! The home page: featured exhibitions, heritage categories, items, bases.

use crate::app::AppState;
use crate::catalogue::model::{Base, ExhibitionSummary, ItemSummary};
use crate::catalogue::repo::{CategoryCounts, ItemQuery, ListQuery};
use crate::catalogue::types::MediaKind;
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageCtx,
    featured: Vec<ExhibitionSummary>,
    categories: CategoryCounts,
    items: Vec<ItemSummary>,
    bases: Vec<Base>,
}

#[tracing::instrument(skip_all)]
pub async fn show(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let repo = &state.catalogue;
    let featured = ListQuery {
        featured_only: true,
        ..ListQuery::all(Visibility::Public, 6)
    };
    // Items with pictures make the best first impression.
    let items = ItemQuery {
        media: Some(MediaKind::Image),
        ..ItemQuery::all(Visibility::Public, 8)
    };
    let bases = ListQuery::all(Visibility::Public, 6);
    let (featured, categories, items, bases) = tokio::try_join!(
        repo.list_exhibitions(&featured),
        repo.category_counts(Visibility::Public),
        repo.list_items(&items),
        repo.list_bases(&bases),
    )?;
    render(&HomePage {
        ctx,
        featured: featured.items,
        categories,
        items: items.items,
        bases: bases.items,
    })
}
