//! Panoramas of halls in SQL, for both databases: reading a base's panoramas with their
//! markers (two queries, whatever their number), and every write in one transaction with
//! its audit line.

use super::audit::write_audit;
use super::rows::{corrupt, split};
use super::{SqlStore, map_err};
use crate::catalogue::model::BaseRef;
use crate::catalogue::panorama::{
    MAX_SPOTS, NewPanorama, NewSpot, Panorama, PanoramaImage, PanoramaRepo, Spot, SpotItem,
};
use crate::catalogue::types::{Accession, Category, Slug, Status};
use crate::i18n::LocalizedText;
use crate::repo::{Actor, AuditEntry, RepoError, RepoResult, Visibility};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Transaction, Type};

const PANORAMAS: &str = "select p.id, p.position, p.title_zh, p.title_mn, p.title_en, \
       p.alt_zh, p.alt_mn, p.alt_en, p.sha256, p.mime, p.bytes, p.width, p.height, \
       p.original_name, p.updated_at, b.slug as base_slug, \
       b.name_zh as base_name_zh, b.name_mn as base_name_mn, b.name_en as base_name_en \
     from panorama p join base b on b.id = p.base_id \
     where b.slug = $1 and ($2 or b.status = 'published') and ($3 is null or p.position = $3) \
     order by p.position";

const SPOTS: &str = "select s.panorama_id, s.position, s.x, s.y, i.accession, i.slug, \
       i.title_zh, i.title_mn, i.title_en, i.category, i.status \
     from panorama_spot s join item i on i.id = s.item_id \
       join panorama p on p.id = s.panorama_id join base b on b.id = p.base_id \
     where b.slug = $1 and ($2 or i.status = 'published') and ($3 is null or p.position = $3) \
     order by s.panorama_id, s.position";

#[derive(sqlx::FromRow)]
pub struct PanoramaRow {
    id: i64,
    position: i64,
    title_zh: Option<String>,
    title_mn: Option<String>,
    title_en: Option<String>,
    alt_zh: Option<String>,
    alt_mn: Option<String>,
    alt_en: Option<String>,
    sha256: String,
    mime: String,
    bytes: i64,
    width: i64,
    height: i64,
    original_name: String,
    updated_at: DateTime<Utc>,
    base_slug: String,
    base_name_zh: Option<String>,
    base_name_mn: Option<String>,
    base_name_en: Option<String>,
}

#[derive(sqlx::FromRow)]
pub struct SpotRow {
    panorama_id: i64,
    position: i64,
    x: f64,
    y: f64,
    accession: String,
    slug: String,
    title_zh: Option<String>,
    title_mn: Option<String>,
    title_en: Option<String>,
    category: String,
    status: String,
}

impl PanoramaRow {
    fn into_panorama(self, spots: Vec<Spot>) -> RepoResult<Panorama> {
        Ok(Panorama {
            id: self.id,
            base: BaseRef {
                slug: Slug::parse(&self.base_slug).map_err(|e| corrupt("slug", e))?,
                name: LocalizedText::new(self.base_name_zh, self.base_name_mn, self.base_name_en),
            },
            number: self.position,
            title: LocalizedText::new(self.title_zh, self.title_mn, self.title_en),
            alt: LocalizedText::new(self.alt_zh, self.alt_mn, self.alt_en),
            image: PanoramaImage {
                sha256: self.sha256,
                mime: self.mime,
                bytes: self.bytes,
                width: self.width,
                height: self.height,
                original_name: self.original_name,
            },
            spots,
            updated_at: self.updated_at,
        })
    }
}

impl SpotRow {
    fn into_spot(self) -> RepoResult<(i64, Spot)> {
        Ok((
            self.panorama_id,
            Spot {
                number: self.position,
                item: SpotItem {
                    accession: Accession::parse(&self.accession)
                        .map_err(|e| corrupt("accession", e))?,
                    slug: Slug::parse(&self.slug).map_err(|e| corrupt("slug", e))?,
                    title: LocalizedText::new(self.title_zh, self.title_mn, self.title_en),
                    category: Category::parse(&self.category)
                        .map_err(|e| corrupt("category", e))?,
                    status: Status::parse(&self.status).map_err(|e| corrupt("status", e))?,
                },
                x: self.x,
                y: self.y,
            },
        ))
    }
}

