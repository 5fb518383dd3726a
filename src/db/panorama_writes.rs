//! Writing hall panoramas in SQL, for both databases: adding or (for the importer)
//! updating one with its markers, placing and removing markers and doors, and the small
//! steps every write shares. Each write runs in a transaction with its audit line.

use super::audit::write_audit;
use super::rows::split;
use super::{SqlStore, map_err};
use crate::catalogue::panorama::{MAX_DOORS, MAX_SPOTS, NewDoor, NewPanorama, NewSpot};
use crate::catalogue::types::{Accession, Slug};
use crate::i18n::LocalizedText;
use crate::repo::{Actor, AuditEntry, RepoError, RepoResult};
use chrono::{DateTime, Utc};
use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Transaction, Type};

/// A panorama write, done: its audit line (what it changed to, if anything is left) is
/// added and the transaction committed.
pub(super) async fn commit_audited<DB>(
    mut tx: Transaction<'static, DB>,
    actor: &Actor,
    action: &str,
    base: &Slug,
    number: i64,
    after: Option<serde_json::Value>,
    now: DateTime<Utc>,
) -> RepoResult<()>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
{
    let entry = AuditEntry {
        actor: actor.id,
        actor_name: actor.name.clone(),
        action: action.to_owned(),
        entity: "panorama".into(),
        entity_id: format!("{base}/{number}"),
        before: None,
        after: after.map(|a| a.to_string()),
    };
    write_audit::<DB>(&mut tx, &entry, now).await?;
    tx.commit().await.map_err(map_err)
}

