//! The banner report by base, for administrators: for one school year, what each base has
//! online now, how often the public opened its pages in the year, and how many students
//! walked it on an assignment. The registry's yearly figures; a table and a CSV.

use super::class_report::{year, year_code, year_label, years_with};
use super::csv_file::CsvFile;
use super::{AdminCtx, require_admin};
use crate::app::AppState;
use crate::error::AppError;
use crate::stats::{BaseFigures, percent};
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
        .route("/admin/report/bases", get(show))
        .route("/admin/report/bases.csv", get(export))
}

#[derive(Template)]
#[template(path = "admin/base_report.html")]
struct BaseReportPage {
    ctx: PageCtx,
    admin: AdminCtx,
    year: i32,
    years: Vec<i32>,
    bases: Vec<BaseFigures>,
}

impl BaseReportPage {
    fn year_label(&self, y: &i32) -> String {
        year_label(*y)
    }

    /// A count with its share of the published items, as "12 (80%)".
    fn with_share(&self, n: &i64, share: Option<i64>) -> String {
        share.map_or_else(|| n.to_string(), |p| format!("{n} ({p}%)"))
    }

    /// The sum of one figure over every base: only for figures no two bases share.
    fn total(&self, figure: &str) -> i64 {
        self.bases
            .iter()
            .map(|b| match figure {
                "items" => b.items,
                "published" => b.published,
                "bilingual" => b.bilingual,
                "with_media" => b.with_media,
                "exhibitions" => b.exhibitions,
                _ => b.views,
            })
            .sum()
    }

    /// The sum of a figure with its share of all published items.
    fn total_share(&self, figure: &str) -> String {
        let n = self.total(figure);
        self.with_share(&n, percent(n, self.total("published")))
    }
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
    render(&BaseReportPage {
        admin: AdminCtx::new(&auth, "report"),
        bases: state.stats.base_figures(year).await?,
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
    let mut out = CsvFile::new();
    out.row([
        ctx.t("report-school-year"),
        "slug".to_owned(),
        ctx.t("field-name"),
        ctx.t("field-kind"),
        ctx.t("field-base-level"),
        ctx.t("field-status"),
        ctx.t("report-items-all"),
        ctx.t("report-items-published"),
        ctx.t("report-bilingual"),
        ctx.t("report-with-media"),
        ctx.t("report-exhibitions"),
        ctx.t("report-views"),
        ctx.t("report-assignments"),
        ctx.t("report-visitors"),
        ctx.t("report-essays"),
    ])?;
    for b in state.stats.base_figures(year).await? {
        out.row([
            year_code(year),
            b.slug.to_string(),
            ctx.txt(&b.name).to_string(),
            ctx.base_kind(&b.kind),
            b.level.as_ref().map(|l| ctx.level(l)).unwrap_or_default(),
            ctx.t(&format!("status-{}", b.status)),
            b.items.to_string(),
            b.published.to_string(),
            b.bilingual.to_string(),
            b.with_media.to_string(),
            b.exhibitions.to_string(),
            b.views.to_string(),
            b.assignments.to_string(),
            b.visitors.to_string(),
            b.essays.to_string(),
        ])?;
    }
    out.download(&format!("bases-report-{year}.csv"))
}
