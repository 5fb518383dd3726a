//! Public page views, counted privately: a number per calendar day, added up in memory and
//! written to the database now and then. Nothing about the visitor is looked at or kept —
//! no address, no cookie, no page path — so there is nothing personal to protect or expire.

use super::{DayViews, StatsRepo};
use crate::repo::RepoResult;
use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
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
    pending: Mutex<BTreeMap<NaiveDate, i64>>,
}

impl PageViews {
    /// No views yet.
    pub fn new() -> PageViews {
        PageViews::default()
    }

    /// Counts one page view at `at`.
    pub fn record(&self, at: DateTime<Utc>) {
        *self.lock().entry(day_of(at)).or_insert(0) += 1;
    }

    /// Views counted but not yet written.
    pub fn pending(&self) -> i64 {
        self.lock().values().sum()
    }

    /// Adds the pending views to the database and returns how many were written. Views a
    /// failed write did not store are kept for the next flush, so an unavailable database
    /// loses nothing; each server process adds its own, so many nodes add up correctly.
    pub async fn flush(&self, repo: &dyn StatsRepo) -> RepoResult<i64> {
        let taken = std::mem::take(&mut *self.lock());
        let mut written = 0;
        let mut unwritten = Vec::new();
        let mut error = None;
        for (day, views) in taken {
            if error.is_some() {
                unwritten.push((day, views));
                continue;
            }
            match repo.add_page_views(day, views).await {
                Ok(()) => written += views,
                Err(e) => {
                    unwritten.push((day, views));
                    error = Some(e);
                }
            }
        }
        if !unwritten.is_empty() {
            let mut pending = self.lock();
            for (day, views) in unwritten {
                *pending.entry(day).or_insert(0) += views;
            }
        }
        match error {
            Some(e) => Err(e),
            None => Ok(written),
        }
    }

    // A panic elsewhere cannot leave a counter half-updated, so a poisoned lock is usable.
    fn lock(&self) -> MutexGuard<'_, BTreeMap<NaiveDate, i64>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{Attention, Change, ItemCounts, Scope, StorageUsed};
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
        views.record(at);
        views.record(at);
        views.record(at + chrono::Duration::days(1));
        assert_eq!(views.pending(), 3);
        assert_eq!(views.lock().get(&date(2026, 3, 1)), Some(&2));
    }

    /// Stores page views in memory, failing on demand.
    struct FlakyRepo {
        fail: std::sync::atomic::AtomicBool,
        stored: Mutex<Vec<(NaiveDate, i64)>>,
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
        async fn page_views(&self, _: NaiveDate, _: u32) -> RepoResult<Vec<DayViews>> {
            unreachable!("not used")
        }
        async fn add_page_views(&self, day: NaiveDate, views: i64) -> RepoResult<()> {
            if self.fail.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(crate::repo::RepoError::Backend(anyhow::anyhow!(
                    "database away"
                )));
            }
            self.stored.lock().unwrap().push((day, views));
            Ok(())
        }
        async fn recent_changes(&self, _: Option<i64>, _: u32) -> RepoResult<Vec<Change>> {
            unreachable!("not used")
        }
    }

    #[tokio::test]
    async fn views_a_failed_flush_could_not_write_are_kept_for_the_next() {
        let repo = FlakyRepo {
            fail: true.into(),
            stored: Mutex::default(),
        };
        let views = PageViews::new();
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 4, 0, 0).unwrap();
        views.record(at);
        views.record(at + chrono::Duration::days(1));
        assert!(views.flush(&repo).await.is_err());
        assert_eq!(views.pending(), 2, "nothing lost");
        repo.fail.store(false, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(views.flush(&repo).await.unwrap(), 2);
        assert_eq!(views.pending(), 0);
        assert_eq!(
            *repo.stored.lock().unwrap(),
            vec![(date(2026, 3, 1), 1), (date(2026, 3, 2), 1)]
        );
    }
}
