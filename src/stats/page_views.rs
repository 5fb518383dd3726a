//! Public page views, counted privately: a number per calendar day, and per item,
//! exhibition or base page, added up in memory and written to the database now and then.
//! Nothing about the visitor is looked at or kept — no address, no cookie, no referrer —
//! only which record's public page was served, so there is nothing personal to protect or
//! expire.

use super::{DayCount, DayViews, StatsRepo, Viewed};
use crate::repo::RepoResult;
use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, Utc};
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// China Standard Time (UTC+8, no daylight saving): the museum's day, not Greenwich's, so
/// a day's bar runs from midnight to midnight where the visitors are.
const CHINA_STANDARD_TIME: i32 = 8 * 3600;

/// An instant in China Standard Time, as the people of the banner read their clocks.
pub fn china_time(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(CHINA_STANDARD_TIME).expect("UTC+8 is a valid offset");
    at.with_timezone(&offset)
}

/// The calendar day (China Standard Time) of an instant.
pub fn day_of(at: DateTime<Utc>) -> NaiveDate {
    china_time(at).date_naive()
}

/// Today, in China Standard Time.
pub fn today() -> NaiveDate {
    day_of(Utc::now())
}

/// The first of the last `days` days, today included: from it on is "the last 30 days".
pub fn first_of_last(days: u32) -> NaiveDate {
    today()
        .checked_sub_days(Days::new(u64::from(days.max(1) - 1)))
        .unwrap_or(NaiveDate::MIN)
}

/// The `days` days ending with `last`, oldest first, with the views `counted` (any order,
/// days outside the range ignored) and zero for the rest.
pub fn fill_days(last: NaiveDate, days: u32, counted: &[(NaiveDate, i64)]) -> Vec<DayViews> {
    (0..days)
        .rev()
        .filter_map(|back| last.checked_sub_days(Days::new(u64::from(back))))
        .map(|day| DayViews {
            day,
            views: counted
                .iter()
                .filter(|(d, _)| *d == day)
                .map(|(_, n)| n)
                .sum(),
        })
        .collect()
}

/// Page views not yet written to the database, per day. Shared by every request; the
/// lock is held only to add one.
#[derive(Debug, Default)]
pub struct PageViews {
    pending: Mutex<BTreeMap<NaiveDate, DayCount>>,
}

impl PageViews {
    /// No views yet.
    pub fn new() -> PageViews {
        PageViews::default()
    }

    /// Counts one page view at `at`, of `record`'s own page if it is one.
    pub fn record(&self, at: DateTime<Utc>, record: Option<Viewed>) {
        let mut pending = self.lock();
        let day = pending.entry(day_of(at)).or_default();
        day.views += 1;
        if let Some(record) = record {
            *day.records.entry(record).or_insert(0) += 1;
        }
    }

    /// Views counted but not yet written.
    pub fn pending(&self) -> i64 {
        self.lock().values().map(|d| d.views).sum()
    }

    /// Adds the pending views to the database and returns how many were written. Views a
    /// failed write did not store are kept for the next flush, so an unavailable database
    /// loses nothing; each server process adds its own, so many nodes add up correctly.
    pub async fn flush(&self, repo: &dyn StatsRepo) -> RepoResult<i64> {
        let taken = std::mem::take(&mut *self.lock());
        let mut written = 0;
        let mut unwritten = Vec::new();
        let mut error = None;
        for (day, count) in taken {
            if error.is_some() {
                unwritten.push((day, count));
                continue;
            }
            match repo.add_page_views(day, &count).await {
                Ok(()) => written += count.views,
                Err(e) => {
                    unwritten.push((day, count));
                    error = Some(e);
                }
            }
        }
        if !unwritten.is_empty() {
            let mut pending = self.lock();
            for (day, count) in unwritten {
                pending.entry(day).or_default().add(count);
            }
        }
        match error {
            Some(e) => Err(e),
            None => Ok(written),
        }
    }

