//! The catalogue as a spreadsheet and back: a curator downloads their items from the item
//! list, edits the sheet (a translation here, a correction there, a new row at the end),
//! imports it, and the import updates exactly the rows that changed — refusing those whose
//! item someone else changed after the export.

use crate::admin_import::{problems, staged_id};
use crate::helpers::{HALL, SCHOOL, TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::catalogue::form::ItemForm;
use edubase::catalogue::types::Status;
use edubase::repo::Actor;

/// A downloaded sheet: its header and rows.
struct Sheet {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Sheet {
    fn parse(bytes: &[u8]) -> Sheet {
        assert!(
            bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
            "Excel needs the BOM"
        );
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[3..]);
        let mut records = r.records().map(|r| {
            r.unwrap()
                .iter()
                .map(str::to_owned)
                .collect::<Vec<String>>()
        });
        let head = records.next().unwrap();
        Sheet {
            head,
            rows: records.collect(),
        }
    }

    fn col(&self, code: &str) -> usize {
        self.head.iter().position(|h| h == code).unwrap()
    }

    fn row_of(&self, accession: &str) -> usize {
        let a = self.col("accession");
        self.rows.iter().position(|r| r[a] == accession).unwrap()
    }

    fn get(&self, accession: &str, code: &str) -> String {
        self.rows[self.row_of(accession)][self.col(code)].clone()
    }

    fn set(&mut self, accession: &str, code: &str, value: &str) {
        let (row, col) = (self.row_of(accession), self.col(code));
        self.rows[row][col] = value.to_owned();
    }

    fn bytes(&self) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
        w.write_record(&self.head).unwrap();
        for r in &self.rows {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap()
    }
}

#[tokio::test]
async fn the_catalogue_goes_out_as_a_sheet_and_comes_back_as_updates() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;

    let list = curator.get(&app, "/admin/items").await.text();
    assert!(list.contains("href=\"/admin/items.csv?\""), "{list}");
    let r = curator.get(&app, "/admin/items.csv").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/csv"));
    assert!(r.header("content-disposition").contains("edubase-items-"));
    let mut sheet = Sheet::parse(&r.bytes);
    assert_eq!(sheet.head[0], "accession");
    assert_eq!(sheet.head.last().unwrap(), "revision");
    assert!(!sheet.head.iter().any(|h| h.starts_with("media")));
    // The curator's own base only, every item of it, each at its revision.
    let (base, accession) = (sheet.col("base"), sheet.col("accession"));
    assert!(sheet.rows.len() >= 3, "{}", sheet.rows.len());
    assert!(sheet.rows.iter().all(|r| r[base] == HALL));
    let accessions: Vec<String> = sheet.rows.iter().map(|r| r[accession].clone()).collect();
    let (first, second) = (accessions[0].clone(), accessions[1].clone());
    let (first_slug, second_slug) = (sheet.get(&first, "slug"), sheet.get(&second, "slug"));
    let before = app.item(&first_slug).await.unwrap();
    assert_eq!(
        sheet.rows[0][sheet.col("revision")],
        before.revision.to_string()
    );

    // A translation, a correction, and a new item at the end.
    sheet.set(&first, "title_mn", "ᠲᠧᠰᠲ ᠨᠡᠷ᠎ᠡ");
    sheet.set(&second, "summary_zh", "改正后的摘要。");
    let mut new_row = vec![String::new(); sheet.head.len()];
    for (code, value) in [
        ("accession", "KZ-NEW-1"),
        ("base", HALL),
        ("category", "曲艺"),
        ("title_zh", "新藏品"),
    ] {
        new_row[sheet.col(code)] = value.to_owned();
    }
    sheet.rows.push(new_row);
    let unchanged = sheet.rows.len() - 3;

    let r = curator.check(&app, &sheet.bytes(), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(
        html.contains(&format!(
            "其中新建 1 件，更新 2 件，{unchanged} 行没有变化。"
        )),
        "{html}"
    );
    // The dry run lists what each updating row changes.
    for (accession, column) in [(&first, "title_mn"), (&second, "summary_zh")] {
        let row = format!(
            "<td><a href=\"/admin/items/{}\"><code>{accession}</code></a></td><td><code>{column}</code></td>",
            sheet.get(accession, "slug")
        );
        assert!(html.contains(&row), "{row}: {html}");
    }
    let id = staged_id(&html);

    // Someone saves the second item in its editor before the run.
    let other = app.item(&second_slug).await.unwrap();
    let form = ItemForm::of(&other.fields, &other.base.slug, other.revision);
    let (fields, base) = form.check(other.fields.status).unwrap();
    let actor = Actor {
        id: None,
        name: "tuya".into(),
    };
    let edited = app
        .state
        .editor
        .update_item(other.id, other.revision, &fields, &base, &actor)
        .await
        .unwrap();
    assert!(edited.is_ok());

    let done = curator.run_to_end(&app, &id).await;
    assert!(
        done.contains(&format!(
            "导入完成：新建 1 件，更新 1 件，无变化 {unchanged} 行，失败 1 行。"
        )),
        "{done}"
    );
    assert!(done.contains("表格导出之后，这件藏品又被修改过"), "{done}");

    let after = app.item(&first_slug).await.unwrap();
    assert_eq!(after.fields.title.mn.as_deref(), Some("ᠲᠧᠰᠲ ᠨᠡᠷ᠎ᠡ"));
    assert_eq!(after.revision, before.revision + 1);
    assert_eq!(after.fields.status, before.fields.status, "status stays");
    assert_eq!(after.fields.summary, before.fields.summary);
    let second_now = app.item(&second_slug).await.unwrap();
    assert_ne!(
        second_now.fields.summary.zh.as_deref(),
        Some("改正后的摘要。"),
        "the later edit is not undone"
    );
    let new = app.item("kz-new-1").await.unwrap();
    assert_eq!(new.fields.status, Status::Draft);
    // Unchanged rows write nothing.
    let third = app.item(&sheet.get(&accessions[2], "slug")).await.unwrap();
    assert_eq!(
        third.revision.to_string(),
        sheet.get(&accessions[2], "revision")
    );
    // The sample items are published: the public page shows the update at once.
    assert_eq!(after.fields.status, Status::Published);
    let page = app
        .get(&format!("/items/{first_slug}?lang=mn"))
        .await
        .text();
    assert!(page.contains("ᠲᠧᠰᠲ ᠨᠡᠷ᠎ᠡ"), "the public page shows it");

    let report = curator
        .get(&app, &format!("/admin/import/{id}/report.csv"))
        .await
        .text();
    for result in [",updated,", ",unchanged,", ",failed,", ",created,"] {
        assert!(report.contains(result), "{result}: {report}");
    }

    // The same sheet again: the updated row is now stale but asks for what the item is.
    let r = curator.check(&app, &sheet.bytes(), None).await;
    let html = r.text();
    assert_eq!(
        problems(&html),
        [
            (second_row(&sheet, &second), "revision".to_owned()),
            ((sheet.rows.len() + 1).to_string(), "accession".to_owned()),
            ((sheet.rows.len() + 1).to_string(), "slug".to_owned()),
        ],
        "{html}"
    );
}

/// The row number Excel shows for an accession's row.
fn second_row(sheet: &Sheet, accession: &str) -> String {
    (sheet.row_of(accession) + 2).to_string()
}

#[tokio::test]
async fn a_translator_sheet_of_two_columns_updates_only_those_and_only_in_ones_own_bases() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin.su", Role::Admin, &[]).await;
    let all = Sheet::parse(&admin.get(&app, "/admin/items.csv").await.bytes);
    let base = all.col("base");
    let school = all.rows.iter().find(|r| r[base] == SCHOOL).unwrap();
    let hall = all.rows.iter().find(|r| r[base] == HALL).unwrap();
    let (acc, rev, slug) = (all.col("accession"), all.col("revision"), all.col("slug"));

    // Filters carry over: the school's items only.
    let only = Sheet::parse(
        &admin
            .get(&app, &format!("/admin/items.csv?base={SCHOOL}"))
            .await
            .bytes,
    );
    assert!(only.rows.iter().all(|r| r[base] == SCHOOL));
    assert!(only.rows.len() < all.rows.len());

    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let text = format!(
        "编号,蒙古文标题,版本\n{},ᠨᠢᠭᠡ,{}\n{},ᠬᠣᠶᠠᠷ,{}\n",
        hall[acc], hall[rev], school[acc], school[rev]
    );
    let r = curator.check(&app, text.as_bytes(), None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert_eq!(problems(&html), [("3".to_owned(), "accession".to_owned())]);
    assert!(
        html.contains(&format!("这件藏品属于基地“{SCHOOL}”")),
        "{html}"
    );
    let school_item = app.item(&school[slug]).await.unwrap();
    assert_ne!(school_item.fields.title.mn.as_deref(), Some("ᠬᠣᠶᠠᠷ"));

    let text = format!("编号,蒙古文标题,版本\n{},ᠨᠢᠭᠡ,{}\n", hall[acc], hall[rev]);
    let r = curator.check(&app, text.as_bytes(), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let before = app.item(&hall[slug]).await.unwrap();
    let done = curator.run_to_end(&app, &staged_id(&r.text())).await;
    assert!(done.contains("更新 1 件"), "{done}");
    let after = app.item(&hall[slug]).await.unwrap();
    assert_eq!(after.fields.title.mn.as_deref(), Some("ᠨᠢᠭᠡ"));
    assert_eq!(after.fields.title.zh, before.fields.title.zh);
    assert_eq!(after.fields.description, before.fields.description);
    assert_eq!(after.fields.inheritors, before.fields.inheritors);
    let (action, _, actor) = app.last_audit().await;
    assert_eq!(actor, "saran");
    assert!(action.starts_with("import."), "{action}");
}

/// The rows of a workbook's first sheet, every cell as text.
pub fn workbook_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test]
async fn an_excel_workbook_goes_out_and_comes_back_with_its_mongolian_intact() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let list = curator.get(&app, "/admin/items").await.text();
    assert!(list.contains("href=\"/admin/items.xlsx?\""), "{list}");
    let r = curator.get(&app, "/admin/items.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let rows = workbook_rows(&r.bytes);
    let csv = Sheet::parse(&curator.get(&app, "/admin/items.csv").await.bytes);
    assert_eq!(rows[0], csv.head);
    assert_eq!(rows.len(), csv.rows.len() + 1);
    assert_eq!(rows[1], csv.rows[0], "the same cells in both");

    // Excel keeps the revision as a number once someone types in its column; a
    // translator fills in one Mongolian title.
    let (mn, rev, slug) = (csv.col("title_mn"), csv.col("revision"), csv.col("slug"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c16) = (r as u32, c as u16);
            if r > 0 && c == rev {
                sheet
                    .write_number(r, c16, cell.parse::<f64>().unwrap())
                    .unwrap();
            } else if r == 1 && c == mn {
                sheet.write_string(r, c16, "ᠮᠣᠩᠭᠣᠯ ᠡᠮᠦᠨᠡᠯ").unwrap();
            } else if !cell.is_empty() {
                sheet.write_string(r, c16, cell).unwrap();
            }
        }
    }
    let edited = book.save_to_buffer().unwrap();
    let r = curator
        .check_form(&app, &[], &[("csv", "items.xlsx", &edited)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("更新 1 件"), "{}", r.text());
    curator.run_to_end(&app, &staged_id(&r.text())).await;
    let item = app.item(&rows[1][slug]).await.unwrap();
    assert_eq!(item.fields.title.mn.as_deref(), Some("ᠮᠣᠩᠭᠣᠯ ᠡᠮᠦᠨᠡᠯ"));
}

#[tokio::test]
async fn files_that_would_lose_mongolian_or_cannot_be_read_are_refused_by_name() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let csv = Sheet::parse(&curator.get(&app, "/admin/items.csv").await.bytes);
    let (acc, rev, slug) = (csv.col("accession"), csv.col("revision"), csv.col("slug"));
    let row = &csv.rows[0];
    let before = app.item(&row[slug]).await.unwrap();

    // Excel's plain "CSV" on Chinese Windows: GBK, Mongolian letters become '?'.
    let text = format!(
        "编号,标题,蒙古文标题,版本\n{},{},??????? ????,{}\n",
        row[acc],
        before.fields.title.zh.as_deref().unwrap(),
        row[rev]
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let r = curator.check(&app, &gbk, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problems(&r.text()),
        [("2".to_owned(), "title_mn".to_owned())]
    );
    assert!(r.text().contains("蒙古文变成了问号"), "{}", r.text());

    // An old .xls, a broken workbook.
    let xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    let r = curator.check(&app, &xls, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("旧版 Excel 或 WPS 文件"), "{}", r.text());
    let r = curator.check(&app, b"PK\x03\x04broken", None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("不是可读取的 Excel 工作簿"),
        "{}",
        r.text()
    );
    assert_eq!(
        app.item(&row[slug]).await.unwrap(),
        before,
        "nothing written"
    );
}
