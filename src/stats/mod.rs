//! Statistics for the dashboard: items by status and category, records that need
//! attention, storage used, recent changes, public page views per day and the most viewed
//! items and exhibitions. A module of its own because it reads across the catalogue,
//! media, accounts and the gallery's traffic and belongs to none of them; it only reads,
//! except for adding up page views.

mod page_views;

pub use page_views::{
    DAILY_RECORD_VIEWS_DAYS, PageViews, china_time, day_of, fill_days, first_of_last,
    fold_old_record_views, today,
};

use std::collections::BTreeMap;

use crate::accounts::model::UserId;
use crate::catalogue::types::{Accession, BaseKind, Category, Level, Slug, Status};
use crate::i18n::LocalizedText;
use crate::repo::RepoResult;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

/// Which records a statistic covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every base (administrators).
    All,
    /// Only items kept by these bases (a curator's own); empty means nothing.
    Bases(Vec<Slug>),
}

/// How many items there are of each status in each category.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemCounts {
    cells: Vec<(Status, Category, i64)>,
}

impl ItemCounts {
    /// Counts from `(status, category, count)` cells, in any order; absent cells are zero.
    pub fn new(mut cells: Vec<(Status, Category, i64)>) -> ItemCounts {
        // A fixed order, so equal counts compare equal whatever order the database chose.
        cells.sort_by_key(|(s, c, _)| (s.code(), c.code()));
        ItemCounts { cells }
    }

    /// Items of `category` in `status`.
    pub fn get(&self, status: &Status, category: &Category) -> i64 {
        self.sum(|s, c| s == *status && c == *category)
    }

    /// Items in `status`, across categories.
    pub fn by_status(&self, status: &Status) -> i64 {
        self.sum(|s, _| s == *status)
    }

    /// Items of `category`, across statuses.
    pub fn by_category(&self, category: &Category) -> i64 {
        self.sum(|_, c| c == *category)
    }

    /// Every item counted.
    pub fn total(&self) -> i64 {
        self.sum(|_, _| true)
    }

    /// The categories holding any item, in display order.
    pub fn categories(&self) -> Vec<Category> {
        Category::ALL
            .iter()
            .copied()
            .filter(|c| self.by_category(c) > 0)
            .collect()
    }

    fn sum(&self, keep: impl Fn(Status, Category) -> bool) -> i64 {
        self.cells
            .iter()
            .filter(|(s, c, _)| keep(*s, *c))
            .map(|(_, _, n)| n)
            .sum()
    }
}

/// An item whose media lack something a published record should have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attention {
    /// URL identifier (the editor lives at `/admin/items/{slug}`).
    pub slug: Slug,
    /// Accession number.
    pub accession: Accession,
    /// Title.
    pub title: LocalizedText,
    /// Editorial state.
    pub status: Status,
    /// Images without Chinese alt text.
    pub images_without_alt: i64,
    /// Media files without a rights URI.
    pub media_without_rights: i64,
}

/// The space the originals take. Derivatives are caches and are not counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StorageUsed {
    /// Bytes of distinct originals (a file attached to two items is stored once).
    pub bytes: i64,
    /// Distinct originals.
    pub originals: i64,
    /// Media records (attachments to items).
    pub media_files: i64,
}

/// One base's figures for a school year: what it has online now, how often the public
/// opened it in the year, and how many students walked it on an assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseFigures {
    /// URL identifier.
    pub slug: Slug,
    /// Name.
    pub name: LocalizedText,
    /// Museum, school hall…
    pub kind: BaseKind,
    /// Designation level, when it has one.
    pub level: Option<Level>,
    /// Editorial state.
    pub status: Status,
    /// Its items, in any state (now).
    pub items: i64,
    /// Its published items (now).
    pub published: i64,
    /// Published items with a Mongolian title (now).
    pub bilingual: i64,
    /// Published items with at least one photo, recording or document (now).
    pub with_media: i64,
    /// Its published exhibitions (now).
    pub exhibitions: i64,
    /// Views of its own page, its exhibitions' and its items' in the school year.
    pub views: i64,
    /// Assignments of the school year that walk its exhibitions or its items.
    pub assignments: i64,
    /// Students who opened at least one stop of those assignments.
    pub visitors: i64,
    /// Essays handed in on those assignments.
    pub essays: i64,
}