    // A panic elsewhere cannot leave a counter half-updated, so a poisoned lock is usable.
    fn lock(&self) -> MutexGuard<'_, BTreeMap<NaiveDate, DayCount>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Record views are kept per day for at least this many days (the dashboard looks back
/// 30); older months are folded into one count per record and month, dated the 1st. The
/// banner report asks for school years, which start on the 1st of a month, so its figures
/// stay exact.
pub const DAILY_RECORD_VIEWS_DAYS: u64 = 62;

/// The months to fold on `today`: each as (its 1st, the next month's 1st), from the month
/// of `oldest` to the last month ending more than [`DAILY_RECORD_VIEWS_DAYS`] ago.
pub fn months_to_fold(oldest: NaiveDate, today: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let Some(keep_from) = today.checked_sub_days(Days::new(DAILY_RECORD_VIEWS_DAYS)) else {
        return Vec::new();
    };
    let mut months = Vec::new();
    let mut first = oldest.with_day(1).unwrap_or(oldest);
    while let Some(next) = first.checked_add_months(Months::new(1)) {
        if next > keep_from {
            break;
        }
        months.push((first, next));
        first = next;
    }
    months
}

/// Folds the record views of every month past keeping per day (see
/// [`DAILY_RECORD_VIEWS_DAYS`]); months folded before cost one count each. Returns how
/// many daily rows were folded.
pub async fn fold_old_record_views(repo: &dyn StatsRepo, today: NaiveDate) -> RepoResult<u64> {
    let Some(oldest) = repo.first_record_view_day().await? else {
        return Ok(0);
    };
    let mut folded = 0;
    for (first, next) in months_to_fold(oldest, today) {
        folded += repo.fold_record_views(first, next).await?;
    }
    Ok(folded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::types::Slug;
    use crate::stats::{Attention, Change, ItemCounts, MostViewed, Scope, StorageUsed, ViewedKind};
    use chrono::TimeZone;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn days_begin_at_midnight_in_china() {
        let late_utc = Utc.with_ymd_and_hms(2026, 3, 1, 15, 59, 0).unwrap();
        let next = Utc.with_ymd_and_hms(2026, 3, 1, 16, 0, 0).unwrap();
        assert_eq!(day_of(late_utc), date(2026, 3, 1));
        assert_eq!(day_of(next), date(2026, 3, 2));
    }

    #[test]
    fn missing_days_are_filled_with_zero_oldest_first() {
        let filled = fill_days(
            date(2026, 3, 2),
            4,
            &[(date(2026, 3, 1), 5), (date(2026, 2, 1), 9)],
        );
        let views: Vec<_> = filled.iter().map(|d| (d.day, d.views)).collect();
        assert_eq!(
            views,
            vec![
                (date(2026, 2, 27), 0),
                (date(2026, 2, 28), 0),
                (date(2026, 3, 1), 5),
                (date(2026, 3, 2), 0),
            ]
        );
    }

    #[test]
    fn views_are_counted_per_day_until_flushed() {
        let views = PageViews::new();
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 4, 0, 0).unwrap();
        let saddle = || Some(Viewed::Item(Slug::parse("silver-saddle").unwrap()));
        views.record(at, saddle());
        views.record(at, None);
        views.record(at, saddle());
        views.record(at + chrono::Duration::days(1), None);
        assert_eq!(views.pending(), 4);
        let first = views.lock().get(&date(2026, 3, 1)).cloned().unwrap();
        assert_eq!(first.views, 3);
        assert_eq!(first.records.get(&saddle().unwrap()), Some(&2));
    }

    /// Stores page views in memory, failing on demand.
    struct FlakyRepo {
        fail: std::sync::atomic::AtomicBool,
        stored: Mutex<Vec<(NaiveDate, i64, usize)>>,
    }

    #[async_trait::async_trait]
    impl StatsRepo for FlakyRepo {
        async fn item_counts(&self, _: &Scope) -> RepoResult<ItemCounts> {
            unreachable!("not used")
        }
        async fn needs_attention(&self, _: &Scope, _: u32) -> RepoResult<Vec<Attention>> {
            unreachable!("not used")
        }
        async fn storage_used(&self, _: &Scope) -> RepoResult<StorageUsed> {
            unreachable!("not used")
        }
        async fn published_without_mongolian(&self, _: &Scope) -> RepoResult<i64> {
            unreachable!("not used")
        }
        async fn page_views(&self, _: NaiveDate, _: u32) -> RepoResult<Vec<DayViews>> {
            unreachable!("not used")
        }
        async fn add_page_views(&self, day: NaiveDate, count: &DayCount) -> RepoResult<()> {
            if self.fail.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(crate::repo::RepoError::Backend(anyhow::anyhow!(
                    "database away"
                )));
            }
            let records = count.records.values().sum::<i64>() as usize;
            self.stored
                .lock()
                .unwrap()
                .push((day, count.views, records));
            Ok(())
        }
        async fn most_viewed(
            &self,
            _: ViewedKind,
            _: &Scope,
            _: NaiveDate,
            _: u32,
        ) -> RepoResult<Vec<MostViewed>> {
            unreachable!("not used")
        }
        async fn views_of(&self, _: &Viewed, _: NaiveDate) -> RepoResult<i64> {
            unreachable!("not used")
        }
        async fn recent_changes(&self, _: Option<i64>, _: u32) -> RepoResult<Vec<Change>> {
            unreachable!("not used")
        }
        async fn base_figures(&self, _: i32) -> RepoResult<Vec<super::super::BaseFigures>> {
            unreachable!("not used")
        }
        async fn first_record_view_day(&self) -> RepoResult<Option<NaiveDate>> {
            unreachable!("not used")
        }
        async fn fold_record_views(&self, _: NaiveDate, _: NaiveDate) -> RepoResult<u64> {
            unreachable!("not used")
        }
    }

