//! The registry of education bases and the page of one base.

use crate::app::AppState;
use crate::catalogue::model::{Base, ExhibitionSummary, ItemSummary, Picture};
use crate::catalogue::panorama::Panorama;
use crate::catalogue::repo::{ItemQuery, ListQuery};
use crate::catalogue::types::Slug;
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

const PAGE_SIZE: u32 = 24;

#[derive(Template)]
#[template(path = "bases_list.html")]
struct BasesPage {
    ctx: PageCtx,
    bases: Vec<Base>,
    next: Option<String>,
    is_later_page: bool,
    first_url: String,
}

#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
) -> Result<Response, AppError> {
    let after = params.id_cursor()?;
    let is_later_page = after.is_some();
    let page = state
        .catalogue
        .list_bases(&ListQuery {
            after,
            ..ListQuery::all(Visibility::Public, PAGE_SIZE)
        })
        .await?;
    render(&BasesPage {
        next: page.next.map(|c| format!("/bases?page={}", c.encode())),
        first_url: "/bases".into(),
        is_later_page,
        bases: page.items,
        ctx,
    })
}

#[derive(Template)]
#[template(path = "base_show.html")]
struct BasePage {
    ctx: PageCtx,
    base: Base,
    exhibitions: Vec<ExhibitionSummary>,
    items: Vec<ItemSummary>,
    more_items: bool,
    /// Its halls' panoramas, each with its photograph as a picture.
    panoramas: Vec<(Panorama, Picture)>,
}

#[tracing::instrument(skip_all, fields(%slug))]
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let slug = Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let base = state
        .catalogue
        .base(&slug, Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    let exhibitions = ListQuery {
        base: Some(slug.clone()),
        ..ListQuery::all(Visibility::Public, 12)
    };
    let items = ItemQuery {
        base: Some(slug.clone()),
        ..ItemQuery::all(Visibility::Public, 12)
    };
    let (exhibitions, items, panoramas) = tokio::try_join!(
        state.catalogue.list_exhibitions(&exhibitions),
        state.catalogue.list_items(&items),
        state.panoramas.panoramas(&slug, Visibility::Public)
    )?;
    render(&BasePage {
        ctx,
        base,
        exhibitions: exhibitions.items,
        more_items: items.next.is_some(),
        items: items.items,
        panoramas: panoramas
            .into_iter()
            .map(|p| {
                let pic = p.picture();
                (p, pic)
            })
            .collect(),
    })
}
