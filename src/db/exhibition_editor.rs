//! The curator's writes to exhibitions in SQL, for both databases. Each write is one
//! transaction: the revision bump (refused if the writer's revision is stale), the change,
//! and an audit row with the whole exhibition before and after.

use super::audit::write_audit;
use super::exhibition_rows::{ExhibitionEditRow, StopEditRow, draft_in};
use super::revision::{Versioned, bump};
use super::rows::split;
use super::{SqlStore, map_err};
use crate::catalogue::editor::{Checked, Move};
use crate::catalogue::exhibition_editor::{
    DraftExhibition, ExhibitionEditor, ExhibitionFields, StopFields,
};
use crate::catalogue::model::{ExhibitionId, ItemId};
use crate::catalogue::types::{Slug, Status};
use crate::repo::{Actor, AuditEntry, RepoError, RepoResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Transaction, Type};

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> i32: Encode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i32>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> ExhibitionEditRow: FromRow<'r, DB::Row>,
    for<'r> StopEditRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
{
    /// Writes the audit row of a change (the exhibition before and after); returns the
    /// revision it is at now.
    pub(super) async fn audit_exhibition(
        tx: &mut Transaction<'static, DB>,
        id: ExhibitionId,
        before: Option<&DraftExhibition>,
        action: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> RepoResult<i64> {
        let after = draft_in(tx, id).await?;
        super::exhibition_history::write_revisions(tx, before, &after, actor, now).await?;
        let json = |d: &DraftExhibition| {
            serde_json::to_string(d).map_err(|e| RepoError::Backend(e.into()))
        };
        let entry = AuditEntry {
            actor: actor.id,
            actor_name: actor.name.clone(),
            action: action.to_owned(),
            entity: "exhibition".into(),
            entity_id: after.fields.slug.to_string(),
            before: before.map(json).transpose()?,
            after: Some(json(&after)?),
        };
        write_audit::<DB>(tx, &entry, now).await?;
        Ok(after.revision)
    }

    async fn id_of(
        tx: &mut Transaction<'static, DB>,
        sql: &'static str,
        key: String,
        what: &str,
    ) -> RepoResult<i64> {
        Ok(sqlx::query_as::<DB, (i64,)>(sql)
            .bind(key.clone())
            .fetch_optional(&mut **tx)
            .await
            .map_err(map_err)?
            .ok_or_else(|| RepoError::Invalid(format!("{what} {key:?} does not exist")))?
            .0)
    }

    /// The ids of the base and the cover item named by the form.
    pub(super) async fn references(
        tx: &mut Transaction<'static, DB>,
        base: &Slug,
        cover: Option<&Slug>,
    ) -> RepoResult<(i64, Option<i64>)> {
        let base_id = Self::id_of(
            tx,
            "select id from base where slug = $1",
            base.to_string(),
            "base",
        )
        .await?;
        let cover_id = match cover {
            Some(c) => Some(
                Self::id_of(
                    tx,
                    "select id from item where slug = $1",
                    c.to_string(),
                    "item",
                )
                .await?,
            ),
            None => None,
        };
        Ok((base_id, cover_id))
    }

    /// The 0-based position of the stop showing `item`.
    async fn stop_position(
        tx: &mut Transaction<'static, DB>,
        id: ExhibitionId,
        item: ItemId,
    ) -> RepoResult<i64> {
        Ok(sqlx::query_as::<DB, (i64,)>(
            "select cast(position as bigint) from exhibition_stop \
             where exhibition_id = $1 and item_id = $2 order by position limit 1",
        )
        .bind(id)
        .bind(item)
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err)?
        .ok_or_else(|| RepoError::Invalid(format!("item {item} is not a stop of exhibition {id}")))?
        .0)
    }

    /// Writes the exhibition form's fields (and its base) over exhibition `id`.
    pub(super) async fn write_fields(
        tx: &mut Transaction<'static, DB>,
        id: ExhibitionId,
        fields: &ExhibitionFields,
        base: &Slug,
    ) -> RepoResult<()> {
        let (base_id, cover_id) = Self::references(tx, base, fields.cover_item.as_ref()).await?;
        let mut q = sqlx::query::<DB>(
            "update exhibition set slug = $1, base_id = $2, featured = $3, \
               title_zh = $4, title_mn = $5, title_en = $6, \
               subtitle_zh = $7, subtitle_mn = $8, subtitle_en = $9, \
               introduction_zh = $10, introduction_mn = $11, introduction_en = $12, \
               cover_item_id = $13 where id = $14",
        )
        .bind(fields.slug.to_string())
        .bind(base_id)
        .bind(fields.featured);
        for t in [&fields.title, &fields.subtitle, &fields.introduction] {
            let (zh, mn, en) = split(t);
            q = q.bind(zh).bind(mn).bind(en);
        }
        q.bind(cover_id)
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    /// Runs `change` between the revision check and the audit row, in one transaction.
    pub(super) async fn checked_change<F>(
        &self,
        id: ExhibitionId,
        revision: i64,
        action: &str,
        actor: &Actor,
        change: F,
    ) -> RepoResult<Checked<i64>>
    where
        F: for<'t> FnOnce(
                &'t mut Transaction<'static, DB>,
            ) -> futures_util::future::BoxFuture<'t, RepoResult<()>>
            + Send,
    {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let before = draft_in(&mut tx, id).await?;
        if let Err(stale) = bump(&mut tx, Versioned::Exhibition, id, Some(revision), now).await? {
            return Ok(Err(stale));
        }
        change(&mut tx).await?;
        let new = Self::audit_exhibition(&mut tx, id, Some(&before), action, actor, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(Ok(new))
    }
}

fn position(p: i64) -> RepoResult<i32> {
    i32::try_from(p).map_err(|_| RepoError::Invalid("too many stops".into()))
}

#[async_trait]
impl<DB> ExhibitionEditor for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> i32: Encode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i32>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'r> ExhibitionEditRow: FromRow<'r, DB::Row>,
    for<'r> StopEditRow: FromRow<'r, DB::Row>,
    for<'r> super::exhibition_history::ExhibitionRevisionRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
{
    #[tracing::instrument(skip_all, fields(slug = %fields.slug))]
    async fn create_exhibition(
        &self,
        fields: &ExhibitionFields,
        base: &Slug,
        actor: &Actor,
    ) -> RepoResult<ExhibitionId> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let (base_id, cover_id) =
            Self::references(&mut tx, base, fields.cover_item.as_ref()).await?;
        let mut q = sqlx::query_as::<DB, (i64,)>(
            "insert into exhibition (slug, base_id, status, featured, title_zh, title_mn, title_en, \
               subtitle_zh, subtitle_mn, subtitle_en, introduction_zh, introduction_mn, introduction_en, \
               cover_item_id, revision, created_at, updated_at) \
             values ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) \
             returning id",
        )
        .bind(fields.slug.to_string())
        .bind(base_id)
        .bind(fields.featured);
        for t in [&fields.title, &fields.subtitle, &fields.introduction] {
            let (zh, mn, en) = split(t);
            q = q.bind(zh).bind(mn).bind(en);
        }
        let (id,) = q
            .bind(cover_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        Self::audit_exhibition(&mut tx, id, None, "exhibition.create", actor, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    async fn draft_exhibition(&self, slug: &Slug) -> RepoResult<Option<DraftExhibition>> {
        let mut tx = self.begin_write().await?;
        let id = sqlx::query_as::<DB, (i64,)>("select id from exhibition where slug = $1")
            .bind(slug.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        let draft = match id {
            Some((id,)) => Some(draft_in(&mut tx, id).await?),
            None => None,
        };
        tx.commit().await.map_err(map_err)?;
        Ok(draft)
    }

    #[tracing::instrument(skip_all, fields(id, revision))]
    async fn update_exhibition(
        &self,
        id: ExhibitionId,
        revision: i64,
        fields: &ExhibitionFields,
        base: &Slug,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>> {
        let fields = fields.clone();
        let base = base.clone();
        self.checked_change(id, revision, "exhibition.update", actor, move |tx| {
            Box::pin(async move { Self::write_fields(tx, id, &fields, &base).await })
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(id, revision))]
    async fn set_exhibition_status(
        &self,
        id: ExhibitionId,
        revision: i64,
        status: Status,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>> {
        self.checked_change(id, revision, "exhibition.status", actor, move |tx| {
            Box::pin(async move {
                sqlx::query::<DB>("update exhibition set status = $1 where id = $2")
                    .bind(status.code().to_owned())
                    .bind(id)
                    .execute(&mut **tx)
                    .await
                    .map_err(map_err)?;
                Ok(())
            })
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(id, revision, item))]
    async fn add_stop(
        &self,
        id: ExhibitionId,
        revision: i64,
        item: ItemId,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>> {
        self.checked_change(id, revision, "exhibition.stop.add", actor, move |tx| {
            Box::pin(async move {
                let (taken,) = sqlx::query_as::<DB, (i64,)>(
                    "select count(*) from exhibition_stop where exhibition_id = $1 and item_id = $2",
                )
                .bind(id)
                .bind(item)
                .fetch_one(&mut **tx)
                .await
                .map_err(map_err)?;
                if taken > 0 {
                    return Err(RepoError::Conflict(format!(
                        "exhibition_stop_item: item {item} is already a stop"
                    )));
                }
                let (next,) = sqlx::query_as::<DB, (i64,)>(
                    "select cast(coalesce(max(position) + 1, 0) as bigint) from exhibition_stop \
                     where exhibition_id = $1",
                )
                .bind(id)
                .fetch_one(&mut **tx)
                .await
                .map_err(map_err)?;
                sqlx::query::<DB>(
                    "insert into exhibition_stop (exhibition_id, position, item_id) values ($1, $2, $3)",
                )
                .bind(id)
                .bind(position(next)?)
                .bind(item)
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
                Ok(())
            })
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(id, revision, item))]
    async fn update_stop(
        &self,
        id: ExhibitionId,
        revision: i64,
        item: ItemId,
        fields: &StopFields,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>> {
        let fields = fields.clone();
        self.checked_change(id, revision, "exhibition.stop.update", actor, move |tx| {
            Box::pin(async move {
                let at = Self::stop_position(tx, id, item).await?;
                if let Some(audio) = fields.audio {
                    let (ok,) = sqlx::query_as::<DB, (i64,)>(
                        "select count(*) from media where id = $1 and item_id = $2 and kind = 'audio'",
                    )
                    .bind(audio)
                    .bind(item)
                    .fetch_one(&mut **tx)
                    .await
                    .map_err(map_err)?;
                    if ok == 0 {
                        return Err(RepoError::Invalid(format!(
                            "media {audio} is not an audio file of item {item}"
                        )));
                    }
                }
                let (zh, mn, en) = split(&fields.narrative);
                sqlx::query::<DB>(
                    "update exhibition_stop set media_index = $1, audio_media_id = $2, \
                       narrative_zh = $3, narrative_mn = $4, narrative_en = $5 \
                     where exhibition_id = $6 and position = $7",
                )
                .bind(
                    fields
                        .media_index
                        .map(|i| i32::try_from(i).unwrap_or(i32::MAX)),
                )
                .bind(fields.audio)
                .bind(zh)
                .bind(mn)
                .bind(en)
                .bind(id)
                .bind(position(at)?)
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
                Ok(())
            })
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(id, revision, item))]
    async fn move_stop(
        &self,
        id: ExhibitionId,
        revision: i64,
        item: ItemId,
        to: Move,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>> {
        self.checked_change(id, revision, "exhibition.stop.move", actor, move |tx| {
            Box::pin(async move {
                let at = Self::stop_position(tx, id, item).await?;
                let neighbour = sqlx::query_as::<DB, (i64,)>(match to {
                    Move::Up => {
                        "select cast(position as bigint) from exhibition_stop \
                         where exhibition_id = $1 and position < $2 order by position desc limit 1"
                    }
                    Move::Down => {
                        "select cast(position as bigint) from exhibition_stop \
                         where exhibition_id = $1 and position > $2 order by position limit 1"
                    }
                })
                .bind(id)
                .bind(position(at)?)
                .fetch_optional(&mut **tx)
                .await
                .map_err(map_err)?;
                let Some((other,)) = neighbour else {
                    return Ok(()); // already first or last
                };
                // (exhibition, position) is the key: park one stop at -1 while swapping.
                for (from, to) in [(at, -1), (other, at), (-1, other)] {
                    sqlx::query::<DB>(
                        "update exhibition_stop set position = $1 where exhibition_id = $2 and position = $3",
                    )
                    .bind(position(to)?)
                    .bind(id)
                    .bind(position(from)?)
                    .execute(&mut **tx)
                    .await
                    .map_err(map_err)?;
                }
                Ok(())
            })
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(id, revision, item))]
    async fn remove_stop(
        &self,
        id: ExhibitionId,
        revision: i64,
        item: ItemId,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>> {
        self.checked_change(id, revision, "exhibition.stop.remove", actor, move |tx| {
            Box::pin(async move {
                let at = position(Self::stop_position(tx, id, item).await?)?;
                sqlx::query::<DB>(
                    "delete from exhibition_stop where exhibition_id = $1 and position = $2",
                )
                .bind(id)
                .bind(at)
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
                // Close the gap in two steps: a unique key checked row by row would see the
                // rows collide if they were shifted in place.
                for (sql, bound) in [
                    ("update exhibition_stop set position = -position where exhibition_id = $1 and position > $2", at),
                    ("update exhibition_stop set position = -position - 1 where exhibition_id = $1 and position < $2", 0),
                ] {
                    sqlx::query::<DB>(sql)
                        .bind(id)
                        .bind(bound)
                        .execute(&mut **tx)
                        .await
                        .map_err(map_err)?;
                }
                Ok(())
            })
        })
        .await
    }
}
