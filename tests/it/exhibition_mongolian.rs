//! An exhibition written in Mongolian on one page: a curator who writes Mongolian fills the
//! title and the stops' narratives beside the Chinese, and a Mongolian visitor walks it.

use crate::classroom::location;
use crate::helpers::{HALL, TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::catalogue::types::Slug;

const SLUG: &str = "voices-of-horqin";
const TITLE: &str = "ᠬᠣᠷᠴᠢᠨ ᠦ ᠳᠠᠭᠤ";
const NARRATIVE: &str = "ᠨᠢᠭᠡᠳᠦᠭᠡᠷ ᠵᠣᠭᠰᠤᠭᠠᠯ";

const PAGE: &str = "/admin/exhibitions/voices-of-horqin/mongolian";

/// The exhibition as the editor sees it now.
async fn draft(app: &TestApp) -> edubase::catalogue::exhibition_editor::DraftExhibition {
    let slug = Slug::parse(SLUG).unwrap();
    let found = app.state.exhibitions.draft_exhibition(&slug).await;
    found.unwrap().unwrap()
}

#[tokio::test]
async fn a_curator_writes_an_exhibition_in_mongolian_and_a_visitor_walks_it() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let before = draft(&app).await;
    let first = before.stops[0].item.to_string();

    let editor = curator
        .get(&app, &format!("/admin/exhibitions/{SLUG}"))
        .await;
    assert!(
        editor
            .text()
            .contains(&format!("href=\"/admin/exhibitions/{SLUG}/mongolian\""))
    );
    let page = curator.get(&app, PAGE).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains(&format!("name=\"stop:{first}\"")), "{html}");
    assert!(html.contains(before.fields.title.zh.as_deref().unwrap()));
    let revision = before.revision.to_string();

    let stop_field = format!("stop:{first}");
    let r = curator
        .post(
            &app,
            PAGE,
            &[
                ("revision", &revision),
                ("title", TITLE),
                (
                    "subtitle",
                    before.fields.subtitle.mn.as_deref().unwrap_or(""),
                ),
                (
                    "introduction",
                    before.fields.introduction.mn.as_deref().unwrap_or(""),
                ),
                (&stop_field, NARRATIVE),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(
        location(&r).ends_with("/mongolian?saved=2"),
        "{}",
        location(&r)
    );
    let after = draft(&app).await;
    assert_eq!(
        after.revision,
        before.revision + 2,
        "one revision per change"
    );
    assert_eq!(after.fields.title.mn.as_deref(), Some(TITLE));
    assert_eq!(
        after.fields.title.zh, before.fields.title.zh,
        "Chinese untouched"
    );
    assert_eq!(
        after.stops[0].fields.narrative.mn.as_deref(),
        Some(NARRATIVE)
    );
    assert_eq!(
        after.stops[0].fields.narrative.zh,
        before.stops[0].fields.narrative.zh
    );
    assert_eq!(app.last_audit().await.0, "exhibition.stop.update");

    // A Mongolian visitor sees them.
    let public = app
        .get(&format!("/exhibitions/{SLUG}?lang=mn"))
        .await
        .text();
    assert!(public.contains(TITLE), "{public}");
    let stop = app
        .get(&format!("/exhibitions/{SLUG}/stops/1?lang=mn"))
        .await
        .text();
    assert!(stop.contains(NARRATIVE), "{stop}");
    // Its curator previewing it in Mongolian sees that page too, not a staff page in Chinese.
    let preview = curator
        .get(
            &app,
            &format!("/admin/exhibitions/{SLUG}/preview/stops/1?lang=mn"),
        )
        .await
        .text();
    assert!(preview.contains("<html lang=\"mn-Mong\">"), "{preview}");
    assert!(preview.contains(NARRATIVE), "{preview}");

    // A page opened before that save keeps what was typed and changes nothing.
    let r = curator
        .post(&app, PAGE, &[("revision", &revision), ("title", "ᠬᠠᠭᠤᠴᠢᠨ")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("value=\"ᠬᠠᠭᠤᠴᠢᠨ\""), "typed text kept");
    let again = draft(&app).await;
    assert_eq!(again.revision, after.revision);

    // Too long, an unknown field, another base's curator, no token.
    let current = after.revision.to_string();
    let long = "ᠠ".repeat(201);
    let r = curator
        .post(&app, PAGE, &[("revision", &current), ("title", &long)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = curator
        .post(&app, PAGE, &[("revision", &current), ("slug", "x")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let other = session(&app, "tuya", Role::Curator, &["ganjig-school-culture-room"]).await;
    let r = other
        .post(&app, PAGE, &[("revision", &current), ("title", "x")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post_form(
            PAGE,
            &[("revision", &current), ("title", "x")],
            &[("cookie", &curator.cookie)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let last = draft(&app).await;
    assert_eq!(last.revision, after.revision, "nothing written");
}
