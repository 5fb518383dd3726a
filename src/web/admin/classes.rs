//! Teachers' classes: list and create their own, open one to see and set its
//! assignments, delete a class with all its students' work. Nobody sees another
//! teacher's classes (404, as if they did not exist).

use super::fields::error_for;
use super::{AdminCtx, with_status};
use crate::accounts::Authenticated;
use crate::accounts::types::Role;
use crate::app::AppState;
use crate::catalogue::form::FieldError;
use crate::catalogue::model::ExhibitionSummary;
use crate::catalogue::repo::ListQuery;
use crate::catalogue::types::{Accession, Slug};
use crate::classroom::forms::{AssignmentForm, ClassForm, MAX_ITEMS};
use crate::classroom::model::{Assignment, Class, ClassFields, ClassId, Progress};
use crate::classroom::tour;
use crate::error::AppError;
use crate::repo::{RepoError, Visibility};
use crate::stats::today;
use crate::web::page::{PageCtx, render};
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

/// The class routes of the admin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/classes", get(list).post(create))
        .route("/admin/classes/{id}", get(show))
        .route("/admin/classes/{id}/assignments", post(create_assignment))
        .route("/admin/classes/{id}/delete", post(delete))
}

/// Refuses users who keep no classes (curators).
pub fn require_teacher(auth: &Authenticated) -> Result<(), AppError> {
    match auth.user.role {
        Role::Teacher | Role::Admin => Ok(()),
        Role::Curator => Err(AppError::Forbidden("classes are for teachers".into())),
    }
}

/// The class `id` if it is `auth`'s own; 404 otherwise.
pub async fn own_class(
    state: &AppState,
    auth: &Authenticated,
    id: &str,
) -> Result<Class, AppError> {
    require_teacher(auth)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    state
        .classroom
        .repo()
        .class(id)
        .await?
        .filter(|c| c.teacher == auth.user.id)
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "admin/classes_list.html")]
struct ListPage {
    ctx: PageCtx,
    admin: AdminCtx,
    classes: Vec<Class>,
    form: ClassForm,
    errors: Vec<FieldError>,
    notice: Option<String>,
}

impl ListPage {
    fn err(&self, field: &str) -> Option<String> {
        error_for(&self.ctx, &self.errors, field)
    }
}

async fn list_page(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    form: ClassForm,
    errors: Vec<FieldError>,
) -> Result<ListPage, AppError> {
    Ok(ListPage {
        admin: AdminCtx::new(auth, "classes"),
        classes: state.classroom.repo().classes_of(auth.user.id).await?,
        notice: None,
        form,
        errors,
        ctx,
    })
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    params: crate::web::params::Params,
) -> Result<Response, AppError> {
    require_teacher(&auth)?;
    let notice = params.get("deleted").map(|_| ctx.t("class-notice-deleted"));
    let page = ListPage {
        notice,
        ..list_page(&state, ctx, &auth, ClassForm::default(), Vec::new()).await?
    };
    render(&page)
}

