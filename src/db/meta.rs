//! Settings and health, for both databases.

use super::{SqlStore, map_err};
use crate::repo::{MetaRepo, RepoResult};
use async_trait::async_trait;
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

#[async_trait]
impl<DB> MetaRepo for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
{
    async fn meta(&self, key: &str) -> RepoResult<Option<String>> {
        let row = sqlx::query_as::<DB, (String,)>("select value from meta where key = $1")
            .bind(key.to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(row.map(|(v,)| v))
    }

    async fn set_meta(&self, key: &str, value: &str) -> RepoResult<()> {
        sqlx::query::<DB>(
            "insert into meta (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value",
        )
        .bind(key.to_owned())
        .bind(value.to_owned())
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn ping(&self) -> RepoResult<()> {
        sqlx::query_as::<DB, (i64,)>("select cast(1 as bigint)")
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }
}
