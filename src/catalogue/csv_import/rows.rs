//! Reading the rows of a decoded import file and checking each value, reusing the item
//! form's checks so an imported item obeys exactly the rules of one typed in the admin.

use super::columns::{Header, header, split_aligned, split_list};
use super::update::{ExistingItems, Target, changed_columns, same};
use super::values::row_form;
use super::{Bases, Checked, ImportRow, MediaRef, Problem};
use crate::catalogue::types::Status;
use crate::i18n::LocalizedText;
use std::collections::HashMap;

/// A reader of decoded CSV text: comma-separated, or tab-separated when the first line has
/// tabs and no commas (a sheet copied out of Excel).
pub(super) fn reader(text: &str) -> csv::Reader<&[u8]> {
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if !first_line.contains(',') && first_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

/// Reads decoded CSV text and checks every row on its own and against the others
/// (duplicate accession numbers and slugs). The catalogue is consulted only through
/// `existing`: the items that rows carrying a revision update, as they are now.
pub fn parse(text: &str, bases: &Bases, existing: &ExistingItems) -> Checked {
    let mut reader = reader(text);
    let mut records = reader.records();
    let mut checked = Checked::default();
    let head = match records.next() {
        None => {
            checked
                .problems
                .push(Problem::new(None, None, "csv-empty", &[]));
            return checked;
        }
        Some(Err(e)) => {
            checked.problems.push(Problem::new(
                Some(1),
                None,
                "csv-malformed",
                &[("detail", &e.to_string())],
            ));
            return checked;
        }
        Some(Ok(r)) => r,
    };
    let Some(header) = header(&head, &mut checked.problems) else {
        return checked;
    };
    let mut accessions: HashMap<String, usize> = HashMap::new();
    let mut slugs: HashMap<String, usize> = HashMap::new();
    for (i, record) in records.enumerate() {
        let row = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                checked.total += 1;
                checked.problems.push(Problem::new(
                    Some(row),
                    None,
                    "csv-malformed",
                    &[("detail", &e.to_string())],
                ));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        checked.total += 1;
        let before = checked.problems.len();
        let parsed = check_row(
            Cells {
                row,
                record: &record,
                head: &head,
                header: &header,
            },
            bases,
            existing,
            &mut checked.problems,
        );
        if let Some(r) = &parsed {
            for (seen, value, column, key) in [
                (
                    &mut accessions,
                    r.fields.accession.as_str(),
                    "accession",
                    "csv-duplicate-accession",
                ),
                (
                    &mut slugs,
                    r.fields.slug.as_str(),
                    "slug",
                    "csv-duplicate-slug",
                ),
            ] {
                match seen.get(value) {
                    Some(first) => checked.problems.push(Problem::new(
                        Some(row),
                        Some(column),
                        key,
                        &[("value", value), ("first", &first.to_string())],
                    )),
                    None => {
                        seen.insert(value.to_owned(), row);
                    }
                }
            }
        }
        if checked.problems.len() == before
            && let Some(r) = parsed
        {
            checked.rows.push(r);
        }
    }
    checked
}

/// The Mongolian cells of a file Excel saved as GBK ("CSV" on Chinese Windows), which has
/// no Mongolian letters: each became a question mark, and importing would write them over
/// the real text. Every such cell is a problem.
pub(super) fn question_marks(text: &str) -> Vec<Problem> {
    let mut reader = reader(text);
    let mut records = reader.records();
    let Some(Ok(head)) = records.next() else {
        return Vec::new();
    };
    let Some(header) = header(&head, &mut Vec::new()) else {
        return Vec::new();
    };
    let codes: Vec<&str> = super::columns::COLUMNS
        .iter()
        .map(|c| c.code)
        .filter(|code| code.ends_with("_mn") && header.has(code))
        .collect();
    let mut problems = Vec::new();
    for (i, record) in records.enumerate() {
        let Ok(record) = record else { continue };
        for code in &codes {
            if header.get(&record, code).contains("??") {
                problems.push(Problem::new(
                    Some(i + 2),
                    Some(code),
                    "csv-mongolian-lost",
                    &[],
                ));
            }
        }
    }
    problems
}

/// One row of the file, with the header that names its cells.
struct Cells<'a> {
    row: usize,
    record: &'a csv::StringRecord,
    head: &'a csv::StringRecord,
    header: &'a Header,
}

