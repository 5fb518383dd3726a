//! The item form page: every field in the three languages side by side, the media, what
//! must be fixed before publishing, and how it is built for a new or an existing item.

use super::dashboard::recent_views;
use super::fields::{Group, error_for, group};
use super::{AdminCtx, editable_bases};
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::form::{FieldError, ItemForm};
use crate::catalogue::history::Change;
use crate::catalogue::model::{Base, Item};
use crate::catalogue::rights::{CHOICES, rights_label};
use crate::catalogue::types::{Category, Level, Status};
use crate::catalogue::workflow::{Missing, next_statuses, publish_problems};
use crate::error::AppError;
use crate::stats::Viewed;
use crate::web::page::PageCtx;
use askama::Template;

/// The item form page, for a new item or an existing one.
#[derive(Template)]
#[template(path = "admin/item_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub admin: AdminCtx,
    pub form: ItemForm,
    pub errors: Vec<FieldError>,
    pub item: Option<Item>,
    pub bases: Vec<Base>,
    pub categories: &'static [Category],
    pub levels: &'static [Level],
    pub rights: Vec<(String, String)>,
    pub problems: Vec<String>,
    pub next_statuses: &'static [Status],
    pub notice: Option<String>,
    pub media_error: Option<String>,
    pub conflict: Option<(i64, Vec<Change>)>,
    /// Views of the item's public page in the last 30 days.
    pub views: i64,
}

impl FormPage {
    /// The message for a field's problem, in the curator's language.
    fn err(&self, field: &str) -> Option<String> {
        error_for(&self.ctx, &self.errors, field)
    }

    fn has_err(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    fn status_key(&self, s: &Status) -> String {
        format!("status-{}", s.code())
    }

    /// The localized groups of the form, each with a field per language.
    fn groups(&self) -> Vec<Group<'_>> {
        let f = &self.form;
        vec![
            self.group(
                "title",
                "field-title",
                1,
                ["title_zh", "title_mn", "title_en"],
                [&f.title_zh, &f.title_mn, &f.title_en],
            ),
            self.group(
                "summary",
                "field-summary",
                3,
                ["summary_zh", "summary_mn", "summary_en"],
                [&f.summary_zh, &f.summary_mn, &f.summary_en],
            ),
            self.group(
                "description",
                "field-description",
                12,
                ["description_zh", "description_mn", "description_en"],
                [&f.description_zh, &f.description_mn, &f.description_en],
            ),
            self.group(
                "place",
                "field-place",
                1,
                ["place_zh", "place_mn", "place_en"],
                [&f.place_zh, &f.place_mn, &f.place_en],
            ),
            self.group(
                "period",
                "field-period",
                1,
                ["period_zh", "period_mn", "period_en"],
                [&f.period_zh, &f.period_mn, &f.period_en],
            ),
            self.group(
                "inheritors",
                "field-inheritors",
                3,
                ["inheritors_zh", "inheritors_mn", "inheritors_en"],
                [&f.inheritors_zh, &f.inheritors_mn, &f.inheritors_en],
            ),
            self.group(
                "subjects",
                "field-subjects",
                3,
                ["subjects_zh", "subjects_mn", "subjects_en"],
                [&f.subjects_zh, &f.subjects_mn, &f.subjects_en],
            ),
        ]
    }

    fn group<'a>(
        &'a self,
        name: &'static str,
        label: &'static str,
        rows: u8,
        fields: [&'static str; 3],
        values: [&'a String; 3],
    ) -> Group<'a> {
        Group {
            hint: matches!(name, "inheritors" | "subjects").then_some("form-one-per-line"),
            ..group(
                &self.ctx,
                &self.errors,
                label,
                rows,
                fields,
                values,
                Some("title_zh"),
            )
        }
    }

    /// True when `uri` is among the offered rights statements.
    fn is_choice(&self, uri: &str) -> bool {
        self.rights.iter().any(|(u, _)| u == uri)
    }

    fn media_preview(&self, sha: &str) -> String {
        format!("/admin/preview/{sha}/w400.jpg")
    }

    fn rights_label(&self, uri: &str) -> String {
        rights_label(uri)
    }
}

/// Builds the form page around `form`.
pub async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    form: ItemForm,
    errors: Vec<FieldError>,
    item: Option<Item>,
) -> Result<FormPage, AppError> {
    let bases = editable_bases(state, auth).await?;
    let mut rights: Vec<(String, String)> = CHOICES
        .iter()
        .map(|u| ((*u).to_owned(), rights_label(u)))
        .collect();
    if !form.rights.is_empty() && !CHOICES.contains(&form.rights.as_str()) {
        rights.push((form.rights.clone(), rights_label(&form.rights)));
    }
    let problems = item
        .as_ref()
        .map(|i| problem_texts(&ctx, &publish_problems(i)))
        .unwrap_or_default();
    let next_statuses = item
        .as_ref()
        .map(|i| next_statuses(i.fields.status))
        .unwrap_or(&[]);
    let views = match &item {
        Some(i) => recent_views(state, Viewed::Item(i.fields.slug.clone())).await?,
        None => 0,
    };
    Ok(FormPage {
        admin: AdminCtx::new(auth, "items"),
        form,
        errors,
        item,
        bases,
        categories: Category::ALL,
        levels: Level::ALL,
        rights,
        problems,
        next_statuses,
        notice: None,
        media_error: None,
        conflict: None,
        views,
        ctx,
    })
}

/// What must be fixed before publishing, as sentences.
pub fn problem_texts(ctx: &PageCtx, missing: &[Missing]) -> Vec<String> {
    missing
        .iter()
        .map(|m| match m {
            Missing::AltText(n, name) => ctx.tr.with(
                "publish-needs-alt",
                &[("n", &n.to_string()), ("name", name)],
            ),
            Missing::RecordRights => ctx.t("publish-needs-rights"),
            Missing::MediaRights(n, name) => ctx.tr.with(
                "publish-needs-media-rights",
                &[("n", &n.to_string()), ("name", name)],
            ),
        })
        .collect()
}
