//! The job queue in SQL. Claiming differs by backend: PostgreSQL locks the row with
//! `for update skip locked` so concurrent workers never wait on each other; SQLite has a
//! single writer, so one `update … returning` is already atomic.

use super::{SqlStore, map_err};
use crate::jobs::{Job, JobsRepo, QueueCounts};
use crate::repo::RepoResult;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

/// SQL that differs between the databases.
pub trait Dialect {
    /// Locks the chosen row against other claimers (PostgreSQL), or nothing (SQLite).
    const LOCK_CHOSEN: &'static str;
}

impl Dialect for sqlx::Sqlite {
    const LOCK_CHOSEN: &'static str = "";
}

impl Dialect for sqlx::Postgres {
    const LOCK_CHOSEN: &'static str = "for update skip locked";
}

/// Claims the next due job of `kinds` kinds: binds `$1` = lease end, `$2` = now, `$3`… the
/// kinds.
fn claim_sql<DB: Dialect>(kinds: usize) -> String {
    let kinds: Vec<String> = (0..kinds).map(|i| format!("${}", i + 3)).collect();
    format!(
        "update job set locked_until = $1, attempts = attempts + 1, updated_at = $2 \
         where id = (select id from job where state = 'queued' and run_after <= $2 \
           and (locked_until is null or locked_until < $2) and kind in ({}) \
           order by run_after, id limit 1 {}) \
         returning id, kind, payload, attempts",
        kinds.join(", "),
        DB::LOCK_CHOSEN
    )
}

#[derive(sqlx::FromRow)]
pub struct JobRow {
    id: i64,
    kind: String,
    payload: String,
    attempts: i64,
}

#[async_trait]
impl<DB> JobsRepo for SqlStore<DB>
where
    DB: Database + Dialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> JobRow: FromRow<'r, DB::Row>,
    for<'r> (String, i64): FromRow<'r, DB::Row>,
{
    async fn enqueue(&self, kind: &str, payload: &str, run_after: DateTime<Utc>) -> RepoResult<()> {
        let now = Utc::now();
        sqlx::query::<DB>(
            "insert into job (kind, payload, state, attempts, run_after, created_at, updated_at) \
             values ($1, $2, 'queued', 0, $3, $4, $4) \
             on conflict (kind, payload) where state = 'queued' do nothing",
        )
        .bind(kind.to_owned())
        .bind(payload.to_owned())
        .bind(run_after)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        kinds: &[&str],
    ) -> RepoResult<Option<Job>> {
        if kinds.is_empty() {
            return Ok(None);
        }
        let sql = claim_sql::<DB>(kinds.len());
        let mut query = sqlx::query_as::<DB, JobRow>(sqlx::AssertSqlSafe(sql))
            .bind(now + lease)
            .bind(now);
        for kind in kinds {
            query = query.bind((*kind).to_owned());
        }
        let row = query.fetch_optional(&self.pool).await.map_err(map_err)?;
        Ok(row.map(|r| Job {
            id: r.id,
            kind: r.kind,
            payload: r.payload,
            attempts: r.attempts,
        }))
    }

    async fn renew(&self, id: i64, until: DateTime<Utc>) -> RepoResult<()> {
        sqlx::query::<DB>(
            "update job set locked_until = $1 where id = $2 and state = 'queued' and locked_until is not null",
        )
        .bind(until)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn complete(&self, id: i64) -> RepoResult<()> {
        sqlx::query::<DB>(
            "update job set state = 'done', locked_until = null, updated_at = $1 where id = $2",
        )
        .bind(Utc::now())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn retry(&self, id: i64, run_after: DateTime<Utc>, error: &str) -> RepoResult<()> {
        sqlx::query::<DB>(
            "update job set run_after = $1, locked_until = null, last_error = $2, updated_at = $3 where id = $4",
        )
        .bind(run_after)
        .bind(error.chars().take(2000).collect::<String>())
        .bind(Utc::now())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn fail(&self, id: i64, error: &str) -> RepoResult<()> {
        sqlx::query::<DB>(
            "update job set state = 'failed', locked_until = null, last_error = $1, updated_at = $2 where id = $3",
        )
        .bind(error.chars().take(2000).collect::<String>())
        .bind(Utc::now())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn counts(&self) -> RepoResult<QueueCounts> {
        let rows = sqlx::query_as::<DB, (String, i64)>(
            "select state, count(*) from job where state in ('queued', 'failed') group by state",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let get = |s: &str| {
            rows.iter()
                .find(|(state, _)| state == s)
                .map(|(_, n)| *n)
                .unwrap_or(0)
        };
        Ok(QueueCounts {
            queued: get("queued"),
            failed: get("failed"),
        })
    }
}
