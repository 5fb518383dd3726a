//! The columns of an import file. Headers are the English codes below, or the Chinese
//! names a curator writes in Excel (`编号`, `标题`, …); case and surrounding spaces do not
//! matter. Lists (inheritors, subjects, media files, alt texts) are separated by `;` or `；`.
//!
//! The `revision` column is what a catalogue export writes beside each item: a row with a
//! revision updates the item with its accession number (see [`super::update`]), and a file
//! with that column need name no other column than `accession`.

use super::Problem;
use crate::catalogue::form::ItemForm;
use std::collections::HashMap;

/// One column an import file may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The English code (the template's header).
    pub code: &'static str,
    /// Other headers accepted for it.
    pub aliases: &'static [&'static str],
    /// Whether every file must have it.
    pub required: bool,
}

const fn col(code: &'static str, aliases: &'static [&'static str], required: bool) -> Column {
    Column {
        code,
        aliases,
        required,
    }
}

/// Every column, in the template's order.
pub const COLUMNS: &[Column] = &[
    col("accession", &["编号", "馆藏号", "藏品编号"], true),
    col("slug", &["网址名", "短名"], false),
    col("base", &["基地", "教育基地"], true),
    col("category", &["类别", "门类", "非遗类别"], true),
    col("protection_level", &["保护级别", "级别"], false),
    col("year", &["年份"], false),
    col("rights", &["版权", "权利声明"], false),
    col("title_zh", &["标题", "中文标题", "名称"], true),
    col("title_mn", &["蒙古文标题"], false),
    col("title_en", &["英文标题"], false),
    col("summary_zh", &["摘要", "简介", "中文摘要"], false),
    col("summary_mn", &["蒙古文摘要"], false),
    col("summary_en", &["英文摘要"], false),
    col("description_zh", &["描述", "说明", "中文描述"], false),
    col("description_mn", &["蒙古文描述"], false),
    col("description_en", &["英文描述"], false),
    col("place_zh", &["地点", "所在地", "中文地点"], false),
    col("place_mn", &["蒙古文地点"], false),
    col("place_en", &["英文地点"], false),
    col("period_zh", &["年代", "时期", "中文年代"], false),
    col("period_mn", &["蒙古文年代"], false),
    col("period_en", &["英文年代"], false),
    col("inheritors_zh", &["传承人", "中文传承人"], false),
    col("inheritors_mn", &["蒙古文传承人"], false),
    col("inheritors_en", &["英文传承人"], false),
    col("subjects_zh", &["主题", "中文主题"], false),
    col("subjects_mn", &["蒙古文主题"], false),
    col("subjects_en", &["英文主题"], false),
    col("media", &["媒体", "媒体文件", "文件"], false),
    col(
        "media_alt_zh",
        &["替代文本", "图片说明", "中文替代文本"],
        false,
    ),
    col("media_alt_mn", &["蒙古文替代文本"], false),
    col("media_alt_en", &["英文替代文本"], false),
    col("revision", &["版本"], false),
];

/// The columns a catalogue export writes: every item column, without media, and the
/// revision last.
pub fn export_columns() -> impl Iterator<Item = &'static str> {
    COLUMNS
        .iter()
        .map(|c| c.code)
        .filter(|code| !code.starts_with("media"))
}

/// True for the columns that hold lists (one entry per line in the form).
fn is_list(code: &str) -> bool {
    code.starts_with("inheritors_") || code.starts_with("subjects_")
}

