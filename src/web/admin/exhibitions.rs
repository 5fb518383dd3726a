//! The exhibitions editor: the list, the exhibition form (the three languages side by
//! side), saving with optimistic locking, and the workflow. The stops are edited in
//! [`super::exhibition_stops`]; the page itself is [`super::exhibition_page`], the preview
//! [`super::exhibition_preview`].

use super::exhibition_page::{EditorPage, editor_page, with_status};
use super::workflow::{Withdrawal, assignments_walking, confirm_page};
use super::{AdminCtx, require_editor};
use crate::accounts::Authenticated;
use crate::accounts::types::Role;
use crate::app::AppState;
use crate::catalogue::exhibition_editor::{DraftExhibition, exhibition_publish_problems};
use crate::catalogue::exhibition_form::ExhibitionForm;
use crate::catalogue::form::FieldError;
use crate::catalogue::model::ExhibitionSummary;
use crate::catalogue::repo::{ItemQuery, ListQuery};
use crate::catalogue::types::{Slug, Status};
use crate::classroom::model::Walked;
use crate::error::AppError;
use crate::repo::{RepoError, Visibility};
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

/// The exhibition routes of the admin.
pub fn router() -> Router<AppState> {
    use super::exhibition_preview as preview;
    use super::exhibition_stops as stops;
    Router::new()
        .route("/admin/exhibitions", get(list).post(create))
        .route("/admin/exhibitions/new", get(new_form))
        .route("/admin/exhibitions/{slug}", get(edit).post(save))
        .route("/admin/exhibitions/{slug}/status", post(set_status))
        .route(
            "/admin/exhibitions/{slug}/history",
            get(super::exhibition_history::show),
        )
        .route(
            "/admin/exhibitions/{slug}/history/{number}/restore",
            post(super::exhibition_history::restore),
        )
        .route("/admin/exhibitions/{slug}/preview", get(preview::show))
        .route(
            "/admin/exhibitions/{slug}/preview/stops/{number}",
            get(preview::stop),
        )
        .route("/admin/exhibitions/{slug}/stops", post(stops::create))
        .route(
            "/admin/exhibitions/{slug}/stops/{item}",
            post(stops::update),
        )
        .route(
            "/admin/exhibitions/{slug}/stops/{item}/move",
            post(stops::move_stop),
        )
        .route(
            "/admin/exhibitions/{slug}/stops/{item}/remove",
            post(stops::delete),
        )
}

/// The exhibition (any status) `auth` may edit, or 404/403.
pub async fn editable(
    state: &AppState,
    auth: &Authenticated,
    slug: &str,
) -> Result<DraftExhibition, AppError> {
    require_editor(auth)?;
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    let ex = state
        .exhibitions
        .draft_exhibition(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !auth.user.can_edit_base(&ex.base) {
        return Err(AppError::Forbidden(format!(
            "you may not change exhibitions of the base {}",
            ex.base
        )));
    }
    Ok(ex)
}

#[derive(Template)]
#[template(path = "admin/exhibitions_list.html")]
struct ListPage {
    ctx: PageCtx,
    admin: AdminCtx,
    exhibitions: Vec<ExhibitionSummary>,
    next: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    params: Params,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    // A curator of one base gets that base's list from the database; curators of several
    // get the page filtered here (a page may then hold fewer rows, never others' rows).
    let base = match (auth.user.role, auth.user.bases.as_slice()) {
        (Role::Curator, [only]) => Some(only.clone()),
        _ => None,
    };
    let page = state
        .catalogue
        .list_exhibitions(&ListQuery {
            base,
            after: params.id_cursor()?,
            ..ListQuery::all(Visibility::All, 50)
        })
        .await?;
    let exhibitions = page
        .items
        .into_iter()
        .filter(|e| auth.user.can_edit_base(&e.base.slug))
        .collect();
    render(&ListPage {
        admin: AdminCtx::new(&auth, "exhibitions"),
        exhibitions,
        next: page
            .next
            .map(|c| format!("/admin/exhibitions?page={}", c.encode())),
        ctx,
    })
}

#[tracing::instrument(skip_all)]
async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    let page = editor_page(
        &state,
        ctx,
        &auth,
        ExhibitionForm::default(),
        Vec::new(),
        None,
    )
    .await?;
    render(&page)
}

/// A submitted exhibition form with its CSRF token.
#[derive(Deserialize)]
pub struct ExhibitionSubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(flatten)]
    form: ExhibitionForm,
}

fn check_base(auth: &Authenticated, base: &Slug) -> Result<(), AppError> {
    if auth.user.can_edit_base(base) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "you may not present exhibitions for the base {base}"
        )))
    }
}

fn slug_taken(e: &RepoError) -> bool {
    matches!(e, RepoError::Conflict(what) if what.contains("slug"))
}

fn taken_error() -> Vec<FieldError> {
    vec![FieldError {
        field: "slug",
        key: "exhibition-slug-taken",
    }]
}

