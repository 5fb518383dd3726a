//! An exhibition's text in Mongolian, on one page: its title, subtitle and introduction,
//! and every stop's narrative, each beside its Chinese. Students of Mongolian-medium
//! schools walk exhibitions too; a colleague who writes Mongolian fills the whole visit in
//! here instead of opening each stop's form. Saving writes through the exhibition editor
//! (the exhibition's fields, then each stop whose text changed, each with its revision,
//! history and audit row); a page opened before someone else's change is refused, with
//! what was typed kept.

use super::exhibitions::editable;
use super::{AdminCtx, with_status};
use crate::app::AppState;
use crate::catalogue::exhibition_editor::DraftExhibition;
use crate::error::AppError;
use crate::i18n::LocalizedText;
use crate::repo::Visibility;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use std::collections::HashMap;

/// The route.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/exhibitions/{slug}/mongolian", get(show).post(save))
}

/// The longest title, subtitle and text, in characters (titles as the exhibition form).
const MAX_TITLE: usize = 200;
const MAX_SUBTITLE: usize = 300;
const MAX_TEXT: usize = 20_000;

/// One text to write in Mongolian.
struct Line {
    /// The form field.
    name: String,
    /// What it is: a message key, or the stop's item title.
    label: String,
    /// The Chinese (and English) to translate from.
    zh: String,
    en: String,
    /// What the field holds: the Mongolian as it is, or as typed.
    mn: String,
    /// True for long text (a text area).
    long: bool,
    /// Why it was refused.
    why: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/exhibition_mongolian.html")]
struct MongolianPage {
    ctx: PageCtx,
    admin: AdminCtx,
    slug: String,
    title: String,
    revision: i64,
    lines: Vec<Line>,
    saved: Option<usize>,
    /// Someone changed the exhibition after this page was opened.
    conflict: bool,
}

impl MongolianPage {
    fn saved_note(&self, n: &usize) -> String {
        self.ctx.n(
            "exhibition-mn-saved",
            &i64::try_from(*n).unwrap_or(i64::MAX),
        )
    }
}

fn text(t: &LocalizedText) -> (String, String, String) {
    let get = |v: &Option<String>| v.clone().unwrap_or_default();
    (get(&t.zh), get(&t.en), get(&t.mn))
}

/// The page's lines for `ex`, with `typed` (by field name) over the Mongolian it has.
async fn lines(
    state: &AppState,
    ctx: &PageCtx,
    ex: &DraftExhibition,
    typed: &HashMap<String, String>,
    refused: &HashMap<String, String>,
) -> Result<Vec<Line>, AppError> {
    let line = |name: &str, label: String, t: &LocalizedText, long: bool| {
        let (zh, en, mn) = text(t);
        Line {
            name: name.to_owned(),
            label,
            zh,
            en,
            mn: typed.get(name).cloned().unwrap_or(mn),
            long,
            why: refused.get(name).cloned(),
        }
    };
    let mut lines = vec![
        line("title", ctx.t("field-title"), &ex.fields.title, false),
        line(
            "subtitle",
            ctx.t("field-subtitle"),
            &ex.fields.subtitle,
            false,
        ),
        line(
            "introduction",
            ctx.t("field-introduction"),
            &ex.fields.introduction,
            true,
        ),
    ];
    for (n, stop) in ex.stops.iter().enumerate() {
        let item = state.catalogue.item(&stop.item, Visibility::All).await?;
        let title = item
            .map(|i| ctx.txt(&i.fields.title).to_owned())
            .unwrap_or_else(|| stop.item.to_string());
        let label = ctx.tr.with(
            "exhibition-mn-stop",
            &[("n", &(n + 1).to_string()), ("title", &title)],
        );
        lines.push(line(
            &format!("stop:{}", stop.item),
            label,
            &stop.fields.narrative,
            true,
        ));
    }
    Ok(lines)
}

async fn page(
    state: &AppState,
    ctx: PageCtx,
    auth: &crate::accounts::Authenticated,
    ex: DraftExhibition,
    typed: &HashMap<String, String>,
    refused: &HashMap<String, String>,
) -> Result<MongolianPage, AppError> {
    Ok(MongolianPage {
        admin: AdminCtx::new(auth, "exhibitions"),
        lines: lines(state, &ctx, &ex, typed, refused).await?,
        slug: ex.fields.slug.to_string(),
        title: ctx.txt(&ex.fields.title).to_owned(),
        revision: ex.revision,
        saved: None,
        conflict: false,
        ctx,
    })
}

/// `GET /admin/exhibitions/{slug}/mongolian`.
async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let ex = editable(&state, &auth, &slug).await?;
    let none = HashMap::new();
    let mut page = page(&state, ctx, &auth, ex, &none, &none).await?;
    page.saved = params.get("saved").and_then(|n| n.parse().ok());
    render(&page)
}

