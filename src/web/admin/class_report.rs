//! The banner report for administrators: for one school year, per school and grade, how
//! many assignments ran, how many students visited and how many essays were handed in.
//! Counts only, nothing about any child; a table, horizontal SVG bars, and a CSV.

use super::csv_file::CsvFile;
use super::{AdminCtx, require_admin};
use crate::app::AppState;
use crate::classroom::model::ReportRow;
use crate::classroom::rules::school_year_of;
use crate::error::AppError;
use crate::stats::today;
use crate::web::page::{PageCtx, render};
use crate::web::params::Params;
use crate::web::session::SignedIn;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

/// The report routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/report", get(show))
        .route("/admin/report.csv", get(export))
}

/// Width of the label column and of the longest bar, in SVG units.
const LABEL: u32 = 260;
const BAR: u32 = 420;
/// Height of one school-and-grade group (two bars).
const GROUP: u32 = 44;

/// The bars of one school and grade.
pub struct Bars {
    /// "School · grade".
    pub label: String,
    /// Top of the group.
    pub y: u32,
    /// Length of the visitors' bar.
    pub visitors: u32,
    /// Length of the essays' bar.
    pub essays: u32,
    /// The row.
    pub row: ReportRow,
}

fn bars(rows: &[ReportRow]) -> Vec<Bars> {
    let max = rows
        .iter()
        .map(|r| r.visitors.max(r.essays))
        .max()
        .unwrap_or(0)
        .max(1);
    let len = |n: i64| (n.max(0) as u64 * u64::from(BAR) / max as u64) as u32;
    rows.iter()
        .enumerate()
        .map(|(i, r)| Bars {
            label: format!("{} · {}", r.school, r.grade),
            y: i as u32 * GROUP,
            visitors: len(r.visitors),
            essays: len(r.essays),
            row: r.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/class_report.html")]
struct ReportPage {
    ctx: PageCtx,
    admin: AdminCtx,
    year: i32,
    years: Vec<i32>,
    rows: Vec<ReportRow>,
    bars: Vec<Bars>,
    height: u32,
    label_w: u32,
    width: u32,
}

impl ReportPage {
    fn year_label(&self, y: &i32) -> String {
        year_label(*y)
    }

    fn total(&self, which: &str) -> i64 {
        self.rows
            .iter()
            .map(|r| match which {
                "assignments" => r.assignments,
                "visitors" => r.visitors,
                "students" => r.students,
                "visited" => r.visited,
                "wrote" => r.wrote,
                "unsized" => r.unsized_classes,
                _ => r.essays,
            })
            .sum()
    }

    /// The whole year as one row, for its coverage.
    fn all(&self) -> ReportRow {
        ReportRow {
            students: self.total("students"),
            visited: self.total("visited"),
            wrote: self.total("wrote"),
            ..ReportRow::default()
        }
    }

    /// How many classes are left out of the coverage, when any are.
    fn unsized_note(&self) -> Option<String> {
        let n = self.total("unsized");
        (n > 0).then(|| self.ctx.n("report-unsized-note", &n))
    }

    /// A share as "91%", or "–" when no class gave its size.
    fn percent(&self, share: Option<i64>) -> String {
        share.map_or_else(|| "–".to_owned(), |p| format!("{p}%"))
    }
}

/// A school year as people read it: "2025–2026".
pub(super) fn year_label(year: i32) -> String {
    format!("{year}–{}", year + 1)
}

/// A school year in a CSV cell: "2025-2026" (ASCII, as spreadsheets sort it).
pub(super) fn year_code(year: i32) -> String {
    format!("{year}-{}", year + 1)
}

/// `?year=`: a school year by its first calendar year; this school year by default.
pub(super) fn year(params: &Params) -> Result<i32, AppError> {
    match params.get("year") {
        None => Ok(school_year_of(today())),
        Some(v) => v
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::bad_param("year", v, Some("a year such as 2025".into()))),
    }
}

/// The school years with assignments, newest first, with `year` among them.
pub(super) async fn years_with(state: &AppState, year: i32) -> Result<Vec<i32>, AppError> {
    let mut years = state.classroom.repo().school_years().await?;
    if !years.contains(&year) {
        years.push(year);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    Ok(years)
}

async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    params: Params,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    let year = year(&params)?;
    let years = years_with(&state, year).await?;
    let rows = state.classroom.repo().report(year).await?;
    let bars = bars(&rows);
    render(&ReportPage {
        admin: AdminCtx::new(&auth, "report"),
        height: (bars.len() as u32).max(1) * GROUP + 8,
        label_w: LABEL,
        width: LABEL + BAR + 60,
        bars,
        rows,
        year,
        years,
        ctx,
    })
}

async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    params: Params,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    let year = year(&params)?;
    let rows = state.classroom.repo().report(year).await?;
    let mut out = CsvFile::new();
    out.row([
        ctx.t("report-school-year"),
        ctx.t("field-school"),
        ctx.t("field-grade"),
        ctx.t("report-assignments"),
        ctx.t("report-visitors"),
        ctx.t("report-essays"),
        ctx.t("report-students"),
        ctx.t("report-visited"),
        ctx.t("report-visit-coverage"),
        ctx.t("report-wrote"),
        ctx.t("report-coverage"),
        ctx.t("report-unsized"),
    ])?;
    for r in rows {
        let share = |p: Option<i64>| p.map(|p| p.to_string()).unwrap_or_default();
        let (visit_coverage, essay_coverage) =
            (share(r.visit_coverage()), share(r.essay_coverage()));
        out.row([
            year_code(year),
            r.school,
            r.grade,
            r.assignments.to_string(),
            r.visitors.to_string(),
            r.essays.to_string(),
            r.students.to_string(),
            r.visited.to_string(),
            visit_coverage,
            r.wrote.to_string(),
            essay_coverage,
            r.unsized_classes.to_string(),
        ])?;
    }
    out.download(&format!("classroom-report-{year}.csv"))
}