/// The form field a column fills, if it is one of the item's own columns.
fn slot<'f>(form: &'f mut ItemForm, code: &str) -> Option<&'f mut String> {
    let f = form;
    Some(match code {
        "accession" => &mut f.accession,
        "slug" => &mut f.slug,
        "base" => &mut f.base,
        "category" => &mut f.category,
        "protection_level" => &mut f.protection_level,
        "year" => &mut f.year,
        "rights" => &mut f.rights,
        "title_zh" => &mut f.title_zh,
        "title_mn" => &mut f.title_mn,
        "title_en" => &mut f.title_en,
        "summary_zh" => &mut f.summary_zh,
        "summary_mn" => &mut f.summary_mn,
        "summary_en" => &mut f.summary_en,
        "description_zh" => &mut f.description_zh,
        "description_mn" => &mut f.description_mn,
        "description_en" => &mut f.description_en,
        "place_zh" => &mut f.place_zh,
        "place_mn" => &mut f.place_mn,
        "place_en" => &mut f.place_en,
        "period_zh" => &mut f.period_zh,
        "period_mn" => &mut f.period_mn,
        "period_en" => &mut f.period_en,
        "inheritors_zh" => &mut f.inheritors_zh,
        "inheritors_mn" => &mut f.inheritors_mn,
        "inheritors_en" => &mut f.inheritors_en,
        "subjects_zh" => &mut f.subjects_zh,
        "subjects_mn" => &mut f.subjects_mn,
        "subjects_en" => &mut f.subjects_en,
        "revision" => &mut f.revision,
        _ => return None,
    })
}

/// Takes a column's value out of a form, as a cell: list entries joined by `; ` (blank
/// entries kept, so the three languages stay aligned).
pub fn take_cell(form: &mut ItemForm, code: &str) -> String {
    let value = slot(form, code).map(std::mem::take).unwrap_or_default();
    if is_list(code) {
        value.lines().collect::<Vec<_>>().join("; ")
    } else {
        value
    }
}

/// Puts a cell into a form: lists split on either semicolon, blank entries kept in place.
pub fn set_cell(form: &mut ItemForm, code: &str, cell: &str) {
    let value = if is_list(code) {
        split_aligned(cell).join("\n")
    } else {
        cell.to_owned()
    };
    if let Some(slot) = slot(form, code) {
        *slot = value;
    }
}

/// The column a header names, if any.
pub fn column_for(header: &str) -> Option<&'static Column> {
    let h = header.trim().trim_start_matches('\u{feff}').trim();
    let lower = h.to_ascii_lowercase();
    COLUMNS
        .iter()
        .find(|c| c.code == lower || c.aliases.contains(&h))
}

/// Splits a list cell on `;` or the full-width `；`, trimming and dropping blanks.
pub fn split_list(cell: &str) -> Vec<String> {
    cell.split([';', '；'])
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Splits an aligned list cell (alt texts follow the media names one by one): blanks stay.
pub fn split_aligned(cell: &str) -> Vec<String> {
    if cell.trim().is_empty() {
        return Vec::new();
    }
    cell.split([';', '；'])
        .map(|s| s.trim().to_owned())
        .collect()
}

/// The template file: a byte-order mark (so Excel reads it as UTF-8), the header of every
/// column and one example row.
pub fn template() -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    let mut w = csv::Writer::from_writer(&mut out);
    w.write_record(COLUMNS.iter().map(|c| c.code))
        .expect("writing to memory");
    let example = |code: &str| match code {
        "accession" => "KZ-2025-001",
        "slug" => "horqin-saddle",
        "base" => "banner-heritage-hall",
        "category" => "traditional_craft",
        "protection_level" => "region",
        "year" => "1987",
        "rights" => "https://creativecommons.org/licenses/by/4.0/",
        "title_zh" => "科尔沁马鞍",
        "title_en" => "Horqin saddle",
        "summary_zh" => "银饰镶嵌的马鞍。",
        "inheritors_zh" => "巴特尔；其其格",
        "subjects_zh" => "马具；银饰",
        "media" => "saddle-front.jpg;saddle-side.jpg",
        "media_alt_zh" => "马鞍正面；马鞍侧面",
        _ => "",
    };
    w.write_record(COLUMNS.iter().map(|c| example(c.code)))
        .expect("writing to memory");
    w.flush().expect("writing to memory");
    drop(w);
    out
}

/// Where each column is in the file.
pub struct Header {
    index: HashMap<&'static str, usize>,
}

