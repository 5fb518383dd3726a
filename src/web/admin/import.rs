//! Bulk import, first step: the upload form, the template, and the dry run that shows every
//! problem by row and column. The files arrive in a folder of this server's own and are
//! checked there. A file that passes is kept so the curator need not upload it again to run
//! it, where every server finds it: the CSV with the run in the database, the zip in the
//! media store. Files that fail are deleted at once (a zip sent resumably stays for the next
//! check: [`super::import_zip`]); runs staged and never run are deleted after a day, and
//! finished runs' reports after 30 days.

use super::import_zip::{ZIP_FILE, ZipSource, open_zip, uploaded_zip, zip_path};
use super::{AdminCtx, csv_file, require_editor};
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::csv_import::media_zip::MAX_ZIP_BYTES;
use crate::catalogue::csv_import::run::{ImportRun, Stage};
use crate::catalogue::csv_import::{self, Bases, Problem, columns, workbook};
use crate::error::AppError;
use crate::web::page::{PageCtx, render};
use crate::web::session::{SignedIn, require_csrf};
use crate::web::uploads::discard as discard_upload;
use askama::Template;
use axum::Router;
use axum::extract::multipart::Field;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Largest CSV file accepted.
const MAX_CSV_BYTES: u64 = 20 << 20;
/// The received CSV's file name.
const CSV_FILE: &str = "items.csv";

/// The import routes of the admin.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/import", get(new_form).post(create))
        .route("/admin/import/template.csv", get(template))
        .route("/admin/import/{id}", get(super::import_run::show))
        .route("/admin/import/{id}/run", post(super::import_run::start))
        .route(
            "/admin/import/{id}/report.csv",
            get(super::import_run::report),
        )
        // Zips of photographs are large; the staging below bounds each file itself.
        .layer(DefaultBodyLimit::disable())
}

/// The folder where one dry run receives its files.
fn receiving_dir(state: &AppState, id: &str) -> PathBuf {
    crate::app::import_job::scratch_dir(state).join(id)
}

/// A clean dry run: the staged import's id and what its rows will do.
pub struct Ready {
    /// The run's id.
    pub id: String,
    /// Data rows.
    pub rows: usize,
    /// Rows that make new items, update items, and change nothing.
    pub counts: (usize, usize, usize),
    /// The rows that update items (at most [`MAX_LISTED`]): row, accession, slug and the
    /// columns they change.
    pub updates: Vec<(usize, String, String, String)>,
}

/// The most updating rows the dry run lists.
const MAX_LISTED: usize = 500;

