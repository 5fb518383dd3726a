//! Media records beyond the item's list: WebVTT tracks, single media lookups, and the
//! records of uploads in progress — for both databases.

use super::rows::MediaRow;
use super::{SqlStore, map_err};
use crate::catalogue::model::{ItemId, Media, MediaId, MediaTrack, TrackKind};
use crate::catalogue::repo::MediaOwner;
use crate::catalogue::types::Slug;
use crate::i18n::Lang;
use crate::media::uploads::{Upload, UploadFields, UploadsRepo};
use crate::repo::{AuditEntry, RepoError, RepoResult, Visibility};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

#[derive(sqlx::FromRow)]
pub struct TrackRow {
    media_id: i64,
    lang: String,
    kind: String,
    vtt: String,
}

#[derive(sqlx::FromRow)]
pub struct UploadRow {
    id: String,
    user_id: i64,
    item_id: Option<i64>,
    file_name: String,
    length: i64,
    received: i64,
    fields: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn track(r: TrackRow) -> Option<(i64, MediaTrack)> {
    Some((
        r.media_id,
        MediaTrack {
            lang: r.lang.parse().ok()?,
            kind: TrackKind::parse(&r.kind)?,
            vtt: r.vtt,
        },
    ))
}

impl<DB> SqlStore<DB>
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
    for<'r> TrackRow: FromRow<'r, DB::Row>,
    for<'r> MediaRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'r> (i64, String, String): FromRow<'r, DB::Row>,
{
    /// Attaches the tracks of an item's media to them.
    pub(super) async fn attach_tracks(
        &self,
        item_id: ItemId,
        media: &mut [Media],
    ) -> RepoResult<()> {
        let rows = sqlx::query_as::<DB, TrackRow>(
            "select t.media_id, t.lang, t.kind, t.vtt from media_track t join media m on m.id = t.media_id \
             where m.item_id = $1 order by t.lang, t.kind",
        )
        .bind(item_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        for (media_id, t) in rows.into_iter().filter_map(track) {
            if let Some(m) = media.iter_mut().find(|m| m.id == media_id) {
                m.tracks.push(t);
            }
        }
        Ok(())
    }

    pub(super) async fn write_track(
        &self,
        media: MediaId,
        t: &MediaTrack,
        audit: &AuditEntry,
    ) -> RepoResult<()> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        sqlx::query::<DB>(
            "insert into media_track (media_id, lang, kind, vtt, updated_at) values ($1, $2, $3, $4, $5) \
             on conflict (media_id, lang, kind) do update set vtt = excluded.vtt, updated_at = excluded.updated_at",
        )
        .bind(media)
        .bind(t.lang.code().to_owned())
        .bind(t.kind.code().to_owned())
        .bind(t.vtt.clone())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        super::audit::write_audit::<DB>(&mut tx, audit, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(super) async fn remove_track(
        &self,
        media: MediaId,
        lang: Lang,
        kind: TrackKind,
        audit: &AuditEntry,
    ) -> RepoResult<bool> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let (n,) = sqlx::query_as::<DB, (i64,)>(
            "select count(*) from media_track where media_id = $1 and lang = $2 and kind = $3",
        )
        .bind(media)
        .bind(lang.code().to_owned())
        .bind(kind.code().to_owned())
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        if n == 0 {
            return Ok(false);
        }
        sqlx::query::<DB>(
            "delete from media_track where media_id = $1 and lang = $2 and kind = $3",
        )
        .bind(media)
        .bind(lang.code().to_owned())
        .bind(kind.code().to_owned())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        super::audit::write_audit::<DB>(&mut tx, audit, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    pub(super) async fn media_by_id(&self, id: MediaId) -> RepoResult<Option<(MediaOwner, Media)>> {
        let row = sqlx::query_as::<DB, MediaRow>(
            "select id, kind, sha256, mime, bytes, width, height, duration_ms, codecs, original_name, \
               alt_zh, alt_mn, alt_en, caption_zh, caption_mn, caption_en, credit, rights, source \
             from media where id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(row) = row else { return Ok(None) };
        let (item_id, item, base) = sqlx::query_as::<DB, (i64, String, String)>(
            "select i.id, i.slug, b.slug from media m join item i on i.id = m.item_id \
             join base b on b.id = i.base_id where m.id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        let slug = |s: &str| Slug::parse(s).map_err(|e| RepoError::Backend(e.into()));
        let owner = MediaOwner {
            item_id,
            item: slug(&item)?,
            base: slug(&base)?,
        };
        let mut media = [Media::try_from(row)?];
        self.attach_tracks(item_id, &mut media).await?;
        let [media] = media;
        Ok(Some((owner, media)))
    }

    pub(super) async fn track_for(
        &self,
        sha256: &str,
        lang: Lang,
        kind: TrackKind,
        visibility: Visibility,
    ) -> RepoResult<Option<String>> {
        let row = sqlx::query_as::<DB, (String,)>(
            "select t.vtt from media_track t join media m on m.id = t.media_id join item i on i.id = m.item_id \
             where m.sha256 = $1 and t.lang = $2 and t.kind = $3 and ($4 or i.status = 'published') limit 1",
        )
        .bind(sha256.to_owned())
        .bind(lang.code().to_owned())
        .bind(kind.code().to_owned())
        .bind(visibility.includes_unpublished())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(row.map(|(v,)| v))
    }
}

#[async_trait]
impl<DB> UploadsRepo for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> UploadRow: FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
{
    async fn create_upload(&self, u: &Upload) -> RepoResult<()> {
        let fields = serde_json::to_string(&u.fields).map_err(|e| RepoError::Backend(e.into()))?;
        sqlx::query::<DB>(
            "insert into upload (id, user_id, item_id, file_name, length, received, fields, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(u.id.clone())
        .bind(u.user_id)
        .bind(u.item_id)
        .bind(u.file_name.clone())
        .bind(u.length as i64)
        .bind(u.received as i64)
        .bind(fields)
        .bind(u.created_at)
        .bind(u.updated_at)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn upload(&self, id: &str) -> RepoResult<Option<Upload>> {
        let row = sqlx::query_as::<DB, UploadRow>(
            "select id, user_id, item_id, file_name, length, received, fields, created_at, updated_at \
             from upload where id = $1",
        )
        .bind(id.to_owned())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.map(|r| {
            let fields: UploadFields =
                serde_json::from_str(&r.fields).map_err(|e| RepoError::Backend(e.into()))?;
            Ok(Upload {
                id: r.id,
                user_id: r.user_id,
                item_id: r.item_id,
                file_name: r.file_name,
                length: r.length as u64,
                received: r.received as u64,
                fields,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
        })
        .transpose()
    }

    async fn set_upload_received(
        &self,
        id: &str,
        received: u64,
        at: DateTime<Utc>,
    ) -> RepoResult<()> {
        sqlx::query::<DB>("update upload set received = $1, updated_at = $2 where id = $3")
            .bind(received as i64)
            .bind(at)
            .bind(id.to_owned())
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_upload(&self, id: &str) -> RepoResult<()> {
        sqlx::query::<DB>("delete from upload where id = $1")
            .bind(id.to_owned())
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn stale_uploads(&self, before: DateTime<Utc>) -> RepoResult<Vec<String>> {
        let rows = sqlx::query_as::<DB, (String,)>("select id from upload where updated_at < $1")
            .bind(before)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    async fn upload_ids(&self) -> RepoResult<Vec<String>> {
        let rows = sqlx::query_as::<DB, (String,)>("select id from upload")
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