impl Header {
    /// True when the file has the column.
    pub fn has(&self, code: &str) -> bool {
        self.index.contains_key(code)
    }

    /// The trimmed cell of a column in a row ("" when the file lacks the column). The
    /// apostrophe our own exports put before a leading `=`, `+`, `-` or `@` (so Excel does
    /// not run the cell as a formula) is taken off again.
    pub fn get<'r>(&self, record: &'r csv::StringRecord, code: &str) -> &'r str {
        let cell = self
            .index
            .get(code)
            .and_then(|i| record.get(*i))
            .unwrap_or("")
            .trim();
        cell.strip_prefix('\'')
            .filter(|rest| rest.starts_with(['=', '+', '-', '@']))
            .unwrap_or(cell)
    }
}

/// Reads the header: unknown or repeated columns and missing required ones are problems.
pub fn header(record: &csv::StringRecord, problems: &mut Vec<Problem>) -> Option<Header> {
    let mut index = HashMap::new();
    for (i, cell) in record.iter().enumerate() {
        let name = cell.trim().trim_start_matches('\u{feff}').trim();
        if name.is_empty() {
            continue; // Excel's trailing empty columns
        }
        match column_for(name) {
            None => problems.push(Problem::new(
                Some(1),
                Some(name),
                "csv-unknown-column",
                &[("column", name)],
            )),
            Some(c) if index.contains_key(c.code) => problems.push(Problem::new(
                Some(1),
                Some(name),
                "csv-duplicate-column",
                &[("column", c.code)],
            )),
            Some(c) => {
                index.insert(c.code, i);
            }
        }
    }
    // A file that updates items needs only the accession number to find each one.
    let updates = index.contains_key("revision");
    let missing: Vec<&str> = COLUMNS
        .iter()
        .filter(|c| c.required && !(updates && c.code != "accession"))
        .filter(|c: &&Column| !index.contains_key(c.code))
        .map(|c| c.code)
        .collect();
    if missing.is_empty() {
        Some(Header { index })
    } else {
        problems.push(Problem::new(
            Some(1),
            None,
            "csv-missing-columns",
            &[("columns", &missing.join(", "))],
        ));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_codes_or_chinese_names() {
        assert_eq!(column_for(" Accession ").unwrap().code, "accession");
        assert_eq!(column_for("\u{feff}编号").unwrap().code, "accession");
        assert_eq!(column_for("标题").unwrap().code, "title_zh");
        assert_eq!(column_for("传承人").unwrap().code, "inheritors_zh");
        assert!(column_for("colour").is_none());
    }

    #[test]
    fn lists_split_on_either_semicolon() {
        assert_eq!(split_list("甲；乙; 丙;;"), ["甲", "乙", "丙"]);
        assert_eq!(split_aligned("a;;c"), ["a", "", "c"]);
        assert!(split_aligned(" ").is_empty());
    }

    #[test]
    fn the_apostrophe_that_defuses_a_formula_comes_off_on_import() {
        let head = csv::StringRecord::from(vec!["accession", "title_zh"]);
        let h = header(&head, &mut Vec::new());
        assert!(h.is_none(), "base and category are required for new items");
        let head = csv::StringRecord::from(vec!["accession", "title_zh", "revision"]);
        let h = header(&head, &mut Vec::new()).unwrap();
        let row = csv::StringRecord::from(vec!["'-A", " '=1+1 ", "'x"]);
        assert_eq!(h.get(&row, "accession"), "-A");
        assert_eq!(h.get(&row, "title_zh"), "=1+1");
        assert_eq!(h.get(&row, "revision"), "'x");
    }

    #[test]
    fn the_template_starts_with_a_byte_order_mark_and_names_every_column() {
        let t = template();
        assert!(t.starts_with(&[0xEF, 0xBB, 0xBF]));
        let text = String::from_utf8(t[3..].to_vec()).unwrap();
        assert!(text.starts_with("accession,slug,base,category"));
        assert!(text.contains("科尔沁马鞍"));
    }
}
