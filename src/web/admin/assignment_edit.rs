//! Changing an assignment after it was set: the teacher's instructions, the essay's topic
//! and length, and its days (a week more for the class, say). What is visited stays as it
//! was, since the students' stops and answers belong to it; closing early stays too. And
//! setting it again, questions and all, for another of the teacher's classes.

use super::AdminCtx;
use super::assignments::{own, refused};
use super::classes::own_class;
use super::fields::error_for;
use crate::app::AppState;
use crate::catalogue::form::FieldError;
use crate::catalogue::types::Slug;
use crate::classroom::forms::AssignmentForm;
use crate::classroom::model::{Assignment, Tour};
use crate::classroom::tour;
use crate::error::AppError;
use crate::web::page::{PageCtx, render};
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

/// The route of the form.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/assignments/{id}/edit", get(edit).post(save))
        .route("/admin/assignments/{id}/copy", post(copy))
}

#[derive(Template)]
#[template(path = "admin/assignment_edit.html")]
struct EditPage {
    ctx: PageCtx,
    admin: AdminCtx,
    a: Assignment,
    form: AssignmentForm,
    errors: Vec<FieldError>,
}

impl EditPage {
    fn err(&self, field: &str) -> Option<String> {
        error_for(&self.ctx, &self.errors, field)
    }
}

async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let a = own(&state, &auth, &id).await?;
    render(&EditPage {
        admin: AdminCtx::new(&auth, "classes"),
        form: AssignmentForm::of(&a.fields),
        a,
        errors: Vec::new(),
        ctx,
    })
}

/// The submitted form.
#[derive(Deserialize)]
struct EditSubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(flatten)]
    form: AssignmentForm,
}

async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    Form(submit): Form<EditSubmit>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let a = own(&state, &auth, &id).await?;
    // What is visited is not this form's to change, whatever it sends.
    let kept = AssignmentForm::of(&a.fields);
    let form = AssignmentForm {
        tour: kept.tour,
        exhibition: kept.exhibition,
        title: kept.title,
        items: kept.items,
        ..submit.form
    };
    let resolved: Vec<Option<Slug>> = match &a.fields.tour {
        Tour::Items { items, .. } => items.iter().cloned().map(Some).collect(),
        Tour::Exhibition(_) => Vec::new(),
    };
    match form.check(&resolved) {
        Ok(fields) => {
            state
                .classroom
                .repo()
                .update_assignment(a.id, &fields)
                .await?;
            Ok(Redirect::to(&format!("/admin/assignments/{}?saved=1", a.id)).into_response())
        }
        Err(errors) => {
            let page = EditPage {
                admin: AdminCtx::new(&auth, "classes"),
                a,
                form,
                errors,
                ctx,
            };
            Ok(super::with_status(
                render(&page)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

/// The copy form: the class to set the assignment for.
#[derive(Deserialize)]
struct CopySubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    class: String,
}

/// Sets the assignment again for another class (or the same one), with a new join code.
async fn copy(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    Form(submit): Form<CopySubmit>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let a = own(&state, &auth, &id).await?;
    let class = own_class(&state, &auth, &submit.class).await?;
    // As when it was set: only a published exhibition (or list) with stops is visited.
    let visible = tour::walk(state.catalogue.as_ref(), &a.fields.tour)
        .await?
        .is_some_and(|e| !e.stops.is_empty());
    if !visible {
        let why = ctx.t("assignment-copy-gone");
        return refused(&state, ctx, &auth, a, why, StatusCode::CONFLICT).await;
    }
    let (copy, _) = state.classroom.copy_assignment(&a, class.id).await?;
    Ok(Redirect::to(&format!("/admin/assignments/{copy}?copied=1")).into_response())
}
