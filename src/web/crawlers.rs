//! What search engines and feed readers fetch: `/robots.txt`, the sitemaps (an index at
//! `/sitemap.xml`, the site's pages, and the items cut by id so that each sitemap stays far
//! below the 50,000-address limit whatever the catalogue's size), and `/feed.atom` with
//! the items most recently published or changed. Every address is given with its
//! `hreflang` alternates, as the pages themselves give them.

use crate::app::AppState;
use crate::catalogue::harvest::{ChangeQuery, ItemChange};
use crate::catalogue::model::Item;
use crate::catalogue::repo::ListQuery;
use crate::catalogue::types::MediaKind;
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::page::{PageCtx, offered_langs};
use crate::web::xml::XmlDoc;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, SecondsFormat, Utc};
use std::io;

/// Items per item sitemap (by id): about 5 MB of XML at most.
const ITEMS_PER_SITEMAP: i64 = 10_000;

/// Entries in the Atom feed.
const FEED_ENTRIES: u32 = 30;

/// The crawler routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap_index))
        .route("/sitemaps/pages", get(pages_sitemap))
        .route("/sitemaps/items/{n}", get(items_sitemap))
        .route("/feed.atom", get(feed))
}

fn failed(e: io::Error) -> AppError {
    AppError::Internal(anyhow::Error::new(e).context("writing XML"))
}

