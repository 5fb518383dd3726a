//! Reading the rows of a decoded import file and checking each value, reusing the item
//! form's checks so an imported item obeys exactly the rules of one typed in the admin.

use super::columns::{Header, header, split_aligned, split_list};
use super::{Bases, Checked, ImportRow, MediaRef, Problem};
use crate::catalogue::form::ItemForm;
use crate::catalogue::types::{Accession, Category, Level, Slug, Status};
use crate::i18n::LocalizedText;
use std::collections::HashMap;

/// What records are rights when a row names none: the most careful statement.
pub const DEFAULT_RIGHTS: &str = "http://rightsstatements.org/vocab/InC/1.0/";

/// Chinese names of the categories, as curators write them.
const CATEGORY_NAMES: &[(&str, Category)] = &[
    ("民间文学", Category::FolkLiterature),
    ("传统音乐", Category::TraditionalMusic),
    ("传统舞蹈", Category::TraditionalDance),
    ("传统戏剧", Category::TraditionalDrama),
    ("曲艺", Category::Quyi),
    ("传统体育、游艺与杂技", Category::SportsGamesAcrobatics),
    ("传统体育游艺与杂技", Category::SportsGamesAcrobatics),
    ("传统美术", Category::TraditionalArt),
    ("传统技艺", Category::TraditionalCraft),
    ("传统医药", Category::TraditionalMedicine),
    ("民俗", Category::FolkCustom),
];

/// Chinese names of the protection levels.
const LEVEL_NAMES: &[(&str, Level)] = &[
    ("国家级", Level::National),
    ("自治区级", Level::Region),
    ("市级", Level::City),
    ("盟市级", Level::City),
    ("旗县级", Level::Banner),
    ("旗级", Level::Banner),
];

fn category_of(v: &str) -> Option<Category> {
    Category::parse(&v.to_ascii_lowercase()).ok().or_else(|| {
        CATEGORY_NAMES
            .iter()
            .find(|(n, _)| *n == v)
            .map(|(_, c)| *c)
    })
}

fn level_of(v: &str) -> Option<Level> {
    Level::parse(&v.to_ascii_lowercase())
        .ok()
        .or_else(|| LEVEL_NAMES.iter().find(|(n, _)| *n == v).map(|(_, l)| *l))
}

/// A slug made from an accession number: `KZ-2025/01` → `kz-2025-01`.
pub fn slug_from_accession(accession: &Accession) -> Option<Slug> {
    let mut s = String::new();
    for c in accession.as_str().chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    Slug::parse(s.trim_matches('-')).ok()
}

fn joined<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|v| code(*v)).collect::<Vec<_>>().join(", ")
}

