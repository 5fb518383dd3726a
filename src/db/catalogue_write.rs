//! The catalogue's multi-statement writes, each in one transaction: an item with its media
//! list, an exhibition with its stops. Either everything of a record is written or nothing.

use super::revision::{Versioned, bump};
use super::rows::split;
use super::rows::text_list_json;
use super::{SqlStore, map_err};
use crate::catalogue::model::*;
use crate::repo::{Actor, RepoError, RepoResult};
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> i32: Encode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i32>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<f64>: Encode<'q, DB> + Type<DB>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'r> super::rows::ItemRow: FromRow<'r, DB::Row>,
    for<'r> super::rows::MediaRow: FromRow<'r, DB::Row>,
{
    /// Inserts or updates an item by accession number and replaces its media list.
    pub(super) async fn write_item(&self, item: &NewItem) -> RepoResult<ItemId> {
        let f = &item.fields;
        let now = Utc::now();
        let mut tx = self.begin_write().await?;

        let base_id = sqlx::query_as::<DB, (i64,)>("select id from base where slug = $1")
            .bind(item.base.as_str().to_owned())
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .ok_or_else(|| {
                RepoError::Invalid(format!("base {:?} does not exist", item.base.as_str()))
            })?
            .0;

        let slug_owner =
            sqlx::query_as::<DB, (String,)>("select accession from item where slug = $1")
                .bind(f.slug.as_str().to_owned())
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
        if let Some((owner,)) = slug_owner
            && owner != f.accession.as_str()
        {
            return Err(RepoError::Conflict(format!(
                "item_slug_key: slug {:?} already belongs to item {owner}",
                f.slug.as_str()
            )));
        }

        let existing = sqlx::query_as::<DB, (i64,)>("select id from item where accession = $1")
            .bind(f.accession.as_str().to_owned())
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        let before = match existing {
            Some((id,)) => Some(Self::snapshot_in(&mut tx, id).await?.0),
            None => None,
        };

        let mut q = sqlx::query_as::<DB, (i64,)>(
            "insert into item (accession, slug, status, category, protection_level, base_id, \
               title_zh, title_mn, title_en, summary_zh, summary_mn, summary_en, \
               description_zh, description_mn, description_en, place_zh, place_mn, place_en, \
               period_zh, period_mn, period_en, year, inheritors, subjects, rights, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
               $19, $20, $21, $22, $23, $24, $25, $26, $26) \
             on conflict (accession) do update set slug = excluded.slug, status = excluded.status, \
               category = excluded.category, protection_level = excluded.protection_level, \
               base_id = excluded.base_id, title_zh = excluded.title_zh, title_mn = excluded.title_mn, \
               title_en = excluded.title_en, summary_zh = excluded.summary_zh, summary_mn = excluded.summary_mn, \
               summary_en = excluded.summary_en, description_zh = excluded.description_zh, \
               description_mn = excluded.description_mn, description_en = excluded.description_en, \
               place_zh = excluded.place_zh, place_mn = excluded.place_mn, place_en = excluded.place_en, \
               period_zh = excluded.period_zh, period_mn = excluded.period_mn, period_en = excluded.period_en, \
               year = excluded.year, inheritors = excluded.inheritors, subjects = excluded.subjects, \
               rights = excluded.rights, revision = item.revision + 1, updated_at = excluded.updated_at \
             returning id",
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
        let (item_id,) = q
            .bind(f.year)
            .bind(text_list_json(&f.inheritors))
            .bind(text_list_json(&f.subjects))
            .bind(f.rights.clone())
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;

        // A file the item keeps keeps its media row (and id): an exhibition's audio guide
        // and tracks added in the admin point at it. Files no longer listed go.
        let mut old = sqlx::query_as::<DB, super::rows::MediaRow>(concat!(
            super::rows::media_select!(),
            "where item_id = $1 order by position"
        ))
        .bind(item_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        for (position, media) in (0i32..).zip(&item.media) {
            match old.iter().position(|row| row.sha256() == media.file.sha256) {
                Some(i) => {
                    let id = old.remove(i).id;
                    Self::rewrite_media(&mut tx, id, position, &media.fields).await?;
                }
                None => {
                    Self::insert_media(&mut tx, item_id, position, media, now).await?;
                }
            }
        }
        for gone in old {
            sqlx::query::<DB>("delete from media where id = $1")
                .bind(gone.id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        if let Some(before) = &before
            && Self::snapshot_in(&mut tx, item_id).await?.0 == *before
        {
            // Imported again unchanged: no new revision, no history entry, no audit row.
            tx.rollback().await.map_err(map_err)?;
            return Ok(item_id);
        }
        let action = if before.is_some() {
            "item.reimport"
        } else {
            "item.import"
        };
        Self::record(
            &mut tx,
            item_id,
            before.as_ref(),
            action,
            &Actor::system("import"),
            now,
        )
        .await?;
        tx.commit().await.map_err(map_err)?;
        Ok(item_id)
    }

    /// Moves a kept media row to `position` and gives it the imported description.
    async fn rewrite_media(
        tx: &mut sqlx::Transaction<'static, DB>,
        id: MediaId,
        position: i32,
        m: &MediaFields,
    ) -> RepoResult<()> {
        let (alt_zh, alt_mn, alt_en) = split(&m.alt);
        let (cap_zh, cap_mn, cap_en) = split(&m.caption);
        sqlx::query::<DB>(
            "update media set position = $1, original_name = $2, alt_zh = $3, alt_mn = $4, \
               alt_en = $5, caption_zh = $6, caption_mn = $7, caption_en = $8, credit = $9, \
               rights = $10, source = $11 where id = $12",
        )
        .bind(position)
        .bind(m.original_name.clone())
        .bind(alt_zh)
        .bind(alt_mn)
        .bind(alt_en)
        .bind(cap_zh)
        .bind(cap_mn)
        .bind(cap_en)
        .bind(m.credit.clone())
        .bind(m.rights.clone())
        .bind(m.source.clone())
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    /// Inserts one media row inside a transaction; returns its id.
    pub(super) async fn insert_media(
        tx: &mut sqlx::Transaction<'static, DB>,
        item_id: ItemId,
        position: i32,
        media: &NewMedia,
        now: DateTime<Utc>,
    ) -> RepoResult<MediaId> {
        let (file, m) = (&media.file, &media.fields);
        let (alt_zh, alt_mn, alt_en) = split(&m.alt);
        let (cap_zh, cap_mn, cap_en) = split(&m.caption);
        let (id,) = sqlx::query_as::<DB, (i64,)>(
            "insert into media (item_id, position, kind, sha256, mime, bytes, width, height, duration_ms, \
               codecs, original_name, alt_zh, alt_mn, alt_en, caption_zh, caption_mn, caption_en, credit, \
               rights, source, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
               $20, $21) returning id",
        )
        .bind(item_id)
        .bind(position)
        .bind(file.kind.code().to_owned())
        .bind(file.sha256.clone())
        .bind(file.mime.clone())
        .bind(file.bytes)
        .bind(file.width)
        .bind(file.height)
        .bind(file.duration_ms)
        .bind(file.codecs.clone())
        .bind(m.original_name.clone())
        .bind(alt_zh)
        .bind(alt_mn)
        .bind(alt_en)
        .bind(cap_zh)
        .bind(cap_mn)
        .bind(cap_en)
        .bind(m.credit.clone())
        .bind(m.rights.clone())
        .bind(m.source.clone())
        .bind(now)
        .fetch_one(&mut **tx)
        .await
        .map_err(map_err)?;
        Ok(id)
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
    for<'r> super::exhibition_rows::ExhibitionEditRow: FromRow<'r, DB::Row>,
    for<'r> super::exhibition_rows::StopEditRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
{
    /// Inserts or updates an exhibition by slug and replaces its stops; its history keeps
    /// the imported state (and, the first time, the state before), as an editor's change.
    pub(super) async fn write_exhibition(&self, ex: &NewExhibition) -> RepoResult<ExhibitionId> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let existing = sqlx::query_as::<DB, (i64,)>("select id from exhibition where slug = $1")
            .bind(ex.slug.as_str().to_owned())
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        let before = match existing {
            Some((id,)) => Some(super::exhibition_rows::draft_in(&mut tx, id).await?),
            None => None,
        };

        let base_id = sqlx::query_as::<DB, (i64,)>("select id from base where slug = $1")
            .bind(ex.base.as_str().to_owned())
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .ok_or_else(|| {
                RepoError::Invalid(format!("base {:?} does not exist", ex.base.as_str()))
            })?
            .0;

        let mut item_ids = Vec::with_capacity(ex.stops.len());
        for slug in ex.cover_item.iter().chain(ex.stops.iter().map(|s| &s.item)) {
            let id = sqlx::query_as::<DB, (i64,)>("select id from item where slug = $1")
                .bind(slug.as_str().to_owned())
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?
                .ok_or_else(|| {
                    RepoError::Invalid(format!("item {:?} does not exist", slug.as_str()))
                })?
                .0;
            item_ids.push(id);
        }
        let cover_id = ex.cover_item.as_ref().map(|_| item_ids.remove(0));

        let mut q = sqlx::query_as::<DB, (i64,)>(
            "insert into exhibition (slug, base_id, status, featured, title_zh, title_mn, title_en, \
               subtitle_zh, subtitle_mn, subtitle_en, introduction_zh, introduction_mn, introduction_en, \
               cover_item_id, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) \
             on conflict (slug) do update set base_id = excluded.base_id, status = excluded.status, \
               featured = excluded.featured, title_zh = excluded.title_zh, title_mn = excluded.title_mn, \
               title_en = excluded.title_en, subtitle_zh = excluded.subtitle_zh, \
               subtitle_mn = excluded.subtitle_mn, subtitle_en = excluded.subtitle_en, \
               introduction_zh = excluded.introduction_zh, introduction_mn = excluded.introduction_mn, \
               introduction_en = excluded.introduction_en, cover_item_id = excluded.cover_item_id, \
               updated_at = excluded.updated_at \
             returning id",
        )
        .bind(ex.slug.as_str().to_owned())
        .bind(base_id)
        .bind(ex.status.code().to_owned())
        .bind(ex.featured);
        for t in [&ex.title, &ex.subtitle, &ex.introduction] {
            let (zh, mn, en) = split(t);
            q = q.bind(zh).bind(mn).bind(en);
        }
        let (ex_id,) = q
            .bind(cover_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;

        sqlx::query::<DB>("delete from exhibition_stop where exhibition_id = $1")
            .bind(ex_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        for ((position, stop), item_id) in (0i32..).zip(&ex.stops).zip(item_ids) {
            let (zh, mn, en) = split(&stop.narrative);
            let audio = match stop.audio_index {
                Some(n) => Some(
                    sqlx::query_as::<DB, (i64,)>(
                        "select id from media where item_id = $1 and position = $2 and kind = 'audio'",
                    )
                    .bind(item_id)
                    .bind(i32::try_from(n).unwrap_or(i32::MAX) - 1)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map_err)?
                    .ok_or_else(|| {
                        RepoError::Invalid(format!(
                            "stop {}: media {n} of item {:?} is not an audio file",
                            position + 1,
                            stop.item.as_str()
                        ))
                    })?
                    .0,
                ),
                None => None,
            };
            sqlx::query::<DB>(
                "insert into exhibition_stop (exhibition_id, position, item_id, media_index, \
                   narrative_zh, narrative_mn, narrative_en, audio_media_id) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(ex_id)
            .bind(position)
            .bind(item_id)
            .bind(stop.media_index.map(|i| i as i32))
            .bind(zh)
            .bind(mn)
            .bind(en)
            .bind(audio)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        if let Some(before) = &before {
            let after = super::exhibition_rows::draft_in(&mut tx, ex_id).await?;
            let unstamped = |d: &crate::catalogue::exhibition_editor::DraftExhibition| {
                let mut d = d.clone();
                (d.revision, d.updated_at) = (0, DateTime::<Utc>::MIN_UTC);
                d
            };
            if unstamped(&after) == unstamped(before) {
                // Imported again unchanged: no new revision, no history entry.
                tx.rollback().await.map_err(map_err)?;
                return Ok(ex_id);
            }
        }
        let action = if before.is_some() {
            // A new revision, so an editor's form opened before the import is stale.
            // With no expected revision the bump cannot be stale.
            bump(&mut tx, Versioned::Exhibition, ex_id, None, now)
                .await?
                .map_err(|_| RepoError::Invalid("the exhibition changed meanwhile".into()))?;
            "exhibition.reimport"
        } else {
            "exhibition.import"
        };
        let actor = Actor::system("import");
        Self::audit_exhibition(&mut tx, ex_id, before.as_ref(), action, &actor, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(ex_id)
    }
}
