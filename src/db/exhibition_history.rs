//! Exhibitions' histories in SQL, for both databases: a revision row (the whole exhibition
//! as JSON) written in the transaction of every editor write, the list of revisions, and
//! restoring one as a new revision.

use super::exhibition_rows::{ExhibitionEditRow, StopEditRow};
use super::rows::split;
use super::{SqlStore, map_err};
use crate::catalogue::editor::Checked;
use crate::catalogue::exhibition_editor::DraftExhibition;
use crate::catalogue::exhibition_history::{ExhibitionHistory, ExhibitionRevision};
use crate::catalogue::model::ExhibitionId;
use crate::repo::{Actor, RepoError, RepoResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Transaction, Type};

const INSERT: &str = "insert into exhibition_revision \
       (exhibition_id, revision, at, actor_id, actor_name, snapshot) \
     values ($1, $2, $3, $4, $5, $6) on conflict (exhibition_id, revision) do nothing";

fn json(d: &DraftExhibition) -> RepoResult<String> {
    serde_json::to_string(d).map_err(|e| RepoError::Backend(e.into()))
}

/// Keeps the revision `after` in the exhibition's history; the first time, also the state
/// `before` it (with no author: it was found, not made, when the history began).
pub(super) async fn write_revisions<DB>(
    tx: &mut Transaction<'static, DB>,
    before: Option<&DraftExhibition>,
    after: &DraftExhibition,
    actor: &Actor,
    now: DateTime<Utc>,
) -> RepoResult<()>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> String: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
{
    if let Some(before) = before {
        sqlx::query::<DB>(INSERT)
            .bind(before.id)
            .bind(before.revision)
            .bind(before.updated_at)
            .bind(None::<i64>)
            .bind(String::new())
            .bind(json(before)?)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    sqlx::query::<DB>(INSERT)
        .bind(after.id)
        .bind(after.revision)
        .bind(now)
        .bind(actor.id)
        .bind(actor.name.clone())
        .bind(json(after)?)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub struct ExhibitionRevisionRow {
    revision: i64,
    at: DateTime<Utc>,
    actor_name: String,
    snapshot: String,
}

#[async_trait]
impl<DB> ExhibitionHistory for SqlStore<DB>
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
    for<'q> DateTime<Utc>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'r> ExhibitionEditRow: FromRow<'r, DB::Row>,
    for<'r> StopEditRow: FromRow<'r, DB::Row>,
    for<'r> ExhibitionRevisionRow: FromRow<'r, DB::Row>,
    for<'r> (i64,): FromRow<'r, DB::Row>,
{
    async fn exhibition_revisions(&self, id: ExhibitionId) -> RepoResult<Vec<ExhibitionRevision>> {
        sqlx::query_as::<DB, ExhibitionRevisionRow>(
            "select revision, at, actor_name, snapshot from exhibition_revision \
             where exhibition_id = $1 order by revision desc",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?
        .into_iter()
        .map(|r| {
            Ok(ExhibitionRevision {
                number: r.revision,
                at: r.at,
                actor: r.actor_name,
                snapshot: serde_json::from_str(&r.snapshot).map_err(|e| {
                    RepoError::Backend(anyhow::anyhow!("unreadable exhibition revision: {e}"))
                })?,
            })
        })
        .collect()
    }

    #[tracing::instrument(skip_all, fields(id, revision))]
    async fn restore_exhibition(
        &self,
        id: ExhibitionId,
        revision: i64,
        old: &DraftExhibition,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>> {
        let old = old.clone();
        self.checked_change(id, revision, "exhibition.restore", actor, move |tx| {
            Box::pin(async move {
                Self::write_fields(tx, id, &old.fields, &old.base).await?;
                sqlx::query::<DB>("delete from exhibition_stop where exhibition_id = $1")
                    .bind(id)
                    .execute(&mut **tx)
                    .await
                    .map_err(map_err)?;
                for (position, stop) in (0i32..).zip(&old.stops) {
                    let (item,) =
                        sqlx::query_as::<DB, (i64,)>("select id from item where slug = $1")
                            .bind(stop.item.to_string())
                            .fetch_optional(&mut **tx)
                            .await
                            .map_err(map_err)?
                            .ok_or_else(|| {
                                RepoError::Invalid(format!(
                                    "item {:?} of stop {} no longer exists",
                                    stop.item.as_str(),
                                    position + 1
                                ))
                            })?;
                    // An audio guide comes back only if it is still an audio file of the item.
                    let audio = match stop.fields.audio {
                        Some(media) => sqlx::query_as::<DB, (i64,)>(
                            "select id from media where id = $1 and item_id = $2 and kind = 'audio'",
                        )
                        .bind(media)
                        .bind(item)
                        .fetch_optional(&mut **tx)
                        .await
                        .map_err(map_err)?
                        .map(|(m,)| m),
                        None => None,
                    };
                    let (zh, mn, en) = split(&stop.fields.narrative);
                    sqlx::query::<DB>(
                        "insert into exhibition_stop (exhibition_id, position, item_id, media_index, \
                           audio_media_id, narrative_zh, narrative_mn, narrative_en) \
                         values ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(id)
                    .bind(position)
                    .bind(item)
                    .bind(stop.fields.media_index.map(|i| i as i32))
                    .bind(audio)
                    .bind(zh)
                    .bind(mn)
                    .bind(en)
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
