//! The exhibition editor's page: the exhibition form with its stops, and how it is
//! built for a new or an existing exhibition.

use super::dashboard::recent_views;
use super::fields::{Group, error_for, group};
use super::{AdminCtx, editable_bases};
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::exhibition_editor::{
    DraftExhibition, ExhibitionMissing, exhibition_publish_problems,
};
use crate::catalogue::exhibition_form::{ExhibitionForm, StopForm};
use crate::catalogue::form::FieldError;
use crate::catalogue::model::{Base, Item, ItemSummary};
use crate::catalogue::types::{MediaKind, Status};
use crate::catalogue::workflow::next_statuses;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::repo::Visibility;
use crate::stats::Viewed;
use crate::web::page::{PageCtx, render};
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

/// One stop as the editor shows it.
pub struct StopView {
    /// 1-based position.
    pub number: usize,
    /// The item with its media (for the focus and audio choices).
    pub item: Item,
    /// What the form fields hold.
    pub form: StopForm,
    /// Problems with this stop's form.
    pub errors: Vec<FieldError>,
    /// Last in the path (cannot move down).
    pub last: bool,
}

impl StopView {
    /// The images of the item: (1-based media position, label).
    fn images(&self) -> Vec<(String, String)> {
        self.item
            .media
            .iter()
            .enumerate()
            .filter(|(_, m)| m.kind == MediaKind::Image)
            .map(|(i, m)| {
                (
                    (i + 1).to_string(),
                    format!("{}. {}", i + 1, m.fields.original_name),
                )
            })
            .collect()
    }

    /// The audio files of the item: (media id, label).
    fn audios(&self) -> Vec<(String, String)> {
        self.item
            .media
            .iter()
            .filter(|m| m.kind == MediaKind::Audio)
            .map(|m| (m.id.to_string(), m.fields.original_name.clone()))
            .collect()
    }

    fn published(&self) -> bool {
        self.item.fields.status == Status::Published
    }
}

/// The exhibition form page, for a new exhibition or an existing one with its stops.
#[derive(Template)]
#[template(path = "admin/exhibition_form.html")]
pub struct EditorPage {
    /// The request.
    pub ctx: PageCtx,
    /// The admin frame.
    pub admin: AdminCtx,
    /// The exhibition form as typed.
    pub form: ExhibitionForm,
    /// Problems with the exhibition form.
    pub errors: Vec<FieldError>,
    /// The exhibition being edited (None on "new").
    pub ex: Option<DraftExhibition>,
    /// Bases the user may present exhibitions for.
    pub bases: Vec<Base>,
    /// The stops.
    pub stops: Vec<StopView>,
    /// The item search text, when searching for stops to add.
    pub query: Option<String>,
    /// Items matching the search: (item, already a stop).
    pub results: Vec<(ItemSummary, bool)>,
    /// What must be fixed before publishing.
    pub problems: Vec<String>,
    /// Where the workflow can go from here.
    pub next_statuses: &'static [Status],
    /// A confirmation or refusal to show at the top.
    pub notice: Option<String>,
    /// The revision someone else saved meanwhile.
    pub conflict: Option<i64>,
    /// Views of the exhibition's public page in the last 30 days.
    pub views: i64,
}

impl EditorPage {
    /// The message for a problem with the exhibition form's field.
    fn err(&self, field: &str) -> Option<String> {
        error_for(&self.ctx, &self.errors, field)
    }

    fn stop_err(&self, stop: &StopView, field: &str) -> Option<String> {
        stop.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| self.ctx.t(e.key))
    }

    fn status_key(&self, s: &Status) -> String {
        format!("status-{}", s.code())
    }

    /// The stops whose items have no Mongolian title: their printed labels would be in
    /// Chinese only.
    fn without_mongolian(&self) -> Vec<&StopView> {
        self.stops
            .iter()
            .filter(|s| {
                s.item
                    .fields
                    .title
                    .mn
                    .as_deref()
                    .is_none_or(|t| t.trim().is_empty())
            })
            .collect()
    }

    fn missing_count(&self) -> i64 {
        i64::try_from(self.without_mongolian().len()).unwrap_or(i64::MAX)
    }

    /// How many stops the public will not see (their items are not published).
    fn hidden_stops(&self) -> usize {
        self.stops.iter().filter(|s| !s.published()).count()
    }

    /// The localized groups of the form.
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
                Some("title_zh"),
            )
        };
        vec![
            g(
                "field-title",
                1,
                ["title_zh", "title_mn", "title_en"],
                [&f.title_zh, &f.title_mn, &f.title_en],
            ),
            g(
                "field-subtitle",
                2,
                ["subtitle_zh", "subtitle_mn", "subtitle_en"],
                [&f.subtitle_zh, &f.subtitle_mn, &f.subtitle_en],
            ),
            g(
                "field-introduction",
                10,
                ["introduction_zh", "introduction_mn", "introduction_en"],
                [&f.introduction_zh, &f.introduction_mn, &f.introduction_en],
            ),
        ]
    }

    /// The three narrative fields of a stop: (lang, field name, value).
    fn narrative<'a>(&self, stop: &'a StopView) -> [(Lang, &'static str, &'a str); 3] {
        [
            (Lang::Zh, "narrative_zh", stop.form.narrative_zh.as_str()),
            (Lang::Mn, "narrative_mn", stop.form.narrative_mn.as_str()),
            (Lang::En, "narrative_en", stop.form.narrative_en.as_str()),
        ]
    }
}

/// Builds the editor page around `form` (and, when editing, the exhibition and its stops).
pub async fn editor_page(
    state: &AppState,
    ctx: PageCtx,
    auth: &Authenticated,
    form: ExhibitionForm,
    errors: Vec<FieldError>,
    ex: Option<DraftExhibition>,
) -> Result<EditorPage, AppError> {
    let bases = editable_bases(state, auth).await?;
    let mut stops = Vec::new();
    let mut problems = Vec::new();
    let mut next = &[][..];
    let mut views = 0;
    if let Some(ex) = &ex {
        views = recent_views(state, Viewed::Exhibition(ex.fields.slug.clone())).await?;
        let total = ex.stops.len();
        for (i, stop) in ex.stops.iter().enumerate() {
            let Some(item) = state.catalogue.item(&stop.item, Visibility::All).await? else {
                continue;
            };
            stops.push(StopView {
                number: i + 1,
                item,
                form: StopForm::of(&stop.fields, ex.revision),
                errors: Vec::new(),
                last: i + 1 == total,
            });
        }
        problems = exhibition_publish_problems(ex)
            .into_iter()
            .map(|m| {
                ctx.t(match m {
                    ExhibitionMissing::TitleZh => "exhibition-needs-title",
                    ExhibitionMissing::Stops => "exhibition-needs-stops",
                })
            })
            .collect();
        next = next_statuses(ex.status);
    }
    Ok(EditorPage {
        admin: AdminCtx::new(auth, "exhibitions"),
        form,
        errors,
        ex,
        bases,
        stops,
        query: None,
        results: Vec::new(),
        problems,
        next_statuses: next,
        notice: None,
        conflict: None,
        views,
        ctx,
    })
}

/// The page answered with another status (422 for a form to fix, 409 for a conflict).
pub fn with_status(page: &EditorPage, status: StatusCode) -> Result<Response, AppError> {
    let mut response = render(page)?;
    *response.status_mut() = status;
    Ok(response)
}
