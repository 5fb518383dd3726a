//! The catalogue as a spreadsheet: `GET /admin/items.xlsx` (an Excel workbook) and
//! `/admin/items.csv` write the items the admin list shows (the same filters), one row per
//! item in the import's columns, with each item's revision last. Edited in Excel or WPS and
//! imported again, the sheet updates those items (see
//! [`crate::catalogue::csv_import::update`]); a row added without a revision makes a new
//! item. Media are not in the sheet: they are managed in each item's editor.

use super::csv_file::CsvFile;
use super::require_editor;
use super::xlsx_file::{self, CELL_CHARS};
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
use axum::response::Response;
use axum::routing::get;

/// Items read per query.
const PAGE: u32 = 200;

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

/// `GET /admin/items.xlsx?…`: the same rows as an Excel workbook.
async fn xlsx(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    params: Params,
) -> Result<Response, AppError> {
    let rows = fit_cells(rows(&state, &auth, &params).await?);
    let columns = export_columns()
        .map(|code| {
            let width = match code {
                code if code.starts_with("description") || code.starts_with("summary") => 40.0,
                code if code.starts_with("title") || code == "rights" => 24.0,
                _ => 14.0,
            };
            (code, width)
        })
        .collect();
    xlsx_file::download(file_name("xlsx"), "items", columns, rows).await
}

/// Rows whose cells fit in Excel. A row with a cell too long (over 32,767 characters) goes
/// out without its revision and with that cell marked: imported again, it cannot overwrite
/// the item with a cut text (it is refused as an existing accession number).
fn fit_cells(mut rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let revision = export_columns().position(|c| c == "revision");
    for row in &mut rows {
        if !row.iter().any(|cell| cell.chars().count() > CELL_CHARS) {
            continue;
        }
        for (c, cell) in row.iter_mut().enumerate() {
            if Some(c) == revision {
                cell.clear();
            } else if cell.chars().count() > CELL_CHARS {
                let cut: String = cell.chars().take(CELL_CHARS - 100).collect();
                *cell = format!("{cut} [… too long for Excel: edit this text in the item editor]");
            }
        }
    }
    rows
}
