//! Editing the catalogue: the curator's writes. Every change to an item raises its revision
//! (so a stale form is refused instead of overwriting someone's work), is kept as a
//! snapshot in the item's history, and writes an audit row — all in one transaction.

use super::model::*;
use super::types::{Slug, Status};
use crate::i18n::LocalizedText;
use crate::repo::{Actor, RepoResult, Stale};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An item as its history keeps it: the fields, the base and the media list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemSnapshot {
    /// The written fields.
    pub fields: ItemFields,
    /// The keeping base.
    pub base: Slug,
    /// The media in order.
    pub media: Vec<MediaSnapshot>,
}

/// A media file as the item's history keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaSnapshot {
    /// Content address.
    pub sha256: String,
    /// File name as uploaded.
    pub name: String,
    /// Alt text.
    pub alt: LocalizedText,
    /// Caption.
    pub caption: LocalizedText,
    /// Credit.
    pub credit: String,
    /// Rights URI.
    pub rights: String,
}

impl ItemSnapshot {
    /// The snapshot of an item as it is.
    pub fn of(item: &Item) -> ItemSnapshot {
        ItemSnapshot {
            fields: item.fields.clone(),
            base: item.base.slug.clone(),
            media: item
                .media
                .iter()
                .map(|m| MediaSnapshot {
                    sha256: m.sha256.clone(),
                    name: m.fields.original_name.clone(),
                    alt: m.fields.alt.clone(),
                    caption: m.fields.caption.clone(),
                    credit: m.fields.credit.clone(),
                    rights: m.fields.rights.clone(),
                })
                .collect(),
        }
    }
}

/// One entry of an item's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// Its number (1 is the first version).
    pub number: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// The item as it was after this change.
    pub snapshot: ItemSnapshot,
}

/// Moving a media file within its item's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// One place earlier.
    Up,
    /// One place later.
    Down,
}

/// The outcome of a write that checks the revision the writer saw.
pub type Checked<T> = Result<T, Stale>;

/// The curator's writes to bases and items.
#[async_trait]
pub trait CatalogueEditor: Send + Sync {
    /// Creates a base (revision 1) with an audit row. `Conflict` when the slug is taken.
    async fn create_base(&self, fields: &BaseFields, actor: &Actor) -> RepoResult<BaseId>;
    /// Saves a base's fields (its slug stays) if it is still at `revision`; returns the new
    /// revision.
    async fn update_base(
        &self,
        revision: i64,
        fields: &BaseFields,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>>;

    /// Creates an item (revision 1). `Conflict` when the accession number or slug is taken;
    /// `Invalid` when the base does not exist.
    async fn create_item(
        &self,
        fields: &ItemFields,
        base: &Slug,
        actor: &Actor,
    ) -> RepoResult<ItemId>;
    /// Creates an item with its media files in one transaction (revision 1, one history
    /// entry and one audit row named `action`): all of it is written or none of it.
    /// `Conflict` and `Invalid` as for [`create_item`](Self::create_item).
    async fn create_item_with_media(
        &self,
        fields: &ItemFields,
        base: &Slug,
        media: &[NewMedia],
        action: &str,
        actor: &Actor,
    ) -> RepoResult<ItemId>;
    /// Saves an item's fields if it is still at `revision`; returns the new revision.
    async fn update_item(
        &self,
        id: ItemId,
        revision: i64,
        fields: &ItemFields,
        base: &Slug,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>>;
    /// Moves an item through the workflow if it is still at `revision`.
    async fn set_item_status(
        &self,
        id: ItemId,
        revision: i64,
        status: Status,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>>;
    /// The item's history, newest first.
    async fn revisions(&self, id: ItemId) -> RepoResult<Vec<Revision>>;
    /// Appends a media file to the item.
    async fn add_media(&self, item: ItemId, media: &NewMedia, actor: &Actor)
    -> RepoResult<MediaId>;
    /// Changes what people wrote about a media file of the item.
    async fn update_media(
        &self,
        item: ItemId,
        media: MediaId,
        fields: &MediaFields,
        actor: &Actor,
    ) -> RepoResult<()>;
    /// Moves a media file up or down the item's list.
    async fn move_media(
        &self,
        item: ItemId,
        media: MediaId,
        to: Move,
        actor: &Actor,
    ) -> RepoResult<()>;
    /// Removes a media file from the item (the stored file stays; other items may use it).
    async fn remove_media(&self, item: ItemId, media: MediaId, actor: &Actor) -> RepoResult<()>;
    /// Replaces the file of a media record, keeping what people wrote about it.
    async fn replace_media_file(
        &self,
        item: ItemId,
        media: MediaId,
        file: &MediaFile,
        actor: &Actor,
    ) -> RepoResult<()>;
}
