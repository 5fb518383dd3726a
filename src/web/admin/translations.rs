//! The interface in Mongolian, written on the site: `/admin/translations` lists the
//! interface strings beside their Chinese and English, 40 at a time (by default those with
//! no Mongolian yet), those visitors read first, then students', then staff's
//! ([`Audience`]); an administrator who writes Mongolian fills them in. What they
//! save is checked ([`crate::i18n::translations::check`]), kept with an audit row, and shown
//! on every page at once (on other servers within a minute). `/admin/translations/mn.ftl`
//! hands the translations out as Fluent, for the project to review into `locales/mn.ftl`.

use super::translation_list::{
    self, Show, audience_param, list_url, listed, ordered_keys, site_translations, todo,
};
use super::{AdminCtx, require_admin, with_status};
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::error::AppError;
use crate::i18n::translations::{self, Translation, entry};
use crate::i18n::{Audience, Lang, Messages};
use crate::repo::AuditEntry;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use std::collections::BTreeMap;

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/translations", get(show).post(save))
        .route("/admin/translations/remove", post(remove))
        .route("/admin/translations/mn.ftl", get(download))
}

/// Strings on one page.
const PAGE: usize = 40;
/// The most strings one save may carry.
const MAX_ROWS: usize = 200;

/// One string on the page.
struct Row {
    key: String,
    audience: Audience,
    zh: String,
    en: String,
    /// The Mongolian the release carries.
    file: Option<String>,
    /// The Mongolian written on the site, and who wrote it.
    site: Option<(String, String)>,
    /// What the form shows: what was typed in a refused save, else the site's text.
    typed: String,
    /// Why the last save refused it.
    why: Option<String>,
}

/// A string the last save refused, by key: what was typed and why.
pub(super) type Refused = BTreeMap<String, (String, String)>;

#[derive(Template)]
#[template(path = "admin/translations.html")]
struct TranslationsPage {
    ctx: PageCtx,
    admin: AdminCtx,
    show: Show,
    audience: Option<Audience>,
    /// Per audience: strings still without Mongolian.
    todo: Vec<(Audience, usize)>,
    rows: Vec<Row>,
    /// Strings in all; with Mongolian from the release; from the site.
    total: usize,
    in_file: usize,
    on_site: usize,
    /// The key this page starts at (kept by the form).
    after: String,
    next: Option<String>,
    saved: Option<usize>,
    /// What was wrong with an uploaded sheet, as a whole or in rows with no string to show.
    problems: Vec<String>,
}

impl TranslationsPage {
    /// Whether the public pages offer Mongolian yet (they do once their strings are done).
    fn switch_note(&self) -> String {
        let public_todo = self
            .todo
            .iter()
            .find(|(a, _)| *a == Audience::Visitors)
            .map_or(0, |(_, n)| *n);
        self.ctx.t(if public_todo == 0 {
            "translations-switch-on"
        } else {
            "translations-switch-waiting"
        })
    }

    fn show_url(&self, show: &Show) -> String {
        list_url(*show, self.audience, "")
    }

    fn show_name(&self, show: &Show) -> String {
        self.ctx.t(&format!("translations-show-{}", show.code()))
    }

    /// The spreadsheet of this list, on all its pages.
    fn sheet_url(&self) -> String {
        list_url(self.show, self.audience, "").replacen(
            "/admin/translations?",
            "/admin/translations.xlsx?",
            1,
        )
    }

    fn is_show(&self, show: &Show) -> bool {
        self.show == *show
    }

    fn all_readers_url(&self) -> String {
        list_url(self.show, None, "")
    }

    fn audience_url(&self, audience: &Audience) -> String {
        list_url(self.show, Some(*audience), "")
    }

    fn is_audience(&self, audience: &Audience) -> bool {
        self.audience == Some(*audience)
    }

    fn audience_name(&self, audience: &Audience) -> String {
        translation_list::audience_name(&self.ctx, *audience)
    }

    fn audience_todo(&self, audience: &Audience, n: &usize) -> String {
        let n = n.to_string();
        self.ctx.tr.with(
            "translations-for-todo",
            &[("audience", &self.audience_name(audience)), ("n", &n)],
        )
    }

    fn audience_code(&self) -> &'static str {
        self.audience.map_or("", Audience::code)
    }

    fn progress(&self) -> String {
        let done = (self.in_file + self.on_site).to_string();
        let (total, site) = (self.total.to_string(), self.on_site.to_string());
        self.ctx.tr.with(
            "translations-progress",
            &[("done", &done), ("total", &total), ("site", &site)],
        )
    }

    fn saved_note(&self, n: &usize) -> String {
        self.ctx
            .n("translations-saved", &i64::try_from(*n).unwrap_or(i64::MAX))
    }
}