/// `text` with its Mongolian replaced.
fn with_mn(text: &LocalizedText, mn: &str) -> LocalizedText {
    LocalizedText::new(text.zh.clone(), Some(mn.to_owned()), text.en.clone())
}

/// `POST /admin/exhibitions/{slug}/mongolian`: `title`, `subtitle`, `introduction` and
/// `stop:{item}` (each the whole Mongolian text; blank clears it), and `revision`.
async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let typed: HashMap<String, String> = pairs
        .iter()
        .filter(|(k, _)| !k.starts_with('_') && k != "revision")
        .map(|(k, v)| (k.clone(), v.trim().to_owned()))
        .collect();
    let params = Params::from_pairs(pairs);
    require_csrf(&auth, params.get("_csrf"))?;
    let ex = editable(&state, &auth, &slug).await?;
    let revision: i64 = params
        .get("revision")
        .and_then(|r| r.parse().ok())
        .ok_or_else(|| {
            AppError::bad_param("revision", params.get("revision").unwrap_or(""), None)
        })?;
    let mut refused = HashMap::new();
    for (name, value) in &typed {
        let max = match name.as_str() {
            "title" => MAX_TITLE,
            "subtitle" => MAX_SUBTITLE,
            "introduction" => MAX_TEXT,
            n if n.starts_with("stop:") => MAX_TEXT,
            other => {
                return Err(AppError::bad_param(
                    "field",
                    other,
                    Some("title, subtitle, introduction or stop:{item}".into()),
                ));
            }
        };
        if value.chars().count() > max {
            refused.insert(name.clone(), ctx.t("form-too-long"));
        }
    }
    if revision != ex.revision || !refused.is_empty() {
        let conflict = revision != ex.revision;
        let mut page = page(&state, ctx, &auth, ex, &typed, &refused).await?;
        page.conflict = conflict;
        let status = if conflict {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return Ok(with_status(render(&page)?, status));
    }
    let actor = auth.actor();
    let mut revision = ex.revision;
    let mut saved = 0;
    let mut fields = ex.fields.clone();
    for (name, text) in [
        ("title", &mut fields.title),
        ("subtitle", &mut fields.subtitle),
        ("introduction", &mut fields.introduction),
    ] {
        if let Some(mn) = typed.get(name) {
            let new = with_mn(text, mn);
            if new != *text {
                *text = new;
                saved += 1;
            }
        }
    }
    let stale = || AppError::Conflict("the exhibition changed while it was being saved".into());
    if fields != ex.fields {
        revision = state
            .exhibitions
            .update_exhibition(ex.id, revision, &fields, &ex.base, &actor)
            .await?
            .map_err(|_| stale())?;
    }
    for stop in &ex.stops {
        let Some(mn) = typed.get(&format!("stop:{}", stop.item)) else {
            continue;
        };
        let narrative = with_mn(&stop.fields.narrative, mn);
        if narrative == stop.fields.narrative {
            continue;
        }
        let mut stop_fields = stop.fields.clone();
        stop_fields.narrative = narrative;
        revision = state
            .exhibitions
            .update_stop(ex.id, revision, stop.item_id, &stop_fields, &actor)
            .await?
            .map_err(|_| stale())?;
        saved += 1;
    }
    let slug = &ex.fields.slug;
    Ok(Redirect::to(&format!(
        "/admin/exhibitions/{slug}/mongolian?saved={saved}"
    ))
    .into_response())
}
