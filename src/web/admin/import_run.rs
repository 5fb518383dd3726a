//! Bulk import, second step: running a checked import in the background, its progress
//! page (it refreshes itself every 2 seconds while rows are written; no script needed),
//! and the downloadable report. Runs and their progress live in this process's memory
//! ([`crate::catalogue::csv_import::run::Runs`]); a restart forgets them, but every row
//! written before is complete.

use super::import::{
    CSV_FILE, OWNER_FILE, ZIP_FILE, bases, csv_download, message, open_zip, staging_dir,
};
use super::{AdminCtx, require_editor};
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::csv_import::run::{RowOutcome, RunState, Writer};
use crate::catalogue::csv_import::{self, Problem};
use crate::error::AppError;
use crate::web::page::{PageCtx, render};
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// The run of `id` if `auth` started it: 404 when unknown, 403 when someone else's.
fn own_run(state: &AppState, auth: &Authenticated, id: &str) -> Result<RunState, AppError> {
    require_editor(auth)?;
    let run = state.imports.get(id).ok_or(AppError::NotFound)?;
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

/// `POST /admin/import/{id}/run`: starts writing a staged import in the background.
pub async fn start(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    Form(submit): Form<RunSubmit>,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    require_csrf(&auth, Some(&submit.csrf))?;
    let progress = format!("/admin/import/{id}");
    if let Some(run) = state.imports.get(&id) {
        // A second click on the button, or a reload: show the run that is going on.
        if run.owner != auth.user.id {
            return Err(AppError::Forbidden(
                "this import was started by someone else".into(),
            ));
        }
        return Ok(Redirect::to(&progress).into_response());
    }
    let dir = staging_dir(&state, &id).ok_or(AppError::NotFound)?;
    let owner = tokio::fs::read_to_string(dir.join(OWNER_FILE))
        .await
        .map_err(|_| AppError::NotFound)?;
    if owner.trim() != auth.user.id.to_string() {
        return Err(AppError::Forbidden(
            "this import was staged by someone else".into(),
        ));
    }
    let bytes = tokio::fs::read(dir.join(CSV_FILE))
        .await
        .map_err(|_| AppError::NotFound)?;
    let zip_path = dir.join(ZIP_FILE);
    let zip = if tokio::fs::try_exists(&zip_path).await.unwrap_or(false) {
        Some(
            open_zip(zip_path)
                .await
                .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?,
        )
    } else {
        None
    };
    // The rows are read again as they are now: the user's bases may have changed since the
    // dry run. Rows that no longer pass fail with their problems; the catalogue itself
    // refuses accession numbers and slugs taken meanwhile.
    let text = csv_import::decode::decode(&bytes)
        .map_err(|_| AppError::NotFound)?
        .0;
    let checked = csv_import::parse(&text, &bases(&state, &auth).await?);
    if !state.imports.start(&id, auth.user.id, checked.total) {
        return Ok(Redirect::to(&progress).into_response());
    }
    let task_state = state.clone();
    let actor = auth.actor();
    tokio::spawn(async move {
        let state = task_state;
        // If this task ends early (a panic in a row's write), the page must say so instead
        // of refreshing forever.
        let mut guard = Unfinished {
            state: state.clone(),
            id: id.clone(),
            done: false,
        };
        let mut failed: Vec<RowOutcome> = Vec::new();
        for p in &checked.problems {
            let Some(row) = p.row else { continue };
            match failed.iter_mut().find(|o| o.row == row) {
                Some(o) => o.problems.push(p.clone()),
                None => failed.push(RowOutcome {
                    row,
                    accession: String::new(),
                    slug: String::new(),
                    created: false,
                    problems: vec![p.clone()],
                }),
            }
        }
        for outcome in failed {
            state.imports.record(&id, outcome);
        }
        let writer = Writer {
            editor: state.editor.as_ref(),
            ingest: &state.ingest,
            actor,
            scratch: &dir,
        };
        for row in &checked.rows {
            let (outcome, images) = writer.write(row, zip.as_ref()).await;
            for sha in images {
                if let Err(e) = state.queue_derivatives(&sha).await {
                    tracing::warn!(error = %format!("{e:#}"), "derivatives not queued");
                }
            }
            state.imports.record(&id, outcome);
        }
        let _ = tokio::fs::remove_dir_all(&dir).await;
        state.imports.finish(&id);
        guard.done = true;
    });
    Ok(Redirect::to(&progress).into_response())
}

/// A row of the results table.
pub struct OutcomeLine {
    /// Row number.
    pub row: usize,
    /// Accession number.
    pub accession: String,
    /// Slug, linked when created.
    pub slug: String,
    /// Created or not.
    pub created: bool,
    /// Why not.
    pub message: String,
}

fn outcome_lines(ctx: &PageCtx, run: &RunState) -> Vec<OutcomeLine> {
    let mut lines: Vec<OutcomeLine> = run
        .outcomes
        .iter()
        .map(|o| OutcomeLine {
            row: o.row,
            accession: o.accession.clone(),
            slug: o.slug.clone(),
            created: o.created,
            message: o
                .problems
                .iter()
                .map(|p: &Problem| message(ctx, p))
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect();
    lines.sort_by_key(|l| l.row);
    lines
}

/// Marks a run interrupted when its task ends without finishing.
struct Unfinished {
    state: AppState,
    id: String,
    done: bool,
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if !self.done {
            tracing::error!(import = %self.id, "import run stopped before its last row");
            self.state.imports.interrupt(&self.id);
        }
    }
}

#[derive(Template)]
#[template(path = "admin/import_show.html")]
struct ShowPage {
    ctx: PageCtx,
    admin: AdminCtx,
    id: String,
    finished: bool,
    interrupted: bool,
    done: usize,
    total: usize,
    created: usize,
    failed: usize,
    outcomes: Vec<OutcomeLine>,
    /// No run of this id in this process: it restarted, or another server ran it.
    unknown: bool,
}

/// `GET /admin/import/{id}`: progress while running, then the results.
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    if state.imports.get(&id).is_none() {
        // Runs live in this process's memory: say so rather than a bare "not found".
        let mut page = render(&ShowPage {
            admin: AdminCtx::new(&auth, "import"),
            finished: true,
            interrupted: false,
            done: 0,
            total: 0,
            created: 0,
            failed: 0,
            outcomes: Vec::new(),
            unknown: true,
            id: String::new(),
            ctx,
        })?;
        *page.status_mut() = axum::http::StatusCode::NOT_FOUND;
        return Ok(page);
    }
    let run = own_run(&state, &auth, &id)?;
    render(&ShowPage {
        unknown: false,
        admin: AdminCtx::new(&auth, "import"),
        finished: run.finished,
        interrupted: run.interrupted,
        done: run.outcomes.len(),
        total: run.total,
        created: run.created(),
        failed: run.failed(),
        outcomes: outcome_lines(&ctx, &run),
        id,
        ctx,
    })
}

/// `GET /admin/import/{id}/report.csv`: one line per row (created or failed, and why), in
/// UTF-8 with a byte-order mark so Excel opens it.
pub async fn report(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let run = own_run(&state, &auth, &id)?;
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let write = |w: &mut csv::Writer<&mut Vec<u8>>, record: [&str; 5]| {
            w.write_record(record)
                .map_err(|e| AppError::Internal(e.into()))
        };
        write(&mut w, ["row", "accession", "slug", "result", "message"])?;
        for line in outcome_lines(&ctx, &run) {
            let result = if line.created { "created" } else { "failed" };
            write(
                &mut w,
                [
                    &line.row.to_string(),
                    &line.accession,
                    &line.slug,
                    result,
                    &line.message,
                ],
            )?;
        }
        if !run.finished {
            write(&mut w, ["", "", "", "running", ""])?;
        }
        if run.interrupted {
            write(
                &mut w,
                ["", "", "", "stopped", &ctx.t("import-interrupted")],
            )?;
        }
        w.flush().map_err(|e| AppError::Internal(e.into()))?;
    }
    Ok(csv_download("edubase-import-report.csv", out))
}
