//! Excel workbooks (`.xlsx`, as Excel and WPS save by default) read as the CSV text the rest
//! of the import reads: the first worksheet, every cell as text. Saving a sheet as `.xlsx`
//! keeps Mongolian script, which Excel's plain "CSV" on Chinese Windows (GBK) turns into
//! question marks.
//!
//! A workbook is a zip, and an upload may be hostile: its parts are inflated here with a
//! bound on every byte ([`MAX_INFLATED`]) into a fresh archive before the spreadsheet reader
//! sees them, and the cells kept are bounded too, so a small file cannot grow into gigabytes.

use super::Problem;
use calamine::{DataRef, Reader, Xlsx};
use std::io::{Cursor, Read, Write};

/// The most bytes a workbook's parts may inflate to, together.
pub const MAX_INFLATED: u64 = 128 << 20;
/// The most rows and columns read.
const MAX_ROWS: u32 = 200_000;
const MAX_COLUMNS: u32 = 256;
/// The most cells kept (blank cells before a filled one in its row count too).
const MAX_CELLS: usize = 5_000_000;

/// True when `bytes` look like a zip (an `.xlsx` workbook, if anything).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// True for the older binary formats (`.xls`, WPS `.et`): an OLE compound file.
pub fn is_old_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// The first worksheet of an `.xlsx` workbook as CSV text, or the problems that stop it.
pub fn to_csv(bytes: &[u8]) -> Result<String, Vec<Problem>> {
    let unreadable = |detail: &str| {
        vec![Problem::new(
            None,
            None,
            "xlsx-unreadable",
            &[("detail", detail)],
        )]
    };
    let parts = inflate(bytes, MAX_INFLATED).map_err(|key| match key {
        Inflate::TooLarge => vec![Problem::new(
            None,
            None,
            "xlsx-too-large",
            &[("max", &(MAX_INFLATED >> 20).to_string())],
        )],
        Inflate::Broken(detail) => unreadable(&detail),
    })?;
    let mut book = Xlsx::new(Cursor::new(parts)).map_err(|e| unreadable(&e.to_string()))?;
    let Some(name) = book.sheet_names().first().cloned() else {
        return Err(vec![Problem::new(None, None, "csv-empty", &[])]);
    };
    let mut cells = book
        .worksheet_cells_reader(&name)
        .map_err(|e| unreadable(&e.to_string()))?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut problems = Vec::new();
    let mut kept = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|e| unreadable(&e.to_string()))? {
        let (row, col) = cell.get_position();
        let text = match text(cell.get_value()) {
            Ok(text) => text,
            Err(error) => {
                let at = format!("{}{}", column_letters(col), row + 1);
                problems.push(Problem::new(
                    Some(row as usize + 1),
                    None,
                    "xlsx-cell-error",
                    &[("cell", &at), ("error", &error)],
                ));
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        if row >= MAX_ROWS || col >= MAX_COLUMNS {
            let key = if row >= MAX_ROWS {
                "xlsx-too-many-rows"
            } else {
                "xlsx-too-many-columns"
            };
            let max = if row >= MAX_ROWS {
                MAX_ROWS
            } else {
                MAX_COLUMNS
            };
            return Err(vec![Problem::new(
                None,
                None,
                key,
                &[("max", &max.to_string())],
            )]);
        }
        let (row, col) = (row as usize, col as usize);
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let cells_of_row = &mut rows[row];
        if cells_of_row.len() <= col {
            kept += col + 1 - cells_of_row.len();
            if kept > MAX_CELLS {
                return Err(vec![Problem::new(
                    None,
                    None,
                    "xlsx-too-many-rows",
                    &[("max", &MAX_ROWS.to_string())],
                )]);
            }
            cells_of_row.resize(col + 1, String::new());
        }
        cells_of_row[col] = text;
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in &rows {
        // A blank row stays a row, so row numbers match what Excel shows.
        let record: &[String] = if row.is_empty() {
            &[String::new()]
        } else {
            row
        };
        out.write_record(record)
            .map_err(|e| unreadable(&e.to_string()))?;
    }
    let bytes = out.into_inner().map_err(|e| unreadable(&e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| unreadable(&e.to_string()))
}

/// A cell as text: numbers as Excel shows them when they are whole, dates as ISO dates.
/// `Err` is an Excel error value (`#N/A`, `#REF!` …).
fn text(value: &DataRef<'_>) -> Result<String, String> {
    Ok(match value {
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => d.as_f64().to_string(),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => return Err(e.to_string()),
        DataRef::Empty => String::new(),
    })
}

/// Excel's name of a 0-based column: 0 → A, 26 → AA.
fn column_letters(mut col: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

enum Inflate {
    TooLarge,
    Broken(String),
}

/// Every part of a zip inflated (at most `max` bytes in all, whatever the archive claims)
/// and stored again, uncompressed, in a new archive.
fn inflate(bytes: &[u8], max: u64) -> Result<Vec<u8>, Inflate> {
    let broken = |e: &dyn std::fmt::Display| Inflate::Broken(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| broken(&e))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut left = max;
    let mut buf = Vec::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(|e| broken(&e))?;
        if part.is_dir() {
            continue;
        }
        let name = part.name().map_err(|e| broken(&e))?.into_owned();
        buf.clear();
        let read = (&mut part)
            .take(left + 1)
            .read_to_end(&mut buf)
            .map_err(|e| broken(&e))?;
        if read as u64 > left {
            return Err(Inflate::TooLarge);
        }
        left -= read as u64;
        out.start_file(name, stored).map_err(|e| broken(&e))?;
        out.write_all(&buf).map_err(|e| broken(&e))?;
    }
    Ok(out.finish().map_err(|e| broken(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workbook(rows: &[&[&str]]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if let Ok(n) = cell.parse::<f64>() {
                    sheet.write_number(r as u32, c as u16, n).unwrap();
                } else if !cell.is_empty() {
                    sheet.write_string(r as u32, c as u16, *cell).unwrap();
                }
            }
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn the_first_sheet_becomes_csv_with_whole_numbers_and_mongolian_intact() {
        let bytes = workbook(&[
            &["accession", "title_mn", "year", "revision"],
            &["KZ-1", "ᠮᠣᠩᠭᠣᠯ ᠭᠡᠷ", "1987", "3"],
            &[],
            &["KZ-2", "a, \"quoted\"\nline", "1.5", ""],
        ]);
        assert!(is_workbook(&bytes));
        let text = to_csv(&bytes).unwrap();
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows[1], ["KZ-1", "ᠮᠣᠩᠭᠣᠯ ᠭᠡᠷ", "1987", "3"]);
        assert_eq!(rows[2], [""], "a blank row keeps its place");
        assert_eq!(rows[3], ["KZ-2", "a, \"quoted\"\nline", "1.5"]);
    }

    #[test]
    fn broken_and_bomb_workbooks_are_refused_with_a_reason() {
        let keys = |r: Result<String, Vec<Problem>>| {
            r.unwrap_err()
                .into_iter()
                .map(|p| p.key)
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(to_csv(b"PK\x03\x04not a zip")), ["xlsx-unreadable"]);
        // A zip that is no workbook.
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"hello").unwrap();
        let plain = w.finish().unwrap().into_inner();
        assert_eq!(keys(to_csv(&plain)), ["xlsx-unreadable"]);
        // A part that inflates past the bound: 4 MB of zeros packed into a few kilobytes,
        // against a bound of 1 MB.
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("xl/sharedStrings.xml", deflated).unwrap();
        w.write_all(&vec![b'0'; 4 << 20]).unwrap();
        let bomb = w.finish().unwrap().into_inner();
        assert!(bomb.len() < 64 << 10, "{}", bomb.len());
        assert!(matches!(inflate(&bomb, 1 << 20), Err(Inflate::TooLarge)));
        assert!(inflate(&bomb, 8 << 20).is_ok());
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(27), "AB");
    }
}
