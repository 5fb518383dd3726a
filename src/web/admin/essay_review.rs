//! The students' essays for their teacher: one student's essay and answers with a comment
//! for the student and handing a submitted essay back for changes (the student reads the
//! comment on their visit's pages, `crate::web::visit`); and every essay of an assignment
//! on printable A4 pages, one essay a page, to read, mark and hand out on paper.

use super::AdminCtx;
use super::assignments::own;
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::classroom::feedback::{self, FEEDBACK_MAX, Grade, Refusal};
use crate::classroom::model::{Assignment, AssignmentId, Question, QuestionKind, Visit, VisitId};
use crate::classroom::overlap::{self, Found, RUN};
use crate::classroom::tour;
use crate::error::AppError;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use crate::web::session::{SignedIn, require_csrf};
use crate::web::visit::{beijing, last_day};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// A student's line on the dashboard, in the CSV and on the essay pages.
pub struct Row {
    /// The visit.
    pub visit: Visit,
    /// Right multiple-choice answers.
    pub score: usize,
    /// Questions answered.
    pub answered: usize,
    /// What the essay shares with the exhibition's text and the classmates' essays.
    pub shared: Shared,
}

/// What an essay shares, for the teacher (see [`overlap`]).
#[derive(Default)]
pub struct Shared {
    /// Percent of the essay found in the exhibition's own text.
    pub exhibition: u8,
    /// The classmate sharing most: name (with the class when it is another of the
    /// teacher's), where their essay is read, and percent.
    pub classmate: Option<(String, String, u8)>,
    /// Either share is high enough to point out.
    pub flagged: bool,
    /// The essay in pieces, shared passages marked with where they were found.
    pub pieces: Vec<(String, Option<Mark>)>,
}

/// Where a marked passage was found, ready for the page.
pub enum Mark {
    /// In the exhibition's text.
    Exhibition,
    /// In this classmate's essay.
    Classmate(String),
}

impl Shared {
    /// True when nothing is shared.
    pub fn is_empty(&self) -> bool {
        self.exhibition == 0 && self.classmate.is_none()
    }
}

/// Where the teacher reads an essay, at its shared passages.
fn essay_href(a: AssignmentId, v: VisitId) -> String {
    format!("/admin/assignments/{a}/visits/{v}#shared")
}

/// The same walk set by the same teacher for their other classes this school year: a
/// student may copy from a friend in the class next door as easily as from a classmate.
async fn sister_assignments(
    state: &AppState,
    a: &Assignment,
) -> Result<Vec<(Assignment, Vec<Visit>)>, AppError> {
    let repo = state.classroom.repo();
    let mut out = Vec::new();
    for class in repo.classes_of(a.class.teacher).await? {
        for other in repo.assignments_of(class.id).await? {
            let sister = other.id != a.id
                && other.fields.tour == a.fields.tour
                && other.fields.school_year == a.fields.school_year;
            if sister {
                let visits = repo.visits_of(other.id).await?;
                out.push((other, visits));
            }
        }
    }
    Ok(out)
}

/// The lines of `visits`, each essay compared with the walk's text, with the others and
/// with the essays of the teacher's other classes on the same walk.
pub(super) async fn rows(
    state: &AppState,
    a: &Assignment,
    visits: Vec<Visit>,
) -> Result<Vec<Row>, AppError> {
    let texts = tour::texts(state.catalogue.as_ref(), &a.fields.tour).await?;
    let sources: Vec<&str> = texts.iter().map(String::as_str).collect();
    let sisters = sister_assignments(state, a).await?;
    let mut essays: Vec<&str> = visits.iter().map(|v| v.essay.as_str()).collect();
    let mut names: Vec<(String, String)> = visits
        .iter()
        .map(|v| (v.nickname.clone(), essay_href(a.id, v.id)))
        .collect();
    for (other, their) in &sisters {
        for v in their.iter().filter(|v| !v.essay.trim().is_empty()) {
            essays.push(&v.essay);
            let name = format!("{} · {}", other.class.fields.name, v.nickname);
            names.push((name, essay_href(other.id, v.id)));
        }
    }
    // One line per visit of this assignment; the other classes' essays are only compared.
    let found = overlap::compare_first(&essays, visits.len(), &sources);
    Ok(visits
        .into_iter()
        .zip(found)
        .map(|(visit, o)| {
            let pieces = overlap::pieces(&visit.essay, &o.marks)
                .into_iter()
                .map(|(text, f)| {
                    let mark = f.map(|f| match f {
                        Found::Exhibition => Mark::Exhibition,
                        Found::Classmate(j) => Mark::Classmate(names[j].0.clone()),
                    });
                    (text, mark)
                })
                .collect();
            Row {
                score: visit.score(a),
                answered: visit.answered(),
                shared: Shared {
                    exhibition: o.from_exhibition,
                    classmate: o
                        .from_classmate
                        .map(|(j, p)| (names[j].0.clone(), names[j].1.clone(), p)),
                    flagged: o.flagged(),
                    pieces,
                },
                visit,
            }
        })
        .collect())
}

