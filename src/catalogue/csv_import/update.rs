//! Updating items from a sheet: the catalogue exported (`/admin/items.csv`), edited in Excel
//! and imported again.
//!
//! A row updates the item with its accession number only when it carries a revision (the
//! export's `revision` column): the sheet's word for "I was made from this version of the
//! item". Without one, a row creates an item and an accession number already in use is
//! refused, as before. A row whose revision is no longer the item's is refused too: the item
//! changed after the export, and the import must not undo that change without anyone
//! noticing. Columns the file lacks keep the item's values; a blank cell in a column the
//! file has clears that field. A row that asks for what the item already is changes nothing
//! (no new revision, no audit row), so a sheet of 500 rows with three edits writes three.

use crate::catalogue::model::{Item, ItemFields, ItemId};
use crate::catalogue::repo::CatalogueRepo;
use crate::catalogue::types::{Accession, Slug};
use crate::repo::{RepoResult, Visibility};
use std::collections::HashMap;

/// An item a row may update, as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    /// Its id.
    pub id: ItemId,
    /// Its fields.
    pub fields: ItemFields,
    /// Its base.
    pub base: Slug,
    /// Its revision.
    pub revision: i64,
}

impl Existing {
    /// The item as a row may update it.
    pub fn of(item: &Item) -> Existing {
        Existing {
            id: item.id,
            fields: item.fields.clone(),
            base: item.base.slug.clone(),
            revision: item.revision,
        }
    }
}

/// The items rows may update, by accession number.
pub type ExistingItems = HashMap<String, Existing>;

/// What a checked row does to an existing item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The item.
    pub id: ItemId,
    /// The revision the row was made from, which the item must still be at.
    pub revision: i64,
    /// True when the row asks for what the item already is: nothing is written.
    pub unchanged: bool,
    /// The columns whose values it changes, in the sheet's order.
    pub changes: Vec<&'static str>,
}

/// The accession numbers of the rows that carry a revision (rows that update).
pub fn accessions_to_update(text: &str) -> Vec<String> {
    let mut reader = super::rows::reader(text);
    let mut records = reader.records();
    let Some(Ok(head)) = records.next() else {
        return Vec::new();
    };
    let Some(header) = super::columns::header(&head, &mut Vec::new()) else {
        return Vec::new();
    };
    if !header.has("revision") {
        return Vec::new();
    }
    records
        .filter_map(Result::ok)
        .filter(|r| !header.get(r, "revision").is_empty())
        .map(|r| header.get(&r, "accession").to_owned())
        .filter(|a| !a.is_empty())
        .collect()
}

/// The items the rows of `text` that carry a revision name, as they are now.
pub async fn existing_items(
    text: &str,
    catalogue: &dyn CatalogueRepo,
) -> RepoResult<ExistingItems> {
    let mut found = ExistingItems::new();
    for accession in accessions_to_update(text) {
        let Ok(parsed) = Accession::parse(&accession) else {
            continue; // the row reports its own bad accession number
        };
        if found.contains_key(&accession) {
            continue;
        }
        let Some(slug) = catalogue
            .item_slug_by_accession(&parsed, Visibility::All)
            .await?
        else {
            continue;
        };
        if let Some(item) = catalogue.item(&slug, Visibility::All).await? {
            found.insert(accession, Existing::of(&item));
        }
    }
    Ok(found)
}

/// The columns of the export whose values differ between an item as it is and as a row
/// would have it (line endings aside).
pub fn changed_columns(item: &Existing, fields: &ItemFields, base: &Slug) -> Vec<&'static str> {
    use super::columns::{export_columns, take_cell};
    use crate::catalogue::form::ItemForm;
    let mut before = ItemForm::of(&item.fields, &item.base, 0);
    let mut after = ItemForm::of(fields, base, 0);
    export_columns()
        .filter(|code| *code != "revision")
        .filter(|code| {
            let (a, b) = (take_cell(&mut before, code), take_cell(&mut after, code));
            a.replace("\r\n", "\n") != b.replace("\r\n", "\n")
        })
        .collect()
}

