//! The catalogue repository in SQL, written once for SQLite and PostgreSQL.
//!
//! Both databases accept the same statements here (`$n` parameters, `on conflict`,
//! `returning`, row comparisons), so one generic implementation serves both and a bug is
//! fixed once. `visibility` is passed as a boolean "include unpublished" parameter.

use super::bases::{Put, put_base};
use super::rows::*;
use super::{SqlStore, map_err};
use crate::catalogue::model::*;
use crate::catalogue::repo::{
    CatalogueRepo, CategoryCounts, ItemQuery, ListQuery, MediaOwner, ServedMedia,
};
use crate::catalogue::types::{Accession, Category, Slug};
use crate::i18n::Lang;
use crate::repo::{AuditEntry, Page, RepoError, RepoResult, Visibility};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

/// The columns of an item card (`i` item, `b` base, `c` cover media).
macro_rules! item_summary_columns {
    () => {
        "i.id, i.accession, i.slug, i.title_zh, i.title_mn, i.title_en, \
                  i.summary_zh, i.summary_mn, i.summary_en, i.category, i.protection_level, i.status, i.revision, \
         b.slug as base_slug, b.name_zh as base_name_zh, b.name_mn as base_name_mn, b.name_en as base_name_en, \
         c.sha256 as cover_sha256, c.width as cover_width, c.height as cover_height, \
         c.alt_zh as cover_alt_zh, c.alt_mn as cover_alt_mn, c.alt_en as cover_alt_en "
    };
}
pub(super) use item_summary_columns;

/// Joins the base and the first image of item `i`.
macro_rules! item_summary_joins {
    () => {
        " join base b on b.id = i.base_id \
          left join media c on c.id = (select m.id from media m \
              where m.item_id = i.id and m.kind = 'image' order by m.position limit 1) "
    };
}
pub(super) use item_summary_joins;

/// The columns and joins of an exhibition card; `$1` is "include unpublished".
macro_rules! exhibition_summary_select {
    () => {
        "select e.id, e.slug, e.status, e.featured, e.title_zh, e.title_mn, e.title_en, \
           e.subtitle_zh, e.subtitle_mn, e.subtitle_en, \
           e.introduction_zh, e.introduction_mn, e.introduction_en, e.updated_at, \
           b.slug as base_slug, b.name_zh as base_name_zh, b.name_mn as base_name_mn, b.name_en as base_name_en, \
           (select count(*) from exhibition_stop s join item si on si.id = s.item_id \
              where s.exhibition_id = e.id and ($1 or si.status = 'published')) as stop_count, \
           c.sha256 as cover_sha256, c.width as cover_width, c.height as cover_height, \
           c.alt_zh as cover_alt_zh, c.alt_mn as cover_alt_mn, c.alt_en as cover_alt_en \
         from exhibition e \
         join base b on b.id = e.base_id \
         left join media c on c.id = (select m.id from media m \
             where m.kind = 'image' and m.item_id = coalesce(e.cover_item_id, \
                 (select s.item_id from exhibition_stop s where s.exhibition_id = e.id order by s.position limit 1)) \
             order by m.position limit 1) "
    };
}

/// The columns of a base.
macro_rules! base_select {
    () => {
        concat!("select ", base_columns!(), " from base ")
    };
}

fn all(v: Visibility) -> bool {
    v.includes_unpublished()
}

