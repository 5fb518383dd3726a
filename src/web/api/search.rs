//! `/api/v1/search`: ranked hits with highlights and facet counts. The gallery's search box
//! asks it for suggestions while the visitor types.

use super::dto::{self, ItemSummaryDto, Urls};
use super::openapi::ErrorDto;
use super::{DEFAULT_LIMIT, MAX_LIMIT, json};
use crate::app::AppState;
use crate::error::AppError;
use crate::search::Analyzer;
use crate::search::highlight::highlight;
use crate::web::gallery::search::{Filters, run};
use crate::web::params::Params;
use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Text cut into `(piece, marked)` pairs, per language code.
type Pieces = BTreeMap<&'static str, Vec<(String, bool)>>;

/// A hit: the item and its title and summary in each language, cut into pieces that the
/// query matched (`marked`) or not.
#[derive(Serialize, ToSchema)]
pub struct HitDto {
    #[serde(flatten)]
    item: ItemSummaryDto,
    /// For `title` and `summary`, per language code, the text cut into `[piece, marked]`
    /// pairs: `marked` is true where the query matched.
    #[schema(value_type = Object)]
    highlight: BTreeMap<&'static str, Pieces>,
}

/// Search results.
#[derive(Serialize, ToSchema)]
pub struct SearchDto {
    query: String,
    total: i64,
    facets: BTreeMap<&'static str, BTreeMap<String, i64>>,
    data: Vec<HitDto>,
    next_page: Option<String>,
    next: Option<String>,
}

/// Ranked search in Chinese, pinyin, Mongolian and English, with highlights and facet
/// counts.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "search",
    params(
        ("q" = String, Query, description = "The words to search for: Chinese, pinyin (full or initials), Mongolian (traditional or Cyrillic) or English"),
        ("category" = Option<String>, Query, description = "Only this heritage category, by code"),
        ("base" = Option<String>, Query, description = "Only items kept by this base (its slug)"),
        ("media" = Option<String>, Query, description = "Only items with media of this kind"),
        ("level" = Option<String>, Query, description = "Only items of this protection level: `national`, `region`, `city` or `banner`"),
        ("period" = Option<String>, Query, description = "Only items of this period bucket (see the `period` facet)"),
        ("limit" = Option<u32>, Query, description = "Page size, 1–100 (default 20)"),
        ("page" = Option<String>, Query, description = "The `next_page` token of the previous page")
    ),
    responses(
        (status = 200, description = "The hits, best first", body = SearchDto),
        (status = 400, description = "A bad parameter, named in `param`", body = ErrorDto),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn list(State(state): State<AppState>, params: Params) -> Result<Response, AppError> {
    let text = params
        .text("q")?
        .ok_or_else(|| AppError::bad_param("q", "", Some("the words to search for".into())))?;
    let filters = Filters {
        category: params.category()?,
        base: params.slug("base")?,
        media: params.media_kind()?,
        level: params.level()?,
        period: params.period()?,
    };
    let limit = params.limit(DEFAULT_LIMIT, MAX_LIMIT)?;
    let after = params.cursor()?;
    let analyzer = Analyzer::shared();
    let query = analyzer.query(&text);
    let urls = Urls(&state.config.public_url);
    if query.is_empty() {
        return Ok(json(&SearchDto {
            query: text,
            total: 0,
            facets: BTreeMap::new(),
            data: Vec::new(),
            next_page: None,
            next: None,
        }));
    }
    let results = run(&state, query, &filters, after, limit)
        .await
        .map_err(|e| match e {
            crate::repo::RepoError::Invalid(_) => AppError::bad_param("page", "", None),
            e => e.into(),
        })?;
    let mut facets: BTreeMap<&'static str, BTreeMap<String, i64>> = BTreeMap::new();
    let f = &results.facets;
    facets.insert(
        "category",
        f.categories
            .iter()
            .map(|(c, n)| (c.code().to_owned(), *n))
            .collect(),
    );
    facets.insert(
        "base",
        f.bases.iter().map(|(b, n)| (b.to_string(), *n)).collect(),
    );
    facets.insert(
        "media",
        f.media
            .iter()
            .map(|(k, n)| (k.code().to_owned(), *n))
            .collect(),
    );
    facets.insert(
        "level",
        f.levels
            .iter()
            .map(|(l, n)| (l.code().to_owned(), *n))
            .collect(),
    );
    facets.insert(
        "period",
        f.periods.iter().map(|(p, n)| (p.to_string(), *n)).collect(),
    );
    let pieces = |t: &Option<String>| {
        t.as_deref().map(|t| {
            highlight(analyzer, t, &results.query)
                .into_iter()
                .map(|p| (p.text, p.marked))
                .collect::<Vec<_>>()
        })
    };
    let data = results
        .page
        .items
        .iter()
        .map(|i| {
            let mut highlight = BTreeMap::new();
            for (field, text) in [("title", &i.title), ("summary", &i.summary)] {
                let mut langs = BTreeMap::new();
                for (lang, t) in [("zh", &text.zh), ("mn", &text.mn), ("en", &text.en)] {
                    if let Some(p) = pieces(t) {
                        langs.insert(lang, p);
                    }
                }
                highlight.insert(field, langs);
            }
            HitDto {
                item: dto::item_summary(i.clone(), &urls),
                highlight,
            }
        })
        .collect();
    let next_page = results.page.next.as_ref().map(|c| c.encode());
    let next = next_page.as_ref().map(|token| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("q", &text);
        for (name, value) in [
            ("category", filters.category.map(|c| c.code().to_owned())),
            ("base", filters.base.as_ref().map(|b| b.to_string())),
            ("media", filters.media.map(|m| m.code().to_owned())),
            ("level", filters.level.map(|l| l.code().to_owned())),
            ("period", filters.period.map(|p| p.to_string())),
            ("limit", Some(limit.to_string())),
            ("page", Some(token.clone())),
        ] {
            if let Some(value) = value {
                s.append_pair(name, &value);
            }
        }
        format!("{}/api/v1/search?{}", state.config.public_url, s.finish())
    });
    Ok(json(&SearchDto {
        query: text,
        total: results.facets.total,
        facets,
        data,
        next_page,
        next,
    }))
}
