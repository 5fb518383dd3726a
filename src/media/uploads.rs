//! Resumable uploads in progress: the record each upload keeps between requests.

use crate::accounts::model::UserId;
use crate::catalogue::model::ItemId;
use crate::i18n::LocalizedText;
use crate::repo::RepoResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What the uploader said about the file (all optional; curators complete it later).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadFields {
    /// Alt text.
    #[serde(default)]
    pub alt: LocalizedText,
    /// Caption.
    #[serde(default)]
    pub caption: LocalizedText,
    /// Credit.
    #[serde(default)]
    pub credit: String,
    /// Rights URI (defaults to the item's).
    #[serde(default)]
    pub rights: Option<String>,
    /// The item's slug when the upload started (for the audit log).
    #[serde(default)]
    pub item: String,
}

/// An upload in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// Random id, also the staged file's name.
    pub id: String,
    /// Who uploads.
    pub user_id: UserId,
    /// The item the file will belong to; `None` for a bulk import's media zip, which the
    /// import's dry run takes once it is complete.
    pub item_id: Option<ItemId>,
    /// The file's name as the uploader had it (display only).
    pub file_name: String,
    /// Announced total length.
    pub length: u64,
    /// Bytes received and durable so far.
    pub received: u64,
    /// What the uploader said about the file.
    pub fields: UploadFields,
    /// Started.
    pub created_at: DateTime<Utc>,
    /// Last bytes received.
    pub updated_at: DateTime<Utc>,
}

/// Storage of upload records.
#[async_trait]
pub trait UploadsRepo: Send + Sync {
    /// Records a new upload.
    async fn create_upload(&self, upload: &Upload) -> RepoResult<()>;
    /// One upload.
    async fn upload(&self, id: &str) -> RepoResult<Option<Upload>>;
    /// Records progress.
    async fn set_upload_received(
        &self,
        id: &str,
        received: u64,
        at: DateTime<Utc>,
    ) -> RepoResult<()>;
    /// Forgets an upload (finished, cancelled or expired).
    async fn delete_upload(&self, id: &str) -> RepoResult<()>;
    /// Uploads without progress since `before`.
    async fn stale_uploads(&self, before: DateTime<Utc>) -> RepoResult<Vec<String>>;
    /// Every upload id (to find orphaned staged files).
    async fn upload_ids(&self) -> RepoResult<Vec<String>>;
}