/// True when two versions of an item say the same, line endings aside (a browser sends
/// `\r\n` in text areas; a spreadsheet may give back `\n`).
pub fn same(a: &ItemFields, b: &ItemFields) -> bool {
    let text = |f: &ItemFields| serde_json::to_string(f).map(|s| s.replace("\\r\\n", "\\n"));
    a == b || matches!((text(a), text(b)), (Ok(x), Ok(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::csv_import::{Bases, parse};
    use crate::catalogue::form::ItemForm;
    use crate::catalogue::types::Status;

    fn bases() -> Bases {
        Bases::hall_only()
    }

    /// A published item A-1 at revision 3 in the hall, and B-1 in the school.
    fn existing() -> ExistingItems {
        let item = |accession: &str, base: &str, id: i64| {
            let form = ItemForm {
                accession: accession.into(),
                slug: accession.to_ascii_lowercase(),
                base: base.into(),
                category: "quyi".into(),
                rights: crate::catalogue::csv_import::DEFAULT_RIGHTS.into(),
                title_zh: "一".into(),
                inheritors_zh: "甲\n乙".into(),
                inheritors_mn: "\nᠪ".into(),
                ..ItemForm::default()
            };
            let (fields, base) = form.check(Status::Published).unwrap();
            Existing {
                id,
                fields,
                base,
                revision: 3,
            }
        };
        [
            ("A-1".into(), item("A-1", "hall", 7)),
            ("B-1".into(), item("B-1", "school", 8)),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn a_row_with_its_revision_updates_only_the_columns_the_file_has() {
        let checked = parse(
            "accession,title_mn,revision\nA-1,ᠨᠢᠭᠡ,3\n",
            &bases(),
            &existing(),
        );
        assert!(checked.problems.is_empty(), "{:?}", checked.problems);
        let row = &checked.rows[0];
        assert_eq!(
            row.update,
            Some(Target {
                id: 7,
                revision: 3,
                unchanged: false,
                changes: vec!["title_mn"],
            })
        );
        assert_eq!(row.fields.title.zh.as_deref(), Some("一"));
        assert_eq!(row.fields.title.mn.as_deref(), Some("ᠨᠢᠭᠡ"));
        assert_eq!(row.fields.status, Status::Published);
        assert_eq!(row.fields.inheritors, existing()["A-1"].fields.inheritors);
        assert_eq!(checked.counts(), (0, 1, 0));
    }

    #[test]
    fn an_exported_row_comes_back_unchanged_even_when_stale() {
        let mut form = ItemForm::of(&existing()["A-1"].fields, &Slug::parse("hall").unwrap(), 2);
        let codes: Vec<&str> = super::super::columns::export_columns().collect();
        let cells: Vec<String> = codes
            .iter()
            .map(|c| super::super::columns::take_cell(&mut form, c))
            .collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&codes).unwrap();
        w.write_record(&cells).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert!(text.contains("甲; 乙"), "{text}");
        let checked = parse(&text, &bases(), &existing());
        assert!(checked.problems.is_empty(), "{:?}", checked.problems);
        assert_eq!(checked.counts(), (0, 0, 1));
    }

    #[test]
    fn updates_that_would_lose_work_or_reach_too_far_are_refused() {
        let text = "accession,slug,title_zh,media,revision\n\
                    A-1,,二,,2\n\
                    A-1,other,一,,3\n\
                    B-1,,二,,3\n\
                    C-1,,三,,1\n\
                    A-1,,一,a.jpg,3\n\
                    A-1,,,,x\n";
        let checked = parse(text, &bases(), &existing());
        let found: Vec<_> = checked
            .problem_keys()
            .into_iter()
            .filter(|k| k.2 != "csv-duplicate-accession" && k.2 != "csv-duplicate-slug")
            .collect();
        assert_eq!(
            found,
            [
                (Some(2), Some("revision"), "csv-stale-revision"),
                (Some(3), Some("slug"), "csv-slug-change"),
                (Some(4), Some("accession"), "csv-item-forbidden"),
                (Some(5), Some("accession"), "csv-update-unknown"),
                (Some(6), Some("media"), "csv-media-update"),
                (Some(7), Some("revision"), "csv-bad-revision"),
                (Some(7), Some("title_zh"), "csv-required"),
            ]
        );
        assert!(checked.rows.is_empty());
    }

    #[test]
    fn a_sheet_of_updates_needs_only_the_accession_column() {
        let mut problems = Vec::new();
        let head = csv::StringRecord::from(vec!["编号", "蒙古文标题", "revision"]);
        assert!(super::super::columns::header(&head, &mut problems).is_some());
        assert!(problems.is_empty());
        // A new row in such a sheet still needs what a new item needs.
        let checked = parse(
            "accession,title_mn,revision\nN-1,ᠨᠢᠭᠡ,\n",
            &bases(),
            &existing(),
        );
        assert_eq!(
            checked.problem_keys(),
            [
                (Some(2), Some("base"), "csv-required"),
                (Some(2), Some("category"), "csv-required"),
                (Some(2), Some("title_zh"), "csv-required"),
            ]
        );
    }
}
