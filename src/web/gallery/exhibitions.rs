//! Exhibitions: the list, one exhibition with its numbered path, and the guided visit that
//! walks the stops one at a time.

use crate::app::AppState;
use crate::catalogue::model::{Exhibition, ExhibitionSummary, Stop};
use crate::catalogue::repo::ListQuery;
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
#[template(path = "exhibitions_list.html")]
struct ExhibitionsPage {
    ctx: PageCtx,
    exhibitions: Vec<ExhibitionSummary>,
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
        .list_exhibitions(&ListQuery {
            after,
            ..ListQuery::all(Visibility::Public, PAGE_SIZE)
        })
        .await?;
    render(&ExhibitionsPage {
        next: page
            .next
            .map(|c| format!("/exhibitions?page={}", c.encode())),
        first_url: "/exhibitions".into(),
        is_later_page,
        exhibitions: page.items,
        ctx,
    })
}

async fn load(state: &AppState, slug: &str) -> Result<Exhibition, AppError> {
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    state
        .catalogue
        .exhibition(&slug, Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "exhibition_show.html")]
struct ExhibitionPage {
    ctx: PageCtx,
    ex: Exhibition,
}

#[tracing::instrument(skip_all, fields(%slug))]
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let ex = load(&state, &slug).await?;
    render(&ExhibitionPage { ctx, ex })
}

#[derive(Template)]
#[template(path = "stop_show.html")]
struct StopPage {
    ctx: PageCtx,
    ex: Exhibition,
    stop: Stop,
    total: usize,
    prev: Option<i64>,
    next: Option<i64>,
    progress_label: String,
}

#[tracing::instrument(skip_all, fields(%slug, %number))]
pub async fn stop(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let number: usize = number.parse().map_err(|_| AppError::NotFound)?;
    let ex = load(&state, &slug).await?;
    let total = ex.stops.len();
    if number == 0 || number > total {
        return Err(AppError::NotFound);
    }
    let stop = ex.stops[number - 1].clone();
    let progress_label = ctx.tr.with(
        "stop-progress",
        &[("n", &number.to_string()), ("total", &total.to_string())],
    );
    render(&StopPage {
        prev: (number > 1).then(|| number as i64 - 1),
        next: (number < total).then(|| number as i64 + 1),
        progress_label,
        total,
        stop,
        ex,
        ctx,
    })
}
