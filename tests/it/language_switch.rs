//! The language switch offers ᠮᠣᠩᠭᠣᠯ once every string of the public pages is in Mongolian:
//! before that a Mongolian page is a Chinese page with Mongolian records. A translator
//! takes the public strings out as a spreadsheet and brings them back filled in; from then
//! on the public pages, their alternates and the sitemap offer Mongolian, and the staff's
//! pages still offer Chinese and English (their strings are set horizontally).

use crate::admin_import_update::workbook_rows;
use crate::helpers::{Session, TestApp, multipart_form, session};
use crate::translations::ONE_AT_A_TIME;
use axum::http::StatusCode;
use edubase::accounts::types::Role;

const SWITCH_TO_MN: &str = "<a href=\"/?lang=mn\" hreflang=\"mn-Mong\" lang=\"mn-Mong\"><span class=\"mn-ui\">ᠮᠣᠩᠭᠣᠯ</span></a>";
const ALTERNATE_MN: &str =
    "<link rel=\"alternate\" hreflang=\"mn-Mong\" href=\"http://edubase.test/?lang=mn\">";

/// A stand-in translation of a Chinese string: Mongolian letters and the same variables
/// (a quoted literal such as `{ "{ $n }" }` names none).
fn stand_in(zh: &str) -> String {
    let unquoted: String = zh.split('"').step_by(2).collect();
    let mut text = "ᠮᠣᠩᠭᠣᠯ".to_owned();
    for var in unquoted.split('$').skip(1) {
        let name: String = var
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if !text.contains(&format!("${name} ")) {
            text.push_str(&format!(" {{ ${name} }}"));
        }
    }
    text
}

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

async fn upload_csv(app: &TestApp, admin: &Session, csv: String) -> u16 {
    let (content_type, body) = multipart_form(
        &[("_csrf", &admin.csrf)],
        &[("sheet", "mn.csv", csv.as_bytes())],
    );
    app.send(
        "POST",
        "/admin/translations/sheet",
        &[("cookie", &admin.cookie), ("content-type", &content_type)],
        body,
        None,
    )
    .await
    .status
    .as_u16()
}

#[tokio::test]
async fn the_switch_offers_mongolian_once_the_public_pages_are_all_translated() {
    let _one = ONE_AT_A_TIME.lock().await;
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin.su", Role::Admin, &[]).await;
    let offers = |html: &str| html.contains(SWITCH_TO_MN) && html.contains(ALTERNATE_MN);

    let home = app.get("/?lang=zh").await.text();
    assert!(
        !offers(&home) && !home.contains("hreflang=\"mn-Mong\""),
        "{home}"
    );
    let list = admin.get(&app, "/admin/translations").await.text();
    assert!(list.contains("语言切换中就会出现蒙古文"), "{list}");

    // The translator fills in every public string but one.
    let sheet = admin
        .get(&app, "/admin/translations.xlsx?show=todo&for=visitors")
        .await;
    assert_eq!(sheet.status, StatusCode::OK);
    let rows = workbook_rows(&sheet.bytes);
    assert_eq!(rows[0][..3], ["key", "reader", "zh"]);
    let filled: Vec<(String, String)> = rows[1..]
        .iter()
        .map(|r| (r[0].clone(), stand_in(&r[2])))
        .collect();
    assert!(filled.len() > 100, "{}", filled.len());
    let csv = |rows: &[(String, String)]| {
        let mut out = "key,mn\n".to_owned();
        for (key, text) in rows {
            out.push_str(&format!("{key},{}\n", csv_field(text)));
        }
        out
    };
    let last = filled.len() - 1;
    assert_eq!(upload_csv(&app, &admin, csv(&filled[..last])).await, 303);
    assert!(!offers(&app.get("/?lang=zh").await.text()), "one to go");

    // The last one: Mongolian is offered on every public page, in alternates and sitemaps.
    assert_eq!(upload_csv(&app, &admin, csv(&filled[last..])).await, 303);
    let home = app.get("/?lang=zh").await.text();
    assert!(offers(&home), "{home}");
    let en = app.get("/items/andai-dance?lang=en").await.text();
    assert!(
        en.contains("href=\"/items/andai-dance?lang=mn\" hreflang=\"mn-Mong\""),
        "{en}"
    );
    let mn = app.get("/?lang=mn").await.text();
    assert!(
        mn.contains("<span aria-current=\"true\" lang=\"mn-Mong\"><span class=\"mn-ui\">ᠮᠣᠩᠭᠣᠯ</span></span>"),
        "{mn}"
    );
    assert!(
        !mn.contains("<span lang=\"zh-Hans\">"),
        "no string left in Chinese: {mn}"
    );
    let sitemap = app.get("/sitemaps/pages").await.text();
    assert!(
        sitemap.contains("hreflang=\"mn-Mong\" href=\"http://edubase.test/items?lang=mn\""),
        "{sitemap}"
    );

    let list = admin.get(&app, "/admin/translations").await.text();
    assert!(list.contains("语言切换中已经有蒙古文"), "{list}");

    // The staff's pages: Chinese and English only, and Mongolian shows them in Chinese.
    let dashboard = admin.get(&app, "/admin?lang=mn").await.text();
    assert!(dashboard.contains("<html lang=\"zh-Hans\">"), "{dashboard}");
    assert!(!dashboard.contains("hreflang=\"mn-Mong\""), "{dashboard}");

    // A string taken back: no longer offered. Then the process's strings are left as found.
    for (n, (key, _)) in filled.iter().enumerate() {
        let r = admin
            .post(&app, "/admin/translations/remove", &[("key", key)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{key}");
        if n == 0 {
            assert!(!offers(&app.get("/?lang=zh").await.text()));
        }
    }
}