/// A submitted class form, new or changed.
#[derive(Deserialize)]
pub(super) struct ClassSubmit {
    #[serde(default, rename = "_csrf")]
    pub(super) csrf: String,
    #[serde(flatten)]
    pub(super) form: ClassForm,
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Form(submit): Form<ClassSubmit>,
) -> Result<Response, AppError> {
    require_teacher(&auth)?;
    require_csrf(&auth, Some(&submit.csrf))?;
    match submit.form.check() {
        Ok(fields) => {
            let id = state
                .classroom
                .repo()
                .create_class(auth.user.id, &fields)
                .await?;
            Ok(Redirect::to(&format!("/admin/classes/{id}")).into_response())
        }
        Err(errors) => {
            let page = list_page(&state, ctx, &auth, submit.form, errors).await?;
            Ok(with_status(
                render(&page)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "admin/class_show.html")]
struct ShowPage {
    ctx: PageCtx,
    admin: AdminCtx,
    class: Class,
    /// Each assignment with how far the class has got.
    assignments: Vec<(Assignment, Progress)>,
    exhibitions: Vec<ExhibitionSummary>,
    form: AssignmentForm,
    errors: Vec<FieldError>,
    notice: Option<String>,
}

impl ShowPage {
    fn err(&self, field: &str) -> Option<String> {
        error_for(&self.ctx, &self.errors, field)
    }

    fn last_day(&self, a: &Assignment) -> String {
        crate::web::visit::last_day(a)
    }

    fn first_day(&self, a: &Assignment) -> String {
        crate::stats::day_of(a.fields.opens_at).to_string()
    }

    fn is_open(&self, a: &Assignment) -> bool {
        a.is_open(chrono::Utc::now())
    }
}

async fn show_page(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    class: Class,
    form: AssignmentForm,
    errors: Vec<FieldError>,
) -> Result<ShowPage, AppError> {
    let exhibitions = state
        .catalogue
        .list_exhibitions(&ListQuery::all(Visibility::Public, 200))
        .await?
        .items
        .into_iter()
        .filter(|e| e.stop_count > 0)
        .collect();
    let repo = state.classroom.repo();
    let mut assignments = Vec::new();
    // Counted once per school year the class's assignments fall in (usually one).
    let (mut years, mut progress): (Vec<i32>, Vec<Progress>) = (Vec::new(), Vec::new());
    for a in repo.assignments_of(class.id).await? {
        let year = a.fields.school_year;
        if !years.contains(&year) {
            years.push(year);
            progress.extend(repo.progress_of(auth.user.id, year).await?);
        }
        let p = progress.iter().find(|p| p.assignment == a.id).copied();
        assignments.push((a, p.unwrap_or_default()));
    }
    Ok(ShowPage {
        admin: AdminCtx::new(auth, "classes"),
        assignments,
        exhibitions,
        class,
        form,
        errors,
        notice: None,
        ctx,
    })
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    params: crate::web::params::Params,
) -> Result<Response, AppError> {
    let class = own_class(&state, &auth, &id).await?;
    let notice = params.get("saved").map(|_| ctx.t("class-notice-saved"));
    let page = show_page(
        &state,
        ctx,
        &auth,
        class,
        AssignmentForm::starting(today()),
        Vec::new(),
    )
    .await?;
    render(&ShowPage { notice, ..page })
}

/// A submitted assignment form.
#[derive(Deserialize)]
struct AssignmentSubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(flatten)]
    form: AssignmentForm,
}

async fn create_assignment(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    Form(submit): Form<AssignmentSubmit>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let class = own_class(&state, &auth, &id).await?;
    let resolved = if submit.form.is_item_list() {
        resolve_items(&state, &submit.form.item_lines()).await?
    } else {
        Vec::new()
    };
    let mut errors = match submit.form.check(&resolved) {
        Ok(fields) => {
            // Only a published exhibition (or list) with stops can be visited.
            let visible = tour::walk(state.catalogue.as_ref(), &fields.tour)
                .await?
                .is_some_and(|e| !e.stops.is_empty());
            if visible {
                match state
                    .classroom
                    .create_assignment(class.id, &fields, &[])
                    .await
                {
                    Ok((assignment, _)) => {
                        return Ok(Redirect::to(&format!("/admin/assignments/{assignment}"))
                            .into_response());
                    }
                    Err(RepoError::Invalid(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            Vec::new()
        }
        Err(errors) => errors,
    };
    if errors.is_empty() {
        errors.push(if submit.form.is_item_list() {
            FieldError {
                field: "items",
                key: "assignment-error-items",
            }
        } else {
            FieldError {
                field: "exhibition",
                key: "assignment-error-exhibition",
            }
        });
    }
    let page = show_page(&state, ctx, &auth, class, submit.form, errors).await?;
    Ok(with_status(
        render(&page)?,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// What each line of a teacher's item list names among published items: an item's
/// address (slug) or its accession number.
async fn resolve_items(state: &AppState, lines: &[String]) -> Result<Vec<Option<Slug>>, AppError> {
    let mut out = Vec::with_capacity(lines.len().min(MAX_ITEMS + 1));
    // Beyond the limit nothing is looked up: the form is refused anyway.
    for line in lines.iter().take(MAX_ITEMS + 1) {
        let by_slug = match Slug::parse(line) {
            Ok(slug) => state
                .catalogue
                .item(&slug, Visibility::Public)
                .await?
                .map(|i| i.fields.slug),
            Err(_) => None,
        };
        let found = match (by_slug, Accession::parse(line)) {
            (Some(slug), _) => Some(slug),
            (None, Ok(accession)) => {
                state
                    .catalogue
                    .item_slug_by_accession(&accession, Visibility::Public)
                    .await?
            }
            (None, Err(_)) => None,
        };
        out.push(found);
    }
    Ok(out)
}

/// The audit entry of `auth` changing class `id` (`after` is none when it is deleted).
pub(super) fn class_audit(
    auth: &Authenticated,
    action: &str,
    id: ClassId,
    before: &ClassFields,
    after: Option<&ClassFields>,
) -> crate::repo::AuditEntry {
    let json = |class: &ClassFields| {
        serde_json::json!({
            "school": class.school,
            "grade": class.grade,
            "name": class.name,
            "students": class.students,
        })
        .to_string()
    };
    crate::repo::AuditEntry {
        actor: Some(auth.user.id),
        actor_name: auth.user.username.to_string(),
        action: action.into(),
        entity: "class".into(),
        entity_id: id.to_string(),
        before: Some(json(before)),
        after: after.map(json),
    }
}

/// A form that carries only its CSRF token.
#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
}

async fn delete(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&form.csrf))?;
    let class = own_class(&state, &auth, &id).await?;
    state.classroom.repo().delete_class(class.id).await?;
    let audit = class_audit(&auth, "class.delete", class.id, &class.fields, None);
    state.accounts.repo().audit(&audit).await?;
    Ok(Redirect::to("/admin/classes?deleted=1").into_response())
}
