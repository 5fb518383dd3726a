//! Interface strings translated on the site, for both databases.

use super::audit::write_audit;
use super::{SqlStore, map_err};
use crate::i18n::Lang;
use crate::i18n::translations::{Translation, TranslationsRepo};
use crate::repo::{AuditEntry, RepoError, RepoResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Database, Decode, Encode, Executor, FromRow, IntoArguments, Type};

#[derive(sqlx::FromRow)]
pub struct TranslationRow {
    lang: String,
    msg_key: String,
    text: String,
    author: String,
    updated_at: DateTime<Utc>,
}

#[async_trait]
impl<DB> TranslationsRepo for SqlStore<DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'r> TranslationRow: FromRow<'r, DB::Row>,
    for<'r> (String,): FromRow<'r, DB::Row>,
{
    async fn translations(&self) -> RepoResult<Vec<Translation>> {
        let rows = sqlx::query_as::<DB, TranslationRow>(
            "select lang, msg_key, text, author, updated_at from ui_translation \
             order by lang, msg_key",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.into_iter()
            .map(|r| {
                let lang = r
                    .lang
                    .parse::<Lang>()
                    .map_err(|_| RepoError::Invalid(format!("language {}", r.lang)))?;
                Ok(Translation {
                    lang,
                    key: r.msg_key,
                    text: r.text,
                    author: r.author,
                    updated_at: r.updated_at,
                })
            })
            .collect()
    }

    async fn save_translation(&self, t: &Translation, audit: &AuditEntry) -> RepoResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query::<DB>(
            "insert into ui_translation (lang, msg_key, text, author, updated_at) \
             values ($1, $2, $3, $4, $5) on conflict (lang, msg_key) do update \
             set text = excluded.text, author = excluded.author, updated_at = excluded.updated_at",
        )
        .bind(t.lang.code().to_owned())
        .bind(t.key.clone())
        .bind(t.text.clone())
        .bind(t.author.clone())
        .bind(t.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        write_audit::<DB>(&mut tx, audit, t.updated_at).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn remove_translation(
        &self,
        lang: Lang,
        key: &str,
        audit: &AuditEntry,
    ) -> RepoResult<bool> {
        let mut tx = self.begin_write().await?;
        let removed = sqlx::query_as::<DB, (String,)>(
            "delete from ui_translation where lang = $1 and msg_key = $2 returning msg_key",
        )
        .bind(lang.code().to_owned())
        .bind(key.to_owned())
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .is_some();
        if removed {
            write_audit::<DB>(&mut tx, audit, Utc::now()).await?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(removed)
    }
}
