//! Bulk import in the admin, driven the way a curator's browser does: upload a CSV (and a
//! zip of media), read the dry run's problems by row and column, run it, watch the progress
//! page, download the report; and who may do it.

use crate::helpers::{HALL, SCHOOL, Session, TestApp, TestResponse, multipart_form, session};
use crate::import::jpeg_bytes;
use crate::uploads::small_png;
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::catalogue::csv_import::run::Stage;
use edubase::store::{BlobKey, Sha256Hex, StagedId};
use std::io::Write;

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

impl Session {
    /// The dry run: uploads a CSV and, if given, a media zip.
    pub(crate) async fn check(
        &self,
        app: &TestApp,
        csv: &[u8],
        zip: Option<&[u8]>,
    ) -> TestResponse {
        let mut files = vec![("csv", "items.csv", csv)];
        if let Some(zip) = zip {
            files.push(("media", "media.zip", zip));
        }
        self.check_form(app, &[], &files).await
    }

    /// The dry run with the form's token, more `fields` and `files`.
    pub(crate) async fn check_form(
        &self,
        app: &TestApp,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> TestResponse {
        let mut all = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let (content_type, body) = multipart_form(&all, files);
        app.send(
            "POST",
            "/admin/import",
            &[("cookie", &self.cookie), ("content-type", &content_type)],
            body,
            None,
        )
        .await
    }

    pub(crate) async fn run(&self, app: &TestApp, id: &str) -> TestResponse {
        app.post_form(
            &format!("/admin/import/{id}/run"),
            &[("_csrf", &self.csrf)],
            &[("cookie", &self.cookie)],
        )
        .await
    }

    /// Runs a staged import: the progress page shows it queued, the import worker writes
    /// it, then the page shows the results.
    pub(crate) async fn run_to_end(&self, app: &TestApp, id: &str) -> String {
        let r = self.run(app, id).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert_eq!(r.header("location"), format!("/admin/import/{id}"));
        let page = self.get(app, &format!("/admin/import/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text().contains("http-equiv=\"refresh\" content=\"2\""),
            "progress refreshes itself"
        );
        assert!(page.text().contains("等待开始"), "queued: {}", page.text());
        assert!(!page.text().contains("导入完成"), "not yet finished");
        assert!(app.state.import_worker().drain().await.unwrap() >= 1);
        let page = self.get(app, &format!("/admin/import/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("导入完成"), "{html}");
        assert!(
            !html.contains("http-equiv=\"refresh\""),
            "a finished run stops refreshing"
        );
        html
    }
}

/// The id of the staged import on a clean dry run's page.
pub(crate) fn staged_id(html: &str) -> String {
    let start = html.find("action=\"/admin/import/").expect("a run button") + 22;
    let end = start + html[start..].find('/').unwrap();
    html[start..end].to_owned()
}

/// `(row, column)` of every problem in the dry run's table.
pub(crate) fn problems(html: &str) -> Vec<(String, String)> {
    let Some(table) = html.split("class=\"data import-problems\"").nth(1) else {
        return Vec::new();
    };
    let body = table.split("</tbody>").next().unwrap();
    body.split("<tr><td>")
        .skip(1)
        .map(|tr| {
            let row = tr.split("</td>").next().unwrap().to_owned();
            let column = tr
                .split("<code>")
                .nth(1)
                .filter(|_| tr.split("</td>").nth(1).unwrap().contains("<code>"))
                .map(|c| c.split("</code>").next().unwrap().to_owned())
                .unwrap_or_default();
            (row, column)
        })
        .collect()
}

pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub(crate) fn with_bom(text: &str) -> Vec<u8> {
    let mut v = BOM.to_vec();
    v.extend_from_slice(text.as_bytes());
    v
}

/// Files received and kept: on this server's disk, runs waiting to be run, zips in the
/// media store's staging area.
pub(crate) async fn staged(app: &TestApp) -> usize {
    let files = std::fs::read_dir(app.state.config.data_dir.join("imports"))
        .map(|d| d.count())
        .unwrap_or(0);
    let later = chrono::Utc::now() + chrono::Duration::days(1);
    let mut kept = 0;
    for run in app.state.imports.old_runs(later, later).await.unwrap() {
        let zip = BlobKey::Staged(StagedId::parse(&run.id).unwrap());
        kept += usize::from(run.stage == Stage::Staged);
        kept += usize::from(app.state.blobs.exists(&zip).await.unwrap());
        assert!(
            run.stage.is_over() || run.stage == Stage::Staged,
            "no run is left half done"
        );
    }
    files + kept
}

#[tokio::test]
async fn a_good_csv_with_a_byte_order_mark_and_a_zip_imports_items_with_their_media() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;

    let form = curator.get(&app, "/admin/import").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("enctype=\"multipart/form-data\""));
    let template = curator.get(&app, "/admin/import/template.csv").await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(template.header("content-type").starts_with("text/csv"));
    assert!(
        template.bytes.starts_with(BOM),
        "Excel needs the byte-order mark"
    );

    let csv = with_bom(&format!(
        "编号,标题,title_en,类别,基地,保护级别,传承人,媒体,替代文本\n\
         KZ-IMP-001,科尔沁马鞍,Horqin saddle,传统技艺,{HALL},自治区级,巴特尔；其其格,photos/saddle.jpg;detail.png,马鞍正面；细节\n\
         KZ-IMP-002,\"安代舞，\"\"鼓\"\"\",Andai,traditional_dance,{HALL},,,,\n"
    ));
    let zip = zip_of(&[
        ("photos/saddle.jpg", &jpeg_bytes(64, 48)),
        ("detail.png", &small_png()),
    ]);
    let r = curator.check(&app, &csv, Some(&zip)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    assert!(html.contains("2 行检查通过"), "{html}");
    assert!(
        app.item("kz-imp-001").await.is_none(),
        "the dry run writes nothing"
    );
    let id = staged_id(&html);
    let waiting = curator
        .get(&app, &format!("/admin/import/{id}"))
        .await
        .text();
    assert!(
        waiting.contains(&format!("action=\"/admin/import/{id}/run\"")),
        "until it runs, its page offers the run button: {waiting}"
    );
    assert!(!waiting.contains("http-equiv=\"refresh\""));

    let done = curator.run_to_end(&app, &id).await;
    assert!(done.contains("导入完成：创建 2 件，失败 0 行"), "{done}");
    assert!(done.contains("href=\"/admin/items/kz-imp-001\""));

    let saddle = app.item("kz-imp-001").await.expect("imported");
    assert_eq!(saddle.fields.title.en.as_deref(), Some("Horqin saddle"));
    assert_eq!(saddle.fields.status.code(), "draft");
    assert_eq!(saddle.base.slug.as_str(), HALL);
    assert_eq!(saddle.revision, 1);
    let inheritors: Vec<_> = saddle
        .fields
        .inheritors
        .iter()
        .map(|t| t.zh.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(inheritors, ["巴特尔", "其其格"]);
    assert_eq!(saddle.media.len(), 2);
    assert_eq!(saddle.media[0].fields.original_name, "saddle.jpg");
    assert_eq!(saddle.media[0].fields.alt.zh.as_deref(), Some("马鞍正面"));
    assert_eq!(saddle.media[1].mime, "image/png");
    for m in &saddle.media {
        let sha = Sha256Hex::parse(&m.sha256).unwrap();
        assert!(
            app.state
                .blobs
                .read(&BlobKey::Original(sha))
                .await
                .unwrap()
                .is_some(),
            "the media file is stored"
        );
    }
    let andai = app.item("kz-imp-002").await.expect("imported");
    assert_eq!(andai.fields.title.zh.as_deref(), Some("安代舞，\"鼓\""));
    let history = app.state.editor.revisions(saddle.id).await.unwrap();
    assert_eq!(history.len(), 1, "one revision per created item");
    let log = app.state.accounts.repo().recent_audit(3).await.unwrap();
    let (_, run_line) = &log[0];
    assert_eq!(
        run_line.action, "import.finished",
        "the run has its own line"
    );
    assert_eq!(run_line.entity_id, id);
    assert_eq!(
        run_line.after.as_deref(),
        Some(r#"{"created":2,"failed":0,"rows":2,"unchanged":0,"updated":0}"#)
    );
    assert!(log.iter().all(|(_, e)| e.actor_name == "saran"));
    assert_eq!(
        log.iter()
            .filter(|(_, e)| e.action == "item.import")
            .count(),
        2
    );

    let list = curator.get(&app, "/admin/items?q=马鞍").await.text();
    assert!(list.contains("科尔沁马鞍"), "visible in the admin");
    let report = curator
        .get(&app, &format!("/admin/import/{id}/report.csv"))
        .await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.bytes.starts_with(BOM));
    let text = String::from_utf8(report.bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("row,accession,slug,result,message\n"));
    assert!(text.contains("2,KZ-IMP-001,kz-imp-001,created,"));
    assert_eq!(
        staged(&app).await,
        0,
        "the staged files are gone after the run"
    );

    let again = curator.run(&app, &id).await;
    assert_eq!(
        again.status,
        StatusCode::SEE_OTHER,
        "a second click shows the same run"
    );
    assert_eq!(
        app.state.editor.revisions(saddle.id).await.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn a_gbk_file_saved_by_excel_imports_with_correct_chinese() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let text = format!(
        "编号,标题,类别,基地,地点,年代\r\nKZ-GBK-1,乌力格尔说唱,曲艺,{HALL},科尔沁左翼中旗,清代\r\n"
    );
    let (gbk, _, lossy) = encoding_rs::GBK.encode(&text);
    assert!(!lossy);
    assert!(std::str::from_utf8(&gbk).is_err(), "really not UTF-8");
    let r = curator.check(&app, &gbk, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    curator.run_to_end(&app, &staged_id(&r.text())).await;
    let imported = app.item("kz-gbk-1").await.expect("imported");
    assert_eq!(imported.fields.title.zh.as_deref(), Some("乌力格尔说唱"));
    assert_eq!(imported.fields.place.zh.as_deref(), Some("科尔沁左翼中旗"));
    assert_eq!(imported.fields.period.zh.as_deref(), Some("清代"));
}

#[tokio::test]
async fn a_broken_file_is_reported_by_row_and_column_and_nothing_is_written() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let audit_before = app.state.accounts.repo().recent_audit(1).await.unwrap();

    // A required column missing: named once, on the header row.
    let r = curator
        .check(
            &app,
            &with_bom(&format!("编号,标题,基地\nKZ-X-1,甲,{HALL}\n")),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert_eq!(problems(&html), [("1".to_owned(), String::new())]);
    assert!(html.contains("缺少必填列：category。"), "{html}");

    // Every row's problems, by row and column as Excel numbers them.
    let csv = with_bom(&format!(
        "accession,title_zh,category,base,year,media\n\
         KZ-B-1,一,quyi,{HALL},,\n\
         KZ-B-2,二,dance,{HALL},,\n\
         KZ-B-3,三,quyi,{HALL},1890,\n\
         KZ-B-1,四,quyi,{HALL},,\n\
         KZH-0010,五,quyi,{HALL},,\n\
         KZ-B-6,六,quyi,{HALL},nineteen,gone.jpg\n\
         KZ-B-7,七,quyi,{SCHOOL},,\n"
    ));
    let zip = zip_of(&[("other.jpg", &jpeg_bytes(8, 8))]);
    let r = curator.check(&app, &csv, Some(&zip)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    let found = problems(&html);
    let expected: Vec<(String, String)> = [
        ("3", "category"),
        ("5", "accession"),
        ("5", "slug"),
        ("6", "accession"),
        ("7", "year"),
        ("8", "base"),
    ]
    .iter()
    .map(|(r, c)| ((*r).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(found, expected, "{html}");
    assert!(html.contains("未知的类别“dance”"), "the bad value is named");
    assert!(
        html.contains("traditional_dance"),
        "the valid codes are listed"
    );
    assert!(html.contains("编号 KZ-B-1 在第 2 行已经用过"));
    assert!(html.contains("目录中已有这个编号的藏品"));
    assert!(html.contains("你不能向基地"));
    assert!(
        !html.contains("/run\""),
        "no run button while problems remain"
    );

    // Media named but not in the zip, once the year is fixed.
    let csv = with_bom(&format!(
        "accession,title_zh,category,base,media\nKZ-B-6,六,quyi,{HALL},gone.jpg\n"
    ));
    let r = curator.check(&app, &csv, Some(&zip)).await;
    assert_eq!(problems(&r.text()), [("2".to_owned(), "media".to_owned())]);
    assert!(r.text().contains("zip 中没有文件“gone.jpg”"));

    // Bytes that are neither UTF-8 nor GBK: the line and the byte are named.
    let mut latin1 =
        format!("accession,title_zh,category,base\nKZ-B-9,ok,quyi,{HALL}\nKZ-B-10,caf")
            .into_bytes();
    latin1.extend_from_slice(b"\xe9,quyi,x\n");
    let r = curator.check(&app, &latin1, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert_eq!(problems(&html), [("3".to_owned(), String::new())]);
    assert!(html.contains("第 3 行"), "{html}");
    assert!(html.contains("0xE9"));

    for slug in ["kz-b-1", "kz-b-3", "kz-b-9"] {
        assert!(app.item(slug).await.is_none(), "{slug} was not written");
    }
    assert_eq!(
        app.state.accounts.repo().recent_audit(1).await.unwrap(),
        audit_before,
        "nothing was logged"
    );
    assert_eq!(staged(&app).await, 0, "refused files are not kept");
}

#[tokio::test]
async fn a_row_that_fails_at_run_time_does_not_stop_the_others() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let csv = with_bom(&format!(
        "accession,title_zh,category,base,media\n\
         KZ-R-1,一,quyi,{HALL},\n\
         KZ-R-2,二,quyi,{HALL},\n\
         KZ-R-3,三,quyi,{HALL},cut.jpg\n\
         KZ-R-4,四,quyi,{HALL},\n"
    ));
    // Sniffs as a JPEG, but the end of the image is missing: only the full check finds it.
    let mut truncated = jpeg_bytes(64, 64);
    truncated.truncate(truncated.len() - 40);
    let zip = zip_of(&[("cut.jpg", &truncated)]);
    let r = curator.check(&app, &csv, Some(&zip)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let id = staged_id(&r.text());

    // Meanwhile someone catalogues KZ-R-2 by hand.
    let (fields, base) = edubase::catalogue::form::ItemForm {
        accession: "KZ-R-2".into(),
        slug: "by-hand".into(),
        base: HALL.into(),
        category: "quyi".into(),
        rights: "https://creativecommons.org/licenses/by/4.0/".into(),
        title_zh: "手工".into(),
        ..Default::default()
    }
    .check(edubase::catalogue::types::Status::Draft)
    .unwrap();
    app.state
        .editor
        .create_item(
            &fields,
            &base,
            &edubase::repo::Actor {
                id: None,
                name: "other".into(),
            },
        )
        .await
        .unwrap();

    let done = curator.run_to_end(&app, &id).await;
    assert!(done.contains("创建 2 件，失败 2 行"), "{done}");
    assert!(app.item("kz-r-1").await.is_some());
    assert!(
        app.item("kz-r-4").await.is_some(),
        "rows after a failure still import"
    );
    assert!(app.item("kz-r-2").await.is_none());
    assert!(
        app.item("kz-r-3").await.is_none(),
        "a row is written completely or not at all"
    );
    let report = curator
        .get(&app, &format!("/admin/import/{id}/report.csv"))
        .await;
    let text = String::from_utf8(report.bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[1].starts_with("2,KZ-R-1,kz-r-1,created,"));
    assert!(lines[2].starts_with("3,KZ-R-2,kz-r-2,failed,"), "{text}");
    assert!(lines[2].contains("目录中已有这个编号的藏品"));
    assert!(lines[3].starts_with("4,KZ-R-3,kz-r-3,failed,"), "{text}");
    assert!(lines[3].contains("cut.jpg"));
    assert!(lines[4].starts_with("5,KZ-R-4,kz-r-4,created,"));
}