/// Checks one row; its problems are appended to `problems`. A row with a revision updates
/// the item of its accession number in `existing`; any other row makes a new item.
fn check_row(
    cells: Cells,
    bases: &Bases,
    existing: &ExistingItems,
    problems: &mut Vec<Problem>,
) -> Option<ImportRow> {
    let Cells {
        row,
        record,
        head,
        header,
    } = cells;
    let at = Some(row);
    let get = |code: &str| header.get(record, code);
    let start = problems.len();
    let mut fail = |column: &str, key: &str, args: &[(&str, &str)]| {
        problems.push(Problem::new(at, Some(column), key, args));
    };
    if record.len() > head.len() && record.iter().skip(head.len()).any(|c| !c.trim().is_empty()) {
        fail(
            "",
            "csv-extra-cells",
            &[("n", &(head.len() + 1).to_string())],
        );
    }
    let accession = get("accession");
    let updating = !get("revision").is_empty();
    let target = match get("revision") {
        "" => None,
        v => match v.parse::<i64>() {
            Ok(n) if n > 0 => match existing.get(accession) {
                Some(item) => Some((item, n)),
                None => {
                    if !accession.is_empty() {
                        fail("accession", "csv-update-unknown", &[("value", accession)]);
                    }
                    None
                }
            },
            _ => {
                fail("revision", "csv-bad-revision", &[("value", v)]);
                None
            }
        },
    };
    // A new item takes every column (a missing one is blank); an update only those the
    // file has, and keeps the item's other values.
    let sets = |code: &str| !updating || header.has(code);
    for code in ["accession", "base", "category", "title_zh"] {
        if sets(code) && get(code).is_empty() {
            fail(code, "csv-required", &[]);
        }
    }
    if updating && header.has("rights") && get("rights").is_empty() {
        fail("rights", "csv-required", &[]);
    }
    let item = target.map(|(item, _)| item);
    let form = row_form(&get, &sets, item, bases, &mut fail);
    if let Some(item) = item {
        let slug = get("slug");
        if !slug.is_empty() && slug != item.fields.slug.as_str() {
            fail(
                "slug",
                "csv-slug-change",
                &[("slug", item.fields.slug.as_str())],
            );
        }
        if !bases.editable.contains(&item.base) {
            fail(
                "accession",
                "csv-item-forbidden",
                &[("base", item.base.as_str())],
            );
        }
    }
    let checked = form.check(item.map_or(Status::Draft, |i| i.fields.status));
    if let Err(errors) = &checked {
        // Empty required cells, categories, levels, bases and rights are reported above,
        // in the import's own words; the form's other findings are reported as they are.
        let own = ["category", "protection_level", "base", "rights"];
        for e in errors {
            let empty_required = e.key == "form-required" || e.key == "form-title-zh-required";
            if own.contains(&e.field) || empty_required {
                continue;
            }
            fail(e.field, e.key, &[]);
        }
    }
    // What the row does to its item: nothing when it asks for what the item is already;
    // else it must have been made from the item's current revision.
    let update = match (&checked, target) {
        (Ok((fields, base)), Some((item, revision))) => {
            let unchanged = same(fields, &item.fields) && *base == item.base;
            if !unchanged && revision != item.revision {
                fail(
                    "revision",
                    "csv-stale-revision",
                    &[
                        ("revision", &revision.to_string()),
                        ("current", &item.revision.to_string()),
                    ],
                );
            }
            Some(Target {
                id: item.id,
                revision,
                unchanged,
                changes: if unchanged {
                    Vec::new()
                } else {
                    changed_columns(item, fields, base)
                },
            })
        }
        _ => None,
    };
    let names = split_list(get("media"));
    for name in &names {
        let unsafe_name = name.starts_with(['/', '\\'])
            || name.contains('\\')
            || name.contains(':')
            || name.split('/').any(|part| part == ".." || part == ".")
            || name.chars().any(char::is_control);
        if unsafe_name {
            fail("media", "csv-media-bad-name", &[("name", name)]);
        }
    }
    if updating && !names.is_empty() {
        fail("media", "csv-media-update", &[]);
    }
    let (alt_zh, alt_mn, alt_en) = (
        split_aligned(get("media_alt_zh")),
        split_aligned(get("media_alt_mn")),
        split_aligned(get("media_alt_en")),
    );
    for (code, list) in [
        ("media_alt_zh", &alt_zh),
        ("media_alt_mn", &alt_mn),
        ("media_alt_en", &alt_en),
    ] {
        if list.len() > names.len() {
            fail(
                code,
                "csv-alt-count",
                &[
                    ("alts", &list.len().to_string()),
                    ("files", &names.len().to_string()),
                ],
            );
        }
    }
    if problems.len() > start {
        return None;
    }
    let (fields, base) = checked.ok()?;
    let pick = |list: &Vec<String>, i: usize| list.get(i).cloned();
    let media = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| MediaRef {
            name,
            alt: LocalizedText::new(pick(&alt_zh, i), pick(&alt_mn, i), pick(&alt_en, i)),
        })
        .collect();
    Some(ImportRow {
        row,
        fields,
        base,
        media,
        update,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::csv_import::DEFAULT_RIGHTS;
    use crate::catalogue::types::{Category, Level};

    fn bases() -> Bases {
        Bases::hall_only()
    }

    #[test]
    fn chinese_headers_and_names_make_items() {
        let text = "编号,标题,类别,基地,保护级别,传承人,媒体,替代文本\n\
                    KZ/2025.1,安代舞,传统舞蹈,hall,自治区级,甲；乙,a.jpg;b.wav,舞者;\n";
        let checked = parse(text, &bases(), &ExistingItems::new());
        assert!(checked.problems.is_empty(), "{:?}", checked.problems);
        let row = &checked.rows[0];
        assert_eq!(row.row, 2);
        assert_eq!(row.fields.slug.as_str(), "kz-2025-1");
        assert_eq!(row.fields.category, Category::TraditionalDance);
        assert_eq!(row.fields.protection_level, Some(Level::Region));
        assert_eq!(row.fields.rights, DEFAULT_RIGHTS);
        assert_eq!(row.fields.inheritors.len(), 2);
        assert_eq!(row.media.len(), 2);
        assert_eq!(row.media[0].alt.zh.as_deref(), Some("舞者"));
        assert_eq!(row.media[1].alt.zh, None);
    }

    #[test]
    fn every_problem_is_named_by_row_and_column() {
        let text = "accession,title_zh,category,base,year\n\
                    A-1,一,quyi,hall,1900\n\
                    A-2,二,dance,hall,\n\
                    A 3,,quyi,school,x\n\
                    A-1,四,quyi,nowhere,\n";
        let checked = parse(text, &bases(), &ExistingItems::new());
        assert_eq!(
            checked.problem_keys(),
            [
                (Some(3), Some("category"), "csv-unknown-category"),
                (Some(4), Some("title_zh"), "csv-required"),
                (Some(4), Some("base"), "csv-base-forbidden"),
                (Some(4), Some("accession"), "form-bad-accession"),
                (Some(4), Some("year"), "form-bad-year"),
                (Some(5), Some("base"), "csv-unknown-base"),
            ]
        );
        assert_eq!(checked.rows.len(), 1);
        assert_eq!(checked.total, 4);
        let text = "accession,title_zh,category,base\nA-1,一,quyi,hall\nA-1,二,quyi,hall\n";
        assert_eq!(
            parse(text, &bases(), &ExistingItems::new()).problem_keys(),
            [
                (Some(3), Some("accession"), "csv-duplicate-accession"),
                (Some(3), Some("slug"), "csv-duplicate-slug"),
            ]
        );
    }

    #[test]
    fn missing_columns_are_named_once() {
        let checked = parse(
            "编号,颜色\nA-1,red\nA-2,blue\n",
            &bases(),
            &ExistingItems::new(),
        );
        assert_eq!(
            checked.problem_keys(),
            [
                (Some(1), Some("颜色"), "csv-unknown-column"),
                (Some(1), None, "csv-missing-columns"),
            ]
        );
        assert_eq!(checked.problems[1].args[0].1, "base, category, title_zh");
    }
}