async fn page(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    params: &Params,
    refused: Refused,
) -> Result<TranslationsPage, AppError> {
    require_admin(auth)?;
    let show = Show::parse(params)?;
    let audience = audience_param(params)?;
    let site = site_translations(state).await?;
    let keys = ordered_keys();
    let todo_here = |k: &String| todo(k, &site);
    let todo = Audience::ALL
        .into_iter()
        .map(|a| {
            (
                a,
                keys.iter()
                    .filter(|k| Audience::of(k) == a && todo_here(k))
                    .count(),
            )
        })
        .collect();
    let in_file = keys
        .iter()
        .filter(|k| Messages::source(Lang::Mn, k).is_some())
        .count();
    let on_site = keys
        .iter()
        .filter(|k| site.contains_key(*k) && Messages::source(Lang::Mn, k).is_none())
        .count();
    // A page starts at a key (`after`, the first key it shows), in the list's order.
    let after = params.get("after").unwrap_or("");
    let start = keys.iter().position(|k| k == after).unwrap_or(0);
    let from_here: Vec<&String> = keys[start..]
        .iter()
        .filter(|k| listed(k, show, audience, &site))
        .collect();
    let next = from_here.get(PAGE).map(|k| list_url(show, audience, k));
    // Strings a save refused come first, wherever they are in the list.
    let shown = from_here
        .iter()
        .take(PAGE)
        .copied()
        .filter(|k| !refused.contains_key(*k));
    let rows = keys
        .iter()
        .filter(|k| refused.contains_key(*k))
        .chain(shown)
        .map(|k| {
            let site = site.get(k).map(|t| (t.text.clone(), t.author.clone()));
            let (typed, why) = match refused.get(k) {
                Some((typed, why)) => (typed.clone(), Some(why.clone())),
                None => (site.clone().map(|(t, _)| t).unwrap_or_default(), None),
            };
            Row {
                key: k.clone(),
                audience: Audience::of(k),
                zh: Messages::source(Lang::Zh, k).unwrap_or_default(),
                en: Messages::source(Lang::En, k).unwrap_or_default(),
                file: Messages::source(Lang::Mn, k),
                site,
                typed,
                why,
            }
        })
        .collect::<Vec<_>>();
    Ok(TranslationsPage {
        admin: AdminCtx::new(auth, "translations"),
        show,
        audience,
        todo,
        total: keys.len(),
        in_file,
        on_site,
        after: rows.first().map(|r| r.key.clone()).unwrap_or_default(),
        rows,
        next,
        saved: params.get("saved").and_then(|n| n.parse().ok()),
        problems: Vec::new(),
        ctx,
    })
}

/// `GET /admin/translations?show=todo|site|all&after=KEY`.
async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    params: Params,
) -> Result<Response, AppError> {
    render(&page(&state, ctx, &auth, &params, Refused::new()).await?)
}

