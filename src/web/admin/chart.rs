//! The visits chart: the geometry of a server-rendered SVG bar chart, computed here in
//! whole SVG units so the template only places shapes (and escapes text), and so the
//! chart can be tested without a browser.

use crate::stats::DayViews;
use chrono::NaiveDate;

/// The SVG's `viewBox` width: wide and low, so the chart stays short on a wide screen.
pub const WIDTH: u32 = 968;
/// The SVG's `viewBox` height.
pub const HEIGHT: u32 = 212;
/// Room left of the bars for the value labels.
const LEFT: u32 = 48;
/// Room right of the bars, so the newest day's label is not cut off.
const RIGHT: u32 = 20;
/// Where the tallest bar starts (room above for its value label).
const TOP: u32 = 16;
/// The height the tallest bar reaches.
const PLOT_HEIGHT: u32 = 160;
/// A label is put under every this many days, counted back from the newest.
const LABEL_EVERY: usize = 7;

/// One day's bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Bar width.
    pub width: u32,
    /// Bar height (0 on a day without views).
    pub height: u32,
    /// The middle of the bar, where its day label is centred.
    pub centre: u32,
    /// The day.
    pub day: NaiveDate,
    /// Its page views.
    pub views: i64,
    /// The day as printed under the bar (`03-14`), on every seventh day.
    pub label: Option<String>,
}

/// A bar chart of page views per day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitsChart {
    /// The bars, oldest day first.
    pub bars: Vec<Bar>,
    /// The most views on one day (0 when there were none).
    pub max: i64,
    /// The first day with that many views.
    pub busiest: Option<NaiveDate>,
    /// All views in the period.
    pub total: i64,
    /// `y` of the top of the scale (where the `max` line is drawn).
    pub top: u32,
    /// `y` of the baseline.
    pub baseline: u32,
    /// `x` where the plot starts.
    pub left: u32,
    /// `x` where the plot ends.
    pub right: u32,
    /// `y` of the day labels.
    pub label_y: u32,
}

impl VisitsChart {
    /// The first day shown.
    pub fn first_day(&self) -> Option<NaiveDate> {
        self.bars.first().map(|b| b.day)
    }

    /// The last day shown.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.bars.last().map(|b| b.day)
    }

    /// The `viewBox` attribute.
    pub fn view_box(&self) -> String {
        format!("0 0 {WIDTH} {HEIGHT}")
    }
}

/// Lays out one bar per day, scaled so the busiest day reaches the top. A day with any
/// views gets a bar of at least 2 units, so a quiet day is not mistaken for an empty one.
pub fn visits_chart(days: &[DayViews]) -> VisitsChart {
    let max = days.iter().map(|d| d.views).max().unwrap_or(0).max(0);
    let busiest = days
        .iter()
        .find(|d| max > 0 && d.views == max)
        .map(|d| d.day);
    let slot = (WIDTH - LEFT - RIGHT) / u32::try_from(days.len().max(1)).unwrap_or(u32::MAX);
    let gap = (slot / 4).max(1);
    let baseline = TOP + PLOT_HEIGHT;
    let newest = days.len().saturating_sub(1);
    let bars = days
        .iter()
        .zip(0u32..)
        .enumerate()
        .map(|(i, (d, n))| {
            let height = scaled(d.views, max);
            let x = LEFT + n * slot + gap / 2;
            let width = slot.saturating_sub(gap).max(1);
            let labelled = (newest - i).is_multiple_of(LABEL_EVERY);
            Bar {
                x,
                y: baseline - height,
                width,
                height,
                centre: x + width / 2,
                day: d.day,
                views: d.views,
                label: labelled.then(|| d.day.format("%m-%d").to_string()),
            }
        })
        .collect();
    VisitsChart {
        bars,
        max,
        busiest,
        total: days.iter().map(|d| d.views.max(0)).sum(),
        top: TOP,
        baseline,
        left: LEFT,
        right: WIDTH - RIGHT,
        label_y: baseline + 20,
    }
}

/// The height of a bar of `views` when `max` reaches the full plot height.
fn scaled(views: i64, max: i64) -> u32 {
    if views <= 0 || max <= 0 {
        return 0;
    }
    let full = i128::from(PLOT_HEIGHT);
    let h = (i128::from(views) * full + i128::from(max) / 2) / i128::from(max);
    u32::try_from(h.clamp(2, full)).unwrap_or(PLOT_HEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fill_days;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn thirty_days(counted: &[(NaiveDate, i64)]) -> VisitsChart {
        visits_chart(&fill_days(day(30), 30, counted))
    }

    #[test]
    fn thirty_days_make_thirty_bars_inside_the_picture() {
        let chart = thirty_days(&[(day(10), 4)]);
        assert_eq!(chart.bars.len(), 30);
        assert_eq!(chart.first_day(), Some(day(1)));
        assert_eq!(chart.last_day(), Some(day(30)));
        for pair in chart.bars.windows(2) {
            assert!(pair[0].x + pair[0].width < pair[1].x, "bars do not touch");
        }
        let last = chart.bars.last().unwrap();
        assert!(last.x + last.width <= chart.right);
        assert!(last.centre + 20 <= WIDTH, "room for the last label");
        assert!(chart.bars.iter().all(|b| b.y + b.height == chart.baseline));
    }

    #[test]
    fn the_busiest_day_reaches_the_top_and_others_scale_to_it() {
        let chart = thirty_days(&[(day(10), 40), (day(11), 10), (day(12), 1)]);
        assert_eq!(chart.max, 40);
        assert_eq!(chart.busiest, Some(day(10)));
        assert_eq!(chart.total, 51);
        let bar = |d: u32| chart.bars.iter().find(|b| b.day == day(d)).unwrap();
        assert_eq!(bar(10).y, chart.top);
        assert_eq!(bar(10).height, PLOT_HEIGHT);
        assert_eq!(bar(11).height, PLOT_HEIGHT / 4);
        assert_eq!(bar(12).height, 4, "one view is small but visible");
        assert_eq!(bar(13).height, 0);
    }

    #[test]
    fn a_period_without_views_draws_flat_bars_and_names_no_busiest_day() {
        let chart = thirty_days(&[]);
        assert_eq!(chart.max, 0);
        assert_eq!(chart.busiest, None);
        assert!(chart.bars.iter().all(|b| b.height == 0));
        assert!(visits_chart(&[]).bars.is_empty());
    }

    #[test]
    fn every_seventh_day_is_labelled_counting_back_from_the_newest() {
        let chart = thirty_days(&[]);
        let labels: Vec<_> = chart.bars.iter().filter_map(|b| b.label.clone()).collect();
        assert_eq!(labels, ["03-02", "03-09", "03-16", "03-23", "03-30"]);
    }
}
