//! A teacher's comment on a student's essay, with a grade if they give one, and handing
//! a submitted essay back for changes: what may be stored, free of HTTP and SQL.

use super::model::{Assignment, Visit};
use super::rules::char_count;
use chrono::{DateTime, Utc};
use std::fmt;

/// A teacher's grade for an essay, in the four words Chinese schools use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    /// 优秀.
    Excellent,
    /// 良好.
    Good,
    /// 合格.
    Pass,
    /// 需努力: not there yet.
    Effort,
}

impl Grade {
    /// Every grade, best first.
    pub const ALL: [Grade; 4] = [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Effort];

    /// The stored code (also the form's value and the message key's end).
    pub fn code(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Good => "good",
            Grade::Pass => "pass",
            Grade::Effort => "effort",
        }
    }

    /// Reads a stored code.
    pub fn parse(s: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.code() == s)
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a teacher gives back on an essay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feedback {
    /// The comment ("" for none).
    pub text: String,
    /// The grade, if the teacher gives one.
    pub grade: Option<Grade>,
}

/// Longest comment, in characters (a page of handwriting is about 600).
pub const FEEDBACK_MAX: usize = 2_000;

/// Why a comment cannot be stored as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Longer than [`FEEDBACK_MAX`]; holds its length.
    TooLong(usize),
    /// Handing back without saying what to change.
    EmptyHandBack,
    /// Handing back an essay that is not submitted: the student can still change it.
    NotSubmitted,
    /// Handing back when the assignment takes no more work: the student could not change
    /// it.
    Closed,
}

/// The comment as stored: line breaks made `\n`, other control characters dropped,
/// trimmed. Refused when handing back is pointless or the comment too long; nothing is
/// ever cut.
pub fn check(
    a: &Assignment,
    visit: &Visit,
    typed: &str,
    grade: Option<Grade>,
    hand_back: bool,
    now: DateTime<Utc>,
) -> Result<Feedback, Refusal> {
    let text: String = typed
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned();
    let chars = char_count(&text);
    if chars > FEEDBACK_MAX {
        return Err(Refusal::TooLong(chars));
    }
    if hand_back {
        if visit.submitted_at.is_none() {
            return Err(Refusal::NotSubmitted);
        }
        if !a.is_open(now) {
            return Err(Refusal::Closed);
        }
        if text.is_empty() {
            return Err(Refusal::EmptyHandBack);
        }
    }
    Ok(Feedback { text, grade })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::types::Slug;
    use crate::classroom::codes::{JoinCode, ResumeCode};
    use crate::classroom::model::{AssignmentFields, Class, ClassFields, Tour};
    use crate::i18n::LocalizedText;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn assignment() -> Assignment {
        Assignment {
            id: 1,
            class: Class {
                id: 1,
                teacher: 1,
                fields: ClassFields {
                    school: "甘旗卡第二中学".into(),
                    grade: "七年级".into(),
                    name: "三班".into(),
                    students: None,
                },
                created_at: at("2026-09-01T00:00:00Z"),
            },
            code: JoinCode::parse("ABCD-EFGH").unwrap(),
            fields: AssignmentFields {
                tour: Tour::Exhibition(Slug::parse("andai").unwrap()),
                instructions: String::new(),
                essay_prompt: String::new(),
                essay_min_chars: 0,
                opens_at: at("2026-10-01T00:00:00Z"),
                closes_at: at("2026-10-10T00:00:00Z"),
                school_year: 2026,
            },
            exhibition_title: LocalizedText::default(),
            closed_at: None,
            questions: Vec::new(),
            purged_visits: 0,
            purged_essays: 0,
            created_at: at("2026-09-01T00:00:00Z"),
        }
    }

    fn visit(submitted: bool) -> Visit {
        Visit {
            id: 1,
            assignment: 1,
            nickname: "小明".into(),
            resume_code: ResumeCode::parse("ABCD-EFGH").unwrap(),
            stops_seen: Vec::new(),
            answers: Vec::new(),
            essay: "草原".into(),
            essay_saved_at: None,
            submitted_at: submitted.then(|| at("2026-10-02T00:00:00Z")),
            feedback: String::new(),
            grade: None,
            feedback_at: None,
            returned_at: None,
            created_at: at("2026-10-01T01:00:00Z"),
        }
    }

    #[test]
    fn comments_are_plain_trimmed_text_and_never_cut() {
        let a = assignment();
        let now = at("2026-10-03T00:00:00Z");
        assert_eq!(
            check(
                &a,
                &visit(true),
                " 写得好\r\n再具体些\u{0} ",
                Some(Grade::Good),
                false,
                now
            ),
            Ok(Feedback {
                text: "写得好\n再具体些".into(),
                grade: Some(Grade::Good)
            })
        );
        // A comment may be cleared, and written on a draft.
        assert_eq!(
            check(&a, &visit(false), "  ", None, false, now),
            Ok(Feedback::default())
        );
        let long = "好".repeat(FEEDBACK_MAX + 1);
        assert_eq!(
            check(&a, &visit(true), &long, None, false, now),
            Err(Refusal::TooLong(FEEDBACK_MAX + 1))
        );
    }

    #[test]
    fn grades_read_back_from_their_codes() {
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.code()), Some(g));
        }
        assert_eq!(Grade::parse("A+"), None);
    }

    #[test]
    fn only_a_submitted_essay_of_an_open_assignment_goes_back_with_a_comment() {
        let a = assignment();
        let now = at("2026-10-03T00:00:00Z");
        assert_eq!(
            check(&a, &visit(true), "第二段再写写马具", None, true, now).map(|f| f.text),
            Ok("第二段再写写马具".into())
        );
        assert_eq!(
            check(&a, &visit(false), "再写写", None, true, now),
            Err(Refusal::NotSubmitted)
        );
        assert_eq!(
            check(&a, &visit(true), " ", None, true, now),
            Err(Refusal::EmptyHandBack)
        );
        let after = at("2026-10-11T00:00:00Z");
        assert_eq!(
            check(&a, &visit(true), "再写写", None, true, after),
            Err(Refusal::Closed)
        );
        let closed_early = Assignment {
            closed_at: Some(at("2026-10-02T12:00:00Z")),
            ..assignment()
        };
        assert_eq!(
            check(&closed_early, &visit(true), "再写写", None, true, now),
            Err(Refusal::Closed)
        );
    }
}
