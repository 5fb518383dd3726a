//! One assignment for its teacher: the live dashboard (per nickname: stops seen, answers,
//! score, essay), the questions at each stop, the CSV export, the printable handout with
//! the join code and its QR code, and closing it. Each student's work is read and
//! commented on in [`super::essay_review`].

use super::AdminCtx;
use super::assignment_export;
use super::classes::{CsrfOnly, require_teacher};
use super::essay_review::{self, Row, rows};
use super::fields::error_for;
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::form::FieldError;
use crate::catalogue::model::Exhibition;
use crate::classroom::forms::QuestionForm;
use crate::classroom::model::{Assignment, Class, Question, QuestionKind};
use crate::classroom::tour;
use crate::error::AppError;
use crate::web::page::{PageCtx, render};
use crate::web::session::{SignedIn, require_csrf};
use crate::web::visit::{beijing, last_day};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

/// The assignment routes of the admin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/assignments/{id}", get(show))
        .route("/admin/assignments/{id}/close", post(close))
        .route("/admin/assignments/{id}/reopen", post(reopen))
        .route("/admin/assignments/{id}/questions", post(add_question))
        .route(
            "/admin/assignments/{id}/questions/{question}/delete",
            post(delete_question),
        )
        .route("/admin/assignments/{id}/handout", get(handout))
        .route(
            "/admin/assignments/{id}/essays",
            get(essay_review::print_all),
        )
        .route(
            "/admin/assignments/{id}/export.csv",
            get(assignment_export::export),
        )
        .route(
            "/admin/assignments/{id}/visits/{visit}",
            get(essay_review::show).post(essay_review::give),
        )
}

/// The assignment `id` if it belongs to one of `auth`'s classes; 404 otherwise.
pub(super) async fn own(
    state: &AppState,
    auth: &Authenticated,
    id: &str,
) -> Result<Assignment, AppError> {
    require_teacher(auth)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    state
        .classroom
        .repo()
        .assignment(id)
        .await?
        .filter(|a| a.class.teacher == auth.user.id)
        .ok_or(AppError::NotFound)
}

pub(super) async fn exhibition(
    state: &AppState,
    a: &Assignment,
) -> Result<Option<Exhibition>, AppError> {
    Ok(tour::walk(state.catalogue.as_ref(), &a.fields.tour).await?)
}

/// The join address the QR code and the handout give.
fn join_url(state: &AppState, a: &Assignment) -> String {
    format!("{}/visit/{}", state.config.public_url, a.code)
}

#[derive(Template)]
#[template(path = "admin/assignment_show.html")]
struct ShowPage {
    ctx: PageCtx,
    admin: AdminCtx,
    a: Assignment,
    stops: Vec<(i64, String)>,
    rows: Vec<Row>,
    /// The teacher's classes, to copy the assignment to.
    classes: Vec<Class>,
    join_url: String,
    qr: String,
    open: bool,
    form: QuestionForm,
    errors: Vec<FieldError>,
    notice: Option<String>,
    /// What was refused, shown at the top.
    alert: Option<String>,
    /// How long the students' work is kept after closing.
    retention: crate::classroom::rules::Retention,
}

impl ShowPage {
    /// Letters a shared run must have.
    fn run(&self) -> usize {
        crate::classroom::overlap::RUN
    }

    fn err(&self, field: &str) -> Option<String> {
        error_for(&self.ctx, &self.errors, field)
    }

    fn last_day(&self) -> String {
        last_day(&self.a)
    }

    /// The last day as set, whatever an early close says.
    fn planned_last_day(&self) -> String {
        crate::stats::day_of(self.a.fields.closes_at - chrono::Duration::seconds(1)).to_string()
    }

    fn first_day(&self) -> String {
        crate::stats::day_of(self.a.fields.opens_at).to_string()
    }

    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        beijing(at)
    }

    fn submitted(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.visit.submitted_at.is_some())
            .count()
    }

    fn students_count(&self) -> String {
        let mut line = self.ctx.tr.with(
            "assignment-students-count",
            &[
                ("n", &self.rows.len().to_string()),
                ("submitted", &self.submitted().to_string()),
            ],
        );
        // Essays with a comment or a grade: how far the teacher has got.
        let reviewed = self
            .rows
            .iter()
            .filter(|r| !r.visit.feedback.is_empty() || r.visit.grade.is_some())
            .count();
        if reviewed > 0 {
            line.push_str(&self.ctx.tr.n("assignment-reviewed-count", reviewed as i64));
        }
        // Against the class's size, when the teacher gave it: who is still missing.
        if let Some(size) = self.a.class.fields.students {
            let joined = self.rows.len() as i64;
            let (key, n) = if joined <= size {
                ("assignment-not-joined", size - joined)
            } else {
                ("assignment-over-joined", joined - size)
            };
            if n > 0 {
                let (size, n) = (size.to_string(), n.to_string());
                line.push_str(&self.ctx.tr.with(key, &[("size", &size), ("n", &n)]));
            }
        }
        line
    }

    fn stop_questions(&self, stop: &i64) -> Vec<&Question> {
        self.a.questions_at(*stop)
    }

    fn is_choice(&self, q: &Question) -> bool {
        q.kind == QuestionKind::Choice
    }

    fn is_answer(&self, q: &Question, index: &usize) -> bool {
        q.answer == Some(*index as i64)
    }

    fn retention_note(&self) -> String {
        let purge = self.retention.purge_at(self.a.closes());
        self.ctx.t1(
            "assignment-retention",
            "day",
            &crate::stats::day_of(purge).to_string(),
        )
    }
}

