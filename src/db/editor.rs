//! The curator's writes in SQL, for both databases. Each write is one transaction: the
//! change, the revision bump (refused if the writer's revision is stale), a snapshot of
//! the item in its history, and an audit row with the changed fields.

use super::audit::write_audit;
use super::bases::{Put, put_base};
use super::item_history::RevisionRow;
use super::revision::{Versioned, bump};
use super::rows::split;
use super::rows::{BaseRow, ItemRow, MediaRow, base_columns, text_list_json};
use super::{SqlStore, map_err};
use crate::catalogue::editor::{CatalogueEditor, Checked, Move, Revision};
use crate::catalogue::model::*;
use crate::catalogue::types::{Slug, Status};
use crate::repo::{Actor, AuditEntry, RepoError, RepoResult, Stale};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Transaction, Type};

/// The audit row of a base change: the fields before and after, as JSON.
fn base_audit(
    actor: &Actor,
    action: &str,
    after: &BaseFields,
    before: Option<&BaseFields>,
) -> AuditEntry {
    let json = |f: &BaseFields| serde_json::to_string(f).unwrap_or_default();
    AuditEntry {
        actor: actor.id,
        actor_name: actor.name.clone(),
        action: action.to_owned(),
        entity: "base".into(),
        entity_id: after.slug.to_string(),
        before: before.map(json),
        after: Some(json(after)),
    }
}

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> i32: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i32>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> ItemRow: FromRow<'r, DB::Row>,
    for<'r> MediaRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
{
    async fn base_id(tx: &mut Transaction<'static, DB>, base: &Slug) -> RepoResult<i64> {
        Ok(
            sqlx::query_as::<DB, (i64,)>("select id from base where slug = $1")
                .bind(base.as_str().to_owned())
                .fetch_optional(&mut **tx)
                .await
                .map_err(map_err)?
                .ok_or_else(|| {
                    RepoError::Invalid(format!("base {:?} does not exist", base.as_str()))
                })?
                .0,
        )
    }

    /// The position of a media file of the item.
    async fn media_position(
        tx: &mut Transaction<'static, DB>,
        item: ItemId,
        media: MediaId,
    ) -> RepoResult<i64> {
        Ok(sqlx::query_as::<DB, (i64,)>(
            "select cast(position as bigint) from media where id = $1 and item_id = $2",
        )
        .bind(media)
        .bind(item)
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err)?
        .ok_or_else(|| RepoError::Invalid(format!("media {media} is not part of item {item}")))?
        .0)
    }
}

