//! Running a search: the hits of an analysed query, best first, and their facet counts.
//!
//! Three steps, each shaped by what it costs on a large catalogue:
//! 1. Facets and the total come from a "cube" (hits per combination of facet values,
//!    [`FacetCube`]): one full-text match, each hit's combination read from its search key
//!    (SQLite, migration 0011) or from the narrow `search_facet` table (PostgreSQL).
//!    Cubes of recent queries are kept while the database's `search_generation` stands
//!    still, so a popular query is counted once per change.
//! 2. When the query's own words find fewer than [`WIDEN_BELOW`] hits, it is widened: a
//!    Chinese word may match its characters anywhere, a Latin word its near spellings.
//! 3. The page is ranked in two tiers, as the relevance rules ask: items the whole query
//!    matches in their titles (or accession number and inheritors) come first, then items
//!    that need their descriptions. The engines' scores (FTS5 `bm25`, PostgreSQL
//!    `ts_rank_cd`, with field weights) order each tier, and a tier is only scored when
//!    the page reaches it: scoring costs about a microsecond per hit in SQLite and over
//!    ten in PostgreSQL (which reads each hit's tsvector back from TOAST), and the title
//!    tier is a fraction of the whole. Both rank the title tier in an index of titles
//!    alone (PostgreSQL: `title_tsv`, migration 0016).
//!
//! The counts and the page run side by side on two connections.

use super::rows::ItemSummaryRow;
use super::{SqlStore, map_err};
use crate::catalogue::model::ItemSummary;
use crate::repo::{Cursor, Page, RepoError, RepoResult};
use crate::search::facets::{GenerationCache, media_bit};
use crate::search::repo::{SearchRequest, SearchResults};
use crate::search::{SearchQuery, latin};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};
use std::sync::Arc;

/// A query whose words find fewer hits than this (after filters) is widened.
pub const WIDEN_BELOW: i64 = 10;

/// A hit: an item card and its score.
#[derive(sqlx::FromRow)]
pub struct HitRow {
    #[sqlx(flatten)]
    item: ItemSummaryRow,
    score: f64,
}

/// One cell of a cube as the database returns it.
pub type CellRow = (bool, String, String, String, i64, i64, i64);

/// A facet combination as the database returns it: its id, then a cell without the count.
pub type ComboRow = (i64, bool, String, String, String, i64, i64);

/// The per-engine pieces of the search SQL: where hits come from (`s`), how `$1` matches,
/// the hit's id, its facet combination and its score (lower is better); how `$1` matches
/// the hits that are not in the title tier; and the same for the title tier.
pub(super) struct Engine {
    pub(super) from: &'static str,
    pub(super) matches: &'static str,
    rest_matches: &'static str,
    id: &'static str,
    pub(super) combo: &'static str,
    score: &'static str,
    title_from: &'static str,
    title_matches: &'static str,
    title_score: &'static str,
}

/// SQLite: a full-text rowid is the hit's search key, `(combo << 32) | item id` (see
/// migration 0011), and titles have an index of their own.
const SQLITE: Engine = Engine {
    from: "search_fts s",
    matches: "search_fts match $1",
    // The rest tier's query says "and not in the title" itself (see `texts`).
    rest_matches: "search_fts match $1",
    id: "(s.rowid & 4294967295)",
    combo: "(s.rowid >> 32)",
    score: "bm25(search_fts, 8.0, 1.0, 12.0)",
    title_from: "search_title_fts s",
    title_matches: "search_title_fts match $1",
    title_score: "bm25(search_title_fts, 8.0, 12.0)",
};

/// PostgreSQL: the whole tsvector for matching and the rest tier, the small `title_tsv`
/// (which stays in the row) for the title tier (migration 0016).
const POSTGRES: Engine = Engine {
    from: "search_doc s join search_facet f on f.item_id = s.item_id",
    matches: "s.tsv @@ cast($1 as tsquery)",
    rest_matches: "s.tsv @@ cast($1 as tsquery) and not (s.title_tsv @@ cast($1 as tsquery))",
    id: "s.item_id",
    combo: "f.combo",
    score: "(-ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', s.tsv, cast($1 as tsquery)))::float8",
    title_from: "search_doc s join search_facet f on f.item_id = s.item_id",
    title_matches: "s.title_tsv @@ cast($1 as tsquery)",
    title_score: "(-ts_rank_cd(s.title_tsv, cast($1 as tsquery)))::float8",
};

pub(super) fn engine(backend: &str) -> &'static Engine {
    if backend == "PostgreSQL" {
        &POSTGRES
    } else {
        &SQLITE
    }
}

/// The query in the engine's syntax: all of it, its title tier, and the rest.
struct Texts {
    all: String,
    titles: String,
    rest: String,
}

