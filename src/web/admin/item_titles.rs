//! Mongolian titles for many items at once. Public text is bilingual Chinese–Mongolian,
//! and a base's catalogue is often written in Chinese first; a colleague who writes
//! Mongolian then fills in the titles on one page, beside each Chinese title and summary,
//! instead of opening every record's editor. The page lists the items of the list's
//! filters that have no Mongolian title; each filled row is saved as its own editor would
//! save it (who may change it, that nobody changed it since the page was shown, the
//! editor's length limit), with its history and audit entry. An empty row changes nothing.

use super::items::{FILTERS, list_query, url_with as url};
use super::{AdminCtx, require_editor, with_status};
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::form::ItemForm;
use crate::catalogue::model::{Item, ItemSummary};
use crate::catalogue::types::{Gap, Slug};
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use std::collections::BTreeMap;

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/item-titles", get(show).post(save))
}

/// Rows on one page.
const PAGE: u32 = 50;

/// A row the last save could not take, by slug: what was typed and why.
type Refused = BTreeMap<String, (String, String)>;

#[derive(Template)]
#[template(path = "admin/item_titles.html")]
struct TitlesPage {
    ctx: PageCtx,
    admin: AdminCtx,
    items: Vec<ItemSummary>,
    /// The list's filters, kept in the form and links.
    filters: Vec<(&'static str, String)>,
    next: Option<String>,
    /// How many titles the last save stored.
    saved: Option<usize>,
    refused: Refused,
}

impl TitlesPage {
    /// What was typed in a refused row, to show again.
    fn typed(&self, slug: &Slug) -> &str {
        self.refused.get(slug.as_str()).map_or("", |(v, _)| v)
    }

    /// Why a row was refused.
    fn why(&self, slug: &Slug) -> Option<&str> {
        self.refused.get(slug.as_str()).map(|(_, why)| why.as_str())
    }

    fn refused_count(&self) -> i64 {
        i64::try_from(self.refused.len()).unwrap_or(i64::MAX)
    }

    /// The items list with the same filters.
    fn list_url(&self) -> String {
        url("/admin/items", &self.filters, None)
    }

    /// The saved notice.
    fn saved_note(&self, n: &usize) -> String {
        self.ctx
            .n("titles-saved", &i64::try_from(*n).unwrap_or(i64::MAX))
    }
}

/// The filters of `params` as the page keeps them: always the items lacking a Mongolian
/// title.
fn filters(params: &Params) -> Vec<(&'static str, String)> {
    FILTERS
        .into_iter()
        .filter(|k| *k != "lacks")
        .filter_map(|k| Some((k, params.get(k)?.to_owned())))
        .chain([("lacks", Gap::MongolianTitle.code().to_owned())])
        .collect()
}

async fn page(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    params: &Params,
    refused: Refused,
) -> Result<TitlesPage, AppError> {
    require_editor(auth)?;
    let query = crate::catalogue::repo::ItemQuery {
        after: params.cursor()?,
        lacks: Some(Gap::MongolianTitle),
        ..list_query(auth, params, PAGE)?
    };
    let found = state.catalogue.list_items(&query).await?;
    let filters = filters(params);
    let next = found
        .next
        .map(|c| url("/admin/item-titles", &filters, Some(&c.encode())));
    Ok(TitlesPage {
        admin: AdminCtx::new(auth, "items"),
        items: found.items,
        saved: params.get("saved").and_then(|n| n.parse().ok()),
        filters,
        next,
        refused,
        ctx,
    })
}

/// `GET /admin/item-titles`: the items the list's filters match that have no Mongolian
/// title, 50 at a time.
async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    params: Params,
) -> Result<Response, AppError> {
    render(&page(&state, ctx, &auth, &params, Refused::new()).await?)
}

/// The most rows one save may carry (four pages).
const MAX_ROWS: usize = 200;

/// `POST /admin/item-titles`: `mn:{slug}:{revision}` per row, and the list's filters.
async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    let params = Params::from_pairs(pairs);
    require_csrf(&auth, params.get("_csrf"))?;
    let rows = params.prefixed("mn:");
    if rows.len() > MAX_ROWS {
        return Err(AppError::bad_param(
            "mn",
            &rows.len().to_string(),
            Some(format!("at most {MAX_ROWS} titles at once")),
        ));
    }
    // Every row is parsed and its item looked up first: a row the user may not change
    // refuses the whole save before anything is written.
    let mut found = Vec::with_capacity(rows.len());
    for (row, title) in rows {
        let Some((slug, revision)) = row
            .rsplit_once(':')
            .and_then(|(s, r)| Some((s, r.parse::<i64>().ok()?)))
        else {
            return Err(AppError::bad_param(
                "mn",
                row,
                Some("mn:{slug}:{revision}".into()),
            ));
        };
        let item = match Slug::parse(slug) {
            Ok(s) => state.catalogue.item(&s, Visibility::All).await?,
            Err(_) => None,
        };
        if let Some(item) = &item
            && !auth.user.can_edit_base(&item.base.slug)
        {
            return Err(AppError::Forbidden(format!(
                "you may not change items of the base {}",
                item.base.slug
            )));
        }
        found.push((slug, revision, title, item));
    }
    let mut saved = 0;
    let mut refused = Refused::new();
    let mut stale = false;
    for (slug, revision, title, item) in found {
        match save_one(&state, &auth, item, revision, title).await? {
            None => saved += 1,
            Some((key, conflict)) => {
                stale |= conflict;
                refused.insert(slug.to_owned(), (title.to_owned(), ctx.t(key)));
            }
        }
    }
    if refused.is_empty() {
        let mut filters = filters(&params);
        filters.push(("saved", saved.to_string()));
        return Ok(Redirect::to(&url("/admin/item-titles", &filters, None)).into_response());
    }
    let mut page = page(&state, ctx, &auth, &params, refused).await?;
    page.saved = Some(saved);
    let status = if stale {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(with_status(render(&page)?, status))
}

/// Saves one row, its item as looked up. `None` when saved; otherwise the message key of
/// why not, and whether it is a conflict with someone else's change.
async fn save_one(
    state: &AppState,
    auth: &Authenticated,
    item: Option<Item>,
    revision: i64,
    title: &str,
) -> Result<Option<(&'static str, bool)>, AppError> {
    let Some(item) = item else {
        return Ok(Some(("titles-gone", false)));
    };
    if item.revision != revision {
        return Ok(Some(("titles-stale", true)));
    }
    let mut form = ItemForm::of(&item.fields, &item.base.slug, item.revision);
    form.title_mn = title.to_owned();
    let (fields, base) = match form.check(item.fields.status) {
        Ok(checked) => checked,
        Err(errors) if errors.iter().any(|e| e.field == "title_mn") => {
            return Ok(Some(("titles-too-long", false)));
        }
        // Something else in the record needs its editor first.
        Err(_) => return Ok(Some(("titles-open-editor", false))),
    };
    match state
        .editor
        .update_item(item.id, revision, &fields, &base, &auth.actor())
        .await?
    {
        Ok(_) => Ok(None),
        Err(_) => Ok(Some(("titles-stale", true))),
    }
}