/// Reads decoded CSV text and checks every row on its own and against the others
/// (duplicate accession numbers and slugs). The catalogue is not consulted.
pub fn parse(text: &str, bases: &Bases) -> Checked {
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if !first_line.contains(',') && first_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
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
        let parsed = check_row(row, &record, &head, &header, bases, &mut checked.problems);
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

/// Checks one row; its problems are appended to `problems`.
fn check_row(
    row: usize,
    record: &csv::StringRecord,
    head: &csv::StringRecord,
    header: &Header,
    bases: &Bases,
    problems: &mut Vec<Problem>,
) -> Option<ImportRow> {
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
    for code in ["accession", "base", "category", "title_zh"] {
        if get(code).is_empty() {
            fail(code, "csv-required", &[]);
        }
    }
    let category = match get("category") {
        "" => None,
        v => {
            let c = category_of(v);
            if c.is_none() {
                fail(
                    "category",
                    "csv-unknown-category",
                    &[
                        ("value", v),
                        ("valid", &joined(Category::ALL, Category::code)),
                    ],
                );
            }
            c
        }
    };
    let level = match get("protection_level") {
        "" => None,
        v => {
            let l = level_of(v);
            if l.is_none() {
                fail(
                    "protection_level",
                    "csv-unknown-level",
                    &[("value", v), ("valid", &joined(Level::ALL, Level::code))],
                );
            }
            l
        }
    };
    let base = get("base");
    if !base.is_empty() {
        let valid = bases
            .editable
            .iter()
            .map(Slug::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        match Slug::parse(base) {
            Ok(slug) if bases.editable.contains(&slug) => {}
            Ok(slug) if bases.known.contains(&slug) => fail(
                "base",
                "csv-base-forbidden",
                &[("value", base), ("valid", &valid)],
            ),
            _ => fail(
                "base",
                "csv-unknown-base",
                &[("value", base), ("valid", &valid)],
            ),
        }
    }
    let rights = match get("rights") {
        "" => DEFAULT_RIGHTS,
        v => v,
    };
    if crate::catalogue::rights::check_rights_uri(rights).is_err() {
        fail("rights", "csv-bad-rights", &[("value", rights)]);
    }
    let accession = get("accession");
    let slug = match get("slug") {
        "" => Accession::parse(accession)
            .ok()
            .and_then(|a| slug_from_accession(&a))
            .map(|s| s.to_string())
            .unwrap_or_default(),
        s => s.to_owned(),
    };
    let lines = |code: &str| split_list(get(code)).join("\n");
    let form = ItemForm {
        accession: accession.to_owned(),
        slug,
        base: base.to_owned(),
        category: category.map(|c| c.code().to_owned()).unwrap_or_default(),
        protection_level: level.map(|l| l.code().to_owned()).unwrap_or_default(),
        year: get("year").to_owned(),
        rights: rights.to_owned(),
        title_zh: get("title_zh").to_owned(),
        title_mn: get("title_mn").to_owned(),
        title_en: get("title_en").to_owned(),
        summary_zh: get("summary_zh").to_owned(),
        summary_mn: get("summary_mn").to_owned(),
        summary_en: get("summary_en").to_owned(),
        description_zh: get("description_zh").to_owned(),
        description_mn: get("description_mn").to_owned(),
        description_en: get("description_en").to_owned(),
        place_zh: get("place_zh").to_owned(),
        place_mn: get("place_mn").to_owned(),
        place_en: get("place_en").to_owned(),
        period_zh: get("period_zh").to_owned(),
        period_mn: get("period_mn").to_owned(),
        period_en: get("period_en").to_owned(),
        inheritors_zh: lines("inheritors_zh"),
        inheritors_mn: lines("inheritors_mn"),
        inheritors_en: lines("inheritors_en"),
        subjects_zh: lines("subjects_zh"),
        subjects_mn: lines("subjects_mn"),
        subjects_en: lines("subjects_en"),
        revision: String::new(),
    };
    let checked = form.check(Status::Draft);
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bases() -> Bases {
        let hall = Slug::parse("hall").unwrap();
        Bases {
            known: vec![hall.clone(), Slug::parse("school").unwrap()],
            editable: vec![hall],
        }
    }

    fn found(checked: &Checked) -> Vec<(Option<usize>, Option<&str>, &str)> {
        checked
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_deref(), p.key.as_str()))
            .collect()
    }

    #[test]
    fn chinese_headers_and_names_make_items() {
        let text = "编号,标题,类别,基地,保护级别,传承人,媒体,替代文本\n\
                    KZ/2025.1,安代舞,传统舞蹈,hall,自治区级,甲；乙,a.jpg;b.wav,舞者;\n";
        let checked = parse(text, &bases());
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
        let checked = parse(text, &bases());
        assert_eq!(
            found(&checked),
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
            found(&parse(text, &bases())),
            [
                (Some(3), Some("accession"), "csv-duplicate-accession"),
                (Some(3), Some("slug"), "csv-duplicate-slug"),
            ]
        );
    }

    #[test]
    fn missing_columns_are_named_once() {
        let checked = parse("编号,颜色\nA-1,red\nA-2,blue\n", &bases());
        assert_eq!(
            found(&checked),
            [
                (Some(1), Some("颜色"), "csv-unknown-column"),
                (Some(1), None, "csv-missing-columns"),
            ]
        );
        assert_eq!(checked.problems[1].args[0].1, "base, category, title_zh");
    }
}