/// A LIKE pattern matching `text` anywhere, with the wildcards in it escaped.
fn contains_pattern(text: &str) -> String {
    let mut p = String::from("%");
    for ch in text.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

#[async_trait]
impl<DB> CatalogueRepo for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> i32: Encode<'q, DB> + Type<DB>,
    for<'q> f64: Encode<'q, DB> + Type<DB>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i32>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<f64>: Encode<'q, DB> + Type<DB>,
    for<'r> BaseRow: FromRow<'r, DB::Row>,
    for<'r> ItemRow: FromRow<'r, DB::Row>,
    for<'r> ItemSummaryRow: FromRow<'r, DB::Row>,
    for<'r> MediaRow: FromRow<'r, DB::Row>,
    for<'r> ExhibitionSummaryRow: FromRow<'r, DB::Row>,
    for<'r> StopRow: FromRow<'r, DB::Row>,
    for<'r> super::exhibition_rows::ExhibitionEditRow: FromRow<'r, DB::Row>,
    for<'r> super::exhibition_rows::StopEditRow: FromRow<'r, DB::Row>,
    for<'r> super::media::TrackRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
    for<'r> (String, i64): FromRow<'r, DB::Row>,
    for<'r> (String, String): FromRow<'r, DB::Row>,
    for<'r> (String, String, i64, String): FromRow<'r, DB::Row>,
    for<'r> (i64, String, String): FromRow<'r, DB::Row>,
    for<'r> (i64, i64): FromRow<'r, DB::Row>,
{
    #[tracing::instrument(skip_all, fields(slug = %base.slug))]
    async fn upsert_base(&self, base: &BaseFields) -> RepoResult<BaseId> {
        let mut tx = self.begin_write().await?;
        let written = put_base(&mut tx, base, Put::Upsert, Utc::now()).await?;
        tx.commit().await.map_err(map_err)?;
        let (id, _) = written.ok_or_else(|| anyhow::anyhow!("upsert returned no row"))?;
        Ok(id)
    }

    async fn list_bases(&self, query: &ListQuery) -> RepoResult<Page<Base>> {
        let after = query
            .after
            .as_ref()
            .map(|c| c.id())
            .transpose()
            .map_err(|e| RepoError::Invalid(e.to_string()))?;
        let rows = sqlx::query_as::<DB, BaseRow>(concat!(
            base_select!(),
            "where ($1 or status = 'published') and ($2 is null or id > $2) order by id limit $3"
        ))
        .bind(all(query.visibility))
        .bind(after)
        .bind(i64::from(query.limit) + 1)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let bases = rows
            .into_iter()
            .map(Base::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(bases, query.limit as usize, |b| {
            b.id.to_string()
        }))
    }

    async fn base(&self, slug: &Slug, visibility: Visibility) -> RepoResult<Option<Base>> {
        let row = sqlx::query_as::<DB, BaseRow>(concat!(
            base_select!(),
            "where slug = $1 and ($2 or status = 'published')"
        ))
        .bind(slug.as_str().to_owned())
        .bind(all(visibility))
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.map(Base::try_from).transpose()
    }

    #[tracing::instrument(skip_all, fields(accession = %item.fields.accession))]
    async fn upsert_item(&self, item: &NewItem) -> RepoResult<ItemId> {
        self.write_item(item).await
    }

    async fn list_items(&self, query: &ItemQuery) -> RepoResult<Page<ItemSummary>> {
        let rows = sqlx::query_as::<DB, ItemSummaryRow>(concat!(
            "select ",
            item_summary_columns!(),
            "from item i",
            item_summary_joins!(),
            "where ($1 or i.status = 'published') \
               and ($2 is null or i.category = $2) \
               and ($3 is null or b.slug = $3) \
               and ($4 is null or exists (select 1 from media m where m.item_id = i.id and m.kind = $4)) \
               and ($5 is null or lower(coalesce(i.title_zh, '')) like $5 escape '\\' \
                    or lower(coalesce(i.title_en, '')) like $5 escape '\\' \
                    or lower(coalesce(i.title_mn, '')) like $5 escape '\\' \
                    or lower(coalesce(i.summary_zh, '')) like $5 escape '\\' \
                    or lower(coalesce(i.summary_en, '')) like $5 escape '\\' \
                    or lower(i.accession) like $5 escape '\\') \
                              and ($6 is null or i.accession > $6) \
                              and ($8 is null or i.status = $8) \
               and ($9 is null or $9 like '%,' || b.slug || ',%') \
               and ($10 is null or exists (select 1 from import_outcome o \
                    where o.run_id = $10 and o.created and o.slug = i.slug)) \
               and ($11 is null \
                    or ($11 = 'mn_title' and coalesce(trim(i.title_mn), '') = '') \
                    or ($11 = 'media' and not exists (select 1 from media m where m.item_id = i.id))) \
             order by i.accession limit $7"
        ))
        .bind(all(query.visibility))
        .bind(query.category.map(|c| c.code().to_owned()))
        .bind(query.base.as_ref().map(|s| s.as_str().to_owned()))
        .bind(query.media.map(|m| m.code().to_owned()))
        .bind(query.text.as_deref().map(contains_pattern))
        .bind(query.after.as_ref().map(|c| c.key().to_owned()))
                .bind(i64::from(query.limit) + 1)
                .bind(query.status.map(|s| s.code().to_owned()))
        .bind(query.bases.as_ref().map(|bases| {
            // Slugs hold no commas: ",a,b," matches each one exactly.
            let joined: Vec<&str> = bases.iter().map(Slug::as_str).collect();
            format!(",{},", joined.join(","))
        }))
        .bind(query.import.clone())
        .bind(query.lacks.map(|g| g.code().to_owned()))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let items = rows
            .into_iter()
            .map(ItemSummary::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(items, query.limit as usize, |i| {
            i.accession.to_string()
        }))
    }

    async fn item(&self, slug: &Slug, visibility: Visibility) -> RepoResult<Option<Item>> {
        let row = sqlx::query_as::<DB, ItemRow>(concat!(
            item_select!(),
            "where i.slug = $1 and ($2 or i.status = 'published')"
        ))
        .bind(slug.as_str().to_owned())
        .bind(all(visibility))
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(row) = row else { return Ok(None) };
        let item_id = row.id;
        let media = sqlx::query_as::<DB, MediaRow>(concat!(
            media_select!(),
            "where item_id = $1 order by position"
        ))
        .bind(row.id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let mut item = row.into_item(media)?;
        self.attach_tracks(item_id, &mut item.media).await?;
        Ok(Some(item))
    }

    async fn item_slug_by_accession(
        &self,
        accession: &Accession,
        visibility: Visibility,
    ) -> RepoResult<Option<Slug>> {
        let row = sqlx::query_as::<DB, (String,)>(
            "select slug from item where accession = $1 and ($2 or status = 'published')",
        )
        .bind(accession.as_str().to_owned())
        .bind(all(visibility))
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.map(|(s,)| Slug::parse(&s).map_err(|e| RepoError::Backend(e.into())))
            .transpose()
    }

    async fn category_counts(&self, visibility: Visibility) -> RepoResult<CategoryCounts> {
        let rows = sqlx::query_as::<DB, (String, i64)>(
            "select category, count(*) from item where ($1 or status = 'published') group by category",
        )
        .bind(all(visibility))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let mut counts = Vec::new();
        for category in Category::ALL {
            if let Some((_, n)) = rows.iter().find(|(c, _)| c == category.code()) {
                counts.push((*category, *n));
            }
        }
        Ok(counts)
    }

    async fn related_items(&self, item: &Item, limit: u32) -> RepoResult<Vec<ItemSummary>> {
        let rows = sqlx::query_as::<DB, ItemSummaryRow>(concat!(
            "select ",
            item_summary_columns!(),
            "from item i",
            item_summary_joins!(),
            "where i.status = 'published' and i.id <> $1 and (i.category = $2 or b.slug = $3) \
             order by case when i.category = $2 then 0 else 1 end, i.accession limit $4"
        ))
        .bind(item.id)
        .bind(item.fields.category.code().to_owned())
        .bind(item.base.slug.as_str().to_owned())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.into_iter().map(ItemSummary::try_from).collect()
    }

    #[tracing::instrument(skip_all, fields(slug = %exhibition.slug))]
    async fn upsert_exhibition(&self, exhibition: &NewExhibition) -> RepoResult<ExhibitionId> {
        self.write_exhibition(exhibition).await
    }

    async fn list_exhibitions(&self, query: &ListQuery) -> RepoResult<Page<ExhibitionSummary>> {
        let after = query
            .after
            .as_ref()
            .map(|c| c.id())
            .transpose()
            .map_err(|e| RepoError::Invalid(e.to_string()))?;
        let rows = sqlx::query_as::<DB, ExhibitionSummaryRow>(concat!(
            exhibition_summary_select!(),
            "where ($1 or e.status = 'published') and ($2 = false or e.featured) \
               and ($3 is null or b.slug = $3) and ($4 is null or e.id > $4) \
             order by e.id limit $5"
        ))
        .bind(all(query.visibility))
        .bind(query.featured_only)
        .bind(query.base.as_ref().map(|s| s.as_str().to_owned()))
        .bind(after)
        .bind(i64::from(query.limit) + 1)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let list = rows
            .into_iter()
            .map(ExhibitionSummary::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(list, query.limit as usize, |e| {
            e.id.to_string()
        }))
    }

    async fn exhibition(
        &self,
        slug: &Slug,
        visibility: Visibility,
    ) -> RepoResult<Option<Exhibition>> {
        let row = sqlx::query_as::<DB, ExhibitionSummaryRow>(concat!(
            exhibition_summary_select!(),
            "where ($1 or e.status = 'published') and e.slug = $2"
        ))
        .bind(all(visibility))
        .bind(slug.as_str().to_owned())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(row) = row else { return Ok(None) };
        let introduction = row.introduction();
        let summary = ExhibitionSummary::try_from(row)?;
        let stops = sqlx::query_as::<DB, StopRow>(concat!(
            "select s.narrative_zh, s.narrative_mn, s.narrative_en, \
               f.sha256 as focus_sha256, f.width as focus_width, f.height as focus_height, \
               f.alt_zh as focus_alt_zh, f.alt_mn as focus_alt_mn, f.alt_en as focus_alt_en, s.audio_media_id, ",
            item_summary_columns!(),
            "from exhibition_stop s join item i on i.id = s.item_id",
            item_summary_joins!(),
            "left join media f on f.item_id = i.id and f.position = s.media_index - 1 and f.kind = 'image' \
             where s.exhibition_id = $1 and ($2 or i.status = 'published') order by s.position"
        ))
        .bind(summary.id)
        .bind(all(visibility))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let stops = stops
            .into_iter()
            .zip(1..)
            .map(|(row, n)| row.into_stop(n))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(Exhibition {
            summary,
            introduction,
            stops,
        }))
    }

    async fn exhibitions_with_item(&self, item: ItemId) -> RepoResult<Vec<ExhibitionSummary>> {
        let rows = sqlx::query_as::<DB, ExhibitionSummaryRow>(concat!(
            exhibition_summary_select!(),
            "where ($1 or e.status = 'published') \
               and exists (select 1 from exhibition_stop s where s.exhibition_id = e.id and s.item_id = $2) \
             order by e.id"
        ))
        .bind(false)
        .bind(item)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.into_iter().map(ExhibitionSummary::try_from).collect()
    }

    async fn set_media_track(
        &self,
        media: MediaId,
        track: &MediaTrack,
        audit: &AuditEntry,
    ) -> RepoResult<()> {
        self.write_track(media, track, audit).await
    }

    async fn delete_media_track(
        &self,
        media: MediaId,
        lang: Lang,
        kind: TrackKind,
        audit: &AuditEntry,
    ) -> RepoResult<bool> {
        self.remove_track(media, lang, kind, audit).await
    }

    async fn media(&self, id: MediaId) -> RepoResult<Option<(MediaOwner, Media)>> {
        self.media_by_id(id).await
    }

    async fn media_track(
        &self,
        sha256: &str,
        lang: Lang,
        kind: TrackKind,
        visibility: Visibility,
    ) -> RepoResult<Option<String>> {
        self.track_for(sha256, lang, kind, visibility).await
    }

    async fn media_hashes(&self) -> RepoResult<Vec<(String, Slug)>> {
        sqlx::query_as::<DB, (String, String)>(
            "select m.sha256, i.slug from media m join item i on i.id = m.item_id order by m.sha256, i.slug",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?
        .into_iter()
        .map(|(sha, slug)| {
            Slug::parse(&slug)
                .map(|s| (sha, s))
                .map_err(|e| RepoError::Backend(anyhow::anyhow!("unreadable slug {slug:?}: {e}")))
        })
        .collect()
    }

    async fn media_by_sha256(
        &self,
        sha256: &str,
        visibility: Visibility,
    ) -> RepoResult<Option<ServedMedia>> {
        let row = sqlx::query_as::<DB, (String, String, i64, String)>(
            "select m.kind, m.mime, m.bytes, m.original_name from media m join item i on i.id = m.item_id \
             where m.sha256 = $1 and ($2 or i.status = 'published') \
             union all \
             select 'image', p.mime, p.bytes, p.original_name from panorama p join base b on b.id = p.base_id \
             where p.sha256 = $1 and ($2 or b.status = 'published') limit 1",
        )
        .bind(sha256.to_owned())
        .bind(all(visibility))
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.map(|(kind, mime, bytes, original_name)| {
            let kind = crate::catalogue::types::MediaKind::parse(&kind)
                .map_err(|e| RepoError::Backend(e.into()))?;
            Ok(ServedMedia {
                kind,
                mime,
                bytes,
                original_name,
            })
        })
        .transpose()
    }
}
