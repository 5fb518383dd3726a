//! Browsing and searching items (filters, key-based pages) and `/q/{accession}` links.

use super::search::{FacetGroup, Filters, Hit, facet_links, hits};
use crate::app::AppState;
use crate::catalogue::model::{Base, ItemSummary};
use crate::catalogue::repo::{CategoryCounts, ItemQuery, ListQuery};
use crate::catalogue::types::{Accession, Category, Level, MediaKind, Slug};
use crate::error::AppError;
use crate::repo::Visibility;
use crate::search::Analyzer;
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
    /// Set when the page answers a search.
    search: Option<SearchView>,
}

/// What a search page shows beyond the filters.
struct SearchView {
    hits: Vec<Hit>,
    total: i64,
    facets: Vec<FacetGroup>,
    /// Links that keep the query and drop one active filter each (for "nothing found").
    without_filters: Option<String>,
}

impl ItemsPage {
    fn is_category(&self, c: &Category) -> bool {
        self.category.as_ref() == Some(c)
    }

    fn is_media(&self, k: &MediaKind) -> bool {
        self.media.as_ref() == Some(k)
    }
}

/// The filters that only a search offers, beyond those of the plain list.
#[derive(Debug, Clone, Copy, Default)]
struct SearchOnly {
    /// Protection level.
    level: Option<Level>,
    /// Century of the item's year.
    period: Option<i32>,
}

/// `/items?…` with the filters of `query` and the given page token.
fn items_url(query: &ItemQuery, page: Option<&str>) -> String {
    items_url_with(query, SearchOnly::default(), page)
}

/// `/items?…` with the filters of `query`, the search-only filters, and a page token.
fn items_url_with(query: &ItemQuery, only: SearchOnly, page: Option<&str>) -> String {
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
    if let Some(l) = only.level {
        s.append_pair("level", l.code());
    }
    if let Some(p) = only.period {
        s.append_pair("period", &p.to_string());
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
        import: None,
        lacks: None,
        after: params.cursor()?,
        limit: PAGE_SIZE,
    };
    let only = SearchOnly {
        level: params.level()?,
        period: params.period()?,
    };
    let analysed = query
        .text
        .as_deref()
        .map(|t| Analyzer::shared().query(t))
        .filter(|q| !q.is_empty());
    if let Some(analysed) = analysed {
        return search(state, ctx, query, only, analysed).await;
    }
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
        search: None,
        ctx,
    })
}

/// The search branch of `/items`: ranked hits, highlights, facets.
async fn search(
    state: AppState,
    ctx: PageCtx,
    query: ItemQuery,
    only: SearchOnly,
    analysed: crate::search::SearchQuery,
) -> Result<Response, AppError> {
    let filters = Filters {
        category: query.category,
        base: query.base.clone(),
        media: query.media,
        level: only.level,
        period: only.period,
    };
    let all_bases = ListQuery::all(Visibility::Public, 100);
    let (results, categories, bases) = tokio::try_join!(
        async {
            super::search::run(&state, analysed, &filters, query.after.clone(), PAGE_SIZE)
                .await
                .map_err(AppError::from)
        },
        async {
            state
                .catalogue
                .category_counts(Visibility::Public)
                .await
                .map_err(AppError::from)
        },
        async {
            state
                .catalogue
                .list_bases(&all_bases)
                .await
                .map_err(AppError::from)
        },
    )?;
    let base_name = |slug: &Slug| {
        bases
            .items
            .iter()
            .find(|b| &b.fields.slug == slug)
            .map(|b| ctx.txt(&b.fields.name).to_owned())
            .unwrap_or_else(|| slug.to_string())
    };
    let facet_url = |name: &str, value: Option<&str>| {
        let mut q = query.clone();
        q.after = None;
        let mut o = only;
        match name {
            "category" => q.category = value.and_then(|v| Category::parse(v).ok()),
            "base" => q.base = value.and_then(|v| Slug::parse(v).ok()),
            "media" => q.media = value.and_then(|v| MediaKind::parse(v).ok()),
            "period" => o.period = value.and_then(|v| v.parse().ok()),
            _ => o.level = value.and_then(|v| Level::parse(v).ok()),
        }
        items_url_with(&q, o, None)
    };
    let facets = facet_links(&ctx, &results.facets, &base_name, &facet_url, &filters);
    let has_filters = query.category.is_some()
        || query.base.is_some()
        || query.media.is_some()
        || only.level.is_some()
        || only.period.is_some();
    let without_filters = has_filters.then(|| {
        let mut q = ItemQuery::all(Visibility::Public, PAGE_SIZE);
        q.text = query.text.clone();
        items_url(&q, None)
    });
    let view = SearchView {
        hits: hits(&ctx, &results),
        total: results.facets.total,
        facets,
        without_filters,
    };
    render(&ItemsPage {
        next: results
            .page
            .next
            .as_ref()
            .map(|c| items_url_with(&query, only, Some(&c.encode()))),
        first_url: items_url_with(&query, only, None),
        is_later_page: query.after.is_some(),
        items: Vec::new(),
        categories,
        bases: bases.items,
        media_kinds: MediaKind::ALL,
        category: query.category,
        base_slug: query.base.map(|b| b.to_string()).unwrap_or_default(),
        media: query.media,
        text: query.text.unwrap_or_default(),
        filtered: true,
        search: Some(view),
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
