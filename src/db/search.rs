//! The search index in SQL: token strings written beside each item (in the item's
//! transaction, or by `reindex`), indexed by SQLite FTS5 or PostgreSQL full text. Running a
//! query is in `search_query`.

use super::rows::{ItemRow, item_select};
use super::search_query::{CellRow, ComboRow, HitRow};
use super::{SqlStore, map_err};
use crate::catalogue::model::{ItemFields, ItemId};
use crate::repo::{RepoError, RepoResult};
use crate::search::repo::{SearchRepo, SearchRequest, SearchResults};
use crate::search::{Analyzer, SearchDoc};
use async_trait::async_trait;
use sqlx::{
    Database, Decode, Encode, Executor, FromRow, IntoArguments, QueryBuilder, Transaction, Type,
};

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
    put_terms(tx, doc.vocabulary.iter()).await?;
    put_docs(tx, &[(id, doc)], false).await
}

/// Writes token strings, leaving alone those that did not change unless `rewrite`:
/// rewriting a document costs the full-text index a delete and an insert, and a reindex
/// after a small analyzer or dictionary change leaves most documents as they were.
async fn put_docs<DB>(
    tx: &mut Transaction<'static, DB>,
    docs: &[(ItemId, SearchDoc)],
    rewrite: bool,
) -> RepoResult<()>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
{
    // 4 parameters a row: far below SQLite's 32,766 and PostgreSQL's 65,535.
    for chunk in docs.chunks(250) {
        let mut q =
            QueryBuilder::<DB>::new("insert into search_doc (item_id, title, body, exact) ");
        q.push_values(chunk, |mut row, (id, doc)| {
            row.push_bind(*id)
                .push_bind(doc.title.clone())
                .push_bind(doc.body.clone())
                .push_bind(doc.exact.clone());
        });
        q.push(
            " on conflict (item_id) do update set title = excluded.title, body = excluded.body, \
               exact = excluded.exact",
        );
        if !rewrite {
            q.push(
                " where search_doc.title <> excluded.title or search_doc.body <> excluded.body \
                   or search_doc.exact <> excluded.exact",
            );
        }
        q.build().execute(&mut **tx).await.map_err(map_err)?;
    }
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

#[async_trait]
impl<DB> SearchRepo for SqlStore<DB>
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
    for<'r> ItemRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'r> (i64, i64): FromRow<'r, DB::Row>,
    for<'r> CellRow: FromRow<'r, DB::Row>,
    for<'r> ComboRow: FromRow<'r, DB::Row>,
{
    #[tracing::instrument(skip_all, fields(q = %request.query.text))]
    async fn search(&self, request: &SearchRequest) -> RepoResult<SearchResults> {
        self.run_search(request).await
    }

    #[tracing::instrument(skip_all, fields(after, batch))]
    async fn reindex_batch(
        &self,
        after: i64,
        batch: u32,
        rewrite: bool,
    ) -> RepoResult<Option<i64>> {
        // The batch's range of positions, then its items in that order.
        let (positions, items) = if DB::NAME == "PostgreSQL" {
            (
                "select id from item where id > $1 order by id limit $2",
                concat!(item_select!(), "where i.id between $1 and $2 order by i.id"),
            )
        } else {
            (
                "select (combo << 32) | item_id from search_facet \
                 where ((combo << 32) | item_id) > $1 order by 1 limit $2",
                concat!(
                    item_select!(),
                    "join search_facet sf on sf.item_id = i.id \
                     where ((sf.combo << 32) | sf.item_id) between $1 and $2 \
                     order by ((sf.combo << 32) | sf.item_id)"
                ),
            )
        };
        let positions = sqlx::query_as::<DB, (i64,)>(positions)
            .bind(after)
            .bind(i64::from(batch))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        let (Some((first,)), Some((last,))) = (positions.first(), positions.last()) else {
            return Ok(None);
        };
        let last = *last;
        let rows = sqlx::query_as::<DB, ItemRow>(items)
            .bind(*first)
            .bind(last)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        let items = rows
            .into_iter()
            .map(|row| Ok((row.id, row.into_item(Vec::new())?.fields)))
            .collect::<RepoResult<Vec<_>>>()?;
        let (docs, vocabulary) = tokio::task::spawn_blocking(move || {
            crate::search::batch::documents(Analyzer::shared(), items)
        })
        .await
        .map_err(|e| RepoError::Backend(anyhow::anyhow!("analysis failed: {e}")))?;
        // SQLite rewrites its full-text indexes in one pass at the end (finish_reindex).
        let rewrite = rewrite && DB::NAME == "PostgreSQL";
        let mut tx = self.begin_write().await?;
        put_terms(&mut tx, vocabulary.iter()).await?;
        put_docs(&mut tx, &docs, rewrite).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(Some(last))
    }

    async fn finish_reindex(&self, rewrite: bool) -> RepoResult<()> {
        if !rewrite || DB::NAME == "PostgreSQL" {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for sql in [
            "insert into search_fts (search_fts) values ('rebuild')",
            "insert into search_title_fts (search_title_fts) values ('rebuild')",
            "update search_generation set n = n + 1",
        ] {
            sqlx::query::<DB>(sql)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)
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
