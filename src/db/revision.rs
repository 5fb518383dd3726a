//! Optimistic locking, shared by every record people edit: a write raises the record's
//! revision only if it is still the one the writer saw.

use super::map_err;
use crate::catalogue::editor::Checked;
use crate::repo::{RepoError, RepoResult, Stale};
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Transaction, Type};

/// The tables whose rows carry a `revision` (and `updated_at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versioned {
    /// Heritage items.
    Item,
    /// Exhibitions.
    Exhibition,
}

impl Versioned {
    fn table(self) -> &'static str {
        match self {
            Versioned::Item => "item",
            Versioned::Exhibition => "exhibition",
        }
    }
}

/// Raises the revision of row `id` of `table` if it is still `expected` (any revision when
/// `None`); `Stale` with the current revision otherwise. `Invalid` if the row is gone.
pub(super) async fn bump<DB>(
    tx: &mut Transaction<'static, DB>,
    table: Versioned,
    id: i64,
    expected: Option<i64>,
    now: DateTime<Utc>,
) -> RepoResult<Checked<()>>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
{
    let t = table.table();
    // The table name is one of two constants; every value is a bound parameter.
    let updated = sqlx::query_as::<DB, (i64,)>(sqlx::AssertSqlSafe(format!(
        "update {t} set revision = revision + 1, updated_at = $1 \
         where id = $2 and ($3 is null or revision = $3) returning revision"
    )))
    .bind(now)
    .bind(id)
    .bind(expected)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    if updated.is_some() {
        return Ok(Ok(()));
    }
    let current = sqlx::query_as::<DB, (i64,)>(sqlx::AssertSqlSafe(format!(
        "select revision from {t} where id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?
    .ok_or_else(|| RepoError::Invalid(format!("{t} {id} does not exist")))?
    .0;
    Ok(Err(Stale { current }))
}
