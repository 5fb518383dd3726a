//! The catalogue as a spreadsheet: `GET /admin/items.xlsx` (an Excel workbook) and
//! `/admin/items.csv` write the items the admin list shows (the same filters), one row per
//! item in the import's columns, with each item's revision last. Edited in Excel or WPS and
//! imported again, the sheet updates those items (see
//! [`crate::catalogue::csv_import::update`]); a row added without a revision makes a new
//! item. Media are not in the sheet: they are managed in each item's editor.

use super::csv_file::CsvFile;
use super::require_editor;
use crate::accounts::Authenticated;
use crate::app::AppState;
use crate::catalogue::csv_import::columns::{export_columns, take_cell};
use crate::catalogue::form::ItemForm;
use crate::error::AppError;
use crate::repo::Visibility;
use crate::web::params::Params;
use crate::web::session::SignedIn;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Items read per query.
const PAGE: u32 = 200;

/// The longest text an Excel cell holds.
const EXCEL_CELL_CHARS: usize = 32_767;

/// The export routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/items.csv", get(csv))
        .route("/admin/items.xlsx", get(xlsx))
}

/// Every item the list with these filters shows, on all its pages, as rows of cells.
async fn rows(
    state: &AppState,
    auth: &Authenticated,
    params: &Params,
) -> Result<Vec<Vec<String>>, AppError> {
    require_editor(auth)?;
    let mut query = super::items::list_query(auth, params, PAGE)?;
    let mut rows = Vec::new();
    loop {
        let page = state.catalogue.list_items(&query).await?;
        // The page's items in two queries, written in the list's order.
        let ids: Vec<_> = page.items.iter().map(|s| s.id).collect();
        let mut items: std::collections::HashMap<_, _> = state
            .harvest
            .items_by_id(&ids, Visibility::All)
            .await?
            .into_iter()
            .map(|item| (item.id, item))
            .collect();
        for id in ids {
            let Some(item) = items.remove(&id) else {
                continue; // deleted meanwhile
            };
            let mut form = ItemForm::of(&item.fields, &item.base.slug, item.revision);
            rows.push(
                export_columns()
                    .map(|code| take_cell(&mut form, code))
                    .collect(),
            );
        }
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    Ok(rows)
}

/// The file name of today's export.
fn file_name(extension: &str) -> String {
    let today = crate::stats::china_time(chrono::Utc::now()).format("%Y-%m-%d");
    format!("edubase-items-{today}.{extension}")
}

/// `GET /admin/items.csv?q=&status=&category=&base=&lacks=&import=`: UTF-8 with a
/// byte-order mark.
async fn csv(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    params: Params,
) -> Result<Response, AppError> {
    let rows = rows(&state, &auth, &params).await?;
    let mut out = CsvFile::new();
    out.row(export_columns())?;
    for row in rows {
        out.row(row)?;
    }
    out.download(&file_name("csv"))
}

/// `GET /admin/items.xlsx?…`: one worksheet, every cell text (so Excel turns no accession
/// number into a number or a date), the header row bold and frozen, with filters.
async fn xlsx(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    params: Params,
) -> Result<Response, AppError> {
    let rows = rows(&state, &auth, &params).await?;
    let bytes = tokio::task::spawn_blocking(move || workbook(&rows))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file_name("xlsx")),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The workbook of `rows`. A row with a cell too long for Excel (over 32,767 characters)
/// goes out without its revision and with that cell marked: imported again, it cannot
/// overwrite the item with a cut text (it is refused as an existing accession number).
fn workbook(rows: &[Vec<String>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("items")?;
    let text = Format::new().set_num_format("@");
    let head = Format::new().set_bold().set_num_format("@");
    let columns: Vec<&str> = export_columns().collect();
    let revision = columns.iter().position(|c| *c == "revision");
    for (c, code) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.set_column_format(c, &text)?;
        let width = match *code {
            code if code.starts_with("description") || code.starts_with("summary") => 40.0,
            code if code.starts_with("title") || code == "rights" => 24.0,
            _ => 14.0,
        };
        sheet.set_column_width(c, width)?;
        sheet.write_string_with_format(0, c, *code, &head)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        let too_long = row
            .iter()
            .any(|cell| cell.chars().count() > EXCEL_CELL_CHARS);
        for (c, cell) in row.iter().enumerate() {
            let cell = if too_long && Some(c) == revision {
                String::new()
            } else if cell.chars().count() > EXCEL_CELL_CHARS {
                let cut: String = cell.chars().take(EXCEL_CELL_CHARS - 100).collect();
                format!("{cut} [… too long for Excel: edit this text in the item editor]")
            } else {
                cell.clone()
            };
            if !cell.is_empty() {
                sheet.write_string_with_format(r, c as u16, cell, &text)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = columns.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, rows.len() as u32, last_col)?;
    book.save_to_buffer()
}
