//! Classes, assignments, questions and visits as the rest of the program sees them.

use super::codes::{JoinCode, ResumeCode};
use super::feedback::Grade;
use crate::accounts::model::UserId;
use crate::catalogue::types::Slug;
use crate::i18n::LocalizedText;
use chrono::{DateTime, Utc};

/// Database identity of a class.
pub type ClassId = i64;
/// Database identity of an assignment.
pub type AssignmentId = i64;
/// Database identity of a question.
pub type QuestionId = i64;
/// Database identity of a visit (one student in one assignment).
pub type VisitId = i64;

/// A teacher's class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    /// Identity.
    pub id: ClassId,
    /// The teacher who owns it; nobody else sees it.
    pub teacher: UserId,
    /// What it is called and where it is.
    pub fields: ClassFields,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// What a teacher types about a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassFields {
    /// School name, e.g. 甘旗卡第二中学.
    pub school: String,
    /// Grade, e.g. 七年级.
    pub grade: String,
    /// Class name, e.g. 三班.
    pub name: String,
    /// How many students the class has, when the teacher has said.
    pub students: Option<i64>,
}

/// An assignment: one published exhibition (or a list of items) to visit, its questions,
/// an essay.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Identity.
    pub id: AssignmentId,
    /// The class it was set for.
    pub class: Class,
    /// Its join code.
    pub code: JoinCode,
    /// What was set.
    pub fields: AssignmentFields,
    /// The title of what is visited: the exhibition's, or the teacher's for a list of items.
    pub exhibition_title: LocalizedText,
    /// When the teacher closed it early.
    pub closed_at: Option<DateTime<Utc>>,
    /// The questions, by stop and position.
    pub questions: Vec<Question>,
    /// Students whose visits retention has deleted (kept for the banner report).
    pub purged_visits: i64,
    /// Submitted essays retention has deleted (kept for the banner report).
    pub purged_essays: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl Assignment {
    /// When it stops taking work: the end of its last day, or when the teacher closed it.
    pub fn closes(&self) -> DateTime<Utc> {
        first_close(self.fields.closes_at, self.closed_at)
    }

    /// True when students may work on it at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.fields.opens_at <= now && now < self.closes()
    }

    /// The questions of stop `number`.
    pub fn questions_at(&self, number: i64) -> Vec<&Question> {
        self.questions.iter().filter(|q| q.stop == number).collect()
    }

    /// The multiple-choice questions, which are scored.
    pub fn scored(&self) -> usize {
        self.questions
            .iter()
            .filter(|q| q.kind == QuestionKind::Choice)
            .count()
    }
}

/// What the students walk through, stop by stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tour {
    /// A published exhibition, as its curators arranged it.
    Exhibition(Slug),
    /// Published items the teacher picked, in the teacher's order, under the teacher's
    /// title; each item is one stop.
    Items {
        /// What the class sees as the visit's title.
        title: String,
        /// The items, in order.
        items: Vec<Slug>,
    },
}

/// What a teacher sets in an assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentFields {
    /// What to visit.
    pub tour: Tour,
    /// What the teacher tells the class.
    pub instructions: String,
    /// The essay's topic.
    pub essay_prompt: String,
    /// Fewest characters an essay must have to be submitted.
    pub essay_min_chars: i64,
    /// First moment students may join (midnight, China Standard Time).
    pub opens_at: DateTime<Utc>,
    /// First moment they may no longer (midnight after the last day).
    pub closes_at: DateTime<Utc>,
    /// The school year it belongs to, by the year it starts (2025 for 2025–2026).
    pub school_year: i32,
}

/// Multiple choice or short answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    /// Pick one of the choices; scored.
    Choice,
    /// A few words; read by the teacher.
    Short,
}

impl QuestionKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            QuestionKind::Choice => "choice",
            QuestionKind::Short => "short",
        }
    }

    /// Reads a stored code.
    pub fn parse(s: &str) -> Option<QuestionKind> {
        [QuestionKind::Choice, QuestionKind::Short]
            .into_iter()
            .find(|k| k.code() == s)
    }
}

/// A question at a stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Identity.
    pub id: QuestionId,
    /// The stop (1-based) it appears at.
    pub stop: i64,
    /// Choice or short answer.
    pub kind: QuestionKind,
    /// The question.
    pub prompt: String,
    /// The choices (multiple choice only).
    pub choices: Vec<String>,
    /// The right choice, 0-based (multiple choice only).
    pub answer: Option<i64>,
}

/// A question to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    /// The stop (1-based).
    pub stop: i64,
    /// Choice or short answer.
    pub kind: QuestionKind,
    /// The question.
    pub prompt: String,
    /// The choices.
    pub choices: Vec<String>,
    /// The right choice, 0-based.
    pub answer: Option<i64>,
}

impl From<&Question> for NewQuestion {
    /// The same question, to ask again in another assignment.
    fn from(q: &Question) -> NewQuestion {
        NewQuestion {
            stop: q.stop,
            kind: q.kind,
            prompt: q.prompt.clone(),
            choices: q.choices.clone(),
            answer: q.answer,
        }
    }
}

