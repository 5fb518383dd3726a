//! Harvesting queries in SQL, for both databases: public items by the time of their last
//! change, paged by the (updated_at, id) key that the `item_changes` index serves.

use super::rows::{ItemRow, MediaRow, corrupt, item_select};
use super::{SqlStore, map_err};
use crate::catalogue::harvest::{ChangeQuery, HarvestRepo, ItemChange};
use crate::catalogue::model::{Item, ItemId};
use crate::catalogue::types::{Accession, Category, Slug, Status};
use crate::repo::{RepoError, RepoResult, Visibility};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

/// The columns of an [`ItemChangeRow`] (`i` item, `b` base).
macro_rules! change_select {
    () => {
        "select i.id, i.accession, i.slug, i.status, i.updated_at, b.slug as base_slug, i.category \
         from item i join base b on b.id = i.base_id "
    };
}

/// The filters of a [`ChangeQuery`]; `$8`, `$9` are the key to start after.
macro_rules! change_filters {
    () => {
        "where (i.status = 'published' or ($1 and i.status = 'archived')) \
           and ($2 is null or i.updated_at >= $2) \
           and ($3 is null or i.updated_at < $3) \
           and ($4 is null or b.slug = $4) \
           and ($5 is null or i.category = $5) \
           and ($6 is null or i.id >= $6) \
           and ($7 is null or i.id < $7) "
    };
}

const OLDEST_FIRST: &str = concat!(
    change_select!(),
    change_filters!(),
    "and ($8 is null or (i.updated_at, i.id) > ($8, $9)) \
     order by i.updated_at, i.id limit $10"
);

const NEWEST_FIRST: &str = concat!(
    change_select!(),
    change_filters!(),
    "and ($8 is null or (i.updated_at, i.id) < ($8, $9)) \
     order by i.updated_at desc, i.id desc limit $10"
);

/// `$1, $2, …, $n`: the parameters of an `in (…)` list.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A media row with its item's id, for reading several items' media at once.
#[derive(sqlx::FromRow)]
pub struct MediaOfItem {
    item_id: i64,
    #[sqlx(flatten)]
    media: MediaRow,
}

#[derive(sqlx::FromRow)]
pub struct ItemChangeRow {
    id: i64,
    accession: String,
    slug: String,
    status: String,
    updated_at: DateTime<Utc>,
    base_slug: String,
    category: String,
}

impl TryFrom<ItemChangeRow> for ItemChange {
    type Error = RepoError;

    fn try_from(r: ItemChangeRow) -> Result<ItemChange, RepoError> {
        Ok(ItemChange {
            id: r.id,
            accession: Accession::parse(&r.accession).map_err(|e| corrupt("accession", e))?,
            slug: Slug::parse(&r.slug).map_err(|e| corrupt("slug", e))?,
            status: Status::parse(&r.status).map_err(|e| corrupt("status", e))?,
            updated_at: r.updated_at,
            base: Slug::parse(&r.base_slug).map_err(|e| corrupt("slug", e))?,
            category: Category::parse(&r.category).map_err(|e| corrupt("category", e))?,
        })
    }
}

#[async_trait]
impl<DB> HarvestRepo for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<DateTime<Utc>>: Encode<'q, DB> + Type<DB>,
    for<'r> ItemChangeRow: FromRow<'r, DB::Row>,
    for<'r> ItemRow: FromRow<'r, DB::Row>,
    for<'r> MediaOfItem: FromRow<'r, DB::Row>,
    for<'r> (Option<i64>,): FromRow<'r, DB::Row>,
{
    async fn item_changes(&self, q: &ChangeQuery) -> RepoResult<Vec<ItemChange>> {
        let sql = if q.newest_first {
            NEWEST_FIRST
        } else {
            OLDEST_FIRST
        };
        let rows = sqlx::query_as::<DB, ItemChangeRow>(sql)
            .bind(q.withdrawn)
            .bind(q.from)
            .bind(q.before)
            .bind(q.base.as_ref().map(|s| s.as_str().to_owned()))
            .bind(q.category.map(|c| c.code().to_owned()))
            .bind(q.ids.as_ref().map(|r| r.start))
            .bind(q.ids.as_ref().map(|r| r.end))
            .bind(q.after.map(|(at, _)| at))
            .bind(q.after.map(|(_, id)| id))
            .bind(i64::from(q.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.into_iter().map(ItemChange::try_from).collect()
    }

    async fn item_change(&self, accession: &Accession) -> RepoResult<Option<ItemChange>> {
        let row = sqlx::query_as::<DB, ItemChangeRow>(concat!(
            change_select!(),
            "where i.accession = $1 and i.status in ('published', 'archived')"
        ))
        .bind(accession.as_str().to_owned())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.map(ItemChange::try_from).transpose()
    }

    async fn items_by_id(&self, ids: &[ItemId], visibility: Visibility) -> RepoResult<Vec<Item>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = placeholders(ids.len());
        let published = match visibility {
            Visibility::Public => "and i.status = 'published' ",
            Visibility::All => "",
        };
        let sql = format!(
            "{}where i.id in ({list}) {published}order by i.id",
            item_select!()
        );
        let mut q = sqlx::query_as::<DB, ItemRow>(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(map_err)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let list = placeholders(rows.len());
        let sql = format!(
            "select item_id, id, kind, sha256, mime, bytes, width, height, duration_ms, codecs, \
               original_name, alt_zh, alt_mn, alt_en, caption_zh, caption_mn, caption_en, \
               credit, rights, source \
             from media where item_id in ({list}) order by item_id, position"
        );
        let mut q = sqlx::query_as::<DB, MediaOfItem>(sqlx::AssertSqlSafe(sql));
        for row in &rows {
            q = q.bind(row.id);
        }
        let mut media = q
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?
            .into_iter()
            .peekable();
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let mut mine = Vec::new();
            while let Some(m) = media.next_if(|m| m.item_id == row.id) {
                mine.push(m.media);
            }
            items.push(row.into_item(mine)?);
        }
        Ok(items)
    }

    async fn max_item_id(&self) -> RepoResult<ItemId> {
        let (max,) = sqlx::query_as::<DB, (Option<i64>,)>("select max(id) from item")
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(max.unwrap_or(0))
    }
}
