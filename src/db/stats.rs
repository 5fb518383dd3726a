//! The dashboard's statistics in SQL, written once for SQLite and PostgreSQL.
//!
//! A curator's scope is a list of bases, so those queries are assembled with
//! `QueryBuilder` (one bound parameter per base: neither database can bind a list the
//! other understands). Sums are cast to `bigint` because PostgreSQL widens
//! `sum(bigint)` to `numeric`.

use super::base_figures::{self, BaseFiguresRow};
use super::{SqlStore, map_err};
use crate::accounts::model::UserId;
use crate::catalogue::types::{Accession, Category, Slug, Status};
use crate::classroom::rules::school_year_days;
use crate::i18n::LocalizedText;
use crate::repo::{RepoError, RepoResult};
use crate::stats::{
    Attention, BaseFigures, Change, DayCount, DayViews, ItemCounts, MostViewed, Scope, StatsRepo,
    StorageUsed, Viewed, ViewedKind, fill_days,
};
use async_trait::async_trait;
use chrono::{DateTime, Days, NaiveDate, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, QueryBuilder, Type};

#[derive(sqlx::FromRow)]
pub struct AttentionRow {
    slug: String,
    accession: String,
    title_zh: Option<String>,
    title_mn: Option<String>,
    title_en: Option<String>,
    status: String,
    images_without_alt: i64,
    media_without_rights: i64,
}

#[derive(sqlx::FromRow)]
pub struct ViewedRow {
    slug: String,
    title_zh: Option<String>,
    title_mn: Option<String>,
    title_en: Option<String>,
    views: i64,
}

#[derive(sqlx::FromRow)]
pub struct ChangeRow {
    at: DateTime<Utc>,
    actor_name: String,
    action: String,
    entity: String,
    entity_id: String,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> RepoError {
    RepoError::Backend(anyhow::anyhow!("unreadable {what} in the database: {e}"))
}

impl TryFrom<AttentionRow> for Attention {
    type Error = RepoError;

    fn try_from(r: AttentionRow) -> Result<Attention, RepoError> {
        Ok(Attention {
            slug: Slug::parse(&r.slug).map_err(|e| corrupt("slug", e))?,
            accession: Accession::parse(&r.accession).map_err(|e| corrupt("accession", e))?,
            title: LocalizedText::new(r.title_zh, r.title_mn, r.title_en),
            status: Status::parse(&r.status).map_err(|e| corrupt("status", e))?,
            images_without_alt: r.images_without_alt,
            media_without_rights: r.media_without_rights,
        })
    }
}

/// A kind of record's table, the expression of its base's id in it (as `r`), and the
/// prefix of its title columns (a base's title is its name).
fn of_kind(kind: ViewedKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        ViewedKind::Item => ("item", "r.base_id", "title"),
        ViewedKind::Exhibition => ("exhibition", "r.base_id", "title"),
        ViewedKind::Base => ("base", "r.id", "name"),
    }
}

/// Appends ` and <condition>` keeping only items whose base (`b`) is in `scope`.
fn push_scope<DB>(q: &mut QueryBuilder<DB>, scope: &Scope)
where
    DB: Database,
    for<'q> String: Encode<'q, DB> + Type<DB>,
{
    match scope {
        Scope::All => {}
        Scope::Bases(bases) if bases.is_empty() => {
            q.push(" and 1 = 0");
        }
        Scope::Bases(bases) => {
            q.push(" and b.slug in (");
            let mut list = q.separated(", ");
            for base in bases {
                list.push_bind(base.as_str().to_owned());
            }
            list.push_unseparated(")");
        }
    }
}