    #[test]
    fn whole_months_older_than_two_months_are_folded() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // On 30 November the days from 29 September on are kept: August is the last
        // month folded, from the month of the oldest view on.
        assert_eq!(
            months_to_fold(d("2026-06-17"), d("2026-11-30")),
            [
                (d("2026-06-01"), d("2026-07-01")),
                (d("2026-07-01"), d("2026-08-01")),
                (d("2026-08-01"), d("2026-09-01")),
            ]
        );
        // On 2 November, September ends after 1 September (62 days back): not yet.
        assert_eq!(
            months_to_fold(d("2026-08-31"), d("2026-11-02")),
            [(d("2026-08-01"), d("2026-09-01"))]
        );
        assert!(months_to_fold(d("2026-11-01"), d("2026-11-30")).is_empty());
        // Across a new year.
        assert_eq!(
            months_to_fold(d("2025-12-05"), d("2026-03-05")).last(),
            Some(&(d("2025-12-01"), d("2026-01-01")))
        );
    }

    #[tokio::test]
    async fn views_a_failed_flush_could_not_write_are_kept_for_the_next() {
        let repo = FlakyRepo {
            fail: true.into(),
            stored: Mutex::default(),
        };
        let views = PageViews::new();
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 4, 0, 0).unwrap();
        let saddle = Viewed::Item(Slug::parse("silver-saddle").unwrap());
        views.record(at, Some(saddle.clone()));
        views.record(at + chrono::Duration::days(1), None);
        assert!(views.flush(&repo).await.is_err());
        assert_eq!(views.pending(), 2, "nothing lost");
        views.record(at, Some(saddle));
        repo.fail.store(false, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(views.flush(&repo).await.unwrap(), 3);
        assert_eq!(views.pending(), 0);
        assert_eq!(
            *repo.stored.lock().unwrap(),
            vec![(date(2026, 3, 1), 2, 2), (date(2026, 3, 2), 1, 0)]
        );
    }
}
