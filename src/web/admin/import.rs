//! Bulk import, first step: the upload form, the template, and the dry run that shows every
//! problem by row and column. A file that passes is kept in a staging folder under the data
//! folder (keyed by a random id and its owner's user id) so the curator need not upload it
//! again to run it; files that fail are deleted at once, and staged files older than a day
//! are swept whenever someone opens the import.

use super::{AdminCtx, require_editor};
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::csv_import::{self, Bases, MediaZip, Problem, columns};
use crate::catalogue::repo::ListQuery;
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::page::{PageCtx, render};
use crate::web::session::{SignedIn, require_csrf};
use askama::Template;
use axum::Router;
use axum::extract::multipart::Field;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Largest CSV file accepted.
const MAX_CSV_BYTES: u64 = 20 << 20;
/// Largest media zip accepted.
const MAX_ZIP_BYTES: u64 = 4 << 30;
/// The staged CSV's file name.
pub const CSV_FILE: &str = "items.csv";
/// The staged zip's file name.
pub const ZIP_FILE: &str = "media.zip";
/// The file holding the id of the user who staged an import.
pub const OWNER_FILE: &str = "owner";

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

/// The folder of staged imports.
pub fn staging_root(state: &AppState) -> PathBuf {
    state.config.data_dir.join("imports")
}

/// The staging folder of import `id`, if `id` looks like one of ours (base64url tokens).
pub fn staging_dir(state: &AppState, id: &str) -> Option<PathBuf> {
    let ok = (20..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| staging_root(state).join(id))
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
    /// Set after a clean dry run: the staged import's id and its row count.
    ready: Option<(String, usize)>,
}

async fn new_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    sweep(&state).await;
    render(&FormPage {
        admin: AdminCtx::new(&auth, "import"),
        problems: Vec::new(),
        ready: None,
        ctx,
    })
}

/// `GET /admin/import/template.csv`: every column and an example row, with a byte-order
/// mark so Excel opens it as UTF-8.
async fn template(SignedIn(auth): SignedIn) -> Result<Response, AppError> {
    require_editor(&auth)?;
    Ok(csv_download(
        "edubase-import-template.csv",
        columns::template(),
    ))
}

/// A CSV file to download.
pub fn csv_download(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
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
    let known: Vec<_> = state
        .catalogue
        .list_bases(&ListQuery::all(Visibility::All, 500))
        .await?
        .items
        .into_iter()
        .map(|b| b.fields.slug)
        .collect();
    let editable = known
        .iter()
        .filter(|s| auth.user.can_edit_base(s))
        .cloned()
        .collect();
    Ok(Bases { known, editable })
}

/// Opens a staged zip on a blocking thread.
pub async fn open_zip(path: PathBuf) -> Result<MediaZip, String> {
    tokio::task::spawn_blocking(move || MediaZip::open(&path))
        .await
        .map_err(|e| e.to_string())?
}

/// `POST /admin/import`: stages the files and checks them (the dry run).
async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    mut form: Multipart,
) -> Result<Response, AppError> {
    require_editor(&auth)?;
    sweep(&state).await;
    let id = crate::accounts::secret::random_token();
    let dir = staging_dir(&state, &id).expect("our own tokens are valid ids");
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let outcome = dry_run(&state, &auth, &mut form, &dir).await;
    let keep = matches!(&outcome, Ok((problems, _)) if problems.is_empty());
    if keep {
        tokio::fs::write(dir.join(OWNER_FILE), auth.user.id.to_string())
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
    } else {
        let _ = tokio::fs::remove_dir_all(&dir).await;
    }
    let (problems, rows) = outcome?;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        admin: AdminCtx::new(&auth, "import"),
        problems: lines(&ctx, &problems),
        ready: problems.is_empty().then_some((id, rows)),
        ctx,
    };
    let mut response = render(&page)?;
    *response.status_mut() = status;
    Ok(response)
}

/// Receives the form into `dir` and checks it: the problems, and the rows ready to import.
async fn dry_run(
    state: &AppState,
    auth: &Authenticated,
    form: &mut Multipart,
    dir: &Path,
) -> Result<(Vec<Problem>, usize), AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::bad_param("body", &e.to_string(), None)
    };
    let (mut csrf_ok, mut has_csv, mut has_zip) = (false, false, false);
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
                    Some(n) => has_zip = n > 0,
                    None => problems.push(Problem::new(
                        None,
                        Some(name.as_str()),
                        "csv-too-large",
                        &[("max", &(limit >> 20).to_string())],
                    )),
                }
            }
            _ => {}
        }
    }
    if !csrf_ok {
        require_csrf(auth, None)?;
    }
    if !problems.is_empty() {
        return Ok((problems, 0));
    }
    if !has_csv {
        return Ok((vec![Problem::new(None, None, "csv-none", &[])], 0));
    }
    let zip = if has_zip {
        match open_zip(dir.join(ZIP_FILE)).await {
            Ok(zip) => Some(zip),
            Err(detail) => {
                return Ok((
                    vec![Problem::new(
                        None,
                        Some("media"),
                        "csv-zip-unreadable",
                        &[("detail", &detail)],
                    )],
                    0,
                ));
            }
        }
    } else {
        None
    };
    let bytes = tokio::fs::read(dir.join(CSV_FILE))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let bases = bases(state, auth).await?;
    let mut checked = csv_import::check(
        &bytes,
        zip.as_ref(),
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
    Ok((checked.problems, checked.rows.len()))
}

/// Deletes staged imports older than a day and forgets old finished runs.
pub async fn sweep(state: &AppState) {
    let day = std::time::Duration::from_secs(24 * 3600);
    state
        .imports
        .sweep(chrono::Utc::now() - chrono::Duration::days(1));
    let Ok(mut entries) = tokio::fs::read_dir(staging_root(state)).await else {
        return;
    };
    while let Ok(Some(entry)) = entries.next_entry().await {
        let old = entry
            .metadata()
            .await
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > day);
        if old {
            let _ = tokio::fs::remove_dir_all(entry.path()).await;
        }
    }
}
