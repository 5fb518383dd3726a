//! The search repository: what the web layer may ask of the index.

use super::SearchQuery;
use crate::catalogue::model::ItemSummary;
use crate::catalogue::types::{Category, Level, MediaKind, Slug};
use crate::repo::{Cursor, Page, RepoResult, Visibility};
use async_trait::async_trait;

/// An analysed query with filters and a position.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The analysed query (not empty).
    pub query: SearchQuery,
    /// Who is looking: the public sees published items only.
    pub visibility: Visibility,
    /// Only this ICH category.
    pub category: Option<Category>,
    /// Only items of this base.
    pub base: Option<Slug>,
    /// Only items with media of this kind.
    pub media: Option<MediaKind>,
    /// Only items inscribed at this level.
    pub level: Option<Level>,
    /// Only items whose year falls in this century (19 = 1801–1900).
    pub period: Option<i32>,
    /// Start after this position (score and id of the last hit).
    pub after: Option<Cursor>,
    /// Page size.
    pub limit: u32,
}

/// How many hits each facet value holds, from the same filtered query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facets {
    /// All hits.
    pub total: i64,
    /// Per ICH category.
    pub categories: Vec<(Category, i64)>,
    /// Per base (slug).
    pub bases: Vec<(Slug, i64)>,
    /// Per media kind (items having at least one).
    pub media: Vec<(MediaKind, i64)>,
    /// Per protection level.
    pub levels: Vec<(Level, i64)>,
    /// Per century of the item's year, oldest first.
    pub periods: Vec<(i32, i64)>,
}

/// A page of hits, best first, and the facets.
#[derive(Debug, Clone)]
pub struct SearchResults {
    /// The hits.
    pub page: Page<ItemSummary>,
    /// Counts of all hits.
    pub facets: Facets,
    /// The query as run (with typos forgiven), for highlighting.
    pub query: SearchQuery,
}

/// The search index in the database.
#[async_trait]
pub trait SearchRepo: Send + Sync {
    /// Runs a query; typos of Latin words are forgiven against the index's vocabulary.
    async fn search(&self, request: &SearchRequest) -> RepoResult<SearchResults>;
    /// Analyses again up to `batch` items after position `after` (0 to start) and writes
    /// the token strings that changed (all of them when `rewrite`); returns the position
    /// of the last item done, or None when there were no more. Positions follow the
    /// index's own order, so a batch is written in one ascending run: the item id
    /// (PostgreSQL) or the search key (SQLite, where FTS5 flushes its pending terms at
    /// every step back).
    async fn reindex_batch(&self, after: i64, batch: u32, rewrite: bool)
    -> RepoResult<Option<i64>>;
    /// Ends a reindex. After `rewrite`, SQLite builds its full-text indexes again from the
    /// token strings in one pass: rewriting 100,000 entries one by one costs FTS5 a delete
    /// and an insert each and leaves an index three times its size until merged.
    async fn finish_reindex(&self, rewrite: bool) -> RepoResult<()>;
    /// How many items there are and how many have token strings.
    async fn index_counts(&self) -> RepoResult<(i64, i64)>;
}
