//! The audit log page, for administrators: every change people and processes made, newest
//! first, filtered by kind of record, record or person, with the changed fields side by side.

use super::{AdminCtx, require_admin};
use crate::accounts::model::{AuditQuery, AuditRecord};
use crate::app::AppState;
use crate::catalogue::base_form::FieldChange;
use crate::error::AppError;
use crate::stats::china_time;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use crate::web::session::SignedIn;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde_json::Value;

/// The audit route of the admin.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(show))
}

/// The kinds of records the log names, for the filter.
const ENTITIES: &[&str] = &[
    "item",
    "exhibition",
    "base",
    "media",
    "user",
    "panorama",
    "import",
];

/// Lines per page.
const PAGE_SIZE: u32 = 50;

/// One line as the page shows it.
struct Line {
    record: AuditRecord,
    /// China Standard Time, e.g. `2026-11-28 21:05`.
    when: String,
    /// Where the record is edited, when it has a page.
    link: Option<String>,
    /// (field, before, after) of the fields that changed.
    changes: Vec<FieldChange>,
    /// How many fields changed.
    n_changes: i64,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: PageCtx,
    admin: AdminCtx,
    lines: Vec<Line>,
    entities: &'static [&'static str],
    entity: String,
    entity_id: String,
    actor: String,
    next: Option<String>,
}

/// A JSON value as a person reads it: strings bare, the rest compact, long ones cut.
fn shown(v: Option<&Value>) -> String {
    let text = match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let mut cut: String = text.chars().take(300).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

/// The top-level fields whose values differ between two JSON objects. A side that is not
/// an object (or absent) counts as empty.
pub fn json_changes(before: Option<&str>, after: Option<&str>) -> Vec<FieldChange> {
    let object = |s: Option<&str>| match s.and_then(|s| serde_json::from_str(s).ok()) {
        Some(Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let (b, a) = (object(before), object(after));
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| (k.clone(), shown(b.get(k)), shown(a.get(k))))
        .collect()
}

fn link(entity: &str, id: &str) -> Option<String> {
    let safe = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    if entity != "panorama" && !safe(id) {
        return None;
    }
    match entity {
        "item" => Some(format!("/admin/items/{id}")),
        "base" => Some(format!("/admin/bases/{id}")),
        "user" => Some(format!("/admin/users/{id}")),
        "exhibition" => Some(format!("/admin/exhibitions/{id}")),
        "panorama" => {
            let (base, n) = id.split_once('/')?;
            (safe(base) && n.bytes().all(|b| b.is_ascii_digit()))
                .then(|| format!("/admin/bases/{base}/panoramas/{n}"))
        }
        _ => None,
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    params: Params,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    let entity = match params.get("entity") {
        None => None,
        Some(e) if ENTITIES.contains(&e) => Some(e.to_owned()),
        Some(e) => {
            return Err(AppError::bad_param("entity", e, Some(ENTITIES.join(", "))));
        }
    };
    let text = |name: &'static str| -> Result<Option<String>, AppError> {
        match params.get(name) {
            Some(v) if v.chars().count() > 100 || v.chars().any(char::is_control) => {
                Err(AppError::bad_param(name, v, None))
            }
            v => Ok(v.map(str::to_owned)),
        }
    };
    let query = AuditQuery {
        entity,
        entity_id: text("id")?,
        actor: text("actor")?,
        before: params.cursor()?,
        limit: PAGE_SIZE,
    };
    let page = state.accounts.repo().audit_log(&query).await?;
    let next = page.next.map(|c| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("entity", &query.entity),
            ("id", &query.entity_id),
            ("actor", &query.actor),
        ] {
            if let Some(v) = v {
                s.append_pair(k, v);
            }
        }
        s.append_pair("page", &c.encode());
        format!("/admin/audit?{}", s.finish())
    });
    let lines = page
        .items
        .into_iter()
        .map(|record| {
            let changes = json_changes(
                record.entry.before.as_deref(),
                record.entry.after.as_deref(),
            );
            Line {
                when: china_time(record.at)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
                link: link(&record.entry.entity, &record.entry.entity_id),
                n_changes: changes.len() as i64,
                changes,
                record,
            }
        })
        .collect();
    render(&AuditPage {
        admin: AdminCtx::new(&auth, "audit"),
        lines,
        entities: ENTITIES,
        entity: query.entity.unwrap_or_default(),
        entity_id: query.entity_id.unwrap_or_default(),
        actor: query.actor.unwrap_or_default(),
        next,
        ctx,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panorama_lines_link_to_the_panorama_and_nothing_else() {
        assert_eq!(
            link("panorama", "banner-heritage-hall/2").as_deref(),
            Some("/admin/bases/banner-heritage-hall/panoramas/2")
        );
        for bad in ["../admin/2", "hall/2x", "hall", "hall/2/3", "a b/1"] {
            assert_eq!(link("panorama", bad), None, "{bad}");
        }
        assert_eq!(link("item", "hall/2"), None);
    }

    #[test]
    fn only_changed_fields_are_listed() {
        let changes = json_changes(
            Some(r#"{"name":"甲","kind":"museum","n":1}"#),
            Some(r#"{"name":"乙","kind":"museum","website":"https://x.example"}"#),
        );
        assert_eq!(
            changes,
            [
                ("n".to_owned(), "1".to_owned(), String::new()),
                ("name".to_owned(), "甲".to_owned(), "乙".to_owned()),
                (
                    "website".to_owned(),
                    String::new(),
                    "https://x.example".to_owned()
                ),
            ]
        );
        assert!(json_changes(None, Some("not json")).is_empty());
    }
}
