//! The Excel workbooks the admin hands out: one worksheet, every cell text (so Excel turns
//! no accession number or key into a number or a date), the header row bold and frozen,
//! with filters. A workbook keeps Mongolian script, which Excel's plain "CSV" on Chinese
//! Windows (GBK) does not.

use crate::error::AppError;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The longest text an Excel cell holds.
pub const CELL_CHARS: usize = 32_767;

/// A column: its header and its width in characters.
pub type Column = (&'static str, f64);

/// A workbook of one sheet named `sheet`, with `columns` and `rows`, as a download named
/// `file_name`. Cells longer than [`CELL_CHARS`] must have been shortened before.
pub async fn download(
    file_name: String,
    sheet: &'static str,
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
) -> Result<Response, AppError> {
    let bytes = tokio::task::spawn_blocking(move || workbook(sheet, &columns, &rows))
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
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn workbook(
    name: &str,
    columns: &[Column],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    let text = Format::new().set_num_format("@");
    let head = Format::new().set_bold().set_num_format("@");
    for (c, (code, width)) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.set_column_format(c, &text)?;
        sheet.set_column_width(c, *width)?;
        sheet.write_string_with_format(0, c, *code, &head)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string_with_format(r as u32 + 1, c as u16, cell, &text)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = columns.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, rows.len() as u32, last_col)?;
    book.save_to_buffer()
}