fn audit(
    actor: &Actor,
    action: &str,
    base: &Slug,
    number: i64,
    after: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        actor: actor.id,
        actor_name: actor.name.clone(),
        action: action.to_owned(),
        entity: "panorama".into(),
        entity_id: format!("{base}/{number}"),
        before: None,
        after: Some(after.to_string()),
    }
}

fn text_json(t: &LocalizedText) -> serde_json::Value {
    serde_json::json!({ "zh": t.zh, "mn": t.mn, "en": t.en })
}

/// The id of the item with this accession number, or `Invalid`.
async fn item_id<DB>(tx: &mut Transaction<'static, DB>, accession: &Accession) -> RepoResult<i64>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
{
    sqlx::query_as::<DB, (i64,)>("select id from item where accession = $1")
        .bind(accession.as_str().to_owned())
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err)?
        .map(|(id,)| id)
        .ok_or_else(|| {
            RepoError::Invalid(format!(
                "there is no item with accession number {accession}"
            ))
        })
}

/// Appends a marker to panorama `id` inside `tx`; returns its number.
async fn insert_spot<DB>(
    tx: &mut Transaction<'static, DB>,
    id: i64,
    spot: &NewSpot,
) -> RepoResult<i64>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> f64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (i64, Option<i64>): FromRow<'r, DB::Row>,
{
    let item = item_id(tx, &spot.item).await?;
    let (count, last) = sqlx::query_as::<DB, (i64, Option<i64>)>(
        "select count(*), max(position) from panorama_spot where panorama_id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await
    .map_err(map_err)?;
    if count as usize >= MAX_SPOTS {
        return Err(RepoError::Invalid(format!(
            "a panorama has at most {MAX_SPOTS} markers"
        )));
    }
    let number = last.unwrap_or(0) + 1;
    sqlx::query::<DB>(
        "insert into panorama_spot (panorama_id, position, item_id, x, y) values ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(number)
    .bind(item)
    .bind(spot.x)
    .bind(spot.y)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(number)
}

/// The id of panorama `number` of `base`, if there is one.
async fn panorama_id<DB>(
    tx: &mut Transaction<'static, DB>,
    base: &Slug,
    number: i64,
) -> RepoResult<Option<i64>>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
{
    Ok(sqlx::query_as::<DB, (i64,)>(
        "select p.id from panorama p join base b on b.id = p.base_id \
         where b.slug = $1 and p.position = $2",
    )
    .bind(base.as_str().to_owned())
    .bind(number)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?
    .map(|(id,)| id))
}

#[async_trait]
impl<DB> PanoramaRepo for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> f64: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> PanoramaRow: FromRow<'r, DB::Row>,
    for<'r> SpotRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (i64, i64): FromRow<'r, DB::Row>,
    for<'r> (i64, Option<i64>): FromRow<'r, DB::Row>,
    for<'r> (Option<i64>,): FromRow<'r, DB::Row>,
    for<'r> (String, String): FromRow<'r, DB::Row>,
{
    async fn panoramas(&self, base: &Slug, visibility: Visibility) -> RepoResult<Vec<Panorama>> {
        self.read(base, None, visibility).await
    }

    async fn panorama(
        &self,
        base: &Slug,
        number: i64,
        visibility: Visibility,
    ) -> RepoResult<Option<Panorama>> {
        Ok(self.read(base, Some(number), visibility).await?.pop())
    }

    async fn add_panorama(&self, base: &Slug, new: &NewPanorama, actor: &Actor) -> RepoResult<i64> {
        self.put(base, new, actor, false).await
    }

    async fn import_panorama(
        &self,
        base: &Slug,
        new: &NewPanorama,
        actor: &Actor,
    ) -> RepoResult<i64> {
        self.put(base, new, actor, true).await
    }

    async fn describe_panorama(
        &self,
        base: &Slug,
        number: i64,
        title: &LocalizedText,
        alt: &LocalizedText,
        actor: &Actor,
    ) -> RepoResult<bool> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        let Some(id) = panorama_id(&mut tx, base, number).await? else {
            return Ok(false);
        };
        let (title_zh, title_mn, title_en) = split(title);
        let (alt_zh, alt_mn, alt_en) = split(alt);
        sqlx::query::<DB>(
            "update panorama set title_zh = $2, title_mn = $3, title_en = $4, \
               alt_zh = $5, alt_mn = $6, alt_en = $7, updated_at = $8 where id = $1",
        )
        .bind(id)
        .bind(title_zh)
        .bind(title_mn)
        .bind(title_en)
        .bind(alt_zh)
        .bind(alt_mn)
        .bind(alt_en)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let after = serde_json::json!({ "title": text_json(title), "alt": text_json(alt) });
        write_audit::<DB>(
            &mut tx,
            &audit(actor, "panorama.update", base, number, after),
            now,
        )
        .await?;
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    async fn remove_panorama(&self, base: &Slug, number: i64, actor: &Actor) -> RepoResult<bool> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        let Some(id) = panorama_id(&mut tx, base, number).await? else {
            return Ok(false);
        };
        sqlx::query::<DB>("delete from panorama where id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let mut entry = audit(
            actor,
            "panorama.delete",
            base,
            number,
            serde_json::Value::Null,
        );
        entry.after = None;
        write_audit::<DB>(&mut tx, &entry, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    async fn add_spot(
        &self,
        base: &Slug,
        number: i64,
        spot: &NewSpot,
        actor: &Actor,
    ) -> RepoResult<Option<i64>> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        let Some(id) = panorama_id(&mut tx, base, number).await? else {
            return Ok(None);
        };
        let placed = insert_spot(&mut tx, id, spot).await?;
        touch(&mut tx, id, now).await?;
        let after = serde_json::json!({
            "spot": placed, "item": spot.item.as_str(), "x": spot.x, "y": spot.y
        });
        write_audit::<DB>(
            &mut tx,
            &audit(actor, "panorama.spot.add", base, number, after),
            now,
        )
        .await?;
        tx.commit().await.map_err(map_err)?;
        Ok(Some(placed))
    }

    async fn remove_spot(
        &self,
        base: &Slug,
        number: i64,
        spot: i64,
        actor: &Actor,
    ) -> RepoResult<bool> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        let Some(id) = panorama_id(&mut tx, base, number).await? else {
            return Ok(false);
        };
        let gone = sqlx::query_as::<DB, (i64,)>(
            "delete from panorama_spot where panorama_id = $1 and position = $2 returning position",
        )
        .bind(id)
        .bind(spot)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        if gone.is_none() {
            return Ok(false);
        }
        touch(&mut tx, id, now).await?;
        let after = serde_json::json!({ "removed_spot": spot });
        write_audit::<DB>(
            &mut tx,
            &audit(actor, "panorama.spot.remove", base, number, after),
            now,
        )
        .await?;
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    async fn panorama_hashes(&self) -> RepoResult<Vec<(String, Slug)>> {
        sqlx::query_as::<DB, (String, String)>(
            "select p.sha256, b.slug from panorama p join base b on b.id = p.base_id \
             order by b.slug, p.position",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?
        .into_iter()
        .map(|(sha, slug)| Ok((sha, Slug::parse(&slug).map_err(|e| corrupt("slug", e))?)))
        .collect()
    }
}

/// Marks panorama `id` changed.
async fn touch<DB>(tx: &mut Transaction<'static, DB>, id: i64, now: DateTime<Utc>) -> RepoResult<()>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
{
    sqlx::query::<DB>("update panorama set updated_at = $2 where id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    Ok(())
}

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> bool: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> f64: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> PanoramaRow: FromRow<'r, DB::Row>,
    for<'r> SpotRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (i64, i64): FromRow<'r, DB::Row>,
    for<'r> (i64, Option<i64>): FromRow<'r, DB::Row>,
    for<'r> (Option<i64>,): FromRow<'r, DB::Row>,
{
    /// Adds a panorama to `base` (or, when `same_photo`, updates the one with the same
    /// photograph, replacing its markers); returns its number.
    async fn put(
        &self,
        base: &Slug,
        new: &NewPanorama,
        actor: &Actor,
        same_photo: bool,
    ) -> RepoResult<i64> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        let (base_id,) = sqlx::query_as::<DB, (i64,)>("select id from base where slug = $1")
            .bind(base.as_str().to_owned())
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
            .ok_or_else(|| RepoError::Invalid(format!("there is no base {base}")))?;
        let existing = if same_photo {
            sqlx::query_as::<DB, (i64, i64)>(
                "select id, position from panorama where base_id = $1 and sha256 = $2 \
                 order by position limit 1",
            )
            .bind(base_id)
            .bind(new.image.sha256.clone())
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?
        } else {
            None
        };
        let (title_zh, title_mn, title_en) = split(&new.title);
        let (alt_zh, alt_mn, alt_en) = split(&new.alt);
        let img = &new.image;
        let (id, number, action) = match existing {
            Some((id, number)) => {
                sqlx::query::<DB>(
                    "update panorama set title_zh = $2, title_mn = $3, title_en = $4, \
                       alt_zh = $5, alt_mn = $6, alt_en = $7, original_name = $8, updated_at = $9 \
                     where id = $1",
                )
                .bind(id)
                .bind(title_zh)
                .bind(title_mn)
                .bind(title_en)
                .bind(alt_zh)
                .bind(alt_mn)
                .bind(alt_en)
                .bind(img.original_name.clone())
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                sqlx::query::<DB>("delete from panorama_spot where panorama_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                (id, number, "panorama.update")
            }
            None => {
                let (last,) = sqlx::query_as::<DB, (Option<i64>,)>(
                    "select max(position) from panorama where base_id = $1",
                )
                .bind(base_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
                let number = last.unwrap_or(0) + 1;
                let (id,) = sqlx::query_as::<DB, (i64,)>(
                    "insert into panorama (base_id, position, title_zh, title_mn, title_en, \
                       alt_zh, alt_mn, alt_en, sha256, mime, bytes, width, height, original_name, \
                       created_at, updated_at) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) \
                     returning id",
                )
                .bind(base_id)
                .bind(number)
                .bind(title_zh)
                .bind(title_mn)
                .bind(title_en)
                .bind(alt_zh)
                .bind(alt_mn)
                .bind(alt_en)
                .bind(img.sha256.clone())
                .bind(img.mime.clone())
                .bind(img.bytes)
                .bind(img.width)
                .bind(img.height)
                .bind(img.original_name.clone())
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
                (id, number, "panorama.create")
            }
        };
        for spot in &new.spots {
            insert_spot(&mut tx, id, spot).await?;
        }
        let after = serde_json::json!({
            "title": text_json(&new.title),
            "alt": text_json(&new.alt),
            "sha256": img.sha256,
            "width": img.width,
            "height": img.height,
            "spots": new.spots.iter().map(|s| serde_json::json!({
                "item": s.item.as_str(), "x": s.x, "y": s.y
            })).collect::<Vec<_>>(),
        });
        write_audit::<DB>(&mut tx, &audit(actor, action, base, number, after), now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(number)
    }

    /// A base's panoramas (or one of them) with their markers.
    async fn read(
        &self,
        base: &Slug,
        number: Option<i64>,
        visibility: Visibility,
    ) -> RepoResult<Vec<Panorama>> {
        let all = visibility.includes_unpublished();
        let rows = sqlx::query_as::<DB, PanoramaRow>(PANORAMAS)
            .bind(base.as_str().to_owned())
            .bind(all)
            .bind(number)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut spots = Vec::new();
        for row in sqlx::query_as::<DB, SpotRow>(SPOTS)
            .bind(base.as_str().to_owned())
            .bind(all)
            .bind(number)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?
        {
            spots.push(row.into_spot()?);
        }
        rows.into_iter()
            .map(|row| {
                let mine = spots
                    .iter()
                    .filter(|(p, _)| *p == row.id)
                    .map(|(_, s)| s.clone())
                    .collect();
                row.into_panorama(mine)
            })
            .collect()
    }
}
