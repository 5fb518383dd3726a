//! The spreadsheets the admin hands out. Each starts with a byte-order mark, because Excel
//! reads UTF-8 only with one. Each cell is defused: a school name or nickname typed as a
//! formula (`=…`, `+…`, `-…`, `@…`) stays text when the file is opened.

use crate::error::AppError;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A CSV file being written in memory.
pub struct CsvFile(csv::Writer<Vec<u8>>);

impl CsvFile {
    /// An empty file: only the byte-order mark.
    pub fn new() -> CsvFile {
        CsvFile(csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]))
    }

    /// Appends one record.
    pub fn row<S: AsRef<str>>(
        &mut self,
        record: impl IntoIterator<Item = S>,
    ) -> Result<(), AppError> {
        self.0
            .write_record(record.into_iter().map(|s| cell(s.as_ref()).into_owned()))
            .map_err(|e| AppError::Internal(anyhow::anyhow!("CSV: {e}")))
    }

    /// The file as a download named `name`.
    pub fn download(self, name: &str) -> Result<Response, AppError> {
        let bytes = self
            .0
            .into_inner()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("CSV: {e}")))?;
        Ok(download(name, bytes))
    }
}

/// Bytes already written as CSV, as a download named `name`.
pub fn download(name: &str, bytes: Vec<u8>) -> Response {
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

/// A cell as written: a leading `=`, `+`, `-` or `@` would make Excel run it as a formula,
/// so it is preceded by an apostrophe.
fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_stay_text_and_the_file_opens_as_utf8_in_excel() {
        let mut f = CsvFile::new();
        f.row([
            "=HYPERLINK(\"http://x\")",
            "甘旗卡第二中学",
            "@SUM(A1)",
            "12",
        ])
        .unwrap();
        let bytes = f.0.into_inner().unwrap();
        assert_eq!(&bytes[..3], [0xEF, 0xBB, 0xBF]);
        assert_eq!(
            String::from_utf8(bytes[3..].to_vec()).unwrap(),
            "\"'=HYPERLINK(\"\"http://x\"\")\",甘旗卡第二中学,'@SUM(A1),12\n"
        );
    }
}
