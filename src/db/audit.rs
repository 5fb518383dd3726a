//! The audit log in SQL, for both databases: appending a line inside the caller's
//! transaction, and reading it back a page at a time, newest first.

use super::map_err;
use crate::accounts::model::{AuditQuery, AuditRecord};
use crate::repo::{AuditEntry, Cursor, Page, RepoError, RepoResult};
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Pool, Type};

#[derive(sqlx::FromRow)]
pub struct AuditRow {
    id: i64,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    actor_name: String,
    action: String,
    entity: String,
    entity_id: String,
    before: Option<String>,
    after: Option<String>,
}

/// Appends an audit row inside the caller's transaction.
pub(super) async fn write_audit<DB>(
    tx: &mut sqlx::Transaction<'static, DB>,
    entry: &AuditEntry,
    at: DateTime<Utc>,
) -> RepoResult<()>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
{
    sqlx::query::<DB>(
        "insert into audit_log (at, actor_id, actor_name, action, entity, entity_id, before, after) \
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(at)
    .bind(entry.actor)
    .bind(entry.actor_name.clone())
    .bind(entry.action.clone())
    .bind(entry.entity.clone())
    .bind(entry.entity_id.clone())
    .bind(entry.before.clone())
    .bind(entry.after.clone())
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

/// One page of the audit log, newest first, filtered by `query`.
pub(super) async fn audit_page<DB>(
    pool: &Pool<DB>,
    query: &AuditQuery,
) -> RepoResult<Page<AuditRecord>>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'r> AuditRow: FromRow<'r, DB::Row>,
{
    let before = query
        .before
        .as_ref()
        .map(Cursor::id)
        .transpose()
        .map_err(|e| RepoError::Invalid(e.to_string()))?;
    let rows = sqlx::query_as::<DB, AuditRow>(
        "select id, at, actor_id, actor_name, action, entity, entity_id, before, after \
         from audit_log \
         where ($1 is null or entity = $1) and ($2 is null or entity_id = $2) \
           and ($3 is null or actor_name = $3) and ($4 is null or id < $4) \
         order by id desc limit $5",
    )
    .bind(query.entity.clone())
    .bind(query.entity_id.clone())
    .bind(query.actor.clone())
    .bind(before)
    .bind(i64::from(query.limit) + 1)
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    let records = rows
        .into_iter()
        .map(|r| AuditRecord {
            id: r.id,
            at: r.at,
            entry: AuditEntry {
                actor: r.actor_id,
                actor_name: r.actor_name,
                action: r.action,
                entity: r.entity,
                entity_id: r.entity_id,
                before: r.before,
                after: r.after,
            },
        })
        .collect();
    Ok(Page::from_overfetch(records, query.limit as usize, |r| {
        r.id.to_string()
    }))
}
