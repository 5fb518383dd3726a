//! Bulk import, second step: running a checked import, its progress page (it refreshes
//! itself every 2 seconds while rows are written; no script needed), and the downloadable
//! report. "Run" queues a job ([`crate::app::import_job`]) that any server's import worker
//! takes; the run and each row's outcome are in the database, so every server shows the
//! same progress, and a run cut off by a restart goes on by itself.

use super::csv_file::CsvFile;
use super::import::message;
use super::{AdminCtx, require_editor};
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::app::import_job::IMPORT_JOB;
use crate::catalogue::csv_import::Problem;
use crate::catalogue::csv_import::run::{ImportRun, RowOutcome, RowResult, Stage, Tally};
use crate::error::AppError;
use crate::web::page::{PageCtx, render};
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// The run of `id` if `auth` staged it: 404 when unknown, 403 when someone else's.
async fn own_run(state: &AppState, auth: &Authenticated, id: &str) -> Result<ImportRun, AppError> {
    require_editor(auth)?;
    let run = state
        .imports
        .import_run(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if run.owner != auth.user.id {
        return Err(AppError::Forbidden(
            "this import was started by someone else".into(),
        ));
    }
    Ok(run)
}

/// The run button's form.
#[derive(Deserialize)]
pub struct RunSubmit {
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// `POST /admin/import/{id}/run`: queues a staged import for the import worker.
pub async fn start(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    Form(submit): Form<RunSubmit>,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    require_csrf(&auth, Some(&submit.csrf))?;
    own_run(&state, &auth, &id).await?;
    // A second click on the button, or a reload, finds the run queued already: its
    // progress is shown either way.
    let now = chrono::Utc::now();
    if state
        .imports
        .move_run(&id, &[Stage::Staged], Stage::Queued, now)
        .await?
    {
        state.jobs.enqueue(IMPORT_JOB, &id, now).await?;
    }
    Ok(Redirect::to(&format!("/admin/import/{id}")).into_response())
}

/// A row of the results table.
pub struct OutcomeLine {
    /// Row number.
    pub row: usize,
    /// Accession number.
    pub accession: String,
    /// Slug, linked unless the row failed.
    pub slug: String,
    /// What the row did.
    pub result: RowResult,
    /// Why it failed.
    pub message: String,
}

fn outcome_lines(ctx: &PageCtx, outcomes: &[RowOutcome]) -> Vec<OutcomeLine> {
    outcomes
        .iter()
        .map(|o| OutcomeLine {
            row: o.row,
            accession: o.accession.clone(),
            slug: o.slug.clone(),
            result: o.result,
            message: o
                .problems
                .iter()
                .map(|p: &Problem| message(ctx, p))
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/import_show.html")]
struct ShowPage {
    ctx: PageCtx,
    admin: AdminCtx,
    id: String,
    /// Checked, not run yet: the page offers the run button.
    staged: bool,
    /// Run, waiting for an import worker (another import may be running).
    queued: bool,
    finished: bool,
    interrupted: bool,
    done: usize,
    total: usize,
    tally: Tally,
    outcomes: Vec<OutcomeLine>,
}

impl ShowPage {
    /// The line of a finished run: how many rows did what.
    fn summary(&self) -> String {
        let args = self.tally.args();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.ctx.tr.with(self.tally.message_key(), &args)
    }
}

/// `GET /admin/import/{id}`: progress while running, then the results.
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let run = own_run(&state, &auth, &id).await?;
    let outcomes = state.imports.outcomes(&id).await?;
    render(&ShowPage {
        admin: AdminCtx::new(&auth, "import"),
        staged: run.stage == Stage::Staged,
        queued: run.stage == Stage::Queued,
        finished: run.stage.is_over(),
        interrupted: run.stage == Stage::Stopped,
        done: outcomes.len(),
        total: run.total,
        tally: Tally::of(&outcomes),
        outcomes: outcome_lines(&ctx, &outcomes),
        id,
        ctx,
    })
}

/// `GET /admin/import/{id}/report.csv`: one line per row (what it did, and why it failed), in
/// UTF-8 with a byte-order mark so Excel opens it.
pub async fn report(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let run = own_run(&state, &auth, &id).await?;
    let outcomes = state.imports.outcomes(&id).await?;
    let mut out = CsvFile::new();
    out.row(["row", "accession", "slug", "result", "message"])?;
    for line in outcome_lines(&ctx, &outcomes) {
        out.row([
            &line.row.to_string(),
            &line.accession,
            &line.slug,
            line.result.as_str(),
            &line.message,
        ])?;
    }
    if !run.stage.is_over() {
        out.row(["", "", "", "running", ""])?;
    }
    if run.stage == Stage::Stopped {
        out.row(["", "", "", "stopped", &ctx.t("import-interrupted")])?;
    }
    out.download("edubase-import-report.csv")
}

/// A run in the list of the curator's recent imports.
pub struct RunLine {
    /// The run's id.
    pub id: String,
    /// When it was checked, China time.
    pub when: String,
    /// Data rows in its file.
    pub total: usize,
    /// Where it stands, in words.
    pub status: String,
    /// False while rows are being written.
    pub over: bool,
}

/// The curator's 20 most recent runs (kept 30 days), as the list shows them.
pub async fn recent_runs(
    state: &AppState,
    ctx: &PageCtx,
    auth: &Authenticated,
) -> Result<Vec<RunLine>, AppError> {
    let runs = state.imports.runs_of(auth.user.id, 20).await?;
    Ok(runs
        .into_iter()
        .map(|r| {
            let (done, created) = (r.tally.done().to_string(), r.tally.created.to_string());
            let args = r.tally.args();
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let total = r.run.total.to_string();
            let status = match r.run.stage {
                Stage::Staged => ctx.t("import-status-staged"),
                Stage::Queued => ctx.t("import-status-queued"),
                Stage::Running => ctx.tr.with(
                    "import-status-running",
                    &[("done", &done), ("total", &total)],
                ),
                Stage::Finished => ctx.tr.with(r.tally.message_key(), &args),
                Stage::Stopped => ctx
                    .tr
                    .with("import-status-stopped", &[("created", &created)]),
            };
            RunLine {
                when: crate::stats::china_time(r.run.created_at)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                total: r.run.total,
                over: r.run.stage.is_over() || r.run.stage == Stage::Staged,
                status,
                id: r.run.id,
            }
        })
        .collect())
}