pub(super) fn text_json(t: &LocalizedText) -> serde_json::Value {
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

/// The number the next marker or door of panorama `id` gets, or `Invalid` when it has as
/// many as a panorama may.
async fn next_number<DB>(
    tx: &mut Transaction<'static, DB>,
    id: i64,
    kind: MarkKind,
) -> RepoResult<i64>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'r> (i64, Option<i64>): FromRow<'r, DB::Row>,
{
    let sql = format!(
        "select count(*), max(position) from {} where panorama_id = $1",
        kind.table()
    );
    // The table name is one of two constants.
    let (count, last) = sqlx::query_as::<DB, (i64, Option<i64>)>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(&mut **tx)
        .await
        .map_err(map_err)?;
    let (max, what) = match kind {
        MarkKind::Spot => (MAX_SPOTS, "markers"),
        MarkKind::Door => (MAX_DOORS, "doors"),
    };
    if count as usize >= max {
        return Err(RepoError::Invalid(format!(
            "a panorama has at most {max} {what}"
        )));
    }
    Ok(last.unwrap_or(0) + 1)
}

/// Appends a marker to panorama `id` inside `tx`; returns its number.
pub(super) async fn insert_spot<DB>(
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
    let number = next_number(tx, id, MarkKind::Spot).await?;
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

/// Appends a door to panorama `id` inside `tx`; returns its number. The panorama it leads
/// to must be another of the same base.
pub(super) async fn insert_door<DB>(
    tx: &mut Transaction<'static, DB>,
    id: i64,
    door: &NewDoor,
) -> RepoResult<i64>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> f64: Encode<'q, DB> + Type<DB>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (i64, Option<i64>): FromRow<'r, DB::Row>,
{
    let to = sqlx::query_as::<DB, (i64,)>(
        "select t.id from panorama t join panorama p on p.base_id = t.base_id \
         where p.id = $1 and t.position = $2",
    )
    .bind(id)
    .bind(door.to)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    let to = match to {
        None => {
            return Err(RepoError::Invalid(format!(
                "this base has no panorama {}",
                door.to
            )));
        }
        Some((to,)) if to == id => {
            return Err(RepoError::Invalid(
                "a door leads to another panorama, not to the one it is on".into(),
            ));
        }
        Some((to,)) => to,
    };
    let number = next_number(tx, id, MarkKind::Door).await?;
    sqlx::query::<DB>(
        "insert into panorama_door (panorama_id, position, to_panorama_id, x, y) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(number)
    .bind(to)
    .bind(door.x)
    .bind(door.y)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(number)
}

/// The id of panorama `number` of `base`, if there is one.
pub(super) async fn panorama_id<DB>(
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

/// Marks panorama `id` changed.
pub(super) async fn touch<DB>(
    tx: &mut Transaction<'static, DB>,
    id: i64,
    now: DateTime<Utc>,
) -> RepoResult<()>
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

/// Sets panorama `id`'s title and description.
pub(super) async fn set_texts<DB>(
    tx: &mut Transaction<'static, DB>,
    id: i64,
    title: &LocalizedText,
    alt: &LocalizedText,
    now: DateTime<Utc>,
) -> RepoResult<()>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
{
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
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

/// What to place on a panorama: a marker at an item, or a door to another panorama.
pub(super) enum Mark<'a> {
    Spot(&'a NewSpot),
    Door(&'a NewDoor),
}

/// Markers and doors, to remove: each kind has its own table and numbers.
#[derive(Clone, Copy)]
pub(super) enum MarkKind {
    Spot,
    Door,
}

impl MarkKind {
    fn table(self) -> &'static str {
        match self {
            MarkKind::Spot => "panorama_spot",
            MarkKind::Door => "panorama_door",
        }
    }

    fn name(self) -> &'static str {
        match self {
            MarkKind::Spot => "spot",
            MarkKind::Door => "door",
        }
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
    for<'r> (i64,): FromRow<'r, DB::Row>,
    for<'r> (i64, i64): FromRow<'r, DB::Row>,
    for<'r> (i64, Option<i64>): FromRow<'r, DB::Row>,
    for<'r> (Option<i64>,): FromRow<'r, DB::Row>,
{
    /// Places a marker or a door as the panorama's last of its kind; returns its number,
    /// or `None` when the panorama is gone.
    pub(super) async fn place(
        &self,
        base: &Slug,
        number: i64,
        mark: Mark<'_>,
        actor: &Actor,
    ) -> RepoResult<Option<i64>> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let Some(id) = panorama_id(&mut tx, base, number).await? else {
            return Ok(None);
        };
        let (placed, action, after) = match mark {
            Mark::Spot(s) => {
                let n = insert_spot(&mut tx, id, s).await?;
                let after = serde_json::json!({
                    "spot": n, "item": s.item.as_str(), "x": s.x, "y": s.y
                });
                (n, "panorama.spot.add", after)
            }
            Mark::Door(d) => {
                let n = insert_door(&mut tx, id, d).await?;
                let after = serde_json::json!({ "door": n, "to": d.to, "x": d.x, "y": d.y });
                (n, "panorama.door.add", after)
            }
        };
        touch(&mut tx, id, now).await?;
        commit_audited(tx, actor, action, base, number, Some(after), now).await?;
        Ok(Some(placed))
    }

    /// Removes marker or door `n`; false when it (or the panorama) is gone.
    pub(super) async fn unplace(
        &self,
        base: &Slug,
        number: i64,
        kind: MarkKind,
        n: i64,
        actor: &Actor,
    ) -> RepoResult<bool> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        let Some(id) = panorama_id(&mut tx, base, number).await? else {
            return Ok(false);
        };
        let sql = format!(
            "delete from {} where panorama_id = $1 and position = $2 returning position",
            kind.table()
        );
        // The table name is one of two constants.
        let gone = sqlx::query_as::<DB, (i64,)>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(n)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map_err)?;
        if gone.is_none() {
            return Ok(false);
        }
        touch(&mut tx, id, now).await?;
        let name = kind.name();
        let after = serde_json::json!({ format!("removed_{name}"): n });
        let action = format!("panorama.{name}.remove");
        commit_audited(tx, actor, &action, base, number, Some(after), now).await?;
        Ok(true)
    }

    /// Adds a panorama to `base` (or, when `same_photo`, updates the one with the same
    /// photograph, replacing its markers); returns its number.
    pub(super) async fn put(
        &self,
        base: &Slug,
        new: &NewPanorama,
        actor: &Actor,
        same_photo: bool,
    ) -> RepoResult<i64> {
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
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
                set_texts(&mut tx, id, &new.title, &new.alt, now).await?;
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
        commit_audited(tx, actor, action, base, number, Some(after), now).await?;
        Ok(number)
    }
}
