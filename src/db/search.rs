//! The search index in SQL: token strings written beside each item, searched by SQLite FTS5
//! (`bm25`) or PostgreSQL full text (`ts_rank_cd`) with title and exact fields weighted
//! above the body. The filters, paging and facet counting are shared; only the "hits"
//! expression differs per engine.

use super::catalogue::{item_summary_columns, item_summary_joins};
use super::rows::{ItemRow, ItemSummaryRow, item_select};
use super::{SqlStore, map_err};
use crate::catalogue::model::{ItemFields, ItemId, ItemSummary};
use crate::catalogue::types::{Category, Level, MediaKind, Slug};
use crate::repo::{Cursor, Page, RepoError, RepoResult};
use crate::search::repo::{Facets, SearchRepo, SearchRequest, SearchResults};
use crate::search::{Analyzer, SearchDoc, latin};
use async_trait::async_trait;
use sqlx::{
    Database, Decode, Encode, Executor, FromRow, IntoArguments, QueryBuilder, Transaction, Type,
};
use std::collections::BTreeSet;

/// The matching items and their scores (lower is better) for `$1`, per engine. Materialized:
/// the facet query reads the hits four times, and the full-text match runs once.
fn hits_cte(backend: &str) -> &'static str {
    if backend == "PostgreSQL" {
        "with hits as materialized (select d.item_id as id, \
           -(ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', d.tsv, q))::float8 as score \
           from search_doc d, cast($1 as tsquery) q where d.tsv @@ q) "
    } else {
        "with hits as materialized (select rowid as id, bm25(search_fts, 8.0, 1.0, 12.0) as score \
           from search_fts where search_fts match $1) "
    }
}

/// The filters, over `h` (hits), `i` (item) and `b` (base).
const FILTERS: &str = " where ($2 or i.status = 'published') \
    and ($3 is null or i.category = $3) \
    and ($4 is null or b.slug = $4) \
    and ($5 is null or exists (select 1 from media m where m.item_id = i.id and m.kind = $5)) \
    and ($6 is null or i.protection_level = $6) ";