fn texts(backend: &str, q: &SearchQuery, widen: bool) -> Texts {
    if backend == "PostgreSQL" {
        // The tiers differ in the column they ask (see POSTGRES), not in the query.
        let all = q.to_tsquery(widen);
        Texts {
            titles: all.clone(),
            rest: all.clone(),
            all,
        }
    } else {
        // The title tier asks the title index; the rest asks the whole one.
        let all = q.to_fts5(widen);
        let rest = format!("({all}) NOT ({{title exact}} : ({all}))");
        Texts {
            titles: all.clone(),
            all,
            rest,
        }
    }
}

/// A page position: the tier, score and id of the last hit shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Position {
    tier: u8,
    score: f64,
    id: i64,
}

impl Position {
    fn parse(c: &Cursor) -> RepoResult<Position> {
        let bad = || RepoError::Invalid("unusable page token".into());
        let mut parts = c.key().splitn(3, '|');
        let mut next = || parts.next().ok_or_else(bad);
        let tier = next()?.parse().map_err(|_| bad())?;
        let score = next()?.parse().map_err(|_| bad())?;
        let id = next()?.parse().map_err(|_| bad())?;
        if tier > 1 {
            return Err(bad());
        }
        Ok(Position { tier, score, id })
    }

    fn cursor(&self) -> String {
        format!("{}|{}|{}", self.tier, self.score, self.id)
    }
}

/// Hits of one tier of a query from one position, as [`SqlStore::tier`] found them.
pub(super) type TierCache = GenerationCache<Arc<Vec<(ItemSummary, Position)>>>;

/// A cache of tier pages holding up to `max_hits` hits in all.
pub(super) fn tier_cache(max_hits: u64) -> TierCache {
    GenerationCache::new(max_hits, |hits| {
        u32::try_from(hits.len()).unwrap_or(u32::MAX)
    })
}

