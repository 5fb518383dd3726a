//! Old record views are folded into one count per record and month: the totals the
//! dashboard and the banner report ask for stay the same, on every backend.

use super::backends;
use super::stats::{seed, slug};
use chrono::NaiveDate;
use edubase::stats::{DayCount, Viewed, fold_old_record_views};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn months_past_keeping_per_day_fold_and_every_total_stays() {
    for (name, db) in backends().await {
        seed(&db).await;
        let fiddle = || Viewed::Item(slug("fiddle"));
        let wrestling = || Viewed::Item(slug("wrestling"));
        let hall = || Viewed::Base(slug("hall"));
        for (day, record, views) in [
            ("2026-06-01", wrestling(), 2),
            ("2026-06-03", fiddle(), 3),
            ("2026-06-17", fiddle(), 4),
            ("2026-06-30", fiddle(), 5),
            ("2026-07-15", hall(), 7),
            ("2026-09-30", fiddle(), 8),
            ("2026-11-30", fiddle(), 1),
        ] {
            let count = DayCount {
                views,
                records: [(record, views)].into_iter().collect(),
            };
            db.stats.add_page_views(d(day), &count).await.unwrap();
        }
        let totals = |stats: std::sync::Arc<dyn edubase::stats::StatsRepo>| async move {
            let mut out = Vec::new();
            for (record, since) in [
                (fiddle(), "2026-06-01"),
                (fiddle(), "2026-07-01"),
                (fiddle(), "2026-09-30"),
                (fiddle(), "2026-10-01"),
                (wrestling(), "2026-06-01"),
                (hall(), "2026-07-01"),
            ] {
                out.push(stats.views_of(&record, d(since)).await.unwrap());
            }
            for year in [2025, 2026] {
                let figures = stats.base_figures(year).await.unwrap();
                out.extend(figures.iter().map(|b| b.views));
            }
            out
        };
        let before = totals(db.stats.clone()).await;
        assert_eq!(before, [21, 9, 9, 1, 2, 7, 19, 2, 9, 0], "{name}");

        // On 30 November, June and July fold (four daily rows after their 1st); August
        // had none; September, still within 62 days, stays daily.
        let folded = fold_old_record_views(db.stats.as_ref(), d("2026-11-30"))
            .await
            .unwrap();
        assert_eq!(folded, 4, "{name}");
        assert_eq!(totals(db.stats.clone()).await, before, "{name}");
        assert_eq!(
            fold_old_record_views(db.stats.as_ref(), d("2026-11-30"))
                .await
                .unwrap(),
            0,
            "{name}: folded once"
        );
        // Folding a month again (as a second node might) changes nothing.
        db.stats
            .fold_record_views(d("2026-06-01"), d("2026-07-01"))
            .await
            .unwrap();
        assert_eq!(totals(db.stats.clone()).await, before, "{name}");
    }
}