#[tracing::instrument(skip_all)]
async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Form(submit): Form<ExhibitionSubmit>,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    require_csrf(&auth, Some(&submit.csrf))?;
    let form = submit.form;
    let (fields, base) = match form.check(&[]) {
        Ok(ok) => ok,
        Err(errors) => {
            let page = editor_page(&state, ctx, &auth, form, errors, None).await?;
            return with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    check_base(&auth, &base)?;
    match state
        .exhibitions
        .create_exhibition(&fields, &base, &auth.actor())
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/admin/exhibitions/{}?created=1", fields.slug)).into_response(),
        ),
        Err(e) if slug_taken(&e) => {
            let page = editor_page(&state, ctx, &auth, form, taken_error(), None).await?;
            with_status(&page, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

#[tracing::instrument(skip_all, fields(%slug))]
async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let ex = editable(&state, &auth, &slug).await?;
    let notice = [
        "created",
        "saved",
        "published",
        "stop_added",
        "stop_saved",
        "stop_moved",
        "stop_removed",
    ]
    .into_iter()
    .find(|k| params.get(k).is_some())
    .map(|k| ctx.t(&format!("exhibition-notice-{k}")));
    let query = params.text("q")?;
    let form = ExhibitionForm::of(&ex);
    let mut page = editor_page(&state, ctx, &auth, form, Vec::new(), Some(ex)).await?;
    page.notice = notice;
    if let Some(q) = query {
        search(&state, &auth, &mut page, q).await?;
    }
    render(&page)
}

/// Fills the page's search results: items the user may show, matching `q`.
pub async fn search(
    state: &AppState,
    auth: &Authenticated,
    page: &mut EditorPage,
    q: String,
) -> Result<(), AppError> {
    let found = state
        .catalogue
        .list_items(&ItemQuery {
            text: Some(q.clone()),
            bases: (auth.user.role != Role::Admin).then(|| auth.user.bases.clone()),
            ..ItemQuery::all(Visibility::All, 20)
        })
        .await?;
    page.results = found
        .items
        .into_iter()
        .map(|i| {
            let already = page.stops.iter().any(|s| s.item.id == i.id);
            (i, already)
        })
        .collect();
    page.query = Some(q);
    Ok(())
}

#[tracing::instrument(skip_all, fields(%slug))]
async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    Form(submit): Form<ExhibitionSubmit>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let ex = editable(&state, &auth, &slug).await?;
    let mut form = submit.form;
    let stop_items: Vec<Slug> = ex.stops.iter().map(|s| s.item.clone()).collect();
    let (fields, base) = match form.check(&stop_items) {
        Ok(ok) => ok,
        Err(errors) => {
            let page = editor_page(&state, ctx, &auth, form, errors, Some(ex)).await?;
            return with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    check_base(&auth, &base)?;
    let Some(revision) = form.revision() else {
        return Err(AppError::bad_param("revision", &form.revision, None));
    };
    match state
        .exhibitions
        .update_exhibition(ex.id, revision, &fields, &base, &auth.actor())
        .await
    {
        Ok(Ok(_)) => Ok(
            Redirect::to(&format!("/admin/exhibitions/{}?saved=1", fields.slug)).into_response(),
        ),
        Ok(Err(stale)) => {
            // Someone saved in between: keep everything typed; saving again from this page
            // (which now carries their revision) is a deliberate choice.
            form.revision = stale.current.to_string();
            let ex = editable(&state, &auth, &slug).await?;
            let mut page = editor_page(&state, ctx, &auth, form, Vec::new(), Some(ex)).await?;
            page.conflict = Some(stale.current);
            with_status(&page, StatusCode::CONFLICT)
        }
        Err(e) if slug_taken(&e) => {
            let page = editor_page(&state, ctx, &auth, form, taken_error(), Some(ex)).await?;
            with_status(&page, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

#[tracing::instrument(skip_all, fields(%slug))]
async fn set_status(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    Form(submit): Form<super::workflow::StatusSubmit>,
) -> Result<Response, AppError> {
    submit.check_csrf(&auth)?;
    let ex = editable(&state, &auth, &slug).await?;
    let (status, revision) = submit.target(ex.status)?;
    // A stale page is refused below without asking first.
    if revision == ex.revision && submit.needs_confirmation(ex.status, status) {
        let w = Withdrawal {
            title: ex.fields.title.clone(),
            back: format!("/admin/exhibitions/{slug}"),
            action: format!("/admin/exhibitions/{slug}/status"),
            exhibitions: Vec::new(),
            assignments_key: "withdraw-exhibition-assignments",
            assignments: assignments_walking(&state, Walked::Exhibition(&ex.fields.slug)).await?,
        };
        return confirm_page(ctx, &auth, "exhibitions", w, status, revision);
    }
    if status == Status::Published && !exhibition_publish_problems(&ex).is_empty() {
        let form = ExhibitionForm::of(&ex);
        let mut page = editor_page(&state, ctx, &auth, form, Vec::new(), Some(ex)).await?;
        page.notice = Some(page.ctx.t("exhibition-publish-blocked"));
        return with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    match state
        .exhibitions
        .set_exhibition_status(ex.id, revision, status, &auth.actor())
        .await?
    {
        Ok(_) => {
            let notice = if status == Status::Published {
                "published"
            } else {
                "saved"
            };
            Ok(Redirect::to(&format!("/admin/exhibitions/{slug}?{notice}=1")).into_response())
        }
        Err(stale) => {
            let form = ExhibitionForm::of(&ex);
            let mut page = editor_page(&state, ctx, &auth, form, Vec::new(), Some(ex)).await?;
            page.conflict = Some(stale.current);
            with_status(&page, StatusCode::CONFLICT)
        }
    }
}
