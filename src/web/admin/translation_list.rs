//! Which interface strings a list on `/admin/translations` holds (`show`: still to do,
//! translated on the site, or all; `for`: one audience), and in what order: those visitors
//! read first, then students', then staff's ([`Audience`]), the file's order within each.

use crate::app::AppState;
use crate::error::AppError;
use crate::i18n::translations::Translation;
use crate::i18n::{Audience, Lang, Messages};
use crate::web::page::PageCtx;
use crate::web::params::Params;
use std::collections::HashMap;

/// Which strings the page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Show {
    /// Those with no Mongolian yet.
    Todo,
    /// Those translated on the site.
    Site,
    /// Every string.
    All,
}

impl Show {
    pub(super) const ALL: [Show; 3] = [Show::Todo, Show::Site, Show::All];

    pub(super) fn parse(params: &Params) -> Result<Show, AppError> {
        let code = params.get("show").unwrap_or("todo");
        Show::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| AppError::bad_param("show", code, Some("todo, site or all".into())))
    }

    pub(super) fn code(self) -> &'static str {
        match self {
            Show::Todo => "todo",
            Show::Site => "site",
            Show::All => "all",
        }
    }
}

/// The audience the page is narrowed to (`?for=`), or none.
pub(super) fn audience_param(params: &Params) -> Result<Option<Audience>, AppError> {
    match params.get("for").filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(code) => Audience::from_code(code).map(Some).ok_or_else(|| {
            AppError::bad_param("for", code, Some("visitors, students or staff".into()))
        }),
    }
}

/// The page's address for a list, an audience and a first key.
pub(super) fn list_url(show: Show, audience: Option<Audience>, after: &str) -> String {
    let mut url = format!("/admin/translations?show={}", show.code());
    if let Some(a) = audience {
        url.push_str("&for=");
        url.push_str(a.code());
    }
    if !after.is_empty() {
        url.push_str("&after=");
        url.extend(form_urlencoded::byte_serialize(after.as_bytes()));
    }
    url
}

/// The Mongolian strings written on the site, by key.
pub(super) async fn site_translations(
    state: &AppState,
) -> Result<HashMap<String, Translation>, AppError> {
    Ok(state
        .translations
        .translations()
        .await?
        .into_iter()
        .filter(|t| t.lang == Lang::Mn)
        .map(|t| (t.key.clone(), t))
        .collect())
}

/// Every key, those visitors read first, then students', then staff's; the file's order
/// within each.
pub(super) fn ordered_keys() -> Vec<String> {
    let mut keys = Messages::keys(Lang::Zh);
    keys.sort_by_key(|k| Audience::of(k));
    keys
}

/// True when `key` has no Mongolian, from the release or the site.
pub(super) fn todo(key: &str, site: &HashMap<String, Translation>) -> bool {
    Messages::source(Lang::Mn, key).is_none() && !site.contains_key(key)
}

/// True when the list `show`, narrowed to `audience`, holds `key`.
pub(super) fn listed(
    key: &str,
    show: Show,
    audience: Option<Audience>,
    site: &HashMap<String, Translation>,
) -> bool {
    audience.is_none_or(|a| Audience::of(key) == a)
        && match show {
            Show::Todo => todo(key, site),
            Show::Site => site.contains_key(key),
            Show::All => true,
        }
}

/// The name of an audience, in the page's language.
pub(super) fn audience_name(ctx: &PageCtx, audience: Audience) -> String {
    ctx.t(&format!("audience-{}", audience.code()))
}

/// One string of a list, as the spreadsheet hands it out.
pub(super) struct Listed {
    pub key: String,
    pub audience: Audience,
    pub zh: String,
    pub en: String,
    /// The Mongolian the site or the release has, or empty.
    pub mn: String,
}

/// The strings of the list the parameters name (`show`, `for`), on all its pages.
pub(super) async fn list(state: &AppState, params: &Params) -> Result<Vec<Listed>, AppError> {
    let (show, audience) = (Show::parse(params)?, audience_param(params)?);
    let site = site_translations(state).await?;
    Ok(ordered_keys()
        .into_iter()
        .filter(|k| listed(k, show, audience, &site))
        .map(|k| {
            let mn = site
                .get(&k)
                .map(|t| t.text.clone())
                .or_else(|| Messages::source(Lang::Mn, &k))
                .unwrap_or_default();
            Listed {
                audience: Audience::of(&k),
                zh: Messages::source(Lang::Zh, &k).unwrap_or_default(),
                en: Messages::source(Lang::En, &k).unwrap_or_default(),
                mn,
                key: k,
            }
        })
        .collect())
}
