//! Cataloguing: the list of items, the item form (every field, the three languages side by
//! side), saving with optimistic locking, and the workflow from draft to published. The
//! form page itself is [`super::item_page`].

use super::item_batch::AboveList;
use super::item_page::form_page;
use super::workflow::{Withdrawal, assignments_walking, confirm_page};
use super::{AdminCtx, require_editor, with_status};
use crate::accounts::Authenticated;
use crate::accounts::types::Role;
use crate::app::AppState;
use crate::catalogue::form::{FieldError, ItemForm};
use crate::catalogue::history::diff;
use crate::catalogue::model::{Base, Item, ItemSummary};
use crate::catalogue::repo::ItemQuery;
use crate::catalogue::rights::CHOICES;
use crate::catalogue::types::{Category, Gap, Slug, Status};
use crate::catalogue::workflow::publish_problems;
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

/// The item routes of the admin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/items", get(list).post(create))
        .route("/admin/items/new", get(new_form))
        .route("/admin/items/{slug}", get(edit).post(save))
        .route("/admin/items/{slug}/status", post(set_status))
        .route("/admin/item-status", post(super::item_batch::apply))
        .route("/admin/items/{slug}/history", get(super::history::show))
        .route(
            "/admin/items/{slug}/history/{number}/restore",
            post(super::history::restore),
        )
}

/// The item (any status) `auth` may edit, or 404/403.
pub async fn editable(
    state: &AppState,
    auth: &Authenticated,
    slug: &str,
) -> Result<Item, AppError> {
    require_editor(auth)?;
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    let item = state
        .catalogue
        .item(&slug, Visibility::All)
        .await?
        .ok_or(AppError::NotFound)?;
    if !auth.user.can_edit_base(&item.base.slug) {
        return Err(AppError::Forbidden(format!(
            "you may not change items of the base {}",
            item.base.slug
        )));
    }
    Ok(item)
}

#[derive(Template)]
#[template(path = "admin/items_list.html")]
struct ListPage {
    ctx: PageCtx,
    admin: AdminCtx,
    items: Vec<ItemSummary>,
    statuses: &'static [Status],
    /// The statuses a batch may move items to, the likeliest first.
    targets: &'static [Status],
    status: Option<Status>,
    categories: &'static [Category],
    category: Option<Category>,
    gaps: &'static [Gap],
    lacks: Option<Gap>,
    /// The bases the user catalogues (a choice only when there are several).
    bases: Vec<Base>,
    base: String,
    text: String,
    /// Only the items this bulk import created.
    import: Option<String>,
    /// The list's filters as query pairs, to keep them in links and forms.
    filters: Vec<(&'static str, String)>,
    next: Option<String>,
    /// What a batch of workflow moves did or asks, above the list.
    above: AboveList,
}

impl ListPage {
    fn is_status(&self, s: &Status) -> bool {
        self.status.as_ref() == Some(s)
    }

    fn is_category(&self, c: &Category) -> bool {
        self.category.as_ref() == Some(c)
    }

    fn is_gap(&self, g: &Gap) -> bool {
        self.lacks.as_ref() == Some(g)
    }

    /// The sheet for filling in the Mongolian titles these filters' items lack.
    fn titles_url(&self) -> String {
        url_with("/admin/item-titles", &self.filters, None)
    }

    /// These filters' items as a spreadsheet (`xlsx` or `csv`), to edit and import again.
    fn export_url(&self, format: &str) -> String {
        url_with(&format!("/admin/items.{format}"), &self.filters, None)
    }

    /// The most items a batch of everything matching may move.
    fn max_all(&self) -> usize {
        super::item_batch::MAX_ALL
    }

    /// This list again, with its filters (to leave a confirmation).
    fn list_url(&self) -> String {
        list_url(&self.filters, None)
    }
}

/// The names of the list's filters, in the order links carry them.
pub(super) const FILTERS: [&str; 6] = ["q", "status", "category", "base", "lacks", "import"];

/// The filters of the list `query` asks for, as query pairs.
fn filter_pairs(query: &ItemQuery) -> Vec<(&'static str, String)> {
    let values = [
        query.text.clone(),
        query.status.map(|s| s.code().to_owned()),
        query.category.map(|c| c.code().to_owned()),
        query.base.as_ref().map(|b| b.as_str().to_owned()),
        query.lacks.map(|g| g.code().to_owned()),
        query.import.clone(),
    ];
    FILTERS
        .into_iter()
        .zip(values)
        .filter_map(|(k, v)| Some((k, v?)))
        .collect()
}

/// The list with `filters`, from `page` on.
fn list_url(filters: &[(&str, String)], page: Option<&str>) -> String {
    url_with("/admin/items", filters, page)
}

/// `path` with `filters`, from `page` on: a page that lists items.
pub(super) fn url_with(path: &str, filters: &[(&str, String)], page: Option<&str>) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in filters {
        s.append_pair(k, v);
    }
    if let Some(p) = page {
        s.append_pair("page", p);
    }
    format!("{path}?{}", s.finish())
}