/// The audit row of a change to one string.
fn audit(
    auth: &Authenticated,
    action: &str,
    key: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> AuditEntry {
    let json = |t: &str| serde_json::json!({ "text": t }).to_string();
    AuditEntry {
        actor: Some(auth.user.id),
        actor_name: auth.user.username.to_string(),
        action: action.into(),
        entity: "ui_translation".into(),
        entity_id: format!("mn:{key}"),
        before: before.map(json),
        after: after.map(json),
    }
}

/// `POST /admin/translations`: `t:{key}` per string (blank ones change nothing), and the
/// page's `show`, `for` and `after`.
async fn save(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    let params = Params::from_pairs(pairs);
    require_csrf(&auth, params.get("_csrf"))?;
    let show = Show::parse(&params)?;
    let audience = audience_param(&params)?;
    let rows = params.prefixed("t:");
    if rows.len() > MAX_ROWS {
        return Err(AppError::bad_param(
            "t",
            &rows.len().to_string(),
            Some(format!("at most {MAX_ROWS} strings at once")),
        ));
    }
    let typed: Vec<Typed> = rows
        .into_iter()
        .map(|(key, text)| Typed {
            key: key.to_owned(),
            text: text.to_owned(),
            row: None,
        })
        .collect();
    let outcome = keep(&state, &ctx, &auth, typed).await?;
    let after = params.get("after").unwrap_or("");
    let done = format!(
        "{}&saved={}",
        list_url(show, audience, after),
        outcome.saved
    );
    finish(&state, ctx, &auth, &params, outcome, &done).await
}

/// What a save did.
#[derive(Default)]
pub(super) struct Outcome {
    /// Strings kept.
    pub saved: usize,
    /// Strings refused, to show again as typed with why.
    pub refused: Refused,
    /// Problems with no string of the interface to show them at (an unknown key, a broken
    /// sheet).
    pub problems: Vec<String>,
}

/// A string typed to keep: its key, its text, and the sheet's row it came from.
pub(super) struct Typed {
    pub key: String,
    pub text: String,
    pub row: Option<usize>,
}

/// Checks each typed string and keeps those that pass and change something (a text the
/// site or the release already has is left alone).
pub(super) async fn keep(
    state: &AppState,
    ctx: &PageCtx,
    auth: &Authenticated,
    typed: impl IntoIterator<Item = Typed>,
) -> Result<Outcome, AppError> {
    let existing = site_translations(state).await?;
    let mut outcome = Outcome::default();
    for Typed {
        key,
        text: typed,
        row,
    } in typed
    {
        let text = match translations::check(&key, &typed) {
            Ok(text) => text,
            Err(refusal) => {
                let args: Vec<(&str, &str)> =
                    refusal.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let mut why = ctx.tr.with(refusal.key, &args);
                if let Some(row) = row {
                    let row = row.to_string();
                    why = ctx
                        .tr
                        .with("translation-sheet-row", &[("row", &row), ("why", &why)]);
                }
                if Messages::source(Lang::Zh, &key).is_some() {
                    outcome.refused.insert(key, (typed, why));
                } else {
                    outcome.problems.push(why);
                }
                continue;
            }
        };
        let before = existing.get(&key).map(|t| t.text.as_str());
        let released = Messages::source(Lang::Mn, &key);
        if before == Some(text.as_str()) || (before.is_none() && released.as_deref() == Some(&text))
        {
            continue;
        }
        let t = Translation {
            lang: Lang::Mn,
            key: key.clone(),
            text: text.clone(),
            author: auth.user.username.to_string(),
            updated_at: chrono::Utc::now(),
        };
        let audit = audit(auth, "translation.save", &key, before, Some(&text));
        state.translations.save_translation(&t, &audit).await?;
        outcome.saved += 1;
    }
    if outcome.saved > 0 {
        state.load_translations().await?;
    }
    Ok(outcome)
}

/// After a save: on to `done` when nothing was refused, else the page again (422) with the
/// refused strings first, as typed, each with why, and the problems above them.
pub(super) async fn finish(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    params: &Params,
    outcome: Outcome,
    done: &str,
) -> Result<Response, AppError> {
    if outcome.refused.is_empty() && outcome.problems.is_empty() {
        return Ok(Redirect::to(done).into_response());
    }
    let mut page = page(state, ctx, auth, params, outcome.refused).await?;
    page.saved = Some(outcome.saved);
    page.problems = outcome.problems;
    Ok(with_status(
        render(&page)?,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// `POST /admin/translations/remove`: `key`; the string shows the release's Mongolian, or
/// Chinese, again.
async fn remove(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    let params = Params::from_pairs(pairs);
    require_csrf(&auth, params.get("_csrf"))?;
    let key = params
        .get("key")
        .ok_or_else(|| AppError::bad_param("key", "", Some("a message key".into())))?;
    let before = site_translations(&state)
        .await?
        .remove(key)
        .ok_or(AppError::NotFound)?;
    let audit = audit(&auth, "translation.remove", key, Some(&before.text), None);
    state
        .translations
        .remove_translation(Lang::Mn, key, &audit)
        .await?;
    state.load_translations().await?;
    Ok(Redirect::to("/admin/translations?show=site").into_response())
}

/// `GET /admin/translations/mn.ftl`: the site's translations as Fluent, to review into
/// `locales/mn.ftl` (and take off `locales/mn-todo.txt`).
async fn download(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    let mut out = String::from(
        "# Interface strings translated on the site (edubase /admin/translations).\n\
         # Review them into locales/mn.ftl and take their keys off locales/mn-todo.txt.\n\n",
    );
    for t in state.translations.translations().await? {
        if t.lang == Lang::Mn {
            out.push_str(&format!(
                "# {} · {}\n",
                t.author,
                t.updated_at.format("%Y-%m-%d")
            ));
            out.push_str(&entry(&t.key, &t.text));
        }
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mn-site-translations.ftl\"",
            ),
        ],
        out,
    )
        .into_response())
}
