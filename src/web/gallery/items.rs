//! Browsing items (filters, key-based pages), the item page, and `/q/{accession}` links.

use crate::app::AppState;
use crate::catalogue::model::{Base, ExhibitionSummary, Item, ItemSummary, Picture};
use crate::catalogue::repo::{CategoryCounts, ItemQuery, ListQuery};
use crate::catalogue::types::{Accession, Category, MediaKind, Slug};
use crate::error::AppError;
use crate::i18n::{Lang, LocalizedText};
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
        media: params.media_kind()?,
        text: params.text("q")?,
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

/// An image as the item page shows it.
struct ImageView {
    sha256: String,
    picture: Picture,
    caption: LocalizedText,
    credit: String,
    rights: String,
    source: Option<String>,
    size: String,
}

#[derive(Template)]
#[template(path = "item_show.html")]
struct ItemPage {
    ctx: PageCtx,
    item: Item,
    other_titles: Vec<(Lang, String)>,
    images: Vec<ImageView>,
    cover: Option<Picture>,
    exhibitions: Vec<ExhibitionSummary>,
    related: Vec<ItemSummary>,
    json_ld: String,
}

/// "2048 × 1536 px, 372 KB"
fn describe_size(width: Option<i32>, height: Option<i32>, bytes: i64) -> String {
    let size = if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    };
    match (width, height) {
        (Some(w), Some(h)) => format!("{w} × {h} px, {size}"),
        _ => size,
    }
}

/// schema.org JSON-LD for search engines, safe to embed in a `<script>` element.
fn json_ld(item: &Item, ctx: &PageCtx, cover: Option<&Picture>) -> String {
    let mut doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": format!("{}/items/{}", ctx.public_url, item.fields.slug),
        "url": format!("{}/items/{}", ctx.public_url, item.fields.slug),
        "name": item.fields.title.get(ctx.lang),
        "inLanguage": ctx.lang.bcp47(),
        "identifier": item.fields.accession.as_str(),
        "license": item.fields.rights,
        "genre": ctx.category(&item.fields.category),
        "provider": {"@type": "Museum", "name": item.base.name.get(ctx.lang),
                     "url": format!("{}/bases/{}", ctx.public_url, item.base.slug)},
    });
    if !item.fields.summary.is_empty() {
        doc["description"] = item.fields.summary.get(ctx.lang).into();
    }
    if let Some(pic) = cover {
        doc["image"] = ctx.img_abs(pic).into();
    }
    // `</script>` inside a string must not end the element.
    doc.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[tracing::instrument(skip_all, fields(%slug))]
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let slug = Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let item = state
        .catalogue
        .item(&slug, Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    let (exhibitions, related) = tokio::try_join!(
        state.catalogue.exhibitions_with_item(item.id),
        state.catalogue.related_items(&item, 8),
    )?;
    let images: Vec<ImageView> = item
        .media
        .iter()
        .filter(|m| m.kind == MediaKind::Image)
        .map(|m| ImageView {
            sha256: m.sha256.clone(),
            picture: Picture {
                sha256: m.sha256.clone(),
                width: m.width,
                height: m.height,
                alt: m.fields.alt.clone(),
            },
            caption: m.fields.caption.clone(),
            credit: m.fields.credit.clone(),
            rights: m.fields.rights.clone(),
            source: m.fields.source.clone(),
            size: describe_size(m.width, m.height, m.bytes),
        })
        .collect();
    let cover = images.first().map(|i| i.picture.clone());
    let shown = item.fields.title.lang_of(ctx.lang);
    let other_titles = Lang::ALL
        .into_iter()
        .filter(|l| *l != shown)
        .filter_map(|l| item.fields.title.exact(l).map(|t| (l, t.to_owned())))
        .collect();
    let json_ld = json_ld(&item, &ctx, cover.as_ref());
    render(&ItemPage {
        ctx,
        other_titles,
        images,
        cover,
        exhibitions,
        related,
        json_ld,
        item,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_catalogue() {
        assert_eq!(
            describe_size(Some(2048), Some(1536), 372_688),
            "2048 × 1536 px, 364 KB"
        );
        assert_eq!(describe_size(None, None, 3 << 20), "3.0 MB");
    }
}