/// The items the list's filters (`q`, `status`, `category`, `base`, `lacks`, `import`) ask for,
/// among those `auth` may change, `limit` at a time.
pub(super) fn list_query(
    auth: &Authenticated,
    params: &Params,
    limit: u32,
) -> Result<ItemQuery, AppError> {
    let import = match params.get("import") {
        None => None,
        Some(id) => Some(
            crate::store::StagedId::parse(id)
                .ok_or_else(|| AppError::bad_param("import", id, None))?
                .as_str()
                .to_owned(),
        ),
    };
    Ok(ItemQuery {
        text: params.text("q")?,
        status: params.status("status")?,
        import,
        category: params.category()?,
        base: params.slug("base")?,
        lacks: params.gap()?,
        // Curators work on their own bases' items; administrators on all.
        bases: (auth.user.role != Role::Admin).then(|| auth.user.bases.clone()),
        ..ItemQuery::all(Visibility::All, limit)
    })
}

async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    params: Params,
) -> Result<Response, AppError> {
    list_page(&state, ctx, &auth, &params, AboveList::default()).await
}

/// The list of items `params` asks for (`q`, `status`, `category`, `base`, `lacks`, `import`,
/// `page`), with what a batch did or asks above it.
pub(super) async fn list_page(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    params: &Params,
    above: AboveList,
) -> Result<Response, AppError> {
    require_editor(auth)?;
    let query = ItemQuery {
        after: params.cursor()?,
        ..list_query(auth, params, 50)?
    };
    let status = query.status;
    let page = state.catalogue.list_items(&query).await?;
    let filters = filter_pairs(&query);
    let next = page.next.map(|c| list_url(&filters, Some(&c.encode())));
    render(&ListPage {
        admin: AdminCtx::new(auth, "items"),
        items: page.items,
        statuses: Status::ALL,
        targets: &[
            Status::InReview,
            Status::Published,
            Status::Archived,
            Status::Draft,
        ],
        status,
        categories: Category::ALL,
        category: query.category,
        gaps: Gap::ALL,
        lacks: query.lacks,
        bases: super::editable_bases(state, auth).await?,
        base: query
            .base
            .as_ref()
            .map(|b| b.as_str().to_owned())
            .unwrap_or_default(),
        text: query.text.unwrap_or_default(),
        import: query.import,
        filters,
        next,
        above,
        ctx,
    })
}

async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    let form = ItemForm {
        rights: CHOICES[0].to_owned(),
        ..ItemForm::default()
    };
    render(&form_page(&state, ctx, &auth, form, Vec::new(), None).await?)
}

/// A submitted item form with its CSRF token.
#[derive(Deserialize)]
pub struct ItemSubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(flatten)]
    form: ItemForm,
}

/// The base chosen in a form, if the user may put items there.
fn check_base(auth: &Authenticated, base: &Slug) -> Result<(), AppError> {
    if auth.user.can_edit_base(base) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "you may not put items in the base {base}"
        )))
    }
}

