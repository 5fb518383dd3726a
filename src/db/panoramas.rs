//! Panoramas of halls in SQL, for both databases: reading a base's panoramas with their
//! markers and doors (three queries, whatever their number), and every write in one
//! transaction with its audit line.

use super::panorama_writes::{
    Mark, MarkKind, commit_audited, insert_door, panorama_id, set_texts, text_json, touch,
};
use super::rows::corrupt;
use super::{SqlStore, map_err};
use crate::catalogue::model::{BaseRef, ItemId};
use crate::catalogue::panorama::{
    Door, HallMark, NewDoor, NewPanorama, NewSpot, Panorama, PanoramaImage, PanoramaRepo, Spot,
    SpotItem,
};
use crate::catalogue::types::{Accession, Category, Slug, Status};
use crate::i18n::LocalizedText;
use crate::repo::{Actor, RepoResult, Visibility};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

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

const DOORS: &str = "select d.panorama_id, d.position, d.x, d.y, t.position as to_number, \
       t.title_zh, t.title_mn, t.title_en \
     from panorama_door d join panorama p on p.id = d.panorama_id \
       join panorama t on t.id = d.to_panorama_id join base b on b.id = p.base_id \
     where b.slug = $1 and ($2 is null or p.position = $2) \
     order by d.panorama_id, d.position";

#[derive(sqlx::FromRow)]
pub struct DoorRow {
    panorama_id: i64,
    position: i64,
    x: f64,
    y: f64,
    to_number: i64,
    title_zh: Option<String>,
    title_mn: Option<String>,
    title_en: Option<String>,
}

#[derive(sqlx::FromRow)]
pub struct HallMarkRow {
    slug: String,
    panorama: i64,
    title_zh: Option<String>,
    title_mn: Option<String>,
    title_en: Option<String>,
    spot: i64,
}

impl PanoramaRow {
    fn into_panorama(self, spots: Vec<Spot>, doors: Vec<Door>) -> RepoResult<Panorama> {
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
            doors,
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
    for<'r> DoorRow: FromRow<'r, DB::Row>,
    for<'r> HallMarkRow: FromRow<'r, DB::Row>,
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
        let mut tx = self.begin_write().await?;
        let Some(id) = panorama_id(&mut tx, base, number).await? else {
            return Ok(false);
        };
        set_texts(&mut tx, id, title, alt, now).await?;
        let after = serde_json::json!({ "title": text_json(title), "alt": text_json(alt) });
        commit_audited(tx, actor, "panorama.update", base, number, Some(after), now).await?;
        Ok(true)
    }

    async fn remove_panorama(&self, base: &Slug, number: i64, actor: &Actor) -> RepoResult<bool> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let Some(id) = panorama_id(&mut tx, base, number).await? else {
            return Ok(false);
        };
        sqlx::query::<DB>("delete from panorama where id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        commit_audited(tx, actor, "panorama.delete", base, number, None, now).await?;
        Ok(true)
    }

    async fn add_spot(
        &self,
        base: &Slug,
        number: i64,
        spot: &NewSpot,
        actor: &Actor,
    ) -> RepoResult<Option<i64>> {
        self.place(base, number, Mark::Spot(spot), actor).await
    }

    async fn remove_spot(
        &self,
        base: &Slug,
        number: i64,
        spot: i64,
        actor: &Actor,
    ) -> RepoResult<bool> {
        self.unplace(base, number, MarkKind::Spot, spot, actor)
            .await
    }

    async fn add_door(
        &self,
        base: &Slug,
        number: i64,
        door: &NewDoor,
        actor: &Actor,
    ) -> RepoResult<Option<i64>> {
        self.place(base, number, Mark::Door(door), actor).await
    }

    async fn remove_door(
        &self,
        base: &Slug,
        number: i64,
        door: i64,
        actor: &Actor,
    ) -> RepoResult<bool> {
        self.unplace(base, number, MarkKind::Door, door, actor)
            .await
    }

    async fn replace_doors(
        &self,
        base: &Slug,
        number: i64,
        doors: &[NewDoor],
        actor: &Actor,
    ) -> RepoResult<bool> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let Some(id) = panorama_id(&mut tx, base, number).await? else {
            return Ok(false);
        };
        sqlx::query::<DB>("delete from panorama_door where panorama_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        for door in doors {
            insert_door(&mut tx, id, door).await?;
        }
        touch(&mut tx, id, now).await?;
        let after = serde_json::json!({
            "doors": doors.iter().map(|d| serde_json::json!({
                "to": d.to, "x": d.x, "y": d.y
            })).collect::<Vec<_>>(),
        });
        commit_audited(tx, actor, "panorama.doors", base, number, Some(after), now).await?;
        Ok(true)
    }

    async fn halls_showing(&self, item: ItemId) -> RepoResult<Vec<HallMark>> {
        let rows = sqlx::query_as::<DB, HallMarkRow>(
            "select b.slug, p.position as panorama, p.title_zh, p.title_mn, p.title_en, \
               s.position as spot \
             from panorama_spot s join panorama p on p.id = s.panorama_id \
               join base b on b.id = p.base_id \
             where s.item_id = $1 and b.status = 'published' \
             order by b.slug, p.position, s.position",
        )
        .bind(item)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.into_iter()
            .map(|r| {
                Ok(HallMark {
                    base: Slug::parse(&r.slug).map_err(|e| corrupt("slug", e))?,
                    panorama: r.panorama,
                    title: LocalizedText::new(r.title_zh, r.title_mn, r.title_en),
                    spot: r.spot,
                })
            })
            .collect()
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
    for<'r> DoorRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (i64, i64): FromRow<'r, DB::Row>,
    for<'r> (i64, Option<i64>): FromRow<'r, DB::Row>,
    for<'r> (Option<i64>,): FromRow<'r, DB::Row>,
{
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
        let doors = sqlx::query_as::<DB, DoorRow>(DOORS)
            .bind(base.as_str().to_owned())
            .bind(number)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
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
                let exits = doors
                    .iter()
                    .filter(|d| d.panorama_id == row.id)
                    .map(|d| Door {
                        number: d.position,
                        to: d.to_number,
                        title: LocalizedText::new(
                            d.title_zh.clone(),
                            d.title_mn.clone(),
                            d.title_en.clone(),
                        ),
                        x: d.x,
                        y: d.y,
                    })
                    .collect();
                row.into_panorama(mine, exits)
            })
            .collect()
    }
}
