//! The accounts repository in SQL, for both databases.

use super::audit::{AuditRow, audit_page, write_audit};
use super::{SqlStore, map_err};
use crate::accounts::model::*;
use crate::accounts::repo::AccountsRepo;
use crate::accounts::types::{Role, Username};
use crate::catalogue::types::Slug;
use crate::repo::AuditEntry;
use crate::repo::{Page, RepoError, RepoResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

#[derive(sqlx::FromRow)]
pub struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    disabled: bool,
    created_at: DateTime<Utc>,
    password_hash: String,
}

impl UserRow {
    fn into_user(self, bases: Vec<Slug>) -> RepoResult<(User, String)> {
        let corrupt = |what: &str, e: String| {
            RepoError::Backend(anyhow::anyhow!("unreadable {what} in the database: {e}"))
        };
        Ok((
            User {
                id: self.id,
                username: Username::parse(&self.username).map_err(|e| corrupt("user name", e))?,
                display_name: self.display_name,
                role: Role::parse(&self.role).map_err(|e| corrupt("role", e))?,
                bases,
                disabled: self.disabled,
                created_at: self.created_at,
            },
            self.password_hash,
        ))
    }
}

#[derive(sqlx::FromRow)]
pub struct SessionRow {
    id_hash: String,
    user_id: i64,
    csrf_token: String,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    ip: Option<String>,
    user_agent: Option<String>,
}

#[derive(sqlx::FromRow)]
pub struct ThrottleRow {
    failures: i64,
    window_started_at: DateTime<Utc>,
    locked_until: Option<DateTime<Utc>>,
}

const USER_COLUMNS: &str = "id, username, display_name, role, disabled, created_at, password_hash";

