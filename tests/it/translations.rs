//! The interface translated on the site: an administrator who writes Mongolian fills in
//! strings beside their Chinese and English, or in a spreadsheet, the pages show them at
//! once, a broken one is refused with the reason, and the project gets them back as Fluent.
//!
//! The message bundles are the process's own, so these tests run one at a time: another
//! running at the same time would lay its own translations over them.

use crate::admin_import_update::workbook_rows;
use crate::classroom::location;
use crate::helpers::{HALL, TestApp, multipart_form, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

/// Held by each test here (and in language_switch.rs) for its whole run.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const HEADING: &str = "ᠵᠠᠭᠠᠭ ᠤᠨ ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ";

#[tokio::test]
async fn an_administrator_writes_the_interface_in_mongolian_on_the_site() {
    let _one = ONE_AT_A_TIME.lock().await;
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin.su", Role::Admin, &[]).await;

    // The dashboard's counts: of all strings still in Chinese, and of those on public pages.
    let todo = |html: &str| number_after(html, "界面中还有 ");
    let public = |html: &str| number_after(html, "先译公众页面上的 ");
    let dashboard = admin.get(&app, "/admin").await.text();
    let (before, public_before) = (todo(&dashboard), public(&dashboard));
    assert!(public_before > 0 && public_before < before, "{dashboard}");
    assert!(dashboard.contains("href=\"/admin/translations\""));
    assert!(dashboard.contains("href=\"/admin/translations?show=todo&amp;for=visitors\""));

    // What visitors read comes first, then students', then staff's: every page of the list,
    // followed to the end, holds each string still to do once, in that order.
    let (mut url, mut readers) = (Some("/admin/translations".to_owned()), Vec::new());
    while let Some(at) = url.take() {
        let html = admin.get(&app, &at).await.text();
        for tag in html.split("<span class=\"status\">").skip(1) {
            let name = tag.split('<').next().unwrap();
            readers.push(
                ["公众页面", "学生参观", "工作人员页面"]
                    .iter()
                    .position(|r| *r == name),
            );
        }
        url = html
            .split("rel=\"next\" href=\"")
            .nth(1)
            .map(|rest| rest.split('"').next().unwrap().replace("&#38;", "&"));
    }
    assert_eq!(readers.len(), before, "every string to do, once");
    assert!(readers.iter().all(Option::is_some));
    assert!(
        readers.is_sorted(),
        "public first, then students, then staff"
    );
    assert_eq!(
        readers.iter().filter(|r| **r == Some(0)).count(),
        public_before
    );
    // And the list narrows to one kind of reader.
    let visitors = admin
        .get(&app, "/admin/translations?for=visitors")
        .await
        .text();
    assert!(visitors.contains("name=\"t:site-name\""), "{visitors}");
    assert!(
        !visitors.contains("学生参观</span>") && !visitors.contains("工作人员页面</span>"),
        "{visitors}"
    );
    assert!(visitors.contains(&format!("公众页面（还差 {public_before} 条）")));
    let students = admin
        .get(&app, "/admin/translations?for=students")
        .await
        .text();
    assert!(students.contains("name=\"t:visit-"), "{students}");
    assert!(!students.contains("公众页面</span>") && !students.contains("工作人员页面</span>"));
    let r = admin.get(&app, "/admin/translations?for=everyone").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let page = admin.get(&app, "/admin/translations").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("name=\"t:site-name\""),
        "the first to do: {html}"
    );
    assert!(html.contains("条界面文字中已有"), "{html}");
    assert!(
        html.contains("rel=\"next\" href=\"/admin/translations?show=todo&#38;after="),
        "{html}"
    );
    let later = admin
        .get(&app, "/admin/translations?after=translations-heading")
        .await
        .text();
    assert!(later.contains("name=\"t:translations-heading\""), "{later}");
    let home = app.get("/?lang=mn").await.text();
    assert!(
        home.contains("<span lang=\"zh-Hans\">首页</span>"),
        "Chinese until translated: {home}"
    );

    // One good string and three that would break pages, in one save.
    let r = admin
        .post(
            &app,
            "/admin/translations",
            &[
                ("show", "todo"),
                ("t:translations-heading", HEADING),
                ("t:import-done", "{ $created } ᠪᠣᠯ { $who }"),
                ("t:translations-lead", "<script>alert(1)</script>"),
                ("t:translations-save", "ᠬᠠᠳᠠᠭᠠᠯᠠᠬᠤ { "),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("已保存 1 条翻译"), "{html}");
    assert!(html.contains("这条翻译用了 $who，中文原文中没有"), "{html}");
    assert!(html.contains("翻译中不能有“&#60;”"), "{html}");
    assert!(html.contains("这不是有效的消息"), "{html}");
    assert!(
        html.contains("ᠬᠠᠳᠠᠭᠠᠯᠠᠬᠤ {"),
        "what was typed is kept: {html}"
    );
    let kept = app.state.translations.translations().await.unwrap();
    assert_eq!(kept.len(), 1, "only the good one is kept");
    let (action, entity, actor) = app.last_audit().await;
    assert_eq!(
        (action.as_str(), entity.as_str(), actor.as_str()),
        ("translation.save", "mn:translations-heading", "admin.su")
    );

    assert_eq!(todo(&admin.get(&app, "/admin").await.text()), before - 1);

    // The staff's pages set their strings horizontally, so they show Mongolian as Chinese.
    let mn = admin.get(&app, "/admin/translations?lang=mn").await.text();
    assert!(mn.contains("<html lang=\"zh-Hans\">"), "{mn}");
    assert!(mn.contains("<h1>界面的蒙古文</h1>"), "{mn}");
    let site = admin
        .get(&app, "/admin/translations?show=site")
        .await
        .text();
    assert!(site.contains("由 admin.su 在本站翻译"), "{site}");

    // The same text again changes nothing; a plural keeps its selector.
    let r = admin
        .post(
            &app,
            "/admin/translations",
            &[
                ("t:translations-heading", HEADING),
                (
                    "t:import-ready",
                    "{ $n ->\n    [one] ᠨᠢᠭᠡ\n   *[other] { $n } ᠮᠥᠷ\n}",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(location(&r).contains("saved=1"), "{}", location(&r));
    assert_eq!(
        public(&admin.get(&app, "/admin").await.text()),
        public_before
    );

    // A string visitors read, saved from the narrowed list, which the form keeps.
    let r = admin
        .post(
            &app,
            "/admin/translations",
            &[("show", "todo"), ("for", "visitors"), ("t:nav-home", "ᠭᠡᠷ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(location(&r).contains("for=visitors"), "{}", location(&r));
    let dashboard = admin.get(&app, "/admin").await.text();
    assert_eq!(public(&dashboard), public_before - 1);

    // Every public page shows it at once; Chinese and English pages are untouched.
    let home = app.get("/?lang=mn").await.text();
    assert!(home.contains("<span class=\"mn-ui\">ᠭᠡᠷ</span>"), "{home}");
    let home = app.get("/?lang=zh").await.text();
    assert!(
        home.contains(">首页</a>") && !home.contains("ᠭᠡᠷ"),
        "{home}"
    );

    // The project gets them back as Fluent that parses.
    let ftl = admin.get(&app, "/admin/translations/mn.ftl").await;
    assert_eq!(ftl.status, StatusCode::OK);
    assert!(ftl.header("content-disposition").contains("attachment"));
    let text = ftl.text();
    assert!(
        text.contains(&format!("translations-heading = {HEADING}")),
        "{text}"
    );
    assert!(fluent_bundle::FluentResource::try_new(text).is_ok());

    // Only administrators, only with the form's token.
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    assert_eq!(
        curator.get(&app, "/admin/translations").await.status,
        StatusCode::FORBIDDEN
    );
    let r = curator
        .post(&app, "/admin/translations", &[("t:nav-home", "ᠭᠡᠷ")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post_form(
            "/admin/translations",
            &[("t:nav-home", "ᠭᠡᠷ")],
            &[("cookie", &admin.cookie)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(
        app.state.translations.translations().await.unwrap().len(),
        3
    );

    // Removed, the string is Chinese again.
    for key in ["translations-heading", "import-ready", "nav-home"] {
        let r = admin
            .post(&app, "/admin/translations/remove", &[("key", key)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(app.last_audit().await.0, "translation.remove");
    let home = app.get("/?lang=mn").await.text();
    assert!(
        home.contains("<span lang=\"zh-Hans\">首页</span>"),
        "{home}"
    );
    let r = admin
        .post(&app, "/admin/translations/remove", &[("key", "nav-home")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// The number written in `html` right after `prefix`.
fn number_after(html: &str, prefix: &str) -> usize {
    let at = html
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix}: {html}"))
        + prefix.len();
    html[at..].split(' ').next().unwrap().parse().unwrap()
}

/// `rows` as an `.xlsx` workbook, every cell text.
fn workbook(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_translator_fills_in_the_strings_in_a_spreadsheet() {
    let _one = ONE_AT_A_TIME.lock().await;
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin.su", Role::Admin, &[]).await;
    let upload = |name: &'static str, bytes: Vec<u8>, csrf: bool| {
        let token = if csrf {
            admin.csrf.clone()
        } else {
            String::new()
        };
        let (content_type, body) = multipart_form(&[("_csrf", &token)], &[("sheet", name, &bytes)]);
        let cookie = admin.cookie.clone();
        let app = &app;
        async move {
            app.send(
                "POST",
                "/admin/translations/sheet",
                &[("cookie", &cookie), ("content-type", &content_type)],
                body,
                None,
            )
            .await
        }
    };

    // The public strings still to do, on all pages, with their Chinese and English.
    let page = admin
        .get(&app, "/admin/translations?for=visitors")
        .await
        .text();
    assert!(
        page.contains("href=\"/admin/translations.xlsx?show=todo&#38;for=visitors\""),
        "{page}"
    );
    let r = admin
        .get(&app, "/admin/translations.xlsx?show=todo&for=visitors")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-disposition").contains(".xlsx"));
    let mut rows = workbook_rows(&r.bytes);
    assert_eq!(rows[0], ["key", "reader", "zh", "en", "mn"]);
    assert_eq!(rows[1][..3], ["site-name", "公众页面", "数字教育基地"]);
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[1] == "公众页面" && r[4].is_empty())
    );
    let n = rows.len() - 1;
    assert!(
        page.contains(&format!("公众页面（还差 {n} 条）")),
        "all {n} strings"
    );

    // The translator fills in four, one of them wrongly twice, and names a key that is not.
    let at = |rows: &[Vec<String>], key: &str| rows.iter().position(|r| r[0] == key).unwrap();
    for (key, text) in [
        ("nav-home", "ᠨᠢᠭᠤᠷ"),
        ("nav-items", "藏品"),
        ("nav-bases", "ᠪᠠᠭᠠᠵᠢ { $n }"),
    ] {
        let i = at(&rows, key);
        rows[i][4] = text.into();
    }
    let row = |rows: &[Vec<String>], key: &str| at(rows, key) + 1;
    let (items_row, bases_row, home_row) = (
        row(&rows, "nav-items"),
        row(&rows, "nav-bases"),
        row(&rows, "nav-home"),
    );
    let blank = |key: &str, mn: &str| {
        vec![
            key.into(),
            String::new(),
            String::new(),
            String::new(),
            mn.into(),
        ]
    };
    rows.push(blank("no-such-key", "ᠠ"));
    rows.push(blank("nav-home", "ᠭᠡᠷ"));
    let r = upload("mn.xlsx", workbook(&rows), true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("已保存 1 条翻译"), "{html}");
    assert!(
        html.contains(&format!("表格第 {items_row} 行：这条翻译里没有蒙古文字母")),
        "{html}"
    );
    assert!(
        html.contains(&format!("表格第 {bases_row} 行：这条翻译用了 $n")),
        "{html}"
    );
    assert!(html.contains("没有名为“no-such-key”的界面文字"), "{html}");
    assert!(
        html.contains(&format!("“nav-home”在第 {home_row} 行已经填过")),
        "{html}"
    );
    assert!(
        html.contains("name=\"t:nav-items\"") && html.contains(">藏品</textarea>"),
        "refused rows come back to correct on the page: {html}"
    );
    let kept = app.state.translations.translations().await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].key.as_str(), kept[0].text.as_str()),
        ("nav-home", "ᠨᠢᠭᠤᠷ")
    );
    assert_eq!(app.last_audit().await.1, "mn:nav-home");
    // On Mongolian pages the string stands in its own vertical column; the strings still in
    // Chinese say so (for screen readers and fonts); other languages are untouched.
    let mn = app.get("/?lang=mn").await.text();
    assert!(
        mn.contains(">ᠨᠢᠭᠤᠷ</span></a></li>") && mn.contains("<span class=\"mn-ui\">ᠨᠢᠭᠤᠷ</span>"),
        "{mn}"
    );
    assert!(
        mn.contains("<span lang=\"zh-Hans\">教育基地</span>"),
        "{mn}"
    );
    let zh = app.get("/?lang=zh").await.text();
    assert!(zh.contains(">首页</a></li>"), "{zh}");
    // Messages the server builds from strings follow the same rule (a 404's heading here).
    let missing = app.get("/items/no-such-item?lang=mn").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.text().contains("<h1><span lang=\"zh-Hans\">"),
        "{}",
        missing.text()
    );

    // The same sheet corrected, as translate.py's CSV: what is already kept changes nothing.
    let csv = "\u{feff}key,zh,en,mn\nnav-home,首页,Home,ᠨᠢᠭᠤᠷ\nnav-items,藏品,Collection,ᠴᠤᠮᠤᠭ\n";
    let r = upload("mn.csv", csv.as_bytes().to_vec(), true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(location(&r), "/admin/translations?show=site&saved=1");
    assert_eq!(
        app.state.translations.translations().await.unwrap().len(),
        2
    );

    // Broken files are refused with the reason; nothing is kept; the server stays up.
    let old = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    for (name, bytes, says) in [
        ("mn.xls", old, "这是旧版 Excel 或 WPS 文件"),
        (
            "mn.csv",
            "编号,标题\nKZ-1,x\n".as_bytes().to_vec(),
            "要有“key”和“mn”两列",
        ),
        (
            "mn.xlsx",
            b"PK\x03\x04broken".to_vec(),
            "不是可读取的 Excel 工作簿",
        ),
        ("mn.csv", Vec::new(), "文件是空的"),
        ("mn.csv", vec![b'a'; 9 << 20], "文件太大，上限为 8 MB"),
    ] {
        let r = upload(name, bytes, true).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(r.text().contains(says), "{name}: {}", r.text());
    }
    let (gbk, _, _) = encoding_rs::GB18030.encode("key,zh,mn\nnav-bases,基地,???\n");
    let r = upload("mn.csv", gbk.into_owned(), true).await;
    assert!(
        r.text().contains("表格第 2 行：这里的蒙古文变成了问号"),
        "{}",
        r.text()
    );
    let r = upload("mn.csv", csv.as_bytes().to_vec(), false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    assert_eq!(
        curator.get(&app, "/admin/translations.xlsx").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.state.translations.translations().await.unwrap().len(),
        2
    );

    for key in ["nav-home", "nav-items"] {
        let r = admin
            .post(&app, "/admin/translations/remove", &[("key", key)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
}