async fn show_page(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    a: Assignment,
    form: QuestionForm,
    errors: Vec<FieldError>,
) -> Result<ShowPage, AppError> {
    let stops = exhibition(state, &a)
        .await?
        .map(|e| {
            e.stops
                .iter()
                .map(|s| (s.number, ctx.txt(&s.item.title).to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let visits = state.classroom.repo().visits_of(a.id).await?;
    let classes = state.classroom.repo().classes_of(auth.user.id).await?;
    let url = join_url(state, &a);
    Ok(ShowPage {
        admin: AdminCtx::new(auth, "classes"),
        qr: crate::web::qr::svg(&url)?,
        join_url: url,
        rows: rows(state, &a, visits).await?,
        classes,
        open: a.is_open(chrono::Utc::now()),
        stops,
        a,
        form,
        errors,
        notice: None,
        alert: None,
        retention: state.classroom.retention(),
        ctx,
    })
}

/// The question form as the page first offers it: multiple choice, at the first stop.
fn blank_question() -> QuestionForm {
    QuestionForm {
        kind: "choice".into(),
        stop: "1".into(),
        ..QuestionForm::default()
    }
}

/// The assignment's page again, saying what was refused and why, with `status`.
pub(super) async fn refused(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    a: Assignment,
    alert: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let form = blank_question();
    let page = ShowPage {
        alert: Some(alert),
        ..show_page(state, ctx, auth, a, form, Vec::new()).await?
    };
    let mut r = render(&page)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    params: crate::web::params::Params,
) -> Result<Response, AppError> {
    let a = own(&state, &auth, &id).await?;
    let notice = [
        "closed",
        "reopened",
        "reopened-past",
        "question",
        "saved",
        "copied",
    ]
    .into_iter()
    .find(|k| params.get(k).is_some())
    .map(|k| ctx.t(&format!("assignment-notice-{k}")));
    let form = blank_question();
    let page = ShowPage {
        notice,
        ..show_page(&state, ctx, &auth, a, form, Vec::new()).await?
    };
    let mut r = render(&page)?;
    // The dashboard follows the class live: it reloads itself every 30 seconds.
    r.headers_mut()
        .insert(header::REFRESH, HeaderValue::from_static("30"));
    Ok(r)
}

async fn close(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&form.csrf))?;
    let a = own(&state, &auth, &id).await?;
    state
        .classroom
        .repo()
        .close_assignment(a.id, chrono::Utc::now())
        .await?;
    Ok(Redirect::to(&format!("/admin/assignments/{}?closed=1", a.id)).into_response())
}

/// Undoes an early close. When the last day has passed as well, the assignment stays
/// shut until the teacher moves that day (the notice says so).
async fn reopen(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&form.csrf))?;
    let a = own(&state, &auth, &id).await?;
    state.classroom.repo().reopen_assignment(a.id).await?;
    let notice = if chrono::Utc::now() < a.fields.closes_at {
        "reopened"
    } else {
        "reopened-past"
    };
    Ok(Redirect::to(&format!("/admin/assignments/{}?{notice}=1", a.id)).into_response())
}

/// A submitted question form.
#[derive(Deserialize)]
struct QuestionSubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(flatten)]
    form: QuestionForm,
}

async fn add_question(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    Form(submit): Form<QuestionSubmit>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let a = own(&state, &auth, &id).await?;
    let stops = exhibition(&state, &a)
        .await?
        .map_or(0, |e| e.stops.len() as i64);
    match submit.form.check(stops) {
        Ok(q) => {
            state.classroom.repo().add_question(a.id, &q).await?;
            Ok(
                Redirect::to(&format!("/admin/assignments/{}?question=1#questions", a.id))
                    .into_response(),
            )
        }
        Err(errors) => {
            let page = show_page(&state, ctx, &auth, a, submit.form, errors).await?;
            let mut r = render(&page)?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

async fn delete_question(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((id, question)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&form.csrf))?;
    let a = own(&state, &auth, &id).await?;
    let question: i64 = question.parse().map_err(|_| AppError::NotFound)?;
    if !state
        .classroom
        .repo()
        .delete_question(a.id, question)
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/admin/assignments/{}#questions", a.id)).into_response())
}

#[derive(Template)]
#[template(path = "admin/handout.html")]
struct HandoutPage {
    ctx: PageCtx,
    a: Assignment,
    join_url: String,
    visit_url: String,
    qr: String,
    stops: usize,
}

impl HandoutPage {
    fn last_day(&self) -> String {
        last_day(&self.a)
    }
}

async fn handout(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let a = own(&state, &auth, &id).await?;
    let stops = exhibition(&state, &a).await?.map_or(0, |e| e.stops.len());
    let url = join_url(&state, &a);
    render(&HandoutPage {
        qr: crate::web::qr::svg(&url)?,
        visit_url: format!("{}/visit", state.config.public_url),
        join_url: url,
        stops,
        a,
        ctx,
    })
}