#[async_trait]
impl<DB> AccountsRepo for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<DateTime<Utc>>: Encode<'q, DB> + Type<DB>,
    for<'r> UserRow: FromRow<'r, DB::Row>,
    for<'r> SessionRow: FromRow<'r, DB::Row>,
    for<'r> ThrottleRow: FromRow<'r, DB::Row>,
    for<'r> AuditRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'r> (i64, String): FromRow<'r, DB::Row>,
{
    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> RepoResult<UserId> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let (id,) = sqlx::query_as::<DB, (i64,)>(
            "insert into app_user (username, display_name, role, password_hash, disabled, created_at, updated_at) \
             values ($1, $2, $3, $4, false, $5, $5) returning id",
        )
        .bind(user.username.as_str().to_owned())
        .bind(user.display_name.clone())
        .bind(user.role.code().to_owned())
        .bind(user.password_hash.clone())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        assign_bases::<DB>(&mut tx, id, &user.bases).await?;
        write_audit::<DB>(&mut tx, audit, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn user_by_name(&self, username: &Username) -> RepoResult<Option<(User, String)>> {
        let sql = format!("select {USER_COLUMNS} from app_user where username = $1");
        let row = sqlx::query_as::<DB, UserRow>(sqlx::AssertSqlSafe(sql))
            .bind(username.as_str().to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        match row {
            Some(row) => {
                let bases = self.user_bases(row.id).await?;
                row.into_user(bases).map(Some)
            }
            None => Ok(None),
        }
    }

    async fn user(&self, id: UserId) -> RepoResult<Option<User>> {
        let sql = format!("select {USER_COLUMNS} from app_user where id = $1");
        let row = sqlx::query_as::<DB, UserRow>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        match row {
            Some(row) => {
                let bases = self.user_bases(row.id).await?;
                Ok(Some(row.into_user(bases)?.0))
            }
            None => Ok(None),
        }
    }

    async fn list_users(&self) -> RepoResult<Vec<User>> {
        let sql = format!("select {USER_COLUMNS} from app_user order by username");
        let rows = sqlx::query_as::<DB, UserRow>(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        let assignments = sqlx::query_as::<DB, (i64, String)>(
            "select ub.user_id, b.slug from user_base ub join base b on b.id = ub.base_id order by b.slug",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.into_iter()
            .map(|row| {
                let bases = assignments
                    .iter()
                    .filter(|(uid, _)| *uid == row.id)
                    .filter_map(|(_, s)| Slug::parse(s).ok())
                    .collect();
                row.into_user(bases).map(|(u, _)| u)
            })
            .collect()
    }

    async fn count_admins(&self) -> RepoResult<i64> {
        let (n,) = sqlx::query_as::<DB, (i64,)>(
            "select count(*) from app_user where role = 'admin' and disabled = false",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(n)
    }

    async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        audit: &AuditEntry,
    ) -> RepoResult<()> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        sqlx::query::<DB>("update app_user set password_hash = $1, updated_at = $2 where id = $3")
            .bind(password_hash.to_owned())
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query::<DB>("delete from user_session where user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        write_audit::<DB>(&mut tx, audit, now).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_disabled(&self, id: UserId, disabled: bool, audit: &AuditEntry) -> RepoResult<()> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        sqlx::query::<DB>("update app_user set disabled = $1, updated_at = $2 where id = $3")
            .bind(disabled)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if disabled {
            sqlx::query::<DB>("delete from user_session where user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        write_audit::<DB>(&mut tx, audit, now).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_access(&self, id: UserId, access: &Access, audit: &AuditEntry) -> RepoResult<()> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        sqlx::query::<DB>(
            "update app_user set display_name = $1, role = $2, updated_at = $3 where id = $4",
        )
        .bind(access.display_name.clone())
        .bind(access.role.code().to_owned())
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query::<DB>("delete from user_base where user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        assign_bases::<DB>(&mut tx, id, &access.bases).await?;
        // Checked inside the transaction, so two administrators demoting each other at
        // once cannot both succeed.
        let (admins,) = sqlx::query_as::<DB, (i64,)>(
            "select count(*) from app_user where role = 'admin' and disabled = false",
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        if admins == 0 {
            return Err(RepoError::Invalid(
                "this would leave no enabled administrator".into(),
            ));
        }
        write_audit::<DB>(&mut tx, audit, now).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn create_session(&self, s: &Session) -> RepoResult<()> {
        sqlx::query::<DB>(
            "insert into user_session (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(s.id_hash.clone())
        .bind(s.user_id)
        .bind(s.csrf_token.clone())
        .bind(s.created_at)
        .bind(s.last_seen_at)
        .bind(s.expires_at)
        .bind(s.ip.clone())
        .bind(s.user_agent.clone())
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn session(&self, id_hash: &str) -> RepoResult<Option<(Session, User)>> {
        let row = sqlx::query_as::<DB, SessionRow>(
            "select id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent \
             from user_session where id_hash = $1",
        )
        .bind(id_hash.to_owned())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(r) = row else { return Ok(None) };
        let Some(user) = self.user(r.user_id).await? else {
            return Ok(None);
        };
        let session = Session {
            id_hash: r.id_hash,
            user_id: r.user_id,
            csrf_token: r.csrf_token,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            expires_at: r.expires_at,
            ip: r.ip,
            user_agent: r.user_agent,
        };
        Ok(Some((session, user)))
    }

    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> RepoResult<()> {
        sqlx::query::<DB>("update user_session set last_seen_at = $1 where id_hash = $2")
            .bind(at)
            .bind(id_hash.to_owned())
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> RepoResult<()> {
        sqlx::query::<DB>("delete from user_session where id_hash = $1")
            .bind(id_hash.to_owned())
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_user_sessions(&self, user: UserId) -> RepoResult<u64> {
        let (n,) =
            sqlx::query_as::<DB, (i64,)>("select count(*) from user_session where user_id = $1")
                .bind(user)
                .fetch_one(&self.pool)
                .await
                .map_err(map_err)?;
        sqlx::query::<DB>("delete from user_session where user_id = $1")
            .bind(user)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(n as u64)
    }

    async fn delete_stale_sessions(
        &self,
        now: DateTime<Utc>,
        idle_since: DateTime<Utc>,
    ) -> RepoResult<u64> {
        let (n,) = sqlx::query_as::<DB, (i64,)>(
            "select count(*) from user_session where expires_at <= $1 or last_seen_at < $2",
        )
        .bind(now)
        .bind(idle_since)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        sqlx::query::<DB>("delete from user_session where expires_at <= $1 or last_seen_at < $2")
            .bind(now)
            .bind(idle_since)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(n as u64)
    }

    async fn throttle(&self, key: &str) -> RepoResult<Option<Throttle>> {
        let row = sqlx::query_as::<DB, ThrottleRow>(
            "select failures, window_started_at, locked_until from login_throttle where key = $1",
        )
        .bind(key.to_owned())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(row.map(|r| Throttle {
            failures: r.failures,
            window_started_at: r.window_started_at,
            locked_until: r.locked_until,
        }))
    }

    async fn set_throttle(&self, key: &str, t: &Throttle) -> RepoResult<()> {
        sqlx::query::<DB>(
            "insert into login_throttle (key, failures, window_started_at, locked_until) values ($1, $2, $3, $4) \
             on conflict (key) do update set failures = excluded.failures, \
               window_started_at = excluded.window_started_at, locked_until = excluded.locked_until",
        )
        .bind(key.to_owned())
        .bind(t.failures)
        .bind(t.window_started_at)
        .bind(t.locked_until)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn clear_throttle(&self, key: &str) -> RepoResult<()> {
        sqlx::query::<DB>("delete from login_throttle where key = $1")
            .bind(key.to_owned())
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn audit(&self, entry: &AuditEntry) -> RepoResult<()> {
        let mut tx = self.begin_write().await?;
        write_audit::<DB>(&mut tx, entry, Utc::now()).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn recent_audit(&self, limit: u32) -> RepoResult<Vec<(DateTime<Utc>, AuditEntry)>> {
        let query = AuditQuery {
            limit,
            ..AuditQuery::default()
        };
        let page = audit_page(&self.pool, &query).await?;
        Ok(page.items.into_iter().map(|r| (r.at, r.entry)).collect())
    }

    async fn audit_log(&self, query: &AuditQuery) -> RepoResult<Page<AuditRecord>> {
        audit_page(&self.pool, query).await
    }
}

/// Assigns `bases` to user `id`; `Invalid` when one does not exist.
async fn assign_bases<DB>(
    tx: &mut sqlx::Transaction<'static, DB>,
    id: UserId,
    bases: &[Slug],
) -> RepoResult<()>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
{
    for base in bases {
        let found = sqlx::query_as::<DB, (i64,)>("select id from base where slug = $1")
            .bind(base.as_str().to_owned())
            .fetch_optional(&mut **tx)
            .await
            .map_err(map_err)?;
        let Some((base_id,)) = found else {
            return Err(RepoError::Invalid(format!(
                "base {:?} does not exist",
                base.as_str()
            )));
        };
        sqlx::query::<DB>("insert into user_base (user_id, base_id) values ($1, $2)")
            .bind(id)
            .bind(base_id)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    Ok(())
}

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'r> (String,): FromRow<'r, DB::Row>,
{
    async fn user_bases(&self, user: UserId) -> RepoResult<Vec<Slug>> {
        let rows = sqlx::query_as::<DB, (String,)>(
            "select b.slug from user_base ub join base b on b.id = ub.base_id where ub.user_id = $1 order by b.slug",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|(s,)| Slug::parse(&s).ok())
            .collect())
    }
}
