//! The classroom's rows as the database returns them, the queries' shared column lists,
//! and their conversion into the domain model.

use crate::catalogue::types::Slug;
use crate::classroom::codes::{JoinCode, ResumeCode};
use crate::classroom::feedback::Grade;
use crate::classroom::model::*;
use crate::i18n::LocalizedText;
use crate::repo::{RepoError, RepoResult};
use chrono::{DateTime, Utc};

pub(super) fn corrupt(what: &str) -> RepoError {
    RepoError::Backend(anyhow::anyhow!("unreadable {what} in the database"))
}

#[derive(sqlx::FromRow)]
pub struct ClassRow {
    pub(super) id: i64,
    pub(super) teacher_id: i64,
    pub(super) school: String,
    pub(super) grade: String,
    pub(super) name: String,
    pub(super) students: Option<i64>,
    pub(super) created_at: DateTime<Utc>,
}

impl From<ClassRow> for Class {
    fn from(r: ClassRow) -> Class {
        Class {
            id: r.id,
            teacher: r.teacher_id,
            fields: ClassFields {
                school: r.school,
                grade: r.grade,
                name: r.name,
                students: r.students,
            },
            created_at: r.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct AssignmentRow {
    pub(super) id: i64,
    pub(super) code: String,
    pub(super) instructions: String,
    pub(super) essay_prompt: String,
    pub(super) essay_min_chars: i64,
    pub(super) opens_at: DateTime<Utc>,
    pub(super) closes_at: DateTime<Utc>,
    pub(super) closed_at: Option<DateTime<Utc>>,
    pub(super) school_year: i32,
    pub(super) purged_visits: i64,
    pub(super) purged_essays: i64,
    pub(super) created_at: DateTime<Utc>,
    pub(super) exhibition: Option<String>,
    pub(super) tour_title: Option<String>,
    pub(super) title_zh: Option<String>,
    pub(super) title_mn: Option<String>,
    pub(super) title_en: Option<String>,
    pub(super) class_id: i64,
    pub(super) teacher_id: i64,
    pub(super) school: String,
    pub(super) grade: String,
    pub(super) class_name: String,
    pub(super) class_students: Option<i64>,
    pub(super) class_created_at: DateTime<Utc>,
}

impl AssignmentRow {
    pub(super) fn into_assignment(
        self,
        questions: Vec<Question>,
        items: Vec<Slug>,
    ) -> RepoResult<Assignment> {
        let (tour, exhibition_title) = match (self.exhibition, self.tour_title) {
            (Some(slug), _) => (
                Tour::Exhibition(Slug::parse(&slug).map_err(|_| corrupt("slug"))?),
                LocalizedText::new(self.title_zh, self.title_mn, self.title_en),
            ),
            (None, Some(title)) => (
                Tour::Items {
                    title: title.clone(),
                    items,
                },
                LocalizedText::new(Some(title), None, None),
            ),
            (None, None) => return Err(corrupt("assignment without an exhibition or a title")),
        };
        Ok(Assignment {
            id: self.id,
            class: Class {
                id: self.class_id,
                teacher: self.teacher_id,
                fields: ClassFields {
                    school: self.school,
                    grade: self.grade,
                    name: self.class_name,
                    students: self.class_students,
                },
                created_at: self.class_created_at,
            },
            code: JoinCode::parse(&self.code).ok_or_else(|| corrupt("join code"))?,
            fields: AssignmentFields {
                tour,
                instructions: self.instructions,
                essay_prompt: self.essay_prompt,
                essay_min_chars: self.essay_min_chars,
                opens_at: self.opens_at,
                closes_at: self.closes_at,
                school_year: self.school_year,
            },
            exhibition_title,
            closed_at: self.closed_at,
            questions,
            purged_visits: self.purged_visits,
            purged_essays: self.purged_essays,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct QuestionRow {
    pub(super) id: i64,
    pub(super) stop: i64,
    pub(super) kind: String,
    pub(super) prompt: String,
    pub(super) choices: String,
    pub(super) answer: Option<i64>,
}

impl TryFrom<QuestionRow> for Question {
    type Error = RepoError;

    fn try_from(r: QuestionRow) -> RepoResult<Question> {
        Ok(Question {
            id: r.id,
            stop: r.stop,
            kind: QuestionKind::parse(&r.kind).ok_or_else(|| corrupt("question kind"))?,
            prompt: r.prompt,
            choices: serde_json::from_str(&r.choices).map_err(|_| corrupt("choices"))?,
            answer: r.answer,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct VisitRow {
    pub(super) id: i64,
    pub(super) assignment_id: i64,
    pub(super) nickname: String,
    pub(super) resume_code: String,
    pub(super) essay: String,
    pub(super) essay_saved_at: Option<DateTime<Utc>>,
    pub(super) submitted_at: Option<DateTime<Utc>>,
    pub(super) feedback: String,
    pub(super) grade: Option<String>,
    pub(super) feedback_at: Option<DateTime<Utc>>,
    pub(super) returned_at: Option<DateTime<Utc>>,
    pub(super) created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub struct ExpiringRow {
    pub(super) id: i64,
    pub(super) closes_at: DateTime<Utc>,
    pub(super) closed_at: Option<DateTime<Utc>>,
}

impl From<ExpiringRow> for Expiring {
    fn from(r: ExpiringRow) -> Expiring {
        Expiring {
            id: r.id,
            closes_at: r.closes_at,
            closed_at: r.closed_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct ReportSqlRow {
    pub(super) school: String,
    pub(super) grade: String,
    pub(super) assignments: i64,
    pub(super) visitors: i64,
    pub(super) essays: i64,
    pub(super) students: i64,
    pub(super) visited: i64,
    pub(super) wrote: i64,
    pub(super) unsized_classes: i64,
}

/// The banner report's query for one school year (`$1`).
pub(super) fn report_sql() -> String {
    // First per class (its size caps what it covers), then per school and grade.
    // Sums are cast: PostgreSQL widens sum(bigint) to numeric.
    format!(
        "select school, grade, cast(sum(assignments) as bigint) as assignments, \
           cast(sum(visitors) as bigint) as visitors, \
           cast(sum(essays) as bigint) as essays, \
           cast(coalesce(sum(students), 0) as bigint) as students, \
           cast(coalesce(sum(case when visitors < students then visitors \
             else students end), 0) as bigint) as visited, \
           cast(coalesce(sum(case when essays < students then essays \
             else students end), 0) as bigint) as wrote, \
           cast(sum(case when students is null then 1 else 0 end) as bigint) \
             as unsized_classes \
         from (select c.school, c.grade, c.students, count(*) as assignments, \
           sum(a.purged_visits + (select count(*) from visit v \
             where v.assignment_id = a.id and {VISITED})) as visitors, \
           sum(a.purged_essays + (select count(*) from visit v \
             where v.assignment_id = a.id and v.submitted_at is not null)) as essays \
           from assignment a join class c on c.id = a.class_id \
           where a.school_year = $1 group by c.id, c.school, c.grade, c.students) per_class \
         group by school, grade order by school, grade"
    )
}

impl From<ReportSqlRow> for ReportRow {
    fn from(r: ReportSqlRow) -> ReportRow {
        ReportRow {
            school: r.school,
            grade: r.grade,
            assignments: r.assignments,
            visitors: r.visitors,
            essays: r.essays,
            students: r.students,
            visited: r.visited,
            wrote: r.wrote,
            unsized_classes: r.unsized_classes,
        }
    }
}

pub(super) const ASSIGNMENT_SELECT: &str = "select a.id, a.code, a.instructions, a.essay_prompt, a.essay_min_chars, \
    a.opens_at, a.closes_at, a.closed_at, a.school_year, a.purged_visits, a.purged_essays, a.created_at, \
    e.slug as exhibition, a.title as tour_title, e.title_zh, e.title_mn, e.title_en, \
    c.id as class_id, c.teacher_id, c.school, c.grade, c.name as class_name, c.students as class_students, c.created_at as class_created_at \
    from assignment a join class c on c.id = a.class_id left join exhibition e on e.id = a.exhibition_id";

pub(super) const VISIT_COLUMNS: &str = "v.id, v.assignment_id, v.nickname, v.resume_code, v.essay, v.essay_saved_at, v.submitted_at, v.feedback, v.grade, v.feedback_at, v.returned_at, v.created_at";

/// A visit "visited" once it opened a stop: what the banner report counts.
pub(super) const VISITED: &str = "exists (select 1 from visit_stop s where s.visit_id = v.id)";

#[derive(sqlx::FromRow)]
pub struct AnswerRow {
    pub(super) visit_id: i64,
    pub(super) question_id: i64,
    pub(super) answer: String,
}

pub(super) fn visit_of(
    r: VisitRow,
    stops_seen: Vec<i64>,
    answers: Vec<(i64, String)>,
) -> RepoResult<Visit> {
    Ok(Visit {
        id: r.id,
        assignment: r.assignment_id,
        nickname: r.nickname,
        resume_code: ResumeCode::parse(&r.resume_code).ok_or_else(|| corrupt("resume code"))?,
        stops_seen,
        answers,
        essay: r.essay,
        essay_saved_at: r.essay_saved_at,
        submitted_at: r.submitted_at,
        feedback: r.feedback,
        grade: match r.grade.as_deref() {
            None => None,
            Some(code) => Some(Grade::parse(code).ok_or_else(|| corrupt("essay grade"))?),
        },
        feedback_at: r.feedback_at,
        returned_at: r.returned_at,
        created_at: r.created_at,
    })
}
