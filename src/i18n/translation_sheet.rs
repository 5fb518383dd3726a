//! Interface translations as a spreadsheet, for a translator who works offline in Excel or
//! WPS (or hands the sheet to a colleague to check): the admin hands out the strings with
//! their Chinese and English, and takes the filled-in sheet back. The columns are those
//! `locales/translate.py` uses (`key`, `zh`, `en`, `mn`), so a sheet made either way goes
//! back either way; only `key` and `mn` are read.
//!
//! This module reads a sheet into rows; each row's text is then checked like one typed on
//! the page ([`super::translations::check`]).

use crate::catalogue::csv_import::{Problem, decode, workbook};

/// The largest sheet accepted, in bytes (every string of the interface, with its Chinese,
/// English and Mongolian, is well under 1 MB).
pub const MAX_BYTES: usize = 8 << 20;
/// The most rows read (the interface has about a thousand strings).
pub const MAX_ROWS: usize = 5_000;

/// The columns, as the header names them.
pub const COLUMNS: [&str; 5] = ["key", "reader", "zh", "en", "mn"];

/// One filled-in row of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The row as the spreadsheet numbers it (the header is row 1).
    pub row: usize,
    /// The message key.
    pub key: String,
    /// The Mongolian written in it.
    pub text: String,
}

/// The rows of a sheet (an `.xlsx` workbook or a CSV file) that have both a key and
/// Mongolian, or the problems with the file as a whole. A key filled in twice is a problem
/// of its second row.
pub fn read(bytes: &[u8]) -> Result<(Vec<SheetRow>, Vec<Problem>), Vec<Problem>> {
    if bytes.len() > MAX_BYTES {
        let max = (MAX_BYTES >> 20).to_string();
        return Err(vec![Problem::new(
            None,
            None,
            "csv-too-large",
            &[("max", &max)],
        )]);
    }
    if workbook::is_old_workbook(bytes) {
        return Err(vec![Problem::new(None, None, "xlsx-old-format", &[])]);
    }
    let (text, gbk) = if workbook::is_workbook(bytes) {
        (workbook::to_csv(bytes)?, false)
    } else {
        match decode::decode(bytes) {
            Ok((text, encoding)) => (text, encoding == decode::Encoding::Gb18030),
            Err(e) if e.utf16 => return Err(vec![Problem::new(None, None, "csv-utf16", &[])]),
            Err(e) => {
                let (line, offset) = (e.line.to_string(), e.offset.to_string());
                let byte = format!("0x{:02X}", e.byte);
                return Err(vec![Problem::new(
                    Some(e.line),
                    None,
                    "csv-bad-encoding",
                    &[("line", &line), ("offset", &offset), ("byte", &byte)],
                )]);
            }
        }
    };
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let head = match records.next() {
        Some(Ok(head)) => head,
        None => return Err(vec![Problem::new(None, None, "csv-empty", &[])]),
        Some(Err(e)) => return Err(vec![unreadable(1, &e)]),
    };
    let column = |name: &str| {
        head.iter()
            .position(|h| h.trim().trim_start_matches('\'').eq_ignore_ascii_case(name))
    };
    let (Some(key_at), Some(mn_at)) = (column("key"), column("mn")) else {
        return Err(vec![Problem::new(
            Some(1),
            None,
            "translation-sheet-columns",
            &[],
        )]);
    };
    let (mut rows, mut problems) = (Vec::<SheetRow>::new(), Vec::new());
    for (i, record) in records.enumerate() {
        let row = i + 2;
        if i >= MAX_ROWS {
            let max = MAX_ROWS.to_string();
            return Err(vec![Problem::new(
                None,
                None,
                "xlsx-too-many-rows",
                &[("max", &max)],
            )]);
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(unreadable(row, &e));
                continue;
            }
        };
        let cell = |at: usize| record.get(at).unwrap_or("").trim();
        let (key, text) = (cell(key_at).trim_start_matches('\''), cell(mn_at));
        if key.is_empty() || text.is_empty() {
            continue;
        }
        if let Some(first) = rows.iter().find(|r| r.key == key) {
            let first = first.row.to_string();
            problems.push(Problem::new(
                Some(row),
                Some("key"),
                "translation-sheet-twice",
                &[("key", key), ("first", &first)],
            ));
            continue;
        }
        if gbk && text.contains('?') {
            problems.push(Problem::new(
                Some(row),
                Some("mn"),
                "csv-mongolian-lost",
                &[],
            ));
            continue;
        }
        rows.push(SheetRow {
            row,
            key: key.to_owned(),
            text: text.to_owned(),
        });
    }
    Ok((rows, problems))
}

fn unreadable(row: usize, e: &csv::Error) -> Problem {
    Problem::new(
        Some(row),
        None,
        "xlsx-unreadable",
        &[("detail", &e.to_string())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.key.as_str()).collect()
    }

    #[test]
    fn filled_rows_are_read_by_their_header_and_blank_ones_skipped() {
        let csv = "\u{feff}key,zh,en,MN\n\
                   nav-home,首页,Home,ᠨᠢᠭᠤᠷ\n\
                   nav-items,藏品,Collection,\n\
                   ,,,ᠠ\n\
                   nav-bases,基地,Bases,\" ᠪᠠᠭᠠᠵᠢ\nᠭᠠᠵᠠᠷ \"\n";
        let (rows, problems) = read(csv.as_bytes()).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            rows,
            vec![
                SheetRow {
                    row: 2,
                    key: "nav-home".into(),
                    text: "ᠨᠢᠭᠤᠷ".into()
                },
                SheetRow {
                    row: 5,
                    key: "nav-bases".into(),
                    text: "ᠪᠠᠭᠠᠵᠢ\nᠭᠠᠵᠠᠷ".into()
                },
            ]
        );
    }

    #[test]
    fn a_broken_sheet_is_refused_with_the_reason() {
        let whole = |bytes: &[u8]| keys(&read(bytes).unwrap_err()).join(",");
        assert_eq!(whole(b""), "csv-empty");
        assert_eq!(
            whole("编号,标题\nKZ-1,x\n".as_bytes()),
            "translation-sheet-columns"
        );
        assert_eq!(whole(&[0xFF, 0xFE, b'k', 0]), "csv-utf16");
        assert_eq!(
            whole(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            "xlsx-old-format"
        );
        assert_eq!(whole(b"PK\x03\x04broken"), "xlsx-unreadable");
        assert_eq!(whole(&vec![b'a'; MAX_BYTES + 1]), "csv-too-large");
        let many = format!("key,mn\n{}", "a,b\n".repeat(MAX_ROWS + 1));
        assert_eq!(whole(many.as_bytes()), "xlsx-too-many-rows");
    }

    #[test]
    fn twice_the_same_key_and_gbk_question_marks_are_problems_of_their_rows() {
        let csv = "key,mn\nnav-home,ᠨᠢᠭᠤᠷ\nnav-home,ᠭᠡᠷ\n";
        let (rows, problems) = read(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(keys(&problems), ["translation-sheet-twice"]);
        assert_eq!(problems[0].row, Some(3));
        let (gbk, _, _) = encoding_rs::GB18030.encode("key,zh,mn\nnav-home,首页,???\n");
        let (rows, problems) = read(&gbk).unwrap();
        assert!(rows.is_empty());
        assert_eq!(keys(&problems), ["csv-mongolian-lost"]);
    }
}
