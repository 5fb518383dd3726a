//! The background job that writes a bulk import. The curator's "run" queues it; any server's
//! import worker takes it. Each row's outcome is recorded as it is written, so the progress
//! page works on every server, and a run cut off (a restart, a crash) goes on from the first
//! row without an outcome when the job is taken up again.

use super::AppState;
use crate::catalogue::csv_import::run::{ImportRun, RowOutcome, RowResult, Stage, Tally, Writer};
use crate::catalogue::csv_import::{self, Bases, MediaZip, Problem};
use crate::jobs::{HandlerResult, Job, MAX_ATTEMPTS};
use crate::repo::Visibility;
use crate::store::BlobKey;
use anyhow::Context;
use futures_util::FutureExt;
use std::collections::HashSet;
use std::path::PathBuf;

/// The kind of job that writes a bulk import; its payload is the run's id.
pub const IMPORT_JOB: &str = "import";

/// Runs the import `job` names. When its last attempt fails, the run is marked stopped so
/// that its page says so instead of waiting for ever.
pub async fn run(state: AppState, job: Job) -> HandlerResult {
    let id = job.payload;
    match write_rows(&state, &id).await {
        Ok(()) => Ok(()),
        Err(e) => {
            let e = format!("{e:#}");
            tracing::error!(import = %id, attempt = job.attempts, error = %e, "import run failed");
            if job.attempts >= MAX_ATTEMPTS {
                stop(&state, &id).await;
            }
            Err(e)
        }
    }
}

/// The folder where zips are downloaded from a remote store and files taken out of them
/// wait for their checks: this server's own.
pub fn scratch_dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join("imports")
}

