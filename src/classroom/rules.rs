//! The classroom's rules, free of HTTP and SQL: nicknames, essay and answer lengths, school
//! years, and when a closed assignment's visits are deleted. The teacher's forms are in
//! [`super::forms`].

use crate::stats::china_time;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};

/// Longest nickname, in characters.
pub const NICKNAME_MAX: usize = 20;
/// Longest essay, in characters (a long school essay is 3,000).
pub const ESSAY_MAX: usize = 20_000;
/// Longest short answer, in characters.
pub const ANSWER_MAX: usize = 500;
/// Most choices a question may offer.
pub const CHOICES_MAX: usize = 6;

/// Characters as a person counts them (not bytes; line breaks not counted).
pub fn char_count(text: &str) -> usize {
    text.chars().filter(|c| *c != '\n' && *c != '\r').count()
}

/// A nickname, trimmed; `None` when it is empty, too long or holds control characters.
pub fn nickname(typed: &str) -> Option<String> {
    let s = typed.trim();
    let n = s.chars().count();
    ((1..=NICKNAME_MAX).contains(&n) && !s.chars().any(char::is_control)).then(|| s.to_owned())
}

/// Essay text as stored: line breaks made `\n`, other control characters dropped, cut at
/// [`ESSAY_MAX`] characters.
pub fn essay_text(typed: &str) -> String {
    typed
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .take(ESSAY_MAX)
        .collect()
}

/// A short answer as stored: one line, trimmed, cut at [`ANSWER_MAX`] characters.
pub fn answer_text(typed: &str) -> String {
    typed
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(ANSWER_MAX)
        .collect::<String>()
        .trim()
        .to_owned()
}

fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Midnight at the start of `day`, China Standard Time.
pub fn start_of(day: NaiveDate) -> DateTime<Utc> {
    cst()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("a fixed offset has no gaps")
        .with_timezone(&Utc)
}

/// The school year (by the year it starts, on 1 September) that `day` belongs to.
pub fn school_year_of(day: NaiveDate) -> i32 {
    if day.month() >= 9 {
        day.year()
    } else {
        day.year() - 1
    }
}

/// The first and last day (1 September to 31 August) of the school year starting in
/// `year`.
pub fn school_year_days(year: i32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(year + 1, 8, 31).unwrap_or(NaiveDate::MAX);
    (first, last)
}

/// How long visits and essays are kept after their assignment closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// Until the end of the school year the assignment closed in (31 August, China time).
    EndOfSchoolYear,
    /// This many days.
    Days(u32),
}

impl Retention {
    /// Reads a setting: `end-of-school-year` or a number of days.
    pub fn parse(s: &str) -> Result<Retention, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("end-of-school-year") {
            return Ok(Retention::EndOfSchoolYear);
        }
        s.parse::<u32>().map(Retention::Days).map_err(|_| {
            format!("retention {s:?} must be \"end-of-school-year\" or a number of days")
        })
    }

    /// When the visits of an assignment that closed at `closed` are deleted.
    pub fn purge_at(self, closed: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Retention::Days(days) => closed + chrono::Duration::days(i64::from(days)),
            Retention::EndOfSchoolYear => {
                let local = china_time(closed);
                let this_year = NaiveDate::from_ymd_opt(local.year(), 9, 1).expect("a date");
                let end = start_of(this_year);
                if end >= closed {
                    end
                } else {
                    start_of(NaiveDate::from_ymd_opt(local.year() + 1, 9, 1).expect("a date"))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn visits_are_kept_until_the_end_of_the_school_year_in_china() {
        let r = Retention::EndOfSchoolYear;
        // Closed in June: deleted when 31 August ends in Beijing (16:00 UTC that day).
        assert_eq!(
            r.purge_at(at("2026-06-30T16:00:00Z")),
            at("2026-08-31T16:00:00Z")
        );
        // Closed in October: the school year ends next August.
        assert_eq!(
            r.purge_at(at("2026-10-20T00:00:00Z")),
            at("2027-08-31T16:00:00Z")
        );
        assert_eq!(
            Retention::Days(30).purge_at(at("2026-06-01T00:00:00Z")),
            at("2026-07-01T00:00:00Z")
        );
        assert_eq!(Retention::parse("end-of-school-year"), Ok(r));
        assert_eq!(Retention::parse("90"), Ok(Retention::Days(90)));
        assert!(Retention::parse("soon").is_err());
    }

    #[test]
    fn school_years_start_in_september() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(school_year_of(d("2026-03-01")), 2025);
        assert_eq!(school_year_of(d("2026-09-01")), 2026);
        let (first, last) = school_year_days(2025);
        assert_eq!((first, last), (d("2025-09-01"), d("2026-08-31")));
        for day in [first, last] {
            assert_eq!(school_year_of(day), 2025);
        }
        assert_eq!(school_year_of(last.succ_opt().unwrap()), 2026);
    }

    #[test]
    fn nicknames_and_essays_are_plain_bounded_text() {
        assert_eq!(nickname("  小明 ").as_deref(), Some("小明"));
        assert_eq!(nickname(""), None);
        assert_eq!(nickname(&"长".repeat(21)), None);
        assert_eq!(nickname("a\u{7}b"), None);
        assert_eq!(essay_text("一\r\n二\u{0}"), "一\n二");
        assert_eq!(char_count("草原\n上"), 3);
    }
}