/// A unique-key conflict as an error on the field that caused it.
fn taken(e: &RepoError) -> Option<FieldError> {
    match e {
        RepoError::Conflict(what) if what.contains("slug") => Some(FieldError {
            field: "slug",
            key: "form-slug-taken",
        }),
        RepoError::Conflict(what) if what.contains("accession") => Some(FieldError {
            field: "accession",
            key: "form-accession-taken",
        }),
        _ => None,
    }
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Form(submit): Form<ItemSubmit>,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    require_csrf(&auth, Some(&submit.csrf))?;
    let form = submit.form;
    let (fields, base) = match form.check(Status::Draft) {
        Ok(ok) => ok,
        Err(errors) => {
            let page = form_page(&state, ctx, &auth, form, errors, None).await?;
            return Ok(with_status(
                render(&page)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    check_base(&auth, &base)?;
    match state
        .editor
        .create_item(&fields, &base, &auth.actor())
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/items/{}?created=1", fields.slug)).into_response())
        }
        Err(e) => match taken(&e) {
            Some(error) => {
                let page = form_page(&state, ctx, &auth, form, vec![error], None).await?;
                Ok(with_status(render(&page)?, StatusCode::CONFLICT))
            }
            None => Err(e.into()),
        },
    }
}

async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let item = editable(&state, &auth, &slug).await?;
    let form = ItemForm::of(&item.fields, &item.base.slug, item.revision);
    let notice = ["created", "saved", "published", "media"]
        .into_iter()
        .find(|k| params.get(k).is_some())
        .map(|k| ctx.t(&format!("notice-{k}")));
    let media_error = params
        .get("media_error")
        .map(|e| e.chars().take(500).collect());
    let mut page = form_page(&state, ctx, &auth, form, Vec::new(), Some(item)).await?;
    page.notice = notice;
    page.media_error = media_error;
    render(&page)
}

async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    Form(submit): Form<ItemSubmit>,
) -> Result<Response, AppError> {
    require_csrf(&auth, Some(&submit.csrf))?;
    let item = editable(&state, &auth, &slug).await?;
    let mut form = submit.form;
    let (fields, base) = match form.check(item.fields.status) {
        Ok(ok) => ok,
        Err(errors) => {
            let page = form_page(&state, ctx, &auth, form, errors, Some(item)).await?;
            return Ok(with_status(
                render(&page)?,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    check_base(&auth, &base)?;
    let Some(revision) = form.revision() else {
        return Err(AppError::bad_param("revision", &form.revision, None));
    };
    match state
        .editor
        .update_item(item.id, revision, &fields, &base, &auth.actor())
        .await
    {
        Ok(Ok(_)) => {
            Ok(Redirect::to(&format!("/admin/items/{}?saved=1", fields.slug)).into_response())
        }
        Ok(Err(stale)) => {
            // Someone saved in between: keep everything this curator typed, show what the
            // other change was, and let them save again knowingly.
            let history = state.editor.revisions(item.id).await?;
            let at = |n: i64| history.iter().find(|r| r.number == n).map(|r| &r.snapshot);
            let changes = match (at(revision), at(stale.current)) {
                (Some(seen), Some(now)) => diff(seen, now),
                _ => Vec::new(),
            };
            form.revision = stale.current.to_string();
            let mut page = form_page(&state, ctx, &auth, form, Vec::new(), Some(item)).await?;
            page.conflict = Some((stale.current, changes));
            Ok(with_status(render(&page)?, StatusCode::CONFLICT))
        }
        Err(e) => match taken(&e) {
            Some(error) => {
                let page = form_page(&state, ctx, &auth, form, vec![error], Some(item)).await?;
                Ok(with_status(render(&page)?, StatusCode::CONFLICT))
            }
            None => Err(e.into()),
        },
    }
}

async fn set_status(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    Form(submit): Form<super::workflow::StatusSubmit>,
) -> Result<Response, AppError> {
    submit.check_csrf(&auth)?;
    let item = editable(&state, &auth, &slug).await?;
    let (status, revision) = submit.target(item.fields.status)?;
    // A stale page is refused below without asking first.
    if revision == item.revision && submit.needs_confirmation(item.fields.status, status) {
        let exhibitions = state.catalogue.exhibitions_with_item(item.id).await?;
        let w = Withdrawal {
            title: item.fields.title.clone(),
            back: format!("/admin/items/{slug}"),
            action: format!("/admin/items/{slug}/status"),
            exhibitions: exhibitions
                .into_iter()
                .map(|e| (format!("/admin/exhibitions/{}", e.slug), e.title))
                .collect(),
            assignments_key: "withdraw-item-assignments",
            assignments: assignments_walking(&state, Walked::Item(&item.fields.slug)).await?,
        };
        return confirm_page(ctx, &auth, "items", w, status, revision);
    }
    if status == Status::Published && !publish_problems(&item).is_empty() {
        let form = ItemForm::of(&item.fields, &item.base.slug, item.revision);
        let mut page = form_page(&state, ctx, &auth, form, Vec::new(), Some(item)).await?;
        page.notice = Some(page.ctx.t("publish-blocked"));
        return Ok(with_status(
            render(&page)?,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    match state
        .editor
        .set_item_status(item.id, revision, status, &auth.actor())
        .await?
    {
        Ok(_) => {
            let notice = if status == Status::Published {
                "published"
            } else {
                "saved"
            };
            Ok(Redirect::to(&format!("/admin/items/{slug}?{notice}=1")).into_response())
        }
        Err(_) => Err(AppError::Conflict(
            "the item changed meanwhile; reload it".into(),
        )),
    }
}
