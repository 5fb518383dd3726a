//! Bases in the admin: administrators create them; administrators and the base's own
//! curators edit them (the three languages side by side, optimistic locking like items).

use super::dashboard::recent_views;
use super::fields::{Group, error_for, group};
use super::{AdminCtx, editable_bases, require_admin, require_editor, with_status};
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::base_form::{BaseForm, FieldChange};
use crate::catalogue::form::FieldError;
use crate::catalogue::model::Base;
use crate::catalogue::types::{BaseKind, Level, Slug, Status};
use crate::error::AppError;
use crate::repo::{RepoError, Visibility};
use crate::stats::Viewed;
use crate::web::page::{PageCtx, render};
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

/// The base routes of the admin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/bases", get(list).post(create))
        .route("/admin/bases/new", get(new_form))
        .route("/admin/bases/{slug}", get(edit).post(save))
}

#[derive(Template)]
#[template(path = "admin/bases_list.html")]
struct ListPage {
    ctx: PageCtx,
    admin: AdminCtx,
    bases: Vec<Base>,
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    let bases = editable_bases(&state, &auth).await?;
    render(&ListPage {
        admin: AdminCtx::new(&auth, "bases"),
        bases,
        ctx,
    })
}

/// The base form page, for a new base or an existing one.
#[derive(Template)]
#[template(path = "admin/base_form.html")]
struct FormPage {
    ctx: PageCtx,
    admin: AdminCtx,
    form: BaseForm,
    errors: Vec<FieldError>,
    base: Option<Base>,
    kinds: &'static [BaseKind],
    levels: &'static [Level],
    statuses: &'static [Status],
    notice: Option<String>,
    /// After a refused save: the revision now, and (field, saved value, their value).
    conflict: Option<(i64, Vec<FieldChange>)>,
    /// Views of the base's public page in the last 30 days, on the page as opened.
    views: Option<i64>,
}

impl FormPage {
    fn new(ctx: PageCtx, auth: &Authenticated, form: BaseForm, base: Option<Base>) -> FormPage {
        FormPage {
            admin: AdminCtx::new(auth, "bases"),
            form,
            errors: Vec::new(),
            base,
            kinds: BaseKind::ALL,
            levels: Level::ALL,
            statuses: Status::ALL,
            notice: None,
            conflict: None,
            views: None,
            ctx,
        }
    }

    fn err(&self, field: &str) -> Option<String> {
        error_for(&self.ctx, &self.errors, field)
    }

    fn has_err(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    fn groups(&self) -> Vec<Group<'_>> {
        let f = &self.form;
        let g = |label, rows, fields, values| {
            group(
                &self.ctx,
                &self.errors,
                label,
                rows,
                fields,
                values,
                Some("name_zh"),
            )
        };
        vec![
            g(
                "field-name",
                1,
                ["name_zh", "name_mn", "name_en"],
                [&f.name_zh, &f.name_mn, &f.name_en],
            ),
            g(
                "field-town",
                1,
                ["town_zh", "town_mn", "town_en"],
                [&f.town_zh, &f.town_mn, &f.town_en],
            ),
            g(
                "field-address",
                1,
                ["address_zh", "address_mn", "address_en"],
                [&f.address_zh, &f.address_mn, &f.address_en],
            ),
            g(
                "field-opening-hours",
                2,
                ["opening_hours_zh", "opening_hours_mn", "opening_hours_en"],
                [
                    &f.opening_hours_zh,
                    &f.opening_hours_mn,
                    &f.opening_hours_en,
                ],
            ),
            g(
                "field-description",
                8,
                ["description_zh", "description_mn", "description_en"],
                [&f.description_zh, &f.description_mn, &f.description_en],
            ),
        ]
    }
}

/// The base (any status) `auth` may edit, or 404/403.
pub(super) async fn editable(
    state: &AppState,
    auth: &Authenticated,
    slug: &str,
) -> Result<Base, AppError> {
    require_editor(auth)?;
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    let base = state
        .catalogue
        .base(&slug, Visibility::All)
        .await?
        .ok_or(AppError::NotFound)?;
    if !auth.user.can_edit_base(&base.fields.slug) {
        return Err(AppError::Forbidden(format!(
            "you may not change the base {slug}"
        )));
    }
    Ok(base)
}

async fn new_form(ctx: PageCtx, SignedIn(auth): SignedIn) -> Result<Response, AppError> {
    require_admin(&auth)?;
    let form = BaseForm {
        kind: BaseKind::Museum.code().to_owned(),
        status: Status::Draft.code().to_owned(),
        ..BaseForm::default()
    };
    render(&FormPage::new(ctx, &auth, form, None))
}

/// A submitted base form with its CSRF token.
#[derive(Deserialize)]
struct BaseSubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(flatten)]
    form: BaseForm,
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Form(submit): Form<BaseSubmit>,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    require_csrf(&auth, Some(&submit.csrf))?;
    let form = submit.form;
    let fields = match form.check() {
        Ok(fields) => fields,
        Err(errors) => {
            let page = FormPage {
                errors,
                ..FormPage::new(ctx, &auth, form, None)
            };
            return Ok(with_status(
                render(&page)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    match state.editor.create_base(&fields, &auth.actor()).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/bases/{}?created=1", fields.slug)).into_response())
        }
        Err(RepoError::Conflict(_)) => {
            let page = FormPage {
                errors: vec![FieldError {
                    field: "slug",
                    key: "base-slug-taken",
                }],
                ..FormPage::new(ctx, &auth, form, None)
            };
            Ok(with_status(render(&page)?, StatusCode::CONFLICT))
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    params: crate::web::params::Params,
) -> Result<Response, AppError> {
    let base = editable(&state, &auth, &slug).await?;
    let notice = ["created", "saved"]
        .into_iter()
        .find(|k| params.get(k).is_some())
        .map(|k| ctx.t(&format!("base-notice-{k}")));
    let form = BaseForm::of(&base.fields, base.revision);
    let views = recent_views(&state, Viewed::Base(base.fields.slug.clone())).await?;
    render(&FormPage {
        notice,
        views: Some(views),
        ..FormPage::new(ctx, &auth, form, Some(base))
    })
}

async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    Form(submit): Form<BaseSubmit>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let base = editable(&state, &auth, &slug).await?;
    // The slug is the base's address and its curators' key: it does not change here.
    let mut form = BaseForm {
        slug: base.fields.slug.to_string(),
        ..submit.form
    };
    let fields = match form.check() {
        Ok(fields) => fields,
        Err(errors) => {
            let page = FormPage {
                errors,
                ..FormPage::new(ctx, &auth, form, Some(base))
            };
            return Ok(with_status(
                render(&page)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let Some(revision) = form.revision() else {
        return Err(AppError::bad_param("revision", &form.revision, None));
    };
    match state
        .editor
        .update_base(revision, &fields, &auth.actor())
        .await?
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/bases/{slug}?saved=1")).into_response()),
        Err(stale) => {
            // Someone saved in between: keep what this person typed and show where the
            // saved record now differs from it.
            let now = BaseForm::of(&base.fields, base.revision);
            let changes = now.differences(&form);
            form.revision = stale.current.to_string();
            let page = FormPage {
                conflict: Some((stale.current, changes)),
                ..FormPage::new(ctx, &auth, form, Some(base))
            };
            Ok(with_status(render(&page)?, StatusCode::CONFLICT))
        }
    }
}