/// A student's visit: nickname, progress, answers, essay. No name, no account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// Identity.
    pub id: VisitId,
    /// The assignment.
    pub assignment: AssignmentId,
    /// The nickname the student chose.
    pub nickname: String,
    /// Their code to continue on another device.
    pub resume_code: ResumeCode,
    /// Stops opened, ascending.
    pub stops_seen: Vec<i64>,
    /// Answers given, by question.
    pub answers: Vec<(QuestionId, String)>,
    /// The essay as last saved.
    pub essay: String,
    /// When the essay was last saved.
    pub essay_saved_at: Option<DateTime<Utc>>,
    /// When it was handed in; no changes after that (unless the teacher hands it back).
    pub submitted_at: Option<DateTime<Utc>>,
    /// The teacher's comment on the essay ("" when none).
    pub feedback: String,
    /// The teacher's grade for the essay.
    pub grade: Option<Grade>,
    /// When the comment was last written.
    pub feedback_at: Option<DateTime<Utc>>,
    /// When the teacher last handed the essay back for changes.
    pub returned_at: Option<DateTime<Utc>>,
    /// When the student joined.
    pub created_at: DateTime<Utc>,
}

impl Visit {
    /// The answer given to `question`.
    pub fn answer(&self, question: QuestionId) -> Option<&str> {
        self.answers
            .iter()
            .find(|(q, _)| *q == question)
            .map(|(_, a)| a.as_str())
    }

    /// Right answers among the multiple-choice questions of `assignment`.
    pub fn score(&self, assignment: &Assignment) -> usize {
        assignment
            .questions
            .iter()
            .filter(|q| q.kind == QuestionKind::Choice)
            .filter(|q| {
                let given = self.answer(q.id).and_then(|a| a.parse::<i64>().ok());
                given.is_some() && given == q.answer
            })
            .count()
    }

    /// Questions answered (any kind).
    pub fn answered(&self) -> usize {
        self.answers.iter().filter(|(_, a)| !a.is_empty()).count()
    }

    /// True while the essay is back with the student for changes.
    pub fn is_returned(&self) -> bool {
        self.submitted_at.is_none() && self.returned_at.is_some()
    }

    /// True when the essay was handed in again after the teacher handed it back.
    pub fn is_resubmitted(&self) -> bool {
        matches!((self.submitted_at, self.returned_at), (Some(s), Some(r)) if s > r)
    }

    /// Characters in the essay, as the counter shows them.
    pub fn essay_chars(&self) -> usize {
        super::rules::char_count(&self.essay)
    }

    /// The essay's language tag when it is written in traditional Mongolian (to be set
    /// vertically and read as Mongolian), else `None`.
    pub fn essay_lang(&self) -> Option<&'static str> {
        crate::i18n::has_mongolian(&self.essay).then_some(crate::i18n::Lang::Mn.bcp47())
    }
}

/// A new visit to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVisit {
    /// The nickname.
    pub nickname: String,
    /// The student's resume code.
    pub resume_code: ResumeCode,
    /// SHA-256 of the first device's cookie token.
    pub token_hash: String,
}

/// One line of the banner report: a school's grade in a school year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportRow {
    /// School name.
    pub school: String,
    /// Grade.
    pub grade: String,
    /// Assignments set.
    pub assignments: i64,
    /// Students who joined a visit.
    pub visitors: i64,
    /// Essays submitted.
    pub essays: i64,
    /// Students in the classes that had an assignment, counting only classes whose size
    /// the teacher gave.
    pub students: i64,
    /// Of those students, how many visited: a class's visitors of the year, at most its
    /// size (a student who visited for two assignments is not counted twice).
    pub visited: i64,
    /// Of those students, how many handed in an essay, counted the same way.
    pub wrote: i64,
    /// Classes with an assignment but no size given, left out of the three above.
    pub unsized_classes: i64,
}

impl ReportRow {
    /// The share of the known students who visited, in whole percent; none when no class
    /// gave its size.
    pub fn visit_coverage(&self) -> Option<i64> {
        crate::stats::percent(self.visited, self.students)
    }

    /// The share of the known students who handed in an essay, likewise.
    pub fn essay_coverage(&self) -> Option<i64> {
        crate::stats::percent(self.wrote, self.students)
    }
}

/// How far the students of one assignment have got, for their teacher's first page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// The assignment.
    pub assignment: AssignmentId,
    /// Students who joined.
    pub joined: i64,
    /// Essays handed in.
    pub submitted: i64,
    /// Of those, essays the teacher has neither commented on nor graded.
    pub waiting: i64,
}

/// An assignment with its closing times: for the retention sweep, and for what
/// withdrawing a record from the public site would take from classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiring {
    /// The assignment.
    pub id: AssignmentId,
    /// The end of its last day.
    pub closes_at: DateTime<Utc>,
    /// When the teacher closed it early.
    pub closed_at: Option<DateTime<Utc>>,
}

impl Expiring {
    /// When it stops taking work: the end of its last day, or when the teacher closed it.
    pub fn closes(&self) -> DateTime<Utc> {
        first_close(self.closes_at, self.closed_at)
    }

    /// True once it takes no more work.
    pub fn is_over(&self, now: DateTime<Utc>) -> bool {
        self.closes() <= now
    }
}

/// The end of the last day, or an earlier close by the teacher.
fn first_close(closes_at: DateTime<Utc>, closed_at: Option<DateTime<Utc>>) -> DateTime<Utc> {
    match closed_at {
        Some(at) if at < closes_at => at,
        _ => closes_at,
    }
}

/// A published record an assignment may walk: an exhibition, or an item of a teacher's
/// list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walked<'a> {
    /// The exhibition with this slug.
    Exhibition(&'a Slug),
    /// The item with this slug.
    Item(&'a Slug),
}
