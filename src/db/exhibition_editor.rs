//! The curator's writes to exhibitions in SQL, for both databases. Each write is one
//! transaction: the revision bump (refused if the writer's revision is stale), the change,
//! and an audit row with the whole exhibition before and after.

use super::audit::write_audit;
use super::revision::{Versioned, bump};
use super::{SqlStore, map_err};
use crate::catalogue::editor::{Checked, Move};
use crate::catalogue::exhibition_editor::{
    DraftExhibition, DraftStop, ExhibitionEditor, ExhibitionFields, StopFields,
};
use crate::catalogue::model::{ExhibitionId, ItemId};
use crate::catalogue::types::{Slug, Status};
use crate::i18n::LocalizedText;
use crate::repo::{Actor, AuditEntry, RepoError, RepoResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Transaction, Type};

fn split(t: &LocalizedText) -> (Option<String>, Option<String>, Option<String>) {
    (t.zh.clone(), t.mn.clone(), t.en.clone())
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> RepoError {
    RepoError::Backend(anyhow::anyhow!("unreadable {what} in the database: {e}"))
}

fn slug(s: &str) -> RepoResult<Slug> {
    Slug::parse(s).map_err(|e| corrupt("slug", e))
}

/// An exhibition's own columns, for the editor.
#[derive(sqlx::FromRow)]
pub struct ExhibitionEditRow {
    id: i64,
    slug: String,
    base_slug: String,
    status: String,
    featured: bool,
    title_zh: Option<String>,
    title_mn: Option<String>,
    title_en: Option<String>,
    subtitle_zh: Option<String>,
    subtitle_mn: Option<String>,
    subtitle_en: Option<String>,
    introduction_zh: Option<String>,
    introduction_mn: Option<String>,
    introduction_en: Option<String>,
    cover_slug: Option<String>,
    revision: i64,
    updated_at: DateTime<Utc>,
}

/// A stop's columns, for the editor.
#[derive(sqlx::FromRow)]
pub struct StopEditRow {
    item_id: i64,
    item_slug: String,
    media_index: Option<i32>,
    audio_media_id: Option<i64>,
    narrative_zh: Option<String>,
    narrative_mn: Option<String>,
    narrative_en: Option<String>,
}

impl StopEditRow {
    fn into_stop(self) -> RepoResult<DraftStop> {
        Ok(DraftStop {
            item_id: self.item_id,
            item: slug(&self.item_slug)?,
            fields: StopFields {
                media_index: self
                    .media_index
                    .map(u32::try_from)
                    .transpose()
                    .map_err(|e| corrupt("media index", e))?,
                audio: self.audio_media_id,
                narrative: LocalizedText::new(
                    self.narrative_zh,
                    self.narrative_mn,
                    self.narrative_en,
                ),
            },
        })
    }
}

impl ExhibitionEditRow {
    fn into_draft(self, stops: Vec<DraftStop>) -> RepoResult<DraftExhibition> {
        Ok(DraftExhibition {
            id: self.id,
            fields: ExhibitionFields {
                slug: slug(&self.slug)?,
                featured: self.featured,
                title: LocalizedText::new(self.title_zh, self.title_mn, self.title_en),
                subtitle: LocalizedText::new(self.subtitle_zh, self.subtitle_mn, self.subtitle_en),
                introduction: LocalizedText::new(
                    self.introduction_zh,
                    self.introduction_mn,
                    self.introduction_en,
                ),
                cover_item: self.cover_slug.as_deref().map(slug).transpose()?,
            },
            base: slug(&self.base_slug)?,
            status: Status::parse(&self.status).map_err(|e| corrupt("status", e))?,
            revision: self.revision,
            stops,
            updated_at: self.updated_at,
        })
    }
}

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
    /// The exhibition as it is inside a transaction.
    async fn draft_in(
        tx: &mut Transaction<'static, DB>,
        id: ExhibitionId,
    ) -> RepoResult<DraftExhibition> {
        let row = sqlx::query_as::<DB, ExhibitionEditRow>(
            "select e.id, e.slug, b.slug as base_slug, e.status, e.featured, \
               e.title_zh, e.title_mn, e.title_en, e.subtitle_zh, e.subtitle_mn, e.subtitle_en, \
               e.introduction_zh, e.introduction_mn, e.introduction_en, \
               c.slug as cover_slug, e.revision, e.updated_at \
             from exhibition e join base b on b.id = e.base_id \
             left join item c on c.id = e.cover_item_id where e.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err)?
        .ok_or_else(|| RepoError::Invalid(format!("exhibition {id} does not exist")))?;
        let stops = sqlx::query_as::<DB, StopEditRow>(
            "select s.item_id, i.slug as item_slug, s.media_index, s.audio_media_id, \
               s.narrative_zh, s.narrative_mn, s.narrative_en \
             from exhibition_stop s join item i on i.id = s.item_id \
             where s.exhibition_id = $1 order by s.position",
        )
        .bind(id)
        .fetch_all(&mut **tx)
        .await
        .map_err(map_err)?
        .into_iter()
        .map(StopEditRow::into_stop)
        .collect::<RepoResult<Vec<_>>>()?;
        row.into_draft(stops)
    }

    /// Writes the audit row of a change (the exhibition before and after); returns the
    /// revision it is at now.
    async fn audit_exhibition(
        tx: &mut Transaction<'static, DB>,
        id: ExhibitionId,
        before: Option<&DraftExhibition>,
        action: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> RepoResult<i64> {
        let after = Self::draft_in(tx, id).await?;
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
    async fn references(
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

    /// Runs `change` between the revision check and the audit row, in one transaction.
    async fn checked_change<F>(
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
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        let before = Self::draft_in(&mut tx, id).await?;
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
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> ExhibitionEditRow: FromRow<'r, DB::Row>,
    for<'r> StopEditRow: FromRow<'r, DB::Row>,
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
        let mut tx = self.pool.begin().await.map_err(map_err)?;
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
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        let id = sqlx::query_as::<DB, (i64,)>("select id from exhibition where slug = $1")
            .bind(slug.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        let draft = match id {
            Some((id,)) => Some(Self::draft_in(&mut tx, id).await?),
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
            Box::pin(async move {
                let (base_id, cover_id) =
                    Self::references(tx, &base, fields.cover_item.as_ref()).await?;
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
            })
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