/// What a student answered, as text (a choice by its words).
pub(super) fn answer_text(q: &Question, given: Option<&str>) -> String {
    let Some(given) = given else {
        return String::new();
    };
    match q.kind {
        QuestionKind::Short => given.to_owned(),
        QuestionKind::Choice => given
            .parse::<usize>()
            .ok()
            .and_then(|i| q.choices.get(i))
            .cloned()
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "admin/visit_essay.html")]
struct EssayPage {
    ctx: PageCtx,
    admin: AdminCtx,
    a: Assignment,
    row: Row,
    /// The comment in the box: as stored, or as typed when it was refused.
    feedback: String,
    /// The grade chosen: as stored, or as sent when the comment was refused.
    grade: Option<Grade>,
    grades: [Grade; 4],
    /// Whether the essay can be handed back now.
    can_hand_back: bool,
    error: Option<String>,
    notice: Option<String>,
    feedback_max: usize,
    around: Around,
}

impl EssayPage {
    fn run(&self) -> usize {
        RUN
    }

    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        beijing(at)
    }

    fn answer_text(&self, q: &Question) -> String {
        answer_text(q, self.row.visit.answer(q.id))
    }

    /// A short answer's language when it is written in traditional Mongolian.
    fn answer_lang(&self, q: &Question) -> Option<&'static str> {
        let text = self.answer_text(q);
        crate::i18n::has_mongolian(&text).then_some(crate::i18n::Lang::Mn.bcp47())
    }

    fn is_grade(&self, g: &Grade) -> bool {
        self.grade == Some(*g)
    }

    fn is_right(&self, q: &Question) -> bool {
        q.kind == QuestionKind::Choice
            && self
                .row
                .visit
                .answer(q.id)
                .and_then(|a| a.parse::<i64>().ok())
                == q.answer
    }
}

/// The essays written before and after one, in joining order: the teacher reads and
/// grades them one after another.
#[derive(Default)]
struct Around {
    prev: Option<(VisitId, String)>,
    next: Option<(VisitId, String)>,
}

/// The assignment and the visit the path names, both the teacher's own (404 otherwise),
/// and the essays around it.
async fn load(
    state: &AppState,
    auth: &Authenticated,
    id: &str,
    visit: &str,
) -> Result<(Assignment, Row, Around), AppError> {
    let a = own(state, auth, id).await?;
    let visit: i64 = visit.parse().map_err(|_| AppError::NotFound)?;
    // Every visit: the essay is compared with the classmates'.
    let visits = state.classroom.repo().visits_of(a.id).await?;
    let mut all = rows(state, &a, visits).await?;
    let at = all
        .iter()
        .position(|r| r.visit.id == visit)
        .ok_or(AppError::NotFound)?;
    let written = |r: &&Row| !r.visit.essay.trim().is_empty();
    let named = |r: &Row| (r.visit.id, r.visit.nickname.clone());
    let around = Around {
        prev: all[..at].iter().rev().find(written).map(named),
        next: all[at + 1..].iter().find(written).map(named),
    };
    Ok((a, all.swap_remove(at), around))
}

fn page(ctx: PageCtx, auth: &Authenticated, a: Assignment, row: Row, around: Around) -> EssayPage {
    EssayPage {
        around,
        admin: AdminCtx::new(auth, "classes"),
        feedback: row.visit.feedback.clone(),
        grade: row.visit.grade,
        grades: Grade::ALL,
        can_hand_back: row.visit.submitted_at.is_some() && a.is_open(chrono::Utc::now()),
        error: None,
        notice: None,
        feedback_max: FEEDBACK_MAX,
        a,
        row,
        ctx,
    }
}