impl BaseFigures {
    /// The share of published items with a Mongolian title, in whole percent; `None`
    /// when nothing is published.
    pub fn bilingual_share(&self) -> Option<i64> {
        percent(self.bilingual, self.published)
    }

    /// The share of published items with media, in whole percent.
    pub fn media_share(&self) -> Option<i64> {
        percent(self.with_media, self.published)
    }

    /// Published items without a Mongolian title.
    pub fn without_mongolian(&self) -> i64 {
        self.published - self.bilingual
    }

    /// Published items without media.
    pub fn without_media(&self) -> i64 {
        self.published - self.with_media
    }
}

/// `part` of `whole` in whole percent, rounded down; `None` when `whole` is nothing.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| part * 100 / whole)
}

/// Public page views on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayViews {
    /// The calendar day (China Standard Time).
    pub day: NaiveDate,
    /// Successful public HTML pages served that day.
    pub views: i64,
}

/// A public record whose own page was viewed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Viewed {
    /// `/items/{slug}`.
    Item(Slug),
    /// `/exhibitions/{slug}`.
    Exhibition(Slug),
    /// `/bases/{slug}`.
    Base(Slug),
}

/// The kinds of record whose views are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewedKind {
    /// Items.
    Item,
    /// Exhibitions.
    Exhibition,
    /// Bases.
    Base,
}

impl ViewedKind {
    /// As stored: `item`, `exhibition` or `base`.
    pub fn as_str(self) -> &'static str {
        match self {
            ViewedKind::Item => "item",
            ViewedKind::Exhibition => "exhibition",
            ViewedKind::Base => "base",
        }
    }
}

impl Viewed {
    /// The record whose own page `path` is; none for any other page (lists, guided-visit
    /// stops, labels, searches).
    pub fn of_path(path: &str) -> Option<Viewed> {
        let mut parts = path.strip_prefix('/')?.split('/');
        let (kind, slug) = (parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let slug = Slug::parse(slug).ok()?;
        match kind {
            "items" => Some(Viewed::Item(slug)),
            "exhibitions" => Some(Viewed::Exhibition(slug)),
            "bases" => Some(Viewed::Base(slug)),
            _ => None,
        }
    }

    /// What kind of record it is.
    pub fn kind(&self) -> ViewedKind {
        match self {
            Viewed::Item(_) => ViewedKind::Item,
            Viewed::Exhibition(_) => ViewedKind::Exhibition,
            Viewed::Base(_) => ViewedKind::Base,
        }
    }

    /// Its slug.
    pub fn slug(&self) -> &Slug {
        match self {
            Viewed::Item(s) | Viewed::Exhibition(s) | Viewed::Base(s) => s,
        }
    }
}

/// One day's public page views: all pages, and those of each record's own page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayCount {
    /// Every public page.
    pub views: i64,
    /// The views of each record page among them.
    pub records: BTreeMap<Viewed, i64>,
}

impl DayCount {
    /// Adds `other`'s views to these.
    pub fn add(&mut self, other: DayCount) {
        self.views += other.views;
        for (record, n) in other.records {
            *self.records.entry(record).or_insert(0) += n;
        }
    }
}

/// A record with its page views over some days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MostViewed {
    /// URL identifier.
    pub slug: Slug,
    /// Title.
    pub title: LocalizedText,
    /// Views of its page.
    pub views: i64,
}

/// One line of the audit log as the dashboard lists it (without the before/after records,
/// which may be large).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// When.
    pub at: DateTime<Utc>,
    /// Who, by their name at the time.
    pub actor_name: String,
    /// What happened, e.g. `item.update`.
    pub action: String,
    /// The kind of record, e.g. `item`.
    pub entity: String,
    /// Its key.
    pub entity_id: String,
}

