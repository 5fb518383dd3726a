//! `/items?q=…`: search results with highlighted words and facet counts, and a helpful page
//! when nothing matches. Works without JavaScript; `static/js/search.js` only adds
//! suggestions while typing.

use crate::app::AppState;
use crate::catalogue::model::ItemSummary;
use crate::catalogue::types::{Category, Level, MediaKind, Slug};
use crate::repo::{Cursor, Visibility};
use crate::search::highlight::{Piece, highlight};
use crate::search::repo::{Facets, SearchRequest, SearchResults};
use crate::search::{Analyzer, SearchQuery};
use crate::web::page::PageCtx;

/// One result: the card and its highlighted title and summary.
pub struct Hit {
    /// The item.
    pub item: ItemSummary,
    /// Title in the page's language, cut into marked and unmarked pieces.
    pub title: Vec<Piece>,
    /// Summary likewise.
    pub summary: Vec<Piece>,
}

/// The filters of a search, as given.
pub struct Filters {
    /// ICH category.
    pub category: Option<Category>,
    /// Base slug.
    pub base: Option<Slug>,
    /// Media kind.
    pub media: Option<MediaKind>,
    /// Protection level.
    pub level: Option<Level>,
    /// Century of the item's year.
    pub period: Option<i32>,
}

/// Runs an analysed query with filters.
pub async fn run(
    state: &AppState,
    query: SearchQuery,
    filters: &Filters,
    after: Option<Cursor>,
    limit: u32,
) -> Result<SearchResults, crate::repo::RepoError> {
    state
        .search
        .search(&SearchRequest {
            query,
            visibility: Visibility::Public,
            category: filters.category,
            base: filters.base.clone(),
            media: filters.media,
            level: filters.level,
            period: filters.period,
            after,
            limit,
        })
        .await
}

/// Highlights the hits for a page in `ctx`'s language.
pub fn hits(ctx: &PageCtx, results: &SearchResults) -> Vec<Hit> {
    let analyzer = Analyzer::shared();
    results
        .page
        .items
        .iter()
        .map(|item| Hit {
            title: highlight(analyzer, ctx.txt(&item.title), &results.query),
            summary: highlight(analyzer, ctx.txt(&item.summary), &results.query),
            item: item.clone(),
        })
        .collect()
}

/// One facet value: its label, count, and the link that applies (or removes) it.
pub struct FacetLink {
    /// Shown name.
    pub label: String,
    /// Hits with this value.
    pub count: i64,
    /// Applies the filter, or removes it when active.
    pub url: String,
    /// This filter is applied.
    pub active: bool,
}

/// A facet: its heading's message key and its values.
pub struct FacetGroup {
    /// Message key of the heading.
    pub heading: &'static str,
    /// The values with hits.
    pub links: Vec<FacetLink>,
}

/// A century as the years it spans: "1801–1900", "100–1 BC".
fn period_label(ctx: &PageCtx, century: i32) -> String {
    let (from, to) = crate::search::facets::century_years(century);
    if century > 0 {
        ctx.t1("facet-period-ad", "years", &format!("{from}–{to}"))
    } else {
        ctx.t1("facet-period-bc", "years", &format!("{}–{}", -from, -to))
    }
}

/// The facets as links; facets without values are left out.
pub fn facet_links(
    ctx: &PageCtx,
    facets: &Facets,
    base_names: &dyn Fn(&Slug) -> String,
    url: &dyn Fn(&str, Option<&str>) -> String,
    filters: &Filters,
) -> Vec<FacetGroup> {
    let link = |name: &str, code: &str, label: String, count: i64, active: bool| FacetLink {
        label,
        count,
        url: url(name, (!active).then_some(code)),
        active,
    };
    let groups = [
        FacetGroup {
            heading: "facet-category",
            links: facets
                .categories
                .iter()
                .map(|(c, n)| {
                    let active = filters.category == Some(*c);
                    link("category", c.code(), ctx.category(c), *n, active)
                })
                .collect(),
        },
        FacetGroup {
            heading: "facet-base",
            links: facets
                .bases
                .iter()
                .map(|(b, n)| {
                    let active = filters.base.as_ref() == Some(b);
                    link("base", b.as_str(), base_names(b), *n, active)
                })
                .collect(),
        },
        FacetGroup {
            heading: "facet-media",
            links: facets
                .media
                .iter()
                .map(|(k, n)| {
                    let active = filters.media == Some(*k);
                    link("media", k.code(), ctx.media_kind(k), *n, active)
                })
                .collect(),
        },
        FacetGroup {
            heading: "facet-period",
            links: facets
                .periods
                .iter()
                .map(|(p, n)| {
                    let active = filters.period == Some(*p);
                    link("period", &p.to_string(), period_label(ctx, *p), *n, active)
                })
                .collect(),
        },
        FacetGroup {
            heading: "facet-level",
            links: facets
                .levels
                .iter()
                .map(|(l, n)| {
                    let active = filters.level == Some(*l);
                    link("level", l.code(), ctx.level(l), *n, active)
                })
                .collect(),
        },
    ];
    groups.into_iter().filter(|g| !g.links.is_empty()).collect()
}
