//! Facet counts of a search: the "cube" of a query, hits per combination of facet values
//! ([`FacetCube`]), from one full-text match. SQLite reads each hit's combination from its
//! search key (migration 0011); PostgreSQL joins the narrow `search_facet` table. Cubes of
//! recent queries are kept while the database's `search_generation` stands still.

use super::search_query::{CellRow, ComboRow, corrupt, engine};
use super::{SqlStore, map_err};
use crate::catalogue::types::{Category, Level, Slug};
use crate::repo::RepoResult;
use crate::search::facets::{Combo, FacetCube};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};
use std::sync::Arc;

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'r> CellRow: FromRow<'r, DB::Row>,
    for<'r> ComboRow: FromRow<'r, DB::Row>,
{
    /// The cube of a query, counted now or kept from earlier at the same generation.
    pub(super) async fn cube(&self, text: &str, generation: i64) -> RepoResult<Arc<FacetCube>> {
        if let Some(cube) = self.cubes.get(text, generation) {
            return Ok(cube);
        }
        let rows = if DB::NAME == "PostgreSQL" {
            self.cells_grouped(text).await?
        } else {
            self.cells_from_keys(text).await?
        };
        let cells = rows
            .into_iter()
            .map(|(published, category, base, level, century, media, n)| {
                Ok((
                    Combo {
                        published,
                        category: Category::parse(&category).map_err(|e| corrupt("category", e))?,
                        base: Slug::parse(&base).map_err(|e| corrupt("slug", e))?,
                        level: match level.as_str() {
                            "" => None,
                            l => Some(Level::parse(l).map_err(|e| corrupt("level", e))?),
                        },
                        century: (century != 0)
                            .then(|| i32::try_from(century).map_err(|e| corrupt("century", e)))
                            .transpose()?,
                        media,
                    },
                    n,
                ))
            })
            .collect::<RepoResult<Vec<_>>>()?;
        let cube = Arc::new(FacetCube { cells });
        self.cubes.put(text.to_owned(), generation, cube.clone());
        Ok(cube)
    }

    /// The cells of a query's cube, grouped by the database (PostgreSQL).
    async fn cells_grouped(&self, text: &str) -> RepoResult<Vec<CellRow>> {
        let e = engine(DB::NAME);
        let sql = format!(
            "select c.published, c.category, b.slug, c.level, cast(c.century as bigint), \
               cast(c.media as bigint), g.n \
             from (select {combo} as combo, count(*) as n from {from} where {matches} \
               group by {combo}) g \
             join search_facet_combo c on c.id = g.combo join base b on b.id = c.base_id",
            combo = e.combo,
            from = e.from,
            matches = e.matches,
        );
        // Composed of constants only; the query text is a bound parameter.
        sqlx::query_as::<DB, CellRow>(sqlx::AssertSqlSafe(sql))
            .bind(text.to_owned())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)
    }

    /// The cells of a query's cube from its hits' search keys (SQLite): the combinations
    /// of all hits in one string, counted here. SQLite would group them with a sort, which
    /// costs twice as much as the match itself.
    async fn cells_from_keys(&self, text: &str) -> RepoResult<Vec<CellRow>> {
        let (combos,) = sqlx::query_as::<DB, (String,)>(
            "select coalesce(group_concat(rowid >> 32), '') from search_fts \
             where search_fts match $1",
        )
        .bind(text.to_owned())
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        let counts = count_combos(&combos)?;
        if counts.is_empty() {
            return Ok(Vec::new());
        }
        let ids = counts.keys().map(i64::to_string).collect::<Vec<_>>();
        let rows = sqlx::query_as::<DB, ComboRow>(
            "select c.id, c.published, c.category, b.slug, c.level, cast(c.century as bigint), \
               cast(c.media as bigint) \
             from search_facet_combo c join base b on b.id = c.base_id \
             where c.id in (select value from json_each($1))",
        )
        .bind(format!("[{}]", ids.join(",")))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(id, published, category, base, level, century, media)| {
                let n = counts.get(&id).copied().unwrap_or(0);
                (published, category, base, level, century, media, n)
            })
            .collect())
    }
}

/// Hits per combination, from the comma-separated combinations of all hits.
fn count_combos(combos: &str) -> RepoResult<std::collections::HashMap<i64, i64>> {
    // Hits come in rowid order, so equal combinations come in runs.
    let mut counts = std::collections::HashMap::new();
    let mut run: Option<(&str, i64)> = None;
    for c in combos.split(',').filter(|c| !c.is_empty()) {
        match &mut run {
            Some((last, n)) if *last == c => *n += 1,
            _ => {
                if let Some((last, n)) = run.replace((c, 1)) {
                    add_run(&mut counts, last, n)?;
                }
            }
        }
    }
    if let Some((last, n)) = run {
        add_run(&mut counts, last, n)?;
    }
    Ok(counts)
}

fn add_run(
    counts: &mut std::collections::HashMap<i64, i64>,
    combo: &str,
    n: i64,
) -> RepoResult<()> {
    let combo: i64 = combo.parse().map_err(|e| corrupt("search key", e))?;
    *counts.entry(combo).or_insert(0) += n;
    Ok(())
}