/// The queries behind the dashboard.
#[async_trait]
pub trait StatsRepo: Send + Sync {
    /// Items per status and category.
    async fn item_counts(&self, scope: &Scope) -> RepoResult<ItemCounts>;
    /// Items (not archived) with images lacking Chinese alt text or media lacking a rights
    /// URI, by accession number, at most `limit`.
    async fn needs_attention(&self, scope: &Scope, limit: u32) -> RepoResult<Vec<Attention>>;
    /// The originals attached to items in scope.
    async fn storage_used(&self, scope: &Scope) -> RepoResult<StorageUsed>;
    /// Published items in scope without a Mongolian title.
    async fn published_without_mongolian(&self, scope: &Scope) -> RepoResult<i64>;
    /// Page views on each of the `days` days ending with `last`, oldest first; days
    /// without views are zero.
    async fn page_views(&self, last: NaiveDate, days: u32) -> RepoResult<Vec<DayViews>>;
    /// Adds `count` to the counts of `day`, all or nothing.
    async fn add_page_views(&self, day: NaiveDate, count: &DayCount) -> RepoResult<()>;
    /// The records of `kind` in scope whose pages were viewed most from `since` on, most
    /// first, at most `limit`.
    async fn most_viewed(
        &self,
        kind: ViewedKind,
        scope: &Scope,
        since: NaiveDate,
        limit: u32,
    ) -> RepoResult<Vec<MostViewed>>;
    /// The views of one record's page from `since` on.
    async fn views_of(&self, record: &Viewed, since: NaiveDate) -> RepoResult<i64>;
    /// The newest audit entries, newest first; only those made by `actor` when given.
    async fn recent_changes(&self, actor: Option<UserId>, limit: u32) -> RepoResult<Vec<Change>>;
    /// Every base's figures for the school year starting on 1 September of `year`, by
    /// kind and slug.
    async fn base_figures(&self, year: i32) -> RepoResult<Vec<BaseFigures>>;
    /// The earliest day with record views, if any.
    async fn first_record_view_day(&self) -> RepoResult<Option<NaiveDate>>;
    /// Folds the record views of the days from `first` (the 1st of a month) to before
    /// `next` (the 1st of the next) into one row per record dated `first`, all or nothing.
    /// Returns how many daily rows were folded (none when the month was folded already).
    async fn fold_record_views(&self, first: NaiveDate, next: NaiveDate) -> RepoResult<u64>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_records_own_page_counts_as_a_view_of_it() {
        let slug = |s: &str| Slug::parse(s).unwrap();
        assert_eq!(
            Viewed::of_path("/items/silver-saddle"),
            Some(Viewed::Item(slug("silver-saddle")))
        );
        assert_eq!(
            Viewed::of_path("/exhibitions/life-on-the-steppe"),
            Some(Viewed::Exhibition(slug("life-on-the-steppe")))
        );
        assert_eq!(
            Viewed::of_path("/bases/banner-heritage-hall"),
            Some(Viewed::Base(slug("banner-heritage-hall")))
        );
        for other in [
            "/",
            "/items",
            "/items/",
            "/items/Not_A_Slug",
            "/exhibitions/life-on-the-steppe/stops/2",
            "/exhibitions/life-on-the-steppe/labels",
            "/bases/banner-heritage-hall/panoramas/1",
            "/q/KZH-0001",
            "/visit/ABCD2345",
            "items/silver-saddle",
        ] {
            assert_eq!(Viewed::of_path(other), None, "{other}");
        }
    }

    #[test]
    fn item_counts_add_up_by_row_column_and_in_total() {
        let counts = ItemCounts::new(vec![
            (Status::Published, Category::Quyi, 2),
            (Status::Draft, Category::Quyi, 1),
            (Status::Published, Category::FolkCustom, 4),
        ]);
        assert_eq!(counts.get(&Status::Draft, &Category::Quyi), 1);
        assert_eq!(counts.get(&Status::Archived, &Category::Quyi), 0);
        assert_eq!(counts.by_status(&Status::Published), 6);
        assert_eq!(counts.by_category(&Category::Quyi), 3);
        assert_eq!(counts.total(), 7);
        assert_eq!(
            counts.categories(),
            vec![Category::Quyi, Category::FolkCustom],
            "display order, empty categories left out"
        );
    }
}
