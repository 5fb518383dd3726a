//! The catalogue repository: what the rest of the program may ask of the database.

use super::model::*;
use super::types::{Accession, Category, Gap, MediaKind, Slug, Status};
use crate::i18n::Lang;
use crate::repo::{AuditEntry, Cursor, Page, RepoResult, Visibility};
use async_trait::async_trait;

/// Filters and position for browsing items. Items are ordered by accession number.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemQuery {
    /// Who is looking.
    pub visibility: Visibility,
    /// Only this ICH category.
    pub category: Option<Category>,
    /// Only items kept by this base.
    pub base: Option<Slug>,
    /// Only items kept by one of these bases (a curator's own).
    pub bases: Option<Vec<Slug>>,
    /// Only items having at least one media file of this kind.
    pub media: Option<MediaKind>,
    /// Only items whose title or summary contains this text (any language, case-insensitive).
    pub text: Option<String>,
    /// Only items in this editorial state (curators' lists; the public sees published only).
    pub status: Option<Status>,
    /// Only items a bulk import run (this id) created (curators' lists).
    pub import: Option<String>,
    /// Only items lacking this (curators' lists).
    pub lacks: Option<Gap>,
    /// Start after this accession number.
    pub after: Option<Cursor>,
    /// Page size.
    pub limit: u32,
}

impl ItemQuery {
    /// The first page of everything `visibility` may see.
    pub fn all(visibility: Visibility, limit: u32) -> ItemQuery {
        ItemQuery {
            visibility,
            category: None,
            base: None,
            bases: None,
            media: None,
            text: None,
            status: None,
            import: None,
            lacks: None,
            after: None,
            limit,
        }
    }
}

/// Filters and position for lists ordered by id (bases, exhibitions).
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    /// Who is looking.
    pub visibility: Visibility,
    /// Only featured records (exhibitions).
    pub featured_only: bool,
    /// Only records of this base (exhibitions).
    pub base: Option<Slug>,
    /// Start after this id.
    pub after: Option<Cursor>,
    /// Page size.
    pub limit: u32,
}

impl ListQuery {
    /// The first page of everything `visibility` may see.
    pub fn all(visibility: Visibility, limit: u32) -> ListQuery {
        ListQuery {
            visibility,
            featured_only: false,
            base: None,
            after: None,
            limit,
        }
    }
}

/// How many visible items each category holds.
pub type CategoryCounts = Vec<(Category, i64)>;

/// Whose a media file is: its item and the item's base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaOwner {
    /// The item's id.
    pub item_id: ItemId,
    /// The item's slug.
    pub item: Slug,
    /// The base keeping the item.
    pub base: Slug,
}

/// A media file as the media server needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServedMedia {
    /// Image, audio…
    pub kind: super::types::MediaKind,
    /// Sniffed type of the original.
    pub mime: String,
    /// Size of the original.
    pub bytes: i64,
    /// The file's name as uploaded, for `Content-Disposition`.
    pub original_name: String,
}

/// Storage of bases, items, media records and exhibitions.
#[async_trait]
pub trait CatalogueRepo: Send + Sync {
    /// Creates or updates (by slug) a base.
    async fn upsert_base(&self, base: &BaseFields) -> RepoResult<BaseId>;
    /// A page of bases, in registration order.
    async fn list_bases(&self, query: &ListQuery) -> RepoResult<Page<Base>>;
    /// One base by slug.
    async fn base(&self, slug: &Slug, visibility: Visibility) -> RepoResult<Option<Base>>;

    /// Creates or updates (by accession number) an item and replaces its media list, in one
    /// transaction. Fails with `Invalid` if the base does not exist and `Conflict` if the slug
    /// belongs to another item.
    async fn upsert_item(&self, item: &NewItem) -> RepoResult<ItemId>;
    /// A page of items.
    async fn list_items(&self, query: &ItemQuery) -> RepoResult<Page<ItemSummary>>;
    /// One item with its media, by slug.
    async fn item(&self, slug: &Slug, visibility: Visibility) -> RepoResult<Option<Item>>;
    /// The slug of the item with this accession number.
    async fn item_slug_by_accession(
        &self,
        accession: &Accession,
        visibility: Visibility,
    ) -> RepoResult<Option<Slug>>;
    /// Visible items per category, for every category that has any.
    async fn category_counts(&self, visibility: Visibility) -> RepoResult<CategoryCounts>;
    /// Other visible items of the same category or base, for "related items".
    async fn related_items(&self, item: &Item, limit: u32) -> RepoResult<Vec<ItemSummary>>;

    /// Creates or updates (by slug) an exhibition and replaces its stops, in one transaction.
    async fn upsert_exhibition(&self, exhibition: &NewExhibition) -> RepoResult<ExhibitionId>;
    /// A page of exhibitions, in creation order.
    async fn list_exhibitions(&self, query: &ListQuery) -> RepoResult<Page<ExhibitionSummary>>;
    /// One exhibition with its visible stops.
    async fn exhibition(
        &self,
        slug: &Slug,
        visibility: Visibility,
    ) -> RepoResult<Option<Exhibition>>;
    /// Visible exhibitions that include this item.
    async fn exhibitions_with_item(&self, item: ItemId) -> RepoResult<Vec<ExhibitionSummary>>;

    /// Stores (or replaces) a WebVTT track of a media file.
    async fn set_media_track(
        &self,
        media: MediaId,
        track: &MediaTrack,
        audit: &AuditEntry,
    ) -> RepoResult<()>;
    /// Removes a track; false when there was none.
    async fn delete_media_track(
        &self,
        media: MediaId,
        lang: Lang,
        kind: TrackKind,
        audit: &AuditEntry,
    ) -> RepoResult<bool>;
    /// The item a media file belongs to, and the media's record.
    async fn media(&self, id: MediaId) -> RepoResult<Option<(MediaOwner, Media)>>;
    /// A WebVTT track of a public media file (by content address), for serving.
    async fn media_track(
        &self,
        sha256: &str,
        lang: Lang,
        kind: TrackKind,
        visibility: Visibility,
    ) -> RepoResult<Option<String>>;

    /// Every media record's content address with its item's slug (for fixity checks).
    async fn media_hashes(&self) -> RepoResult<Vec<(String, Slug)>>;
    /// A media file that `visibility` may fetch (for the public: attached to a published item,
    /// or the photograph of a published base's hall panorama).
    async fn media_by_sha256(
        &self,
        sha256: &str,
        visibility: Visibility,
    ) -> RepoResult<Option<ServedMedia>>;
}