fn w3c(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn robots(State(state): State<AppState>) -> Response {
    let text = format!(
        "# The admin and students' visits are private; everything else may be indexed.\n\
         User-agent: *\n\
         Disallow: /admin/\n\
         Disallow: /visit/\n\
         Disallow: /api/\n\
         \n\
         Sitemap: {}/sitemap.xml\n",
        state.config.public_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

async fn sitemap_index(State(state): State<AppState>) -> Result<Response, AppError> {
    let base = &state.config.public_url;
    let chunks = state.harvest.max_item_id().await? / ITEMS_PER_SITEMAP + 1;
    let mut doc = XmlDoc::new().map_err(failed)?;
    doc.open(
        "sitemapindex",
        &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")],
    )
    .map_err(failed)?;
    let mut entry = |loc: &str| -> io::Result<()> {
        doc.open("sitemap", &[])?;
        doc.text("loc", &[], loc)?;
        doc.close("sitemap")
    };
    entry(&format!("{base}/sitemaps/pages")).map_err(failed)?;
    for n in 0..chunks {
        entry(&format!("{base}/sitemaps/items/{n}")).map_err(failed)?;
    }
    doc.close("sitemapindex").map_err(failed)?;
    Ok(doc.respond("application/xml; charset=utf-8"))
}

/// A `<urlset>` being written.
struct UrlSet {
    doc: XmlDoc,
    base: String,
}

impl UrlSet {
    fn new(base: &str) -> io::Result<UrlSet> {
        let mut doc = XmlDoc::new()?;
        doc.open(
            "urlset",
            &[
                ("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"),
                ("xmlns:xhtml", "http://www.w3.org/1999/xhtml"),
            ],
        )?;
        Ok(UrlSet {
            doc,
            base: base.to_owned(),
        })
    }

    /// One page, with its address in each language of the switch.
    fn url(&mut self, path: &str, lastmod: Option<DateTime<Utc>>) -> io::Result<()> {
        let loc = format!("{}{path}", self.base);
        self.doc.open("url", &[])?;
        self.doc.text("loc", &[], &loc)?;
        if let Some(at) = lastmod {
            self.doc.text("lastmod", &[], &w3c(at))?;
        }
        for lang in offered_langs() {
            let href = format!("{loc}?lang={}", lang.code());
            self.doc.empty(
                "xhtml:link",
                &[
                    ("rel", "alternate"),
                    ("hreflang", lang.bcp47()),
                    ("href", &href),
                ],
            )?;
        }
        self.doc.empty(
            "xhtml:link",
            &[
                ("rel", "alternate"),
                ("hreflang", "x-default"),
                ("href", &loc),
            ],
        )?;
        self.doc.close("url")
    }

    fn respond(mut self) -> Result<Response, AppError> {
        self.doc.close("urlset").map_err(failed)?;
        Ok(self.doc.respond("application/xml; charset=utf-8"))
    }
}

async fn pages_sitemap(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut set = UrlSet::new(&state.config.public_url).map_err(failed)?;
    for path in ["/", "/exhibitions", "/items", "/bases"] {
        set.url(path, None).map_err(failed)?;
    }
    let mut query = ListQuery::all(Visibility::Public, 100);
    loop {
        let page = state.catalogue.list_bases(&query).await?;
        for base in &page.items {
            set.url(
                &format!("/bases/{}", base.fields.slug),
                Some(base.updated_at),
            )
            .map_err(failed)?;
            let halls = state
                .panoramas
                .panoramas(&base.fields.slug, Visibility::Public)
                .await?;
            for p in halls {
                set.url(
                    &format!("/bases/{}/panoramas/{}", base.fields.slug, p.number),
                    Some(p.updated_at),
                )
                .map_err(failed)?;
            }
        }
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    let mut query = ListQuery::all(Visibility::Public, 100);
    loop {
        let page = state.catalogue.list_exhibitions(&query).await?;
        for ex in &page.items {
            set.url(&format!("/exhibitions/{}", ex.slug), Some(ex.updated_at))
                .map_err(failed)?;
            // Each stop of the guided visit has its own narrative.
            for n in 1..=ex.stop_count {
                set.url(
                    &format!("/exhibitions/{}/stops/{n}", ex.slug),
                    Some(ex.updated_at),
                )
                .map_err(failed)?;
            }
        }
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    set.respond()
}

async fn items_sitemap(
    State(state): State<AppState>,
    Path(n): Path<String>,
) -> Result<Response, AppError> {
    let n: i64 = n.parse().map_err(|_| AppError::NotFound)?;
    if n < 0 || n > state.harvest.max_item_id().await? / ITEMS_PER_SITEMAP {
        return Err(AppError::NotFound);
    }
    let changes = state
        .harvest
        .item_changes(&ChangeQuery {
            ids: Some(n * ITEMS_PER_SITEMAP..(n + 1) * ITEMS_PER_SITEMAP),
            limit: ITEMS_PER_SITEMAP as u32,
            ..ChangeQuery::default()
        })
        .await?;
    let mut set = UrlSet::new(&state.config.public_url).map_err(failed)?;
    for c in &changes {
        set.url(&format!("/items/{}", c.slug), Some(c.updated_at))
            .map_err(failed)?;
    }
    set.respond()
}

/// The newest published or changed items, in the reader's language (`?lang=`).
async fn feed(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, AppError> {
    let changes = state
        .harvest
        .item_changes(&ChangeQuery {
            newest_first: true,
            limit: FEED_ENTRIES,
            ..ChangeQuery::default()
        })
        .await?;
    let items = futures_util::future::try_join_all(
        changes
            .iter()
            .map(|c| state.catalogue.item(&c.slug, Visibility::Public)),
    )
    .await?;
    let mut doc = XmlDoc::new().map_err(failed)?;
    write_feed(&mut doc, &ctx, &changes, &items).map_err(failed)?;
    Ok(doc.respond("application/atom+xml; charset=utf-8"))
}

fn write_feed(
    f: &mut XmlDoc,
    ctx: &PageCtx,
    changes: &[ItemChange],
    items: &[Option<Item>],
) -> io::Result<()> {
    let base = &ctx.public_url;
    let self_url = format!("{base}/feed.atom");
    let updated = changes
        .first()
        .map_or(DateTime::UNIX_EPOCH, |c| c.updated_at);
    let site = ctx.t("site-name");
    f.open(
        "feed",
        &[
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xml:lang", ctx.lang.bcp47()),
        ],
    )?;
    f.text("id", &[], &self_url)?;
    f.text("title", &[], &format!("{site} · {}", ctx.t("site-region")))?;
    f.text("subtitle", &[], &ctx.t("site-tagline"))?;
    f.text("updated", &[], &w3c(updated))?;
    f.empty("link", &[("rel", "self"), ("href", &self_url)])?;
    let home = format!("{base}/?lang={}", ctx.lang.code());
    f.empty(
        "link",
        &[("rel", "alternate"), ("type", "text/html"), ("href", &home)],
    )?;
    f.open("author", &[])?;
    f.text("name", &[], &site)?;
    f.close("author")?;
    for (change, item) in changes.iter().zip(items) {
        // Unpublished between the two queries: left out.
        let Some(item) = item else { continue };
        let fields = &item.fields;
        f.open("entry", &[])?;
        // The short link never changes, even when the slug does.
        f.text("id", &[], &format!("{base}/q/{}", fields.accession))?;
        f.text("title", &[], fields.title.get(ctx.lang))?;
        f.text("updated", &[], &w3c(change.updated_at))?;
        let page = format!("{base}/items/{}?lang={}", fields.slug, ctx.lang.code());
        f.empty(
            "link",
            &[("rel", "alternate"), ("type", "text/html"), ("href", &page)],
        )?;
        f.open("author", &[])?;
        f.text("name", &[], item.base.name.get(ctx.lang))?;
        f.close("author")?;
        f.empty(
            "category",
            &[
                ("term", fields.category.code()),
                ("label", &ctx.category(&fields.category)),
            ],
        )?;
        if let Some(media) = item.media.iter().find(|m| m.kind == MediaKind::Image) {
            let cover = media.picture();
            f.empty(
                "link",
                &[
                    ("rel", "enclosure"),
                    ("type", "image/jpeg"),
                    ("href", &ctx.img_abs(&cover)),
                ],
            )?;
        }
        if !fields.summary.is_empty() {
            f.text("summary", &[], fields.summary.get(ctx.lang))?;
        }
        f.close("entry")?;
    }
    f.close("feed")
}
