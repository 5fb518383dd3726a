//! Browsing items (filters, key-based pages), the item page, and `/q/{accession}` links.

use crate::app::AppState;
use crate::catalogue::model::{Base, ItemSummary};
use crate::catalogue::repo::{CategoryCounts, ItemQuery, ListQuery};
use crate::catalogue::types::{Accession, Category, MediaKind};
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

const PAGE_SIZE: u32 = 24;

#[derive(Template)]
#[template(path = "items_list.html")]
struct ItemsPage {
    ctx: PageCtx,
    items: Vec<ItemSummary>,
    categories: CategoryCounts,
    bases: Vec<Base>,
    media_kinds: &'static [MediaKind],
    category: Option<Category>,
    base_slug: String,
    media: Option<MediaKind>,
    text: String,
    filtered: bool,
    next: Option<String>,
    is_later_page: bool,
    first_url: String,
}

impl ItemsPage {
    fn is_category(&self, c: &Category) -> bool {
        self.category.as_ref() == Some(c)
    }

    fn is_media(&self, k: &MediaKind) -> bool {
        self.media.as_ref() == Some(k)
    }
}

/// `/items?…` with the filters of `query` and the given page token.
fn items_url(query: &ItemQuery, page: Option<&str>) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    if let Some(q) = &query.text {
        s.append_pair("q", q);
    }
    if let Some(c) = query.category {
        s.append_pair("category", c.code());
    }
    if let Some(b) = &query.base {
        s.append_pair("base", b.as_str());
    }
    if let Some(m) = query.media {
        s.append_pair("media", m.code());
    }
    if let Some(p) = page {
        s.append_pair("page", p);
    }
    let q = s.finish();
    if q.is_empty() {
        "/items".into()
    } else {
        format!("/items?{q}")
    }
}

#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    params: Params,
) -> Result<Response, AppError> {
    let query = ItemQuery {
        visibility: Visibility::Public,
        category: params.category()?,
        base: params.slug("base")?,
        bases: None,
        media: params.media_kind()?,
        text: params.text("q")?,
        status: None,
        after: params.cursor()?,
        limit: PAGE_SIZE,
    };
    let all_bases = ListQuery::all(Visibility::Public, 100);
    let (page, categories, bases) = tokio::try_join!(
        state.catalogue.list_items(&query),
        state.catalogue.category_counts(Visibility::Public),
        state.catalogue.list_bases(&all_bases),
    )?;
    let filtered = query.category.is_some()
        || query.base.is_some()
        || query.media.is_some()
        || query.text.is_some();
    render(&ItemsPage {
        next: page.next.map(|c| items_url(&query, Some(&c.encode()))),
        first_url: items_url(&query, None),
        is_later_page: query.after.is_some(),
        items: page.items,
        categories,
        bases: bases.items,
        media_kinds: MediaKind::ALL,
        category: query.category,
        base_slug: query.base.map(|b| b.to_string()).unwrap_or_default(),
        media: query.media,
        text: query.text.unwrap_or_default(),
        filtered,
        ctx,
    })
}

/// `/q/{accession}`: the short link printed as a QR code on physical labels.
#[tracing::instrument(skip_all, fields(%accession))]
pub async fn by_accession(
    State(state): State<AppState>,
    Path(accession): Path<String>,
) -> Result<Response, AppError> {
    let accession = Accession::parse(&accession).map_err(|_| AppError::NotFound)?;
    let slug = state
        .catalogue
        .item_slug_by_accession(&accession, Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/items/{slug}")).into_response())
}
