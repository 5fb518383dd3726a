//! An item's history in SQL: after each change, a snapshot of the whole item (its
//! revision history) and an audit row with the fields the change touched.

use super::audit::write_audit;
use super::rows::{ItemRow, MediaRow, item_select, media_select};
use super::{SqlStore, map_err};
use crate::catalogue::editor::ItemSnapshot;
use crate::catalogue::history::diff;
use crate::catalogue::model::*;
use crate::catalogue::types::Slug;
use crate::repo::{Actor, AuditEntry, RepoError, RepoResult};
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Transaction, Type};

#[derive(sqlx::FromRow)]
pub struct RevisionRow {
    pub(super) revision: i64,
    pub(super) at: DateTime<Utc>,
    pub(super) actor_name: String,
    pub(super) snapshot: String,
}

/// `{field: value}` of the fields a change touched, for the audit log.
fn changed(before: &ItemSnapshot, after: &ItemSnapshot) -> (Option<String>, Option<String>) {
    let changes = diff(before, after);
    let side = |pick: fn(&crate::catalogue::history::Change) -> &String| {
        let map: serde_json::Map<String, serde_json::Value> = changes
            .iter()
            .map(|c| (c.field.clone(), pick(c).clone().into()))
            .collect();
        serde_json::Value::Object(map).to_string()
    };
    (Some(side(|c| &c.before)), Some(side(|c| &c.after)))
}

impl<DB> SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> i32: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i32>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'r> ItemRow: FromRow<'r, DB::Row>,
    for<'r> MediaRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
{
    /// The item as it is inside a transaction.
    pub(super) async fn snapshot_in(
        tx: &mut Transaction<'static, DB>,
        id: ItemId,
    ) -> RepoResult<(ItemSnapshot, i64, Slug)> {
        let row = sqlx::query_as::<DB, ItemRow>(concat!(item_select!(), "where i.id = $1"))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(map_err)?
            .ok_or_else(|| RepoError::Invalid(format!("item {id} does not exist")))?;
        let media = sqlx::query_as::<DB, MediaRow>(concat!(
            media_select!(),
            "where item_id = $1 order by position"
        ))
        .bind(id)
        .fetch_all(&mut **tx)
        .await
        .map_err(map_err)?;
        let item = row.into_item(media)?;
        Ok((
            ItemSnapshot::of(&item),
            item.revision,
            item.fields.slug.clone(),
        ))
    }

    /// Records the item's state after a change: its snapshot and an audit row.
    pub(super) async fn record(
        tx: &mut Transaction<'static, DB>,
        id: ItemId,
        before: Option<&ItemSnapshot>,
        action: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> RepoResult<i64> {
        let (after, revision, slug) = Self::snapshot_in(tx, id).await?;
        super::search::write_doc(tx, id, &after.fields).await?;
        let json = serde_json::to_string(&after).map_err(|e| RepoError::Backend(e.into()))?;
        sqlx::query::<DB>(
            "insert into item_revision (item_id, revision, at, actor_id, actor_name, snapshot) values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(revision)
        .bind(now)
        .bind(actor.id)
        .bind(actor.name.clone())
        .bind(json)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
        let (b, a) = match before {
            Some(before) => changed(before, &after),
            None => (
                None,
                Some(serde_json::to_string(&after).map_err(|e| RepoError::Backend(e.into()))?),
            ),
        };
        let entry = AuditEntry {
            actor: actor.id,
            actor_name: actor.name.clone(),
            action: action.to_owned(),
            entity: "item".into(),
            entity_id: slug.to_string(),
            before: b,
            after: a,
        };
        write_audit::<DB>(tx, &entry, now).await?;
        Ok(revision)
    }
}
