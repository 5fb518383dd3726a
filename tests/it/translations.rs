//! The interface translated on the site: an administrator who writes Mongolian fills in
//! strings beside their Chinese and English, the pages show them at once, a broken one is
//! refused with the reason, and the project gets them back as Fluent.
//!
//! The message bundles are the process's own, so this is one test: another running at the
//! same time would lay its own translations over them.

use crate::classroom::location;
use crate::helpers::{HALL, TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

const HEADING: &str = "ᠵᠠᠭᠠᠭ ᠤᠨ ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ";

#[tokio::test]
async fn an_administrator_writes_the_interface_in_mongolian_on_the_site() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin.su", Role::Admin, &[]).await;

    let todo = |html: &str| -> usize {
        let at = html
            .find("界面中还有 ")
            .expect("the dashboard says how many")
            + "界面中还有 ".len();
        html[at..].split(' ').next().unwrap().parse().unwrap()
    };
    let dashboard = admin.get(&app, "/admin").await.text();
    let before = todo(&dashboard);
    assert!(dashboard.contains("href=\"/admin/translations\""));
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
    let mn = admin.get(&app, "/admin/translations?lang=mn").await.text();
    assert!(
        mn.contains("<h1>界面的蒙古文</h1>"),
        "Chinese until translated"
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

    // Every page shows it at once; Chinese and English pages are untouched.
    let mn = admin.get(&app, "/admin/translations?lang=mn").await.text();
    assert!(mn.contains(&format!("<h1>{HEADING}</h1>")), "{mn}");
    let zh = admin.get(&app, "/admin/translations?lang=zh").await.text();
    assert!(zh.contains("<h1>界面的蒙古文</h1>"));
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
        2
    );

    // Removed, the string is Chinese again.
    for key in ["translations-heading", "import-ready"] {
        let r = admin
            .post(&app, "/admin/translations/remove", &[("key", key)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(app.last_audit().await.0, "translation.remove");
    let mn = admin.get(&app, "/admin/translations?lang=mn").await.text();
    assert!(mn.contains("<h1>界面的蒙古文</h1>"));
    let r = admin
        .post(&app, "/admin/translations/remove", &[("key", "nav-home")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
