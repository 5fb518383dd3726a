//! Changing what a teacher said about a class: its school, grade and name (a typo, a
//! class renamed in the new school year) and how many students it has.

use super::AdminCtx;
use super::classes::{ClassSubmit, class_audit, own_class};
use super::fields::error_for;
use crate::app::AppState;
use crate::catalogue::form::FieldError;
use crate::classroom::forms::ClassForm;
use crate::classroom::model::Class;
use crate::error::AppError;
use crate::web::page::{PageCtx, render};
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};

/// The route of the form.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/classes/{id}/edit", get(edit).post(save))
}

#[derive(Template)]
#[template(path = "admin/class_edit.html")]
struct EditPage {
    ctx: PageCtx,
    admin: AdminCtx,
    class: Class,
    form: ClassForm,
    errors: Vec<FieldError>,
}

impl EditPage {
    fn err(&self, field: &str) -> Option<String> {
        error_for(&self.ctx, &self.errors, field)
    }
}

fn page(
    ctx: PageCtx,
    admin: AdminCtx,
    class: Class,
    form: ClassForm,
    errors: Vec<FieldError>,
) -> EditPage {
    EditPage {
        ctx,
        admin,
        class,
        form,
        errors,
    }
}

async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let class = own_class(&state, &auth, &id).await?;
    let form = ClassForm::of(&class.fields);
    let admin = AdminCtx::new(&auth, "classes");
    render(&page(ctx, admin, class, form, Vec::new()))
}

async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    Form(submit): Form<ClassSubmit>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let class = own_class(&state, &auth, &id).await?;
    match submit.form.check() {
        Ok(fields) => {
            if fields != class.fields {
                state
                    .classroom
                    .repo()
                    .update_class(class.id, &fields)
                    .await?;
                let audit = class_audit(
                    &auth,
                    "class.update",
                    class.id,
                    &class.fields,
                    Some(&fields),
                );
                state.accounts.repo().audit(&audit).await?;
            }
            Ok(Redirect::to(&format!("/admin/classes/{}?saved=1", class.id)).into_response())
        }
        Err(errors) => {
            let admin = AdminCtx::new(&auth, "classes");
            let page = page(ctx, admin, class, submit.form, errors);
            Ok(super::with_status(
                render(&page)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}