/// Deletes runs staged a day ago and never run (with their zips), reports of runs over for
/// 30 days, and what dry runs on this server left behind a day ago (a crash's leftovers);
/// queues again any unfinished run that lost its job.
/// Returns how many runs were deleted.
pub async fn sweep(state: &AppState, now: chrono::DateTime<chrono::Utc>) -> usize {
    let mut deleted = 0;
    match state
        .imports
        .old_runs(
            now - chrono::Duration::days(1),
            now - chrono::Duration::days(30),
        )
        .await
    {
        Ok(runs) => {
            for run in runs {
                if let Some(key) = BlobKey::staged(&run.id)
                    && run.has_zip
                    && let Err(e) = state.blobs.remove_staged(&key).await
                {
                    tracing::warn!(import = %run.id, error = %format!("{e:#}"), "staged zip not deleted");
                    continue;
                }
                match state.imports.delete_run(&run.id).await {
                    Ok(()) => deleted += 1,
                    Err(e) => {
                        tracing::warn!(import = %run.id, error = %e, "old import run not deleted")
                    }
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "old import runs not listed"),
    }
    // A run queued or running has a job waiting or at work; should it have none (the job
    // was lost between the run's move and its queueing), it gets one again. A job already
    // waiting is not doubled.
    match state.imports.unfinished_runs().await {
        Ok(ids) => {
            for id in ids {
                if let Err(e) = state.jobs.enqueue(IMPORT_JOB, &id, now).await {
                    tracing::warn!(import = %id, error = %e, "import run not queued again");
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "unfinished import runs not listed"),
    }
    let Ok(mut entries) = tokio::fs::read_dir(scratch_dir(state)).await else {
        return deleted;
    };
    while let Ok(Some(entry)) = entries.next_entry().await {
        if crate::store::is_leftover(&entry).await {
            let path = entry.path();
            if tokio::fs::remove_dir_all(&path).await.is_err() {
                let _ = tokio::fs::remove_file(&path).await;
            }
        }
    }
    deleted
}

/// Marks a run stopped for good and deletes its staged zip.
async fn stop(state: &AppState, id: &str) {
    let moved = state
        .imports
        .move_run(
            id,
            &[Stage::Queued, Stage::Running],
            Stage::Stopped,
            chrono::Utc::now(),
        )
        .await;
    match moved {
        Ok(true) => audit_end(state, id, Stage::Stopped).await,
        Ok(false) => {}
        Err(e) => tracing::warn!(import = %id, error = %e, "import run not marked stopped"),
    }
    remove_zip(state, id).await;
}

/// One line in the audit log for a run that ended, with its counts (each item it created
/// has its own line too).
async fn audit_end(state: &AppState, id: &str, stage: Stage) {
    let entry = async {
        let run = state.imports.import_run(id).await?;
        let outcomes = state.imports.outcomes(id).await?;
        let Some(run) = run else { return Ok(None) };
        let owner = state.accounts.repo().user(run.owner).await?;
        let tally = Tally::of(&outcomes);
        Ok::<_, crate::repo::RepoError>(Some(crate::repo::AuditEntry {
            actor: Some(run.owner),
            actor_name: owner.map(|u| u.username.to_string()).unwrap_or_default(),
            action: format!("import.{}", stage.as_str()),
            entity: "import".into(),
            entity_id: id.to_owned(),
            before: None,
            after: Some(
                serde_json::json!({
                    "rows": run.total,
                    "created": tally.created,
                    "updated": tally.updated,
                    "unchanged": tally.unchanged,
                    "failed": tally.failed,
                })
                .to_string(),
            ),
        }))
    };
    let written = match entry.await {
        Ok(Some(entry)) => state.accounts.repo().audit(&entry).await,
        Ok(None) => Ok(()),
        Err(e) => Err(e),
    };
    if let Err(e) = written {
        tracing::warn!(import = %id, error = %e, "the end of an import run was not logged");
    }
}

async fn remove_zip(state: &AppState, id: &str) {
    if let Some(key) = BlobKey::staged(id)
        && let Err(e) = state.blobs.remove_staged(&key).await
    {
        tracing::warn!(import = %id, error = %format!("{e:#}"), "staged zip not deleted");
    }
}

async fn write_rows(state: &AppState, id: &str) -> anyhow::Result<()> {
    let Some(run) = state.imports.import_run(id).await? else {
        return Ok(()); // deleted meanwhile
    };
    if !matches!(run.stage, Stage::Queued | Stage::Running) {
        return Ok(());
    }
    let now = chrono::Utc::now();
    let from = [Stage::Queued, Stage::Running];
    if !state
        .imports
        .move_run(id, &from, Stage::Running, now)
        .await?
    {
        return Ok(());
    }
    let resumed = run.stage == Stage::Running;
    let started = run.started_at.unwrap_or(now);
    let owner = state.accounts.repo().user(run.owner).await?;
    let Some(owner) = owner.filter(|u| !u.disabled) else {
        tracing::warn!(import = %id, "the account that ran this import is disabled; stopped");
        stop(state, id).await;
        return Ok(());
    };
    // The rows are read again as they are now: the owner's bases and the items rows update
    // may have changed since the dry run. Rows that no longer pass fail with their
    // problems; the catalogue itself refuses accession numbers and slugs taken meanwhile,
    // and updates of items changed meanwhile.
    let bases = Bases::for_user(state.catalogue.as_ref(), &owner).await?;
    let csv = state.imports.import_csv(id).await?;
    let Ok((text, _)) = csv_import::decode::decode(&csv) else {
        // It passed its check when it was kept; trying again cannot make it readable.
        tracing::error!(import = %id, "the kept CSV cannot be read; stopped");
        stop(state, id).await;
        return Ok(());
    };
    let existing = csv_import::update::existing_items(&text, state.catalogue.as_ref()).await?;
    let checked = csv_import::parse(&text, &bases, &existing);
    let scratch = scratch_dir(state);
    tokio::fs::create_dir_all(&scratch).await?;
    let (zip, downloaded) = open_zip(state, &run, &scratch).await?;
    if run.has_zip && zip.is_none() {
        tracing::error!(import = %id, "the staged media zip is missing; stopped");
        stop(state, id).await;
        return Ok(());
    }
    let actor = crate::repo::Actor {
        id: Some(owner.id),
        name: owner.username.to_string(),
    };
    let from_row = Resume { resumed, started };
    let result = write_checked(state, &run, checked, zip.as_ref(), actor, from_row).await;
    if let Some(path) = downloaded {
        tokio::fs::remove_file(path).await.ok();
    }
    result?;
    if state
        .imports
        .move_run(id, &[Stage::Running], Stage::Finished, chrono::Utc::now())
        .await?
    {
        audit_end(state, id, Stage::Finished).await;
    }
    remove_zip(state, id).await;
    Ok(())
}

/// Opens the run's staged zip: in place from a folder store, else downloaded to `scratch`
/// (returned second, for deleting after).
async fn open_zip(
    state: &AppState,
    run: &ImportRun,
    scratch: &std::path::Path,
) -> anyhow::Result<(Option<MediaZip>, Option<PathBuf>)> {
    if !run.has_zip {
        return Ok((None, None));
    }
    let key = BlobKey::staged(&run.id).context("not an import id")?;
    let download = scratch.join(format!("{}.zip", run.id));
    let Some(path) = crate::store::local_copy(state.blobs.as_ref(), &key, &download).await? else {
        return Ok((None, None));
    };
    let downloaded = (path == download).then(|| download.clone());
    let opened = tokio::task::spawn_blocking(move || MediaZip::open(&path)).await?;
    match opened {
        Ok(zip) => Ok((Some(zip), downloaded)),
        Err(e) => {
            if let Some(d) = downloaded {
                tokio::fs::remove_file(d).await.ok();
            }
            Err(anyhow::anyhow!("the staged media zip cannot be read: {e}"))
        }
    }
}

/// Whether a run goes on after a cut-off, and when it first started.
struct Resume {
    resumed: bool,
    started: chrono::DateTime<chrono::Utc>,
}

/// Records the rows that fail their checks, then writes the others, skipping rows done
/// before the run was cut off.
async fn write_checked(
    state: &AppState,
    run: &ImportRun,
    checked: csv_import::Checked,
    zip: Option<&MediaZip>,
    actor: crate::repo::Actor,
    Resume { resumed, started }: Resume,
) -> anyhow::Result<()> {
    let id = run.id.as_str();
    let mut failed: Vec<RowOutcome> = Vec::new();
    for p in &checked.problems {
        let Some(row) = p.row else { continue };
        match failed.iter_mut().find(|o| o.row == row) {
            Some(o) => o.problems.push(p.clone()),
            None => failed.push(RowOutcome {
                row,
                accession: String::new(),
                slug: String::new(),
                result: RowResult::Failed,
                problems: vec![p.clone()],
            }),
        }
    }
    for outcome in &failed {
        state.imports.record_outcome(id, outcome).await?;
    }
    let done: HashSet<usize> = state
        .imports
        .outcomes(id)
        .await?
        .into_iter()
        .map(|o| o.row)
        .collect();
    let writer = Writer {
        editor: state.editor.as_ref(),
        ingest: &state.ingest,
        actor,
        scratch: &scratch_dir(state),
    };
    // Only the first row without an outcome can have been written before a cut-off (rows
    // are written one after another, each outcome recorded right after). An update written
    // then reads as unchanged now, and is recorded so.
    let mut first_pending = resumed;
    for row in checked.rows.iter().filter(|r| !done.contains(&r.row)) {
        if std::mem::take(&mut first_pending)
            && row.update.is_none()
            && let Some(item) = state
                .catalogue
                .item(&row.fields.slug, Visibility::All)
                .await?
            && item.fields.accession == row.fields.accession
            && item.created_at >= started
        {
            let outcome = RowOutcome {
                result: RowResult::Created,
                ..RowOutcome::failed(row, Vec::new())
            };
            state.imports.record_outcome(id, &outcome).await?;
            continue;
        }
        let written = std::panic::AssertUnwindSafe(writer.write(row, zip))
            .catch_unwind()
            .await;
        let (outcome, images) = written.unwrap_or_else(|_| {
            tracing::error!(import = %id, row = row.row, "import row panicked");
            let problem = Problem::new(
                Some(row.row),
                None,
                "csv-row-failed",
                &[("reason", "internal error")],
            );
            (RowOutcome::failed(row, vec![problem]), Vec::new())
        });
        for sha in images {
            if let Err(e) = state.queue_derivatives(&sha).await {
                tracing::warn!(error = %format!("{e:#}"), "derivatives not queued");
            }
        }
        state.imports.record_outcome(id, &outcome).await?;
    }
    Ok(())
}
