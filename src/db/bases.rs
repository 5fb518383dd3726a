//! Writing a base's fields, shared by the importer (upsert by slug) and the admin (create,
//! and update at a known revision).

use super::map_err;
use super::rows::split;
use crate::catalogue::model::BaseFields;
use crate::repo::RepoResult;
use chrono::{DateTime, Utc};
use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Transaction, Type};

/// How a base is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    /// Insert, or overwrite the base with the same slug (the sample importer).
    Upsert,
    /// Insert; a taken slug is a `Conflict`.
    Insert,
    /// Update the base with this slug if it is still at this revision.
    Update(i64),
}

const COLUMNS: &str = "slug, kind, level, status, name_zh, name_mn, name_en, town_zh, town_mn, town_en, \
    address_zh, address_mn, address_en, opening_hours_zh, opening_hours_mn, opening_hours_en, \
    description_zh, description_mn, description_en, contact, website, latitude, longitude, \
    created_at, updated_at";

const VALUES: &str = "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
    $17, $18, $19, $20, $21, $22, $23, $24, $24)";

const SET: &str = "kind = $2, level = $3, status = $4, name_zh = $5, name_mn = $6, name_en = $7, \
    town_zh = $8, town_mn = $9, town_en = $10, address_zh = $11, address_mn = $12, address_en = $13, \
    opening_hours_zh = $14, opening_hours_mn = $15, opening_hours_en = $16, \
    description_zh = $17, description_mn = $18, description_en = $19, contact = $20, website = $21, \
    latitude = $22, longitude = $23, updated_at = $24, revision = base.revision + 1";

/// Writes `base` inside `tx`; returns its id and new revision, or `None` when an
/// [`Put::Update`] found the base missing or at another revision.
pub async fn put_base<DB>(
    tx: &mut Transaction<'static, DB>,
    base: &BaseFields,
    put: Put,
    now: DateTime<Utc>,
) -> RepoResult<Option<(i64, i64)>>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<f64>: Encode<'q, DB> + Type<DB>,
    for<'r> (i64, i64): FromRow<'r, DB::Row>,
{
    let sql = match put {
        Put::Upsert => format!(
            "insert into base ({COLUMNS}) {VALUES} on conflict (slug) do update set {SET} \
             returning id, revision"
        ),
        Put::Insert => format!("insert into base ({COLUMNS}) {VALUES} returning id, revision"),
        Put::Update(_) => {
            format!(
                "update base set {SET} where slug = $1 and revision = $25 returning id, revision"
            )
        }
    };
    let (lat, lon) = base.coordinates.unzip();
    let mut q = sqlx::query_as::<DB, (i64, i64)>(sqlx::AssertSqlSafe(sql))
        .bind(base.slug.as_str().to_owned())
        .bind(base.kind.code().to_owned())
        .bind(base.level.map(|l| l.code().to_owned()))
        .bind(base.status.code().to_owned());
    for t in [
        &base.name,
        &base.town,
        &base.address,
        &base.opening_hours,
        &base.description,
    ] {
        let (zh, mn, en) = split(t);
        q = q.bind(zh).bind(mn).bind(en);
    }
    q = q
        .bind(base.contact.clone())
        .bind(base.website.clone())
        .bind(lat)
        .bind(lon)
        .bind(now);
    if let Put::Update(revision) = put {
        q = q.bind(revision);
    }
    q.fetch_optional(&mut **tx).await.map_err(map_err)
}