pub(super) fn corrupt(what: &str, e: impl std::fmt::Display) -> RepoError {
    RepoError::Backend(anyhow::anyhow!("stored {what} is invalid: {e}"))
}

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> f64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<f64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'r> HitRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'r> CellRow: FromRow<'r, DB::Row>,
    for<'r> ComboRow: FromRow<'r, DB::Row>,
{
    /// Runs a search (see the module notes).
    pub(super) async fn run_search(&self, request: &SearchRequest) -> RepoResult<SearchResults> {
        let backend = DB::NAME;
        let position = request.after.as_ref().map(Position::parse).transpose()?;
        let (generation,) = sqlx::query_as::<DB, (i64,)>("select n from search_generation")
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        let mut query = request.query.clone();
        let mut text = texts(backend, &query, false);
        // The counts and the page are independent, so they run side by side on two
        // connections; only a query widened for lack of hits needs its page again.
        let (cube, page) = tokio::join!(
            self.cube(&text.all, generation),
            self.page(request, &text, position, generation)
        );
        let (mut cube, mut page) = (cube?, page?);
        if cube.total(request) < WIDEN_BELOW {
            let strict = text.all.clone();
            self.forgive_typos(&mut query).await?;
            text = texts(backend, &query, true);
            if text.all != strict {
                cube = self.cube(&text.all, generation).await?;
                page = self.page(request, &text, position, generation).await?;
            }
        }
        Ok(SearchResults {
            page,
            facets: cube.facets(request),
            query,
        })
    }

    /// A page of hits from `position` on: the title tier, then the rest.
    async fn page(
        &self,
        request: &SearchRequest,
        text: &Texts,
        position: Option<Position>,
        generation: i64,
    ) -> RepoResult<Page<ItemSummary>> {
        let want = request.limit as usize + 1;
        let mut hits = Vec::new();
        if position.is_none_or(|p| p.tier == 0) {
            hits = self
                .tier(request, &text.titles, 0, position, want, generation)
                .await?
                .to_vec();
        }
        if hits.len() < want {
            let after = position.filter(|p| p.tier == 1);
            let rest = self
                .tier(request, &text.rest, 1, after, want - hits.len(), generation)
                .await?;
            hits.extend(rest.iter().cloned());
        }
        let page = Page::from_overfetch(hits, request.limit as usize, |(_, p)| p.cursor());
        Ok(Page {
            items: page.items.into_iter().map(|(item, _)| item).collect(),
            next: page.next,
        })
    }

    /// Up to `limit` hits of one tier after `after`, best first: counted now, or kept from
    /// an earlier request at the same generation.
    async fn tier(
        &self,
        request: &SearchRequest,
        text: &str,
        tier: u8,
        after: Option<Position>,
        limit: usize,
        generation: i64,
    ) -> RepoResult<Arc<Vec<(ItemSummary, Position)>>> {
        let key = format!(
            "{tier}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{limit}|{text}",
            request.visibility,
            request.category,
            request.base,
            request.media,
            request.level,
            request.period,
            after.map(|p| p.cursor()),
        );
        if let Some(hits) = self.tiers.get(&key, generation) {
            return Ok(hits);
        }
        let e = engine(DB::NAME);
        let (from, matches, score) = if tier == 0 {
            (e.title_from, e.title_matches, e.title_score)
        } else {
            (e.from, e.rest_matches, e.score)
        };
        let sql = format!(
            "select {columns}, h.score from (\
               select {id} as id, {score} as score from {from} \
               where {matches} \
                 and {combo} in (select c.id from search_facet_combo c \
                   where ($2 or c.published) \
                     and ($3 is null or c.category = $3) \
                     and ($4 is null or c.base_id = (select id from base where slug = $4)) \
                     and ($5 = 0 or (c.media & $5) <> 0) \
                     and ($6 is null or c.level = $6) \
                     and ($7 is null or c.century = $7)) \
                 and ($8 is null or {score} > $8 or ({score} = $8 and {id} > $9)) \
               order by score, id limit $10) h \
             join item i on i.id = h.id {joins} order by h.score, h.id",
            columns = super::catalogue::item_summary_columns!(),
            joins = super::catalogue::item_summary_joins!(),
            id = e.id,
            combo = e.combo,
        );
        // Composed of constants only; the query text is a bound parameter.
        let rows = sqlx::query_as::<DB, HitRow>(sqlx::AssertSqlSafe(sql))
            .bind(text.to_owned())
            .bind(request.visibility.includes_unpublished())
            .bind(request.category.map(|c| c.code().to_owned()))
            .bind(request.base.as_ref().map(|b| b.as_str().to_owned()))
            .bind(request.media.map(media_bit).unwrap_or(0))
            .bind(request.level.map(|l| l.code().to_owned()))
            .bind(request.period.map(i64::from))
            .bind(after.map(|p| p.score))
            .bind(after.map(|p| p.id))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        let hits = rows
            .into_iter()
            .map(|r| {
                let item = ItemSummary::try_from(r.item)?;
                let at = Position {
                    tier,
                    score: r.score,
                    id: item.id,
                };
                Ok((item, at))
            })
            .collect::<RepoResult<Vec<_>>>()?;
        let hits = Arc::new(hits);
        self.tiers.put(key, generation, hits.clone());
        Ok(hits)
    }

    /// Lets each typo-tolerant query word also match the indexed words near it: same first
    /// letter, length and edit distance within the budget. Words that exist as typed are
    /// left alone.
    async fn forgive_typos(&self, query: &mut SearchQuery) -> RepoResult<()> {
        for index in 0..query.groups.len() {
            let Some(word) = query.groups[index].typo.clone() else {
                continue;
            };
            let known =
                sqlx::query_as::<DB, (String,)>("select term from search_term where term = $1")
                    .bind(word.clone())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(map_err)?;
            if known.is_some() {
                continue;
            }
            let len = word.chars().count();
            let budget = latin::typo_budget(len);
            let Some(first) = word.chars().next() else {
                continue;
            };
            let next = char::from_u32(first as u32 + 1).unwrap_or(char::MAX);
            let rows = sqlx::query_as::<DB, (String,)>(
                "select term from search_term where term >= $1 and term < $2 \
                   and length(term) between $3 and $4",
            )
            .bind(first.to_string())
            .bind(next.to_string())
            .bind((len - budget.min(len)) as i64)
            .bind((len + budget) as i64)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
            let near: Vec<String> = rows
                .into_iter()
                .map(|(t,)| t)
                .filter(|t| latin::within_edits(&word, t, budget))
                .take(8)
                .collect();
            query.forgive(index, near);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_positions_round_trip_and_refuse_nonsense() {
        let p = Position {
            tier: 1,
            score: -2.5e-7,
            id: 42,
        };
        assert_eq!(Position::parse(&Cursor::after(p.cursor())).unwrap(), p);
        for bad in ["", "1|x|3", "2|0|1", "0|1"] {
            assert!(Position::parse(&Cursor::after(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn tiers_split_the_query_by_field() {
        let q = crate::search::Analyzer::shared().query("马头琴");
        let t = texts("SQLite", &q, false);
        assert_eq!(t.titles, "(\"马头琴\")");
        assert_eq!(
            t.rest,
            "((\"马头琴\")) NOT ({title exact} : ((\"马头琴\")))"
        );
        let t = texts("PostgreSQL", &q, false);
        assert_eq!(
            (t.titles.as_str(), t.rest.as_str()),
            ("('马头琴')", "('马头琴')")
        );
    }
}
