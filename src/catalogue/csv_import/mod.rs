//! Bulk import of items from a spreadsheet: a CSV file (UTF-8 with or without a byte-order
//! mark, or GBK from Excel) plus an optional zip of media files.
//!
//! Checking is separate from writing. [`check`] reads the whole file and reports every
//! problem by row and column (rows numbered as Excel shows them, the header being row 1)
//! before anything is written; [`run::run`] then writes each row with its media in one
//! transaction, so a row is imported completely or not at all and a failing row does not
//! stop the others. An accession number or slug already in the catalogue is refused, never
//! overwritten: an import must not silently replace curated work.

pub mod columns;
pub mod decode;
pub mod media_zip;
mod rows;
pub mod run;
pub mod update;
mod values;
pub mod workbook;

pub use media_zip::MediaZip;
pub use rows::parse;
pub use values::DEFAULT_RIGHTS;

use super::model::ItemFields;
use super::repo::CatalogueRepo;
use super::types::Slug;
use crate::i18n::LocalizedText;
use crate::repo::{RepoResult, Visibility};
use serde::{Deserialize, Serialize};

/// One problem of an import file, shown to the curator in their language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The row as Excel numbers it (the header is row 1); `None` for the file as a whole.
    pub row: Option<usize>,
    /// The column's code (or the header as written); `None` when no column is to blame.
    pub column: Option<String>,
    /// The message key (locales/*.ftl).
    pub key: String,
    /// The message's named arguments.
    pub args: Vec<(String, String)>,
}

impl Problem {
    /// A problem at `row` and `column` with message `key` and its arguments.
    pub fn new(row: Option<usize>, column: Option<&str>, key: &str, args: &[(&str, &str)]) -> Self {
        Problem {
            row,
            column: column.map(str::to_owned),
            key: key.to_owned(),
            args: args
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }
}

/// A media file a row names, with the alt text given for it.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaRef {
    /// The name as written in the row (a path inside the zip, or just the file's name).
    pub name: String,
    /// Alt text per language.
    pub alt: LocalizedText,
}

/// A row that passed every check of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// The row as Excel numbers it.
    pub row: usize,
    /// The item's fields (status draft).
    pub fields: ItemFields,
    /// The keeping base.
    pub base: Slug,
    /// Its media files, in order.
    pub media: Vec<MediaRef>,
    /// The item it updates; `None` for a new item.
    pub update: Option<update::Target>,
}

/// The bases a row may name.
#[derive(Debug, Clone, Default)]
pub struct Bases {
    /// Every base of the catalogue.
    pub known: Vec<Slug>,
    /// Those the importing user may put items in.
    pub editable: Vec<Slug>,
}

impl Bases {
    /// Two bases, `hall` and `school`, of which the importer may use the hall (tests).
    #[cfg(test)]
    pub(crate) fn hall_only() -> Bases {
        let hall = Slug::parse("hall").expect("a valid slug");
        Bases {
            known: vec![hall.clone(), Slug::parse("school").expect("a valid slug")],
            editable: vec![hall],
        }
    }

    /// The bases of the catalogue, and those `user` may import into.
    pub async fn for_user(
        catalogue: &dyn CatalogueRepo,
        user: &crate::accounts::model::User,
    ) -> RepoResult<Bases> {
        let known: Vec<Slug> = catalogue
            .list_bases(&crate::catalogue::repo::ListQuery::all(
                Visibility::All,
                500,
            ))
            .await?
            .items
            .into_iter()
            .map(|b| b.fields.slug)
            .collect();
        let editable = known
            .iter()
            .filter(|s| user.can_edit_base(s))
            .cloned()
            .collect();
        Ok(Bases { known, editable })
    }
}

/// A file read and checked: the good rows and every problem.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// Rows without problems, in file order.
    pub rows: Vec<ImportRow>,
    /// Every problem found, in file order.
    pub problems: Vec<Problem>,
    /// Data rows in the file (blank rows not counted).
    pub total: usize,
}

