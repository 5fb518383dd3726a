//! Mongolian titles for many items at once, on one sheet: the filled rows are saved as
//! their editors would save them, and a row that cannot be saved is said so, with what was
//! typed kept and nothing else lost.

use crate::admin_items::item;
use crate::classroom::location;
use crate::helpers::{HALL, TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

/// The rows of the sheet: (slug, revision) from each input's name.
fn rows(html: &str) -> Vec<(String, String)> {
    html.split("name=\"mn:")
        .skip(1)
        .map(|s| {
            let name = &s[..s.find('"').unwrap()];
            let (slug, revision) = name.rsplit_once(':').unwrap();
            (slug.to_owned(), revision.to_owned())
        })
        .collect()
}

/// The input name of `slug`'s row.
fn field(rows: &[(String, String)], slug: &str) -> String {
    let (_, revision) = rows.iter().find(|(s, _)| s == slug).expect("listed");
    format!("mn:{slug}:{revision}")
}

const URLIGER: &str = "ᠤᠯᠢᠭᠡᠷ";
const KHOOMEI: &str = "ᠬᠥᠭᠡᠮᠡᠢ";

#[tokio::test]
async fn a_colleague_fills_in_mongolian_titles_on_one_sheet() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "curator.li", Role::Curator, &[HALL]).await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;

    // The item list filtered to what lacks a Mongolian title leads to the sheet.
    let list = curator
        .get(&app, "/admin/items?status=published&lacks=mn_title")
        .await
        .text();
    let sheet_url = "/admin/item-titles?status=published&#38;lacks=mn_title";
    assert!(list.contains(&format!("href=\"{sheet_url}\"")), "{list}");
    let sheet = curator.get(&app, &sheet_url.replace("&#38;", "&")).await;
    assert_eq!(sheet.status, StatusCode::OK);
    let html = sheet.text();
    let listed = rows(&html);
    assert_eq!(
        listed.len(),
        15,
        "the hall's items, none with a Mongolian title"
    );
    assert!(html.contains("乌力格尔") && html.contains("lang=\"mn-Mong\""));

    // Two titles filled in, the rest left empty: two saved, nothing else touched.
    let before = item(&app, "andai-dance").await.revision;
    let r = curator
        .post(
            &app,
            "/admin/item-titles",
            &[
                ("status", "published"),
                (&field(&listed, "urliger"), &format!(" {URLIGER} ")),
                (&field(&listed, "khoomei"), KHOOMEI),
                (&field(&listed, "andai-dance"), "  "),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        location(&r),
        "/admin/item-titles?status=published&lacks=mn_title&saved=2"
    );
    let html = curator.get(&app, &location(&r)).await.text();
    assert!(html.contains("已保存 2 个蒙古文题名。"), "{html}");
    assert_eq!(
        rows(&html).len(),
        13,
        "the two filled in have left the sheet"
    );
    let urliger = item(&app, "urliger").await;
    assert_eq!(urliger.fields.title.mn.as_deref(), Some(URLIGER));
    assert_eq!(urliger.fields.title.zh.as_deref(), Some("乌力格尔"));
    assert_eq!(item(&app, "andai-dance").await.revision, before);
    let (action, key, _) = app.last_audit().await;
    assert_eq!((action.as_str(), key.as_str()), ("item.update", "khoomei"));
    assert!(app.page("/items/urliger").await.contains(URLIGER));
    let report = curator
        .get(&app, "/admin/items/urliger/history")
        .await
        .text();
    assert!(
        report.contains(URLIGER),
        "the change is in the item's history"
    );

    // A row refused for length, and one someone changed meanwhile: the others are saved,
    // each refusal is said, what was typed stays, and the refused items are unchanged.
    let listed = rows(&html);
    let holboo = field(&listed, "holboo");
    let andai = field(&listed, "andai-dance");
    let revision = item(&app, "andai-dance").await.revision.to_string();
    let r = curator
        .post(
            &app,
            "/admin/items/andai-dance/status",
            &[
                ("status", "archived"),
                ("revision", &revision),
                ("confirm", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let long = "ᠠ".repeat(201);
    let r = curator
        .post(
            &app,
            "/admin/item-titles",
            &[
                (&holboo, &long),
                (&andai, "ᠠᠨᠳᠠᠢ"),
                (&field(&listed, "horqin-chuur-epic"), ""),
                (&field(&listed, "mongolian-ger"), "ᠭᠡᠷ"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let html = r.text();
    assert!(html.contains("已保存 1 个蒙古文题名。"), "{html}");
    assert!(html.contains("有 2 行没有保存"), "{html}");
    assert!(html.contains("题名最多 200 个字符") && html.contains(&format!("value=\"{long}\"")));
    assert!(html.contains("有人刚修改过这件藏品") && html.contains("value=\"ᠠᠨᠳᠠᠢ\""));
    assert_eq!(item(&app, "holboo").await.fields.title.mn, None);
    assert_eq!(item(&app, "andai-dance").await.fields.title.mn, None);
    assert_eq!(
        item(&app, "mongolian-ger").await.fields.title.mn.as_deref(),
        Some("ᠭᠡᠷ")
    );

    // The exhibition's editor says which of its items would print a Chinese-only label.
    let editor = curator
        .get(&app, "/admin/exhibitions/life-on-the-steppe")
        .await
        .text();
    assert!(
        editor.contains("7 件展品还没有蒙古文题名，印出的展签上只有汉文"),
        "the ger has its title now: {editor}"
    );
    let missing = &editor[editor.find("id=\"labels-mongolian\"").unwrap()..];
    let missing = &missing[..missing.find("</div>").unwrap()];
    assert!(
        missing.contains("/admin/items/ovoo") && !missing.contains("/admin/items/mongolian-ger")
    );
    assert!(editor.contains("href=\"/exhibitions/life-on-the-steppe/labels\""));

    // Refused outright, nothing saved: no CSRF token, an item of another base, a row
    // without its revision, a teacher.
    let r = app
        .post_form(
            "/admin/item-titles",
            &[(holboo.as_str(), "ᠬᠣᠯᠪᠣᠭ᠎ᠠ")],
            &[("cookie", &curator.cookie)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let wrestling = item(&app, "boke-wrestling").await.revision;
    let r = curator
        .post(
            &app,
            "/admin/item-titles",
            &[(&format!("mn:boke-wrestling:{wrestling}"), "ᠪᠥᠬᠡ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(item(&app, "boke-wrestling").await.fields.title.mn, None);
    let r = curator
        .post(&app, "/admin/item-titles", &[("mn:holboo", "ᠬᠣᠯᠪᠣᠭ᠎ᠠ")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(item(&app, "holboo").await.fields.title.mn, None);
    assert_eq!(
        teacher.get(&app, "/admin/item-titles").await.status,
        StatusCode::FORBIDDEN
    );
}