/// The essay, the answers and the comment form.
pub(super) async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path((id, visit)): Path<(String, String)>,
    params: Params,
) -> Result<Response, AppError> {
    let (a, row, around) = load(&state, &auth, &id, &visit).await?;
    let notice = ["saved", "returned"]
        .into_iter()
        .find(|k| params.get(k).is_some())
        .map(|k| ctx.t(&format!("feedback-notice-{k}")));
    render(&EssayPage {
        notice,
        ..page(ctx, &auth, a, row, around)
    })
}

/// The comment form: the text and which button sent it.
#[derive(Deserialize)]
pub(super) struct FeedbackForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    feedback: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    action: String,
}

/// Stores the comment ("save"), or stores it and hands the essay back ("return").
pub(super) async fn give(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path((id, visit)): Path<(String, String)>,
    Form(form): Form<FeedbackForm>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&form.csrf))?;
    let hand_back = match form.action.as_str() {
        "save" => false,
        "return" => true,
        other => {
            return Err(AppError::bad_param(
                "action",
                other,
                Some("save, return".into()),
            ));
        }
    };
    let grade = match form.grade.as_str() {
        "" => None,
        code => Some(Grade::parse(code).ok_or_else(|| {
            let codes: Vec<_> = Grade::ALL.iter().map(|g| g.code()).collect();
            AppError::bad_param("grade", code, Some(codes.join(", ")))
        })?),
    };
    let (a, row, around) = load(&state, &auth, &id, &visit).await?;
    let now = chrono::Utc::now();
    let typed = (form.feedback, grade);
    let given = match feedback::check(&a, &row.visit, &typed.0, grade, hand_back, now) {
        Ok(given) => given,
        Err(why) => return refused(ctx, &auth, (a, row, around), typed, why),
    };
    let stored = state
        .classroom
        .repo()
        .give_feedback(row.visit.id, &given, hand_back, now)
        .await?;
    if !stored {
        // The student's state changed between the check and the write (never expected:
        // a handed-back essay is submitted again only by the student, through the page).
        let loaded = load(&state, &auth, &id, &visit).await?;
        return refused(ctx, &auth, loaded, typed, Refusal::NotSubmitted);
    }
    let done = if hand_back { "returned" } else { "saved" };
    Ok(Redirect::to(&format!(
        "/admin/assignments/{}/visits/{}?{done}=1#feedback",
        a.id, row.visit.id
    ))
    .into_response())
}

/// The page again, with the typed comment kept and what was wrong with it.
fn refused(
    ctx: PageCtx,
    auth: &Authenticated,
    (a, row, around): (Assignment, Row, Around),
    typed: (String, Option<Grade>),
    why: Refusal,
) -> Result<Response, AppError> {
    let (status, error) = match why {
        Refusal::TooLong(chars) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.tr.with(
                "feedback-too-long",
                &[
                    ("max", &FEEDBACK_MAX.to_string()),
                    ("chars", &chars.to_string()),
                ],
            ),
        ),
        Refusal::EmptyHandBack => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.t("feedback-empty-return"),
        ),
        Refusal::NotSubmitted => (StatusCode::CONFLICT, ctx.t("feedback-not-submitted")),
        Refusal::Closed => (
            StatusCode::CONFLICT,
            ctx.t1("feedback-closed", "day", &last_day(&a)),
        ),
    };
    let mut p = page(ctx, auth, a, row, around);
    (p.feedback, p.grade) = typed;
    p.error = Some(error);
    let mut r = render(&p)?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Template)]
#[template(path = "admin/essays_print.html")]
struct PrintPage {
    ctx: PageCtx,
    a: Assignment,
    /// Visits with an essay, in joining order.
    rows: Vec<Row>,
}

impl PrintPage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        beijing(at)
    }
}

/// Every essay of the assignment, one A4 page each.
pub(super) async fn print_all(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let a = own(&state, &auth, &id).await?;
    let visits = state.classroom.repo().visits_of(a.id).await?;
    let mut rows = rows(&state, &a, visits).await?;
    rows.retain(|r| !r.visit.essay.trim().is_empty());
    render(&PrintPage { rows, a, ctx })
}