#[async_trait]
impl<DB> StatsRepo for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> NaiveDate: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'r> AttentionRow: FromRow<'r, DB::Row>,
    for<'r> ChangeRow: FromRow<'r, DB::Row>,
    for<'r> ViewedRow: FromRow<'r, DB::Row>,
    for<'r> BaseFiguresRow: FromRow<'r, DB::Row>,
    for<'q> i32: Encode<'q, DB> + Type<DB>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (String, String, i64): FromRow<'r, DB::Row>,
    for<'r> (String, i64, i64): FromRow<'r, DB::Row>,
    for<'r> (i64, i64, i64): FromRow<'r, DB::Row>,
    for<'r> (NaiveDate, i64): FromRow<'r, DB::Row>,
    for<'r> (Option<NaiveDate>,): FromRow<'r, DB::Row>,
{
    #[tracing::instrument(skip_all)]
    async fn item_counts(&self, scope: &Scope) -> RepoResult<ItemCounts> {
        let mut q = QueryBuilder::<DB>::new(
            "select i.status, i.category, count(*) from item i join base b on b.id = i.base_id \
             where 1 = 1",
        );
        push_scope(&mut q, scope);
        q.push(" group by i.status, i.category");
        let rows = q
            .build_query_as::<(String, String, i64)>()
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        let cells = rows
            .into_iter()
            .map(|(status, category, n)| {
                Ok((
                    Status::parse(&status).map_err(|e| corrupt("status", e))?,
                    Category::parse(&category).map_err(|e| corrupt("category", e))?,
                    n,
                ))
            })
            .collect::<RepoResult<Vec<_>>>()?;
        Ok(ItemCounts::new(cells))
    }

    #[tracing::instrument(skip_all)]
    async fn needs_attention(&self, scope: &Scope, limit: u32) -> RepoResult<Vec<Attention>> {
        // Archived items are out of public view; their gaps can wait.
        let mut q = QueryBuilder::<DB>::new(
            "select * from (select i.slug, i.accession, i.title_zh, i.title_mn, i.title_en, i.status, \
               sum(case when m.kind = 'image' and coalesce(trim(m.alt_zh), '') = '' then 1 else 0 end) \
                 as images_without_alt, \
               sum(case when trim(m.rights) = '' then 1 else 0 end) as media_without_rights \
             from item i join base b on b.id = i.base_id join media m on m.item_id = i.id \
             where i.status <> 'archived'",
        );
        push_scope(&mut q, scope);
        q.push(
            " group by i.id, i.slug, i.accession, i.title_zh, i.title_mn, i.title_en, i.status) t \
             where t.images_without_alt > 0 or t.media_without_rights > 0 \
             order by t.accession limit ",
        );
        q.push_bind(i64::from(limit));
        let rows = q
            .build_query_as::<AttentionRow>()
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.into_iter().map(Attention::try_from).collect()
    }

    #[tracing::instrument(skip_all)]
    async fn storage_used(&self, scope: &Scope) -> RepoResult<StorageUsed> {
        let mut q = QueryBuilder::<DB>::new(
            "select cast(coalesce(sum(d.bytes), 0) as bigint), count(*), \
               cast(coalesce(sum(d.uses), 0) as bigint) \
             from (select m.sha256, max(m.bytes) as bytes, count(*) as uses \
               from media m join item i on i.id = m.item_id join base b on b.id = i.base_id \
               where 1 = 1",
        );
        push_scope(&mut q, scope);
        q.push(" group by m.sha256) d");
        let (bytes, originals, media_files) = q
            .build_query_as::<(i64, i64, i64)>()
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(StorageUsed {
            bytes,
            originals,
            media_files,
        })
    }

    #[tracing::instrument(skip_all)]
    async fn published_without_mongolian(&self, scope: &Scope) -> RepoResult<i64> {
        let mut q = QueryBuilder::<DB>::new(
            "select count(*) from item i join base b on b.id = i.base_id \
             where i.status = 'published' and coalesce(trim(i.title_mn), '') = ''",
        );
        push_scope(&mut q, scope);
        let (n,) = q
            .build_query_as::<(i64,)>()
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(n)
    }

    async fn page_views(&self, last: NaiveDate, days: u32) -> RepoResult<Vec<DayViews>> {
        let first = last
            .checked_sub_days(Days::new(u64::from(days.max(1) - 1)))
            .unwrap_or(NaiveDate::MIN);
        let rows = sqlx::query_as::<DB, (NaiveDate, i64)>(
            "select day, views from page_view_day where day >= $1 and day <= $2",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(fill_days(last, days, &rows))
    }

    async fn add_page_views(&self, day: NaiveDate, count: &DayCount) -> RepoResult<()> {
        // One transaction, so that a failed write can be retried without counting twice.
        let mut tx = self.begin_write().await?;
        sqlx::query::<DB>(
            "insert into page_view_day (day, views) values ($1, $2) \
             on conflict (day) do update set views = page_view_day.views + excluded.views",
        )
        .bind(day)
        .bind(count.views)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        // Counted by the record's id: a page renamed since it was served counts for no
        // record rather than for another. (SQLite needs the `where` before `on conflict`.)
        for (record, views) in &count.records {
            let (table, _, _) = of_kind(record.kind());
            sqlx::query::<DB>(sqlx::AssertSqlSafe(format!(
                "insert into record_view (day, kind, record_id, views) \
                 select $1, $2, r.id, $3 from {table} r where r.slug = $4 \
                 on conflict (day, kind, record_id) do update \
                 set views = record_view.views + excluded.views"
            )))
            .bind(day)
            .bind(record.kind().as_str().to_owned())
            .bind(*views)
            .bind(record.slug().as_str().to_owned())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)
    }

    #[tracing::instrument(skip_all)]
    async fn most_viewed(
        &self,
        kind: ViewedKind,
        scope: &Scope,
        since: NaiveDate,
        limit: u32,
    ) -> RepoResult<Vec<MostViewed>> {
        let (table, base, t) = of_kind(kind);
        let mut q = QueryBuilder::<DB>::new(format!(
            "select r.slug, r.{t}_zh as title_zh, r.{t}_mn as title_mn, r.{t}_en as title_en, \
               cast(sum(v.views) as bigint) as views \
             from record_view v join {table} r on r.id = v.record_id \
             join base b on b.id = {base} where v.kind = "
        ));
        q.push_bind(kind.as_str().to_owned());
        q.push(" and v.day >= ");
        q.push_bind(since);
        push_scope(&mut q, scope);
        q.push(format!(
            " group by r.slug, r.{t}_zh, r.{t}_mn, r.{t}_en order by views desc, r.slug limit "
        ));
        q.push_bind(i64::from(limit));
        let rows = q
            .build_query_as::<ViewedRow>()
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.into_iter()
            .map(|r| {
                Ok(MostViewed {
                    slug: Slug::parse(&r.slug).map_err(|e| corrupt("slug", e))?,
                    title: LocalizedText::new(r.title_zh, r.title_mn, r.title_en),
                    views: r.views,
                })
            })
            .collect()
    }

    async fn views_of(&self, record: &Viewed, since: NaiveDate) -> RepoResult<i64> {
        let (table, _, _) = of_kind(record.kind());
        let (views,) = sqlx::query_as::<DB, (i64,)>(sqlx::AssertSqlSafe(format!(
            "select cast(coalesce(sum(v.views), 0) as bigint) from record_view v \
             join {table} r on r.id = v.record_id \
             where v.kind = $1 and r.slug = $2 and v.day >= $3"
        )))
        .bind(record.kind().as_str().to_owned())
        .bind(record.slug().as_str().to_owned())
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(views)
    }

    #[tracing::instrument(skip_all)]
    async fn base_figures(&self, year: i32) -> RepoResult<Vec<BaseFigures>> {
        let (first, last) = school_year_days(year);
        let rows = sqlx::query_as::<DB, BaseFiguresRow>(sqlx::AssertSqlSafe(base_figures::sql()))
            .bind(year)
            .bind(first)
            .bind(last)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.into_iter().map(BaseFigures::try_from).collect()
    }

    async fn first_record_view_day(&self) -> RepoResult<Option<NaiveDate>> {
        let (day,) = sqlx::query_as::<DB, (Option<NaiveDate>,)>("select min(day) from record_view")
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(day)
    }

    async fn fold_record_views(&self, first: NaiveDate, next: NaiveDate) -> RepoResult<u64> {
        const UNFOLDED: &str = "select count(*) from record_view where day > $1 and day < $2";
        // A month folded already is seen without taking the write lock (every ten
        // minutes, for every month since the first view); then counted again inside.
        let (unfolded,) = sqlx::query_as::<DB, (i64,)>(UNFOLDED)
            .bind(first)
            .bind(next)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        if unfolded == 0 {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let (unfolded,) = sqlx::query_as::<DB, (i64,)>(UNFOLDED)
            .bind(first)
            .bind(next)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        if unfolded == 0 {
            return Ok(0);
        }
        let sums = sqlx::query_as::<DB, (String, i64, i64)>(
            "select kind, record_id, cast(sum(views) as bigint) from record_view \
             where day >= $1 and day < $2 group by kind, record_id",
        )
        .bind(first)
        .bind(next)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query::<DB>("delete from record_view where day >= $1 and day < $2")
            .bind(first)
            .bind(next)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        for (kind, record, views) in sums {
            // Set, not add: a second node folding the same month writes the same sums.
            sqlx::query::<DB>(
                "insert into record_view (day, kind, record_id, views) values ($1, $2, $3, $4) \
                 on conflict (day, kind, record_id) do update set views = excluded.views",
            )
            .bind(first)
            .bind(kind)
            .bind(record)
            .bind(views)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(unfolded as u64)
    }

    async fn recent_changes(&self, actor: Option<UserId>, limit: u32) -> RepoResult<Vec<Change>> {
        let rows = sqlx::query_as::<DB, ChangeRow>(
            "select at, actor_name, action, entity, entity_id from audit_log \
             where ($1 is null or actor_id = $1) order by id desc limit $2",
        )
        .bind(actor)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|r| Change {
                at: r.at,
                actor_name: r.actor_name,
                action: r.action,
                entity: r.entity,
                entity_id: r.entity_id,
            })
            .collect())
    }
}
