//! The values of a row as an item form: category and protection level by code or Chinese
//! name, the base among those the importer may use, the rights URI, and the slug a new item
//! takes from its accession number.

use super::Bases;
use super::columns::{COLUMNS, set_cell};
use super::update::Existing;
use crate::catalogue::form::ItemForm;
use crate::catalogue::types::{Accession, Category, Level, Slug};

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

/// Reports a problem of the row: its column, message key and arguments.
pub(super) type Fail<'f> = &'f mut dyn FnMut(&str, &str, &[(&str, &str)]);

/// The item form a row fills in: a new item's from blank, an update's from the item as it is
/// (`item`), with the cells of the columns `sets` names written over it. Unknown categories,
/// levels, bases and bad rights are reported through `fail`, in the import's own words.
pub(super) fn row_form<'r>(
    get: &dyn Fn(&str) -> &'r str,
    sets: &dyn Fn(&str) -> bool,
    item: Option<&Existing>,
    bases: &Bases,
    fail: Fail,
) -> ItemForm {
    let mut form = match item {
        Some(e) => ItemForm::of(&e.fields, &e.base, e.revision),
        None => ItemForm::default(),
    };
    for code in COLUMNS.iter().map(|c| c.code) {
        if code != "revision" && sets(code) {
            set_cell(&mut form, code, get(code));
        }
    }
    if sets("category") && !get("category").is_empty() {
        let v = get("category");
        match category_of(v) {
            Some(c) => form.category = c.code().to_owned(),
            None => fail(
                "category",
                "csv-unknown-category",
                &[
                    ("value", v),
                    ("valid", &joined(Category::ALL, Category::code)),
                ],
            ),
        }
    }
    if sets("protection_level") && !get("protection_level").is_empty() {
        let v = get("protection_level");
        match level_of(v) {
            Some(l) => form.protection_level = l.code().to_owned(),
            None => fail(
                "protection_level",
                "csv-unknown-level",
                &[("value", v), ("valid", &joined(Level::ALL, Level::code))],
            ),
        }
    }
    let base = get("base");
    if sets("base") && !base.is_empty() {
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
    match item {
        // An update keeps its slug (a new one would break every link to the item) ...
        Some(e) => form.slug = e.fields.slug.to_string(),
        // ... a new item without one takes it from its accession number.
        None if form.slug.is_empty() => {
            form.slug = Accession::parse(&form.accession)
                .ok()
                .and_then(|a| slug_from_accession(&a))
                .map(|s| s.to_string())
                .unwrap_or_default();
        }
        None => {}
    }
    if item.is_none() && form.rights.is_empty() {
        form.rights = DEFAULT_RIGHTS.to_owned();
    }
    if sets("rights")
        && !form.rights.is_empty()
        && crate::catalogue::rights::check_rights_uri(&form.rights).is_err()
    {
        fail("rights", "csv-bad-rights", &[("value", &form.rights)]);
    }
    form
}
