//! What harvesters (OAI-PMH), crawlers (sitemaps) and feed readers ask of the catalogue:
//! the public items in the order they last changed, paged by key so the ten-thousandth
//! page costs what the first does.

use super::model::ItemId;
use super::types::{Accession, Category, Slug, Status};
use crate::repo::RepoResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::ops::Range;

/// Which item changes to list, ordered by (time of the last change, item id).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChangeQuery {
    /// Changed at or after this moment.
    pub from: Option<DateTime<Utc>>,
    /// Changed before this moment.
    pub before: Option<DateTime<Utc>>,
    /// Only items kept by this base.
    pub base: Option<Slug>,
    /// Only items of this category.
    pub category: Option<Category>,
    /// Only items whose ids are in this range.
    pub ids: Option<Range<ItemId>>,
    /// Withdrawn (archived) items too, which harvesters are told are deleted.
    pub withdrawn: bool,
    /// Start after this change: its time and item id.
    pub after: Option<(DateTime<Utc>, ItemId)>,
    /// Newest change first (feeds), instead of oldest first (harvesting).
    pub newest_first: bool,
    /// At most this many.
    pub limit: u32,
}

/// A public item as of its last change.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemChange {
    /// The item's id.
    pub id: ItemId,
    /// Its accession number (the stable identifier harvesters keep).
    pub accession: Accession,
    /// Its slug (its page's address).
    pub slug: Slug,
    /// Published, or archived (withdrawn from the public).
    pub status: Status,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The base keeping it.
    pub base: Slug,
    /// Its category.
    pub category: Category,
}

/// Storage queries for harvesting.
#[async_trait]
pub trait HarvestRepo: Send + Sync {
    /// Published (and, if asked, withdrawn) items in the order of their last change.
    async fn item_changes(&self, query: &ChangeQuery) -> RepoResult<Vec<ItemChange>>;
    /// The item with this accession number, if it is published or withdrawn.
    async fn item_change(&self, accession: &Accession) -> RepoResult<Option<ItemChange>>;
    /// The items among `ids` that `visibility` shows (published ones for `Public`), in id
    /// order, with their media records but without WebVTT tracks (harvesting and exports
    /// describe items; they do not play them), in two queries however many there are.
    async fn items_by_id(
        &self,
        ids: &[ItemId],
        visibility: crate::repo::Visibility,
    ) -> RepoResult<Vec<super::model::Item>>;
    /// The highest item id there is (0 when there are none), to cut sitemaps by id.
    async fn max_item_id(&self) -> RepoResult<ItemId>;
}
