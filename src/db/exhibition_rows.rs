//! The exhibition editor's rows as the database returns them, and their conversion into
//! the editor's drafts, read inside the transaction that changes them.

use super::map_err;
use crate::catalogue::exhibition_editor::{
    DraftExhibition, DraftStop, ExhibitionFields, StopFields,
};
use crate::catalogue::model::ExhibitionId;
use crate::catalogue::types::{Slug, Status};
use crate::i18n::LocalizedText;
use crate::repo::{RepoError, RepoResult};
use chrono::{DateTime, Utc};
use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Transaction, Type};

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
    pub(super) fn into_stop(self) -> RepoResult<DraftStop> {
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
    pub(super) fn into_draft(self, stops: Vec<DraftStop>) -> RepoResult<DraftExhibition> {
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

/// The exhibition as it is inside a transaction.
pub(super) async fn draft_in<DB>(
    tx: &mut Transaction<'static, DB>,
    id: ExhibitionId,
) -> RepoResult<DraftExhibition>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'r> ExhibitionEditRow: FromRow<'r, DB::Row>,
    for<'r> StopEditRow: FromRow<'r, DB::Row>,
{
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