impl Checked {
    /// Every problem as (row, column, message key) (tests).
    #[cfg(test)]
    pub(crate) fn problem_keys(&self) -> Vec<(Option<usize>, Option<&str>, &str)> {
        self.problems
            .iter()
            .map(|p| (p.row, p.column.as_deref(), p.key.as_str()))
            .collect()
    }

    /// Of the good rows: how many make new items, update items, and change nothing.
    pub fn counts(&self) -> (usize, usize, usize) {
        let updates = |unchanged: bool| {
            self.rows
                .iter()
                .filter(|r| r.update.as_ref().is_some_and(|t| t.unchanged == unchanged))
                .count()
        };
        let new = self.rows.iter().filter(|r| r.update.is_none()).count();
        (new, updates(false), updates(true))
    }
}

/// Reads and checks an import: the file's encoding and columns, every row's values, that
/// new items' accession numbers and slugs are new to the catalogue, that updates were made
/// from their items' current revisions, and that every media file named is
/// in the zip and of an accepted type and no larger than `media_limit` bytes. Nothing is
/// written.
pub async fn check(
    bytes: &[u8],
    zip: Option<&MediaZip>,
    bases: &Bases,
    catalogue: &dyn CatalogueRepo,
    media_limit: u64,
) -> RepoResult<Checked> {
    let (text, encoding) = match decode::decode(bytes) {
        Ok(decoded) => decoded,
        Err(e) => {
            let problem = if e.utf16 {
                Problem::new(None, None, "csv-utf16", &[])
            } else {
                Problem::new(
                    Some(e.line),
                    None,
                    "csv-bad-encoding",
                    &[
                        ("offset", &e.offset.to_string()),
                        ("line", &e.line.to_string()),
                        ("byte", &format!("0x{:02X}", e.byte)),
                    ],
                )
            };
            return Ok(Checked {
                problems: vec![problem],
                ..Checked::default()
            });
        }
    };
    let existing = update::existing_items(&text, catalogue).await?;
    let mut checked = parse(&text, bases, &existing);
    let mut refused = Vec::new();
    if encoding == decode::Encoding::Gb18030 {
        let lost = rows::question_marks(&text);
        refused.extend(lost.iter().filter_map(|p| p.row));
        checked.problems.extend(lost);
    }
    for row in checked.rows.iter().filter(|r| r.update.is_none()) {
        let at = Some(row.row);
        if let Some(slug) = catalogue
            .item_slug_by_accession(&row.fields.accession, Visibility::All)
            .await?
        {
            refused.push(row.row);
            checked.problems.push(Problem::new(
                at,
                Some("accession"),
                "csv-accession-exists",
                &[("slug", slug.as_str())],
            ));
        }
        if catalogue
            .item(&row.fields.slug, Visibility::All)
            .await?
            .is_some()
        {
            refused.push(row.row);
            checked
                .problems
                .push(Problem::new(at, Some("slug"), "csv-slug-exists", &[]));
        }
    }
    let named: Vec<(usize, String)> = checked
        .rows
        .iter()
        .flat_map(|r| r.media.iter().map(|m| (r.row, m.name.clone())))
        .collect();
    let media_problems = match zip {
        Some(zip) => {
            let zip = zip.clone();
            tokio::task::spawn_blocking(move || zip.check(&named, media_limit))
                .await
                .map_err(|e| crate::repo::RepoError::Backend(e.into()))?
        }
        None => named
            .iter()
            .map(|(row, name)| {
                Problem::new(
                    Some(*row),
                    Some("media"),
                    "csv-media-no-zip",
                    &[("name", name)],
                )
            })
            .collect(),
    };
    refused.extend(media_problems.iter().filter_map(|p| p.row));
    checked.problems.extend(media_problems);
    checked.rows.retain(|r| !refused.contains(&r.row));
    // File order: file-wide problems first, then by row (stable within a row).
    checked.problems.sort_by_key(|p| p.row.unwrap_or(0));
    Ok(checked)
}