#[async_trait]
impl<DB> CatalogueEditor for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> i32: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i32>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> ItemRow: FromRow<'r, DB::Row>,
    for<'r> MediaRow: FromRow<'r, DB::Row>,
    for<'r> RevisionRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    for<'q> Option<f64>: Encode<'q, DB> + Type<DB>,
    for<'r> BaseRow: FromRow<'r, DB::Row>,
    for<'r> (i64, i64): FromRow<'r, DB::Row>,
{
    async fn create_base(&self, fields: &BaseFields, actor: &Actor) -> RepoResult<BaseId> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let (id, _) = put_base(&mut tx, fields, Put::Insert, now)
            .await?
            .ok_or_else(|| anyhow::anyhow!("insert returned no row"))?;
        let entry = base_audit(actor, "base.create", fields, None);
        write_audit::<DB>(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn update_base(
        &self,
        revision: i64,
        fields: &BaseFields,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let before = sqlx::query_as::<DB, BaseRow>(concat!(
            "select ",
            base_columns!(),
            " from base where slug = $1"
        ))
        .bind(fields.slug.as_str().to_owned())
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .map(Base::try_from)
        .transpose()?
        .ok_or_else(|| RepoError::Invalid(format!("base {} does not exist", fields.slug)))?;
        let Some((_, new)) = put_base(&mut tx, fields, Put::Update(revision), now).await? else {
            return Ok(Err(Stale {
                current: before.revision,
            }));
        };
        let entry = base_audit(actor, "base.update", fields, Some(&before.fields));
        write_audit::<DB>(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(Ok(new))
    }

    async fn create_item(&self, f: &ItemFields, base: &Slug, actor: &Actor) -> RepoResult<ItemId> {
        self.create_item_with_media(f, base, &[], "item.create", actor)
            .await
    }

    async fn create_item_with_media(
        &self,
        f: &ItemFields,
        base: &Slug,
        media: &[NewMedia],
        action: &str,
        actor: &Actor,
    ) -> RepoResult<ItemId> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let base_id = Self::base_id(&mut tx, base).await?;
        let mut q = sqlx::query_as::<DB, (i64,)>(
            "insert into item (accession, slug, status, category, protection_level, base_id, \
               title_zh, title_mn, title_en, summary_zh, summary_mn, summary_en, \
               description_zh, description_mn, description_en, place_zh, place_mn, place_en, \
               period_zh, period_mn, period_en, year, inheritors, subjects, rights, revision, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
               $19, $20, $21, $22, $23, $24, $25, 1, $26, $26) returning id",
        )
        .bind(f.accession.as_str().to_owned())
        .bind(f.slug.as_str().to_owned())
        .bind(f.status.code().to_owned())
        .bind(f.category.code().to_owned())
        .bind(f.protection_level.map(|l| l.code().to_owned()))
        .bind(base_id);
        for t in [&f.title, &f.summary, &f.description, &f.place, &f.period] {
            let (zh, mn, en) = split(t);
            q = q.bind(zh).bind(mn).bind(en);
        }
        let (id,) = q
            .bind(f.year)
            .bind(text_list_json(&f.inheritors))
            .bind(text_list_json(&f.subjects))
            .bind(f.rights.clone())
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        for (position, m) in media.iter().enumerate() {
            let position = i32::try_from(position)
                .map_err(|_| RepoError::Invalid("too many media files".into()))?;
            Self::insert_media(&mut tx, id, position, m, now).await?;
        }
        Self::record(&mut tx, id, None, action, actor, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn update_item(
        &self,
        id: ItemId,
        revision: i64,
        f: &ItemFields,
        base: &Slug,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let base_id = Self::base_id(&mut tx, base).await?;
        let (before, _, _) = Self::snapshot_in(&mut tx, id).await?;
        if let Err(stale) = bump(&mut tx, Versioned::Item, id, Some(revision), now).await? {
            return Ok(Err(stale));
        }
        let mut q = sqlx::query::<DB>(
            "update item set accession = $1, slug = $2, category = $3, protection_level = $4, base_id = $5, \
               title_zh = $6, title_mn = $7, title_en = $8, summary_zh = $9, summary_mn = $10, summary_en = $11, \
               description_zh = $12, description_mn = $13, description_en = $14, \
               place_zh = $15, place_mn = $16, place_en = $17, period_zh = $18, period_mn = $19, period_en = $20, \
               year = $21, inheritors = $22, subjects = $23, rights = $24 where id = $25",
        )
        .bind(f.accession.as_str().to_owned())
        .bind(f.slug.as_str().to_owned())
        .bind(f.category.code().to_owned())
        .bind(f.protection_level.map(|l| l.code().to_owned()))
        .bind(base_id);
        for t in [&f.title, &f.summary, &f.description, &f.place, &f.period] {
            let (zh, mn, en) = split(t);
            q = q.bind(zh).bind(mn).bind(en);
        }
        q.bind(f.year)
            .bind(text_list_json(&f.inheritors))
            .bind(text_list_json(&f.subjects))
            .bind(f.rights.clone())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let new = Self::record(&mut tx, id, Some(&before), "item.update", actor, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(Ok(new))
    }

    async fn set_item_status(
        &self,
        id: ItemId,
        revision: i64,
        status: Status,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let (before, _, _) = Self::snapshot_in(&mut tx, id).await?;
        if let Err(stale) = bump(&mut tx, Versioned::Item, id, Some(revision), now).await? {
            return Ok(Err(stale));
        }
        sqlx::query::<DB>("update item set status = $1 where id = $2")
            .bind(status.code().to_owned())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let new = Self::record(
            &mut tx,
            id,
            Some(&before),
            &format!("item.status.{}", status.code()),
            actor,
            now,
        )
        .await?;
        tx.commit().await.map_err(map_err)?;
        Ok(Ok(new))
    }

    async fn revisions(&self, id: ItemId) -> RepoResult<Vec<Revision>> {
        let rows = sqlx::query_as::<DB, RevisionRow>(
            "select revision, at, actor_name, snapshot from item_revision where item_id = $1 order by revision desc",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.into_iter()
            .map(|r| {
                Ok(Revision {
                    number: r.revision,
                    at: r.at,
                    actor: r.actor_name,
                    snapshot: serde_json::from_str(&r.snapshot)
                        .map_err(|e| RepoError::Backend(e.into()))?,
                })
            })
            .collect()
    }

    async fn add_media(
        &self,
        item: ItemId,
        media: &NewMedia,
        actor: &Actor,
    ) -> RepoResult<MediaId> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let (before, _, _) = Self::snapshot_in(&mut tx, item).await?;
        let (next,) = sqlx::query_as::<DB, (i64,)>(
            "select cast(coalesce(max(position) + 1, 0) as bigint) from media where item_id = $1",
        )
        .bind(item)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        let position =
            i32::try_from(next).map_err(|_| RepoError::Invalid("too many media files".into()))?;
        let id = Self::insert_media(&mut tx, item, position, media, now).await?;
        let _ = bump(&mut tx, Versioned::Item, item, None, now).await?;
        Self::record(&mut tx, item, Some(&before), "media.add", actor, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn update_media(
        &self,
        item: ItemId,
        media: MediaId,
        m: &MediaFields,
        actor: &Actor,
    ) -> RepoResult<()> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        Self::media_position(&mut tx, item, media).await?;
        let (before, _, _) = Self::snapshot_in(&mut tx, item).await?;
        let (alt_zh, alt_mn, alt_en) = split(&m.alt);
        let (cap_zh, cap_mn, cap_en) = split(&m.caption);
        sqlx::query::<DB>(
            "update media set alt_zh = $1, alt_mn = $2, alt_en = $3, caption_zh = $4, caption_mn = $5, \
               caption_en = $6, credit = $7, rights = $8, source = $9 where id = $10",
        )
        .bind(alt_zh)
        .bind(alt_mn)
        .bind(alt_en)
        .bind(cap_zh)
        .bind(cap_mn)
        .bind(cap_en)
        .bind(m.credit.clone())
        .bind(m.rights.clone())
        .bind(m.source.clone())
        .bind(media)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let _ = bump(&mut tx, Versioned::Item, item, None, now).await?;
        Self::record(&mut tx, item, Some(&before), "media.update", actor, now).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn move_media(
        &self,
        item: ItemId,
        media: MediaId,
        to: Move,
        actor: &Actor,
    ) -> RepoResult<()> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let position = Self::media_position(&mut tx, item, media).await?;
        let (before, _, _) = Self::snapshot_in(&mut tx, item).await?;
        let neighbour = sqlx::query_as::<DB, (i64,)>(match to {
            Move::Up => "select id from media where item_id = $1 and position < $2 order by position desc limit 1",
            Move::Down => "select id from media where item_id = $1 and position > $2 order by position limit 1",
        })
        .bind(item)
        .bind(position)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let Some((other,)) = neighbour else {
            return Ok(()); // already first or last
        };
        let other_position = Self::media_position(&mut tx, item, other).await?;
        for (id, pos) in [(media, -1), (other, position), (media, other_position)] {
            sqlx::query::<DB>("update media set position = $1 where id = $2")
                .bind(
                    i32::try_from(pos)
                        .map_err(|_| RepoError::Invalid("position out of range".into()))?,
                )
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        let _ = bump(&mut tx, Versioned::Item, item, None, now).await?;
        Self::record(&mut tx, item, Some(&before), "media.move", actor, now).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn remove_media(&self, item: ItemId, media: MediaId, actor: &Actor) -> RepoResult<()> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let position = Self::media_position(&mut tx, item, media).await?;
        let (before, _, _) = Self::snapshot_in(&mut tx, item).await?;
        sqlx::query::<DB>("delete from media where id = $1")
            .bind(media)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query::<DB>(
            "update media set position = position - 1 where item_id = $1 and position > $2",
        )
        .bind(item)
        .bind(position)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let _ = bump(&mut tx, Versioned::Item, item, None, now).await?;
        Self::record(&mut tx, item, Some(&before), "media.remove", actor, now).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn replace_media_file(
        &self,
        item: ItemId,
        media: MediaId,
        file: &MediaFile,
        actor: &Actor,
    ) -> RepoResult<()> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        Self::media_position(&mut tx, item, media).await?;
        let (before, _, _) = Self::snapshot_in(&mut tx, item).await?;
        sqlx::query::<DB>(
            "update media set kind = $1, sha256 = $2, mime = $3, bytes = $4, width = $5, height = $6, \
               duration_ms = $7, codecs = $8 where id = $9",
        )
        .bind(file.kind.code().to_owned())
        .bind(file.sha256.clone())
        .bind(file.mime.clone())
        .bind(file.bytes)
        .bind(file.width)
        .bind(file.height)
        .bind(file.duration_ms)
        .bind(file.codecs.clone())
        .bind(media)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let _ = bump(&mut tx, Versioned::Item, item, None, now).await?;
        Self::record(&mut tx, item, Some(&before), "media.replace", actor, now).await?;
        tx.commit().await.map_err(map_err)
    }
}