/// A hit: an item card and its score.
#[derive(sqlx::FromRow)]
pub struct HitRow {
    #[sqlx(flatten)]
    item: ItemSummaryRow,
    score: f64,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> RepoError {
    RepoError::Backend(anyhow::anyhow!("stored {what} is invalid: {e}"))
}

/// A page position: the last hit's score and id.
fn parse_position(c: &Cursor) -> RepoResult<(f64, i64)> {
    let bad = || RepoError::Invalid("unusable page token".into());
    let (score, id) = c.key().split_once('|').ok_or_else(bad)?;
    Ok((
        score.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

/// Writes (or rewrites) an item's token strings inside the item's transaction.
pub(super) async fn write_doc<DB>(
    tx: &mut Transaction<'static, DB>,
    id: ItemId,
    fields: &ItemFields,
) -> RepoResult<()>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
{
    let doc = Analyzer::shared().document(fields);
    put_doc(tx, id, &doc).await?;
    put_terms(tx, doc.vocabulary.iter()).await
}

async fn put_doc<DB>(
    tx: &mut Transaction<'static, DB>,
    id: ItemId,
    doc: &SearchDoc,
) -> RepoResult<()>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
{
    sqlx::query::<DB>(
        "insert into search_doc (item_id, title, body, exact) values ($1, $2, $3, $4) \
         on conflict (item_id) do update set title = excluded.title, body = excluded.body, \
           exact = excluded.exact",
    )
    .bind(id)
    .bind(doc.title.clone())
    .bind(doc.body.clone())
    .bind(doc.exact.clone())
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

async fn put_terms<'a, DB>(
    tx: &mut Transaction<'static, DB>,
    terms: impl Iterator<Item = &'a String>,
) -> RepoResult<()>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
{
    let terms: Vec<&String> = terms.collect();
    // Small statements: SQLite allows 32,766 parameters, PostgreSQL 65,535.
    for chunk in terms.chunks(500) {
        let mut q = QueryBuilder::<DB>::new("insert into search_term (term) ");
        q.push_values(chunk, |mut row, term| {
            row.push_bind((*term).clone());
        });
        q.push(" on conflict (term) do nothing");
        q.build().execute(&mut **tx).await.map_err(map_err)?;
    }
    Ok(())
}

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'r> (String,): FromRow<'r, DB::Row>,
{
    /// Indexed words near each typo-tolerant query word: same first letter, length within
    /// the budget, edit distance within the budget. Words that exist as typed are left alone.
    async fn forgive_typos(&self, query: &mut crate::search::SearchQuery) -> RepoResult<()> {
        for index in 0..query.groups.len() {
            let Some(word) = query.groups[index].typo.clone() else {
                continue;
            };
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
            if rows.iter().any(|(t,)| *t == word) {
                continue;
            }
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

#[async_trait]
impl<DB> SearchRepo for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> f64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<f64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'r> HitRow: FromRow<'r, DB::Row>,
    for<'r> ItemRow: FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'r> (i64, i64): FromRow<'r, DB::Row>,
    for<'r> (String, String, i64): FromRow<'r, DB::Row>,
{
    #[tracing::instrument(skip_all, fields(q = %request.query.text))]
    async fn search(&self, request: &SearchRequest) -> RepoResult<SearchResults> {
        let mut query = request.query.clone();
        self.forgive_typos(&mut query).await?;
        let backend = DB::NAME;
        let text = if backend == "PostgreSQL" {
            query.to_tsquery()
        } else {
            query.to_fts5()
        };
        let position = request.after.as_ref().map(parse_position).transpose()?;
        let all = request.visibility.includes_unpublished();
        let category = request.category.map(|c| c.code().to_owned());
        let base = request.base.as_ref().map(|b| b.as_str().to_owned());
        let media = request.media.map(|m| m.code().to_owned());
        let level = request.level.map(|l| l.code().to_owned());

        let page_sql = format!(
            "{}select {}, h.score from hits h join item i on i.id = h.id {} {} \
               and ($7 is null or h.score > $7 or (h.score = $7 and i.id > $8)) \
             order by h.score, i.id limit $9",
            hits_cte(backend),
            item_summary_columns!(),
            item_summary_joins!(),
            FILTERS
        );
        // Composed of constants only; the query text is a bound parameter.
        let rows = sqlx::query_as::<DB, HitRow>(sqlx::AssertSqlSafe(page_sql))
            .bind(text.clone())
            .bind(all)
            .bind(category.clone())
            .bind(base.clone())
            .bind(media.clone())
            .bind(level.clone())
            .bind(position.map(|p| p.0))
            .bind(position.map(|p| p.1))
            .bind(i64::from(request.limit) + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        let hits = rows
            .into_iter()
            .map(|r| Ok((ItemSummary::try_from(r.item)?, r.score)))
            .collect::<RepoResult<Vec<_>>>()?;
        let page = Page::from_overfetch(hits, request.limit as usize, |(item, score)| {
            format!("{score}|{}", item.id)
        });
        let page = Page {
            items: page.items.into_iter().map(|(item, _)| item).collect(),
            next: page.next,
        };

        let from = " from hits h join item i on i.id = h.id join base b on b.id = i.base_id ";
        let facet_sql = format!(
            "{cte}select 'c', i.category, count(*){from}{FILTERS} group by i.category \
             union all select 'b', b.slug, count(*){from}{FILTERS} group by b.slug \
             union all select 'l', coalesce(i.protection_level, ''), count(*){from}{FILTERS} \
               group by i.protection_level \
             union all select 'm', k.kind, count(distinct i.id){from} \
               join media k on k.item_id = i.id {FILTERS} group by k.kind",
            cte = hits_cte(backend),
        );
        let facet_rows =
            sqlx::query_as::<DB, (String, String, i64)>(sqlx::AssertSqlSafe(facet_sql))
                .bind(text)
                .bind(all)
                .bind(category)
                .bind(base)
                .bind(media)
                .bind(level)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        let mut facets = Facets::default();
        for (facet, value, n) in facet_rows {
            match facet.as_str() {
                "c" => {
                    facets.total += n;
                    facets.categories.push((
                        Category::parse(&value).map_err(|e| corrupt("category", e))?,
                        n,
                    ));
                }
                "b" => facets
                    .bases
                    .push((Slug::parse(&value).map_err(|e| corrupt("slug", e))?, n)),
                "l" if value.is_empty() => {}
                "l" => facets
                    .levels
                    .push((Level::parse(&value).map_err(|e| corrupt("level", e))?, n)),
                _ => facets.media.push((
                    MediaKind::parse(&value).map_err(|e| corrupt("media kind", e))?,
                    n,
                )),
            }
        }
        facets.categories.sort_by_key(|(c, _)| {
            Category::ALL
                .iter()
                .position(|x| x == c)
                .unwrap_or(usize::MAX)
        });
        facets.media.sort_by_key(|(k, _)| {
            MediaKind::ALL
                .iter()
                .position(|x| x == k)
                .unwrap_or(usize::MAX)
        });
        facets
            .bases
            .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(SearchResults {
            page,
            facets,
            query,
        })
    }

    #[tracing::instrument(skip_all, fields(after, batch))]
    async fn reindex_batch(&self, after: ItemId, batch: u32) -> RepoResult<Option<ItemId>> {
        let rows = sqlx::query_as::<DB, ItemRow>(concat!(
            item_select!(),
            "where i.id > $1 order by i.id limit $2"
        ))
        .bind(after)
        .bind(i64::from(batch))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(last) = rows.last().map(|r| r.id) else {
            return Ok(None);
        };
        let analyzer = Analyzer::shared();
        let mut docs = Vec::with_capacity(rows.len());
        let mut vocabulary = BTreeSet::new();
        for row in rows {
            let item = row.into_item(Vec::new())?;
            let doc = analyzer.document(&item.fields);
            vocabulary.extend(doc.vocabulary.iter().cloned());
            docs.push((item.id, doc));
        }
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        for (id, doc) in &docs {
            put_doc(&mut tx, *id, doc).await?;
        }
        put_terms(&mut tx, vocabulary.iter()).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(Some(last))
    }

    async fn index_counts(&self) -> RepoResult<(i64, i64)> {
        sqlx::query_as::<DB, (i64, i64)>(
            "select (select count(*) from item), (select count(*) from search_doc)",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)
    }
}
