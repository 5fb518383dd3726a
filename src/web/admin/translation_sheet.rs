//! The interface translations as a spreadsheet: `GET /admin/translations.xlsx` hands out
//! the strings of a list (`show`, `for`) with their Chinese and English and any Mongolian,
//! for a translator who works in Excel or WPS; `POST /admin/translations/sheet` takes the
//! filled-in sheet back (or one made by `locales/translate.py`). Each row is checked and
//! kept like a string typed on the page; rows that fail come back on the page, as written,
//! with their row number and why, to be corrected there.

use super::import::message;
use super::translation_list::{audience_name, list};
use super::translations::{Typed, finish, keep};
use super::{require_admin, xlsx_file};
use crate::app::AppState;
use crate::catalogue::csv_import::Problem;
use crate::error::AppError;
use crate::i18n::translation_sheet::{self, MAX_BYTES};
use crate::web::page::PageCtx;
use crate::web::params::Params;
use crate::web::session::{SignedIn, require_csrf};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::Response;
use axum::routing::{get, post};

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/translations.xlsx", get(export))
        .route(
            "/admin/translations/sheet",
            // The sheet's own bound (MAX_BYTES) is checked as it arrives, to answer with the
            // page; this one only stops a body far beyond it.
            post(import).layer(DefaultBodyLimit::max(4 * MAX_BYTES)),
        )
}

/// `GET /admin/translations.xlsx?show=…&for=…`.
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    params: Params,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    let rows = list(&state, &params)
        .await?
        .into_iter()
        .map(|l| vec![l.key, audience_name(&ctx, l.audience), l.zh, l.en, l.mn])
        .collect();
    let widths = [28.0, 14.0, 40.0, 40.0, 40.0];
    let columns = translation_sheet::COLUMNS.into_iter().zip(widths).collect();
    let name = format!("edubase-mn-{}.xlsx", chrono::Utc::now().format("%Y-%m-%d"));
    xlsx_file::download(name, "mn", columns, rows).await
}

/// `POST /admin/translations/sheet`: `_csrf`, then the file as `sheet`.
async fn import(
    State(state): State<AppState>,
    ctx: PageCtx,
    SignedIn(auth): SignedIn,
    mut form: Multipart,
) -> Result<Response, AppError> {
    require_admin(&auth)?;
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::bad_param("body", &e.to_string(), None)
    };
    let mut csrf_ok = false;
    let mut file: Option<Vec<u8>> = None;
    let mut too_large = false;
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "_csrf" => {
                let value = field.text().await.map_err(bad)?;
                require_csrf(&auth, Some(&value))?;
                csrf_ok = true;
            }
            "sheet" => {
                if !csrf_ok {
                    require_csrf(&auth, None)?;
                }
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    if bytes.len() + chunk.len() > MAX_BYTES {
                        too_large = true;
                        break;
                    }
                    bytes.extend_from_slice(&chunk);
                }
                file = Some(bytes);
                if too_large {
                    // The rest of the body is not read: the page says why at once.
                    break;
                }
            }
            _ => {}
        }
    }
    if !csrf_ok {
        require_csrf(&auth, None)?;
    }
    let read = match file {
        _ if too_large => {
            let max = (MAX_BYTES >> 20).to_string();
            Err(vec![Problem::new(
                None,
                None,
                "csv-too-large",
                &[("max", &max)],
            )])
        }
        Some(bytes) => tokio::task::spawn_blocking(move || translation_sheet::read(&bytes))
            .await
            .map_err(|e| AppError::Internal(e.into()))?,
        None => Err(vec![Problem::new(None, None, "csv-empty", &[])]),
    };
    let (rows, problems) = match read {
        Ok(read) => read,
        Err(problems) => (Vec::new(), problems),
    };
    let problems: Vec<String> = problems.iter().map(|p| line(&ctx, p)).collect();
    let typed: Vec<Typed> = rows
        .into_iter()
        .map(|r| Typed {
            key: r.key,
            text: r.text,
            row: Some(r.row),
        })
        .collect();
    let mut outcome = keep(&state, &ctx, &auth, typed).await?;
    outcome.problems.splice(0..0, problems);
    let done = format!("/admin/translations?show=site&saved={}", outcome.saved);
    let params = Params::from_pairs(Vec::new());
    finish(&state, ctx, &auth, &params, outcome, &done).await
}

/// A problem of the sheet, with its row when it has one.
fn line(ctx: &PageCtx, p: &Problem) -> String {
    let why = message(ctx, p);
    match p.row {
        Some(row) => {
            let row = row.to_string();
            ctx.tr
                .with("translation-sheet-row", &[("row", &row), ("why", &why)])
        }
        None => why,
    }
}