impl Ready {
    /// The summary line's message arguments.
    pub fn args(&self) -> [(&'static str, String); 3] {
        let (new, updates, unchanged) = self.counts;
        [
            ("new", new.to_string()),
            ("updated", updates.to_string()),
            ("unchanged", unchanged.to_string()),
        ]
    }
}

/// A problem as the page shows it.
pub struct ProblemLine {
    /// Row number, or blank for the whole file.
    pub row: String,
    /// Column code, or blank.
    pub column: String,
    /// The message in the curator's language.
    pub message: String,
}

/// A problem's message in the curator's language.
pub fn message(ctx: &PageCtx, p: &Problem) -> String {
    let args: Vec<(&str, &str)> = p
        .args
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    ctx.tr.with(&p.key, &args)
}

fn lines(ctx: &PageCtx, problems: &[Problem]) -> Vec<ProblemLine> {
    problems
        .iter()
        .map(|p| ProblemLine {
            row: p.row.map(|r| r.to_string()).unwrap_or_default(),
            column: p.column.clone().unwrap_or_default(),
            message: message(ctx, p),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/import_form.html")]
struct FormPage {
    ctx: PageCtx,
    admin: AdminCtx,
    problems: Vec<ProblemLine>,
    /// Set after a clean dry run: the staged import and what its rows will do.
    ready: Option<Ready>,
    /// A media zip sent resumably that the next check may use again: its upload id and
    /// file name.
    uploaded: Option<(String, String)>,
    /// The largest media zip, in MB.
    max_zip_mb: u64,
    /// The curator's recent runs.
    runs: Vec<super::import_run::RunLine>,
}

impl FormPage {
    /// What a clean dry run's rows will do, in words.
    fn plan(&self, ready: &Ready) -> String {
        let args = ready.args();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.ctx.tr.with("import-plan", &args)
    }
}

async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    crate::app::import_job::sweep(&state, chrono::Utc::now()).await;
    render(&FormPage {
        admin: AdminCtx::new(&auth, "import"),
        problems: Vec::new(),
        ready: None,
        uploaded: None,
        max_zip_mb: MAX_ZIP_BYTES >> 20,
        runs: super::import_run::recent_runs(&state, &ctx, &auth).await?,
        ctx,
    })
}

/// `GET /admin/import/template.csv`: every column and an example row, with a byte-order
/// mark so Excel opens it as UTF-8.
async fn template(SignedIn(auth): SignedIn) -> Result<Response, AppError> {
    require_editor(&auth)?;
    Ok(csv_file::download(
        "edubase-import-template.csv",
        columns::template(),
    ))
}

/// Streams a multipart file to `path`; `Ok(None)` when it passes `limit` bytes.
async fn save(mut field: Field<'_>, path: &Path, limit: u64) -> Result<Option<u64>, AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::bad_param("body", &e.to_string(), None)
    };
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut total = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(bad)? {
        total += chunk.len() as u64;
        if total > limit {
            return Ok(None);
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
    }
    file.flush()
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(Some(total))
}

/// The bases of the catalogue, and those `auth` may import into.
pub async fn bases(state: &AppState, auth: &Authenticated) -> Result<Bases, AppError> {
    Ok(Bases::for_user(state.catalogue.as_ref(), &auth.user).await?)
}

/// `POST /admin/import`: stages the files and checks them (the dry run).
async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    mut form: Multipart,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    crate::app::import_job::sweep(&state, chrono::Utc::now()).await;
    let dir = receiving_dir(&state, &crate::accounts::secret::random_token());
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let outcome = dry_run(&state, &auth, &mut form, &dir).await;
    // A run is named by the upload of its zip, if it came that way (the zip is in the store
    // under that name), else by a new token.
    let id = match &outcome {
        Ok(DryRun {
            zip: Some(ZipSource::Uploaded { id, .. }),
            ..
        }) => id.clone(),
        _ => crate::accounts::secret::random_token(),
    };
    let kept = match &outcome {
        Ok(checked) if checked.problems.is_empty() => keep(&state, &auth, &id, &dir, checked).await,
        _ => Ok(()),
    };
    let _ = tokio::fs::remove_dir_all(&dir).await;
    kept?;
    let DryRun {
        problems,
        rows,
        counts,
        updates,
        zip,
    } = outcome?;
    // A zip sent resumably stays for the next check, unless it is what was wrong.
    let uploaded = match zip {
        Some(ZipSource::Uploaded { id, name }) if !problems.is_empty() => {
            let zip_was_wrong = problems.iter().any(|p| p.key == "csv-zip-unreadable");
            if zip_was_wrong {
                discard_upload(&state, &id).await;
                None
            } else {
                Some((id, name))
            }
        }
        _ => None,
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        admin: AdminCtx::new(&auth, "import"),
        problems: lines(&ctx, &problems),
        ready: problems.is_empty().then_some(Ready {
            id,
            rows,
            counts,
            updates,
        }),
        uploaded,
        max_zip_mb: MAX_ZIP_BYTES >> 20,
        runs: super::import_run::recent_runs(&state, &ctx, &auth).await?,
        ctx,
    };
    let mut response = render(&page)?;
    *response.status_mut() = status;
    Ok(response)
}

/// What a dry run found.
struct DryRun {
    /// Every problem.
    problems: Vec<Problem>,
    /// Rows ready to import.
    rows: usize,
    /// Of those, rows that make new items, update items, and change nothing.
    counts: (usize, usize, usize),
    /// The rows that update items, and what they change.
    updates: Vec<(usize, String, String, String)>,
    /// The media zip, if one came.
    zip: Option<ZipSource>,
}

impl DryRun {
    fn refused(problems: Vec<Problem>, zip: Option<ZipSource>) -> DryRun {
        DryRun {
            problems,
            rows: 0,
            counts: (0, 0, 0),
            updates: Vec::new(),
            zip,
        }
    }
}

/// Keeps a clean dry run's files for the run, where every server finds them.
async fn keep(
    state: &AppState,
    auth: &Authenticated,
    id: &str,
    dir: &Path,
    checked: &DryRun,
) -> Result<(), AppError> {
    let internal = |e: anyhow::Error| AppError::Internal(e);
    let csv = tokio::fs::read(dir.join(CSV_FILE))
        .await
        .map_err(|e| internal(e.into()))?;
    match &checked.zip {
        Some(ZipSource::Form) => {
            let key = crate::store::BlobKey::staged(id).expect("our own tokens are valid ids");
            state
                .blobs
                .put_staged(&key, &dir.join(ZIP_FILE))
                .await
                .map_err(internal)?;
        }
        // The run takes the upload's id: its zip is in the store under that name already.
        Some(ZipSource::Uploaded { id: upload, .. }) => {
            debug_assert_eq!(upload, id);
            state.uploads.delete_upload(upload).await?;
        }
        None => {}
    }
    let run = ImportRun {
        id: id.to_owned(),
        owner: auth.user.id,
        stage: Stage::Staged,
        total: checked.rows,
        has_zip: checked.zip.is_some(),
        created_at: chrono::Utc::now(),
        started_at: None,
    };
    Ok(state.imports.stage_run(&run, &csv).await?)
}

/// Receives the form into `dir` and checks it: the problems, and the rows ready to import.
async fn dry_run(
    state: &AppState,
    auth: &Authenticated,
    form: &mut Multipart,
    dir: &Path,
) -> Result<DryRun, AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::bad_param("body", &e.to_string(), None)
    };
    let (mut csrf_ok, mut has_csv) = (false, false);
    let (mut zip, mut uploaded) = (None, None);
    let mut problems = Vec::new();
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_owned();
        match name.as_str() {
            "_csrf" => {
                let value = field.text().await.map_err(bad)?;
                require_csrf(auth, Some(&value))?;
                csrf_ok = true;
            }
            "csv" | "media" => {
                // Nothing is stored for a request that has not proved where it comes from.
                if !csrf_ok {
                    require_csrf(auth, None)?;
                }
                if field.file_name().is_none_or(str::is_empty) {
                    continue;
                }
                let (file, limit) = if name == "csv" {
                    (CSV_FILE, MAX_CSV_BYTES)
                } else {
                    (ZIP_FILE, MAX_ZIP_BYTES)
                };
                match save(field, &dir.join(file), limit).await? {
                    Some(n) if name == "csv" => has_csv = n > 0,
                    Some(n) => zip = (n > 0).then_some(ZipSource::Form),
                    None => problems.push(Problem::new(
                        None,
                        Some(name.as_str()),
                        "csv-too-large",
                        &[("max", &(limit >> 20).to_string())],
                    )),
                }
            }
            // The id of a zip sent before, resumably, by the page's script.
            "media_upload" => {
                let value = field.text().await.map_err(bad)?;
                if !value.trim().is_empty() {
                    uploaded = Some(value.trim().to_owned());
                }
            }
            _ => {}
        }
    }
    if !csrf_ok {
        require_csrf(auth, None)?;
    }
    // A zip sent with the form wins over one sent before.
    if zip.is_none()
        && let Some(id) = uploaded
    {
        match uploaded_zip(state, auth, &id).await? {
            Ok(source) => zip = Some(source),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Ok(DryRun::refused(problems, zip));
    }
    if !has_csv {
        return Ok(DryRun::refused(
            vec![Problem::new(None, None, "csv-none", &[])],
            zip,
        ));
    }
    let opened = match &zip {
        Some(source) => match open_zip(zip_path(state, dir, source).await?).await {
            Ok(opened) => Some(opened),
            Err(detail) => {
                let problem = Problem::new(
                    None,
                    Some("media"),
                    "csv-zip-unreadable",
                    &[("detail", &detail)],
                );
                return Ok(DryRun::refused(vec![problem], zip));
            }
        },
        None => None,
    };
    let mut bytes = tokio::fs::read(dir.join(CSV_FILE))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    if workbook::is_old_workbook(&bytes) {
        let problem = Problem::new(None, Some("csv"), "xlsx-old-format", &[]);
        return Ok(DryRun::refused(vec![problem], zip));
    }
    // A workbook is read as the CSV text of its first sheet, and kept as that.
    if workbook::is_workbook(&bytes) {
        let read = tokio::task::spawn_blocking(move || workbook::to_csv(&bytes))
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        match read {
            Ok(text) => {
                bytes = text.into_bytes();
                tokio::fs::write(dir.join(CSV_FILE), &bytes)
                    .await
                    .map_err(|e| AppError::Internal(e.into()))?;
            }
            Err(problems) => return Ok(DryRun::refused(problems, zip)),
        }
    }
    let bases = bases(state, auth).await?;
    let mut checked = csv_import::check(
        &bytes,
        opened.as_ref(),
        &bases,
        state.catalogue.as_ref(),
        state.ingest.limits.largest(),
    )
    .await?;
    if checked.problems.is_empty() && checked.rows.is_empty() {
        checked
            .problems
            .push(Problem::new(None, None, "csv-empty", &[]));
    }
    let updates = checked
        .rows
        .iter()
        .filter_map(|r| {
            let t = r.update.as_ref().filter(|t| !t.unchanged)?;
            let (accession, slug) = (r.fields.accession.to_string(), r.fields.slug.to_string());
            Some((r.row, accession, slug, t.changes.join(", ")))
        })
        .take(MAX_LISTED)
        .collect();
    Ok(DryRun {
        updates,
        counts: checked.counts(),
        problems: checked.problems,
        rows: checked.total,
        zip,
    })
}
