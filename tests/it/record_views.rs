//! Which items and exhibitions the public looks at: each record's own page is counted per
//! day, and the dashboard lists the most viewed of the curator's bases.

use crate::admin_items::{item, item_form};
use crate::helpers::{TestApp, session, with};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

/// The most-viewed list `id` of a dashboard, as (title, views) text.
fn listed(html: &str, id: &str) -> Vec<String> {
    let Some(start) = html.find(&format!("<ol class=\"popular\" id=\"{id}\">")) else {
        return Vec::new();
    };
    let list = &html[start..start + html[start..].find("</ol>").unwrap()];
    list.split("<li>")
        .skip(1)
        .map(|li| {
            let mut text = String::new();
            let mut tag = false;
            for c in li.chars() {
                match c {
                    '<' => tag = true,
                    '>' => tag = false,
                    c if !tag => text.push(c),
                    _ => {}
                }
            }
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

#[tokio::test]
async fn the_pages_people_open_make_the_most_viewed_lists_of_each_curators_bases() {
    let app = TestApp::with_samples().await;
    for page in [
        "/items/boke-wrestling",
        "/items/boke-wrestling?lang=en",
        "/items/boke-wrestling",
        "/items/mongolian-ger",
        "/exhibitions/life-on-the-steppe",
        "/exhibitions/life-on-the-steppe?lang=mn",
        // Pages of the exhibition, not the exhibition itself.
        "/exhibitions/life-on-the-steppe/stops/1",
        "/exhibitions/life-on-the-steppe/labels",
        "/bases/banner-heritage-hall",
    ] {
        app.page(page).await;
    }
    // Not counted for any record: a missing item, a robot, the API.
    assert_eq!(
        app.get("/items/no-such-item").await.status,
        StatusCode::NOT_FOUND
    );
    let robot = [("user-agent", "Mozilla/5.0 (compatible; Baiduspider/2.0)")];
    app.get_with("/items/mongolian-ger", &robot).await;
    app.get("/api/v1/items/mongolian-ger").await;
    assert_eq!(app.state.flush_page_views().await.unwrap(), 9);

    let admin = session(&app, "boss", Role::Admin, &[]).await;
    let html = admin.get(&app, "/admin").await.text();
    assert_eq!(
        listed(&html, "popular-items"),
        ["搏克（蒙古式摔跤） 3 次", "蒙古包 1 次"],
        "{html}"
    );
    assert_eq!(
        listed(&html, "popular-exhibitions"),
        ["草原上的家：游牧生活的器物 2 次"]
    );
    assert!(html.contains("href=\"/admin/items/boke-wrestling\""));
    assert_eq!(listed(&html, "popular-bases").len(), 1);
    assert!(html.contains("href=\"/admin/bases/banner-heritage-hall\""));

    // A curator of the school's culture room sees only what the room keeps.
    let school = session(
        &app,
        "curator.su",
        Role::Curator,
        &["ganjig-school-culture-room"],
    )
    .await;
    let html = school.get(&app, "/admin").await.text();
    assert_eq!(listed(&html, "popular-items"), ["搏克（蒙古式摔跤） 3 次"]);
    assert!(listed(&html, "popular-exhibitions").is_empty());
    assert!(html.contains("近 30 天还没有人看过这些页面"));

    // The record's own page in the admin says how often it was seen.
    let edit = admin.get(&app, "/admin/items/boke-wrestling").await.text();
    assert!(edit.contains("近 30 天公开页面浏览 3 次"), "{edit}");
    let ex = admin
        .get(&app, "/admin/exhibitions/life-on-the-steppe")
        .await
        .text();
    assert!(ex.contains("近 30 天公开页面浏览 2 次"), "{ex}");
    let hall = admin
        .get(&app, "/admin/bases/banner-heritage-hall")
        .await
        .text();
    assert!(hall.contains("近 30 天公开页面浏览 1 次"), "{hall}");
    let en = admin
        .get(&app, "/admin/items/mongolian-ger?lang=en")
        .await
        .text();
    assert!(en.contains("1 public view in the last 30 days"), "{en}");

    // Views belong to the record, not its address: renamed, the ger keeps its view, and
    // a view still pending under the old address counts for no record.
    app.page("/items/mongolian-ger").await;
    let ger = item(&app, "mongolian-ger").await;
    let (accession, revision) = (ger.fields.accession.to_string(), ger.revision.to_string());
    let form = with(
        item_form("yurt", &accession, "蒙古包（改名）"),
        "revision",
        &revision,
    );
    let r = admin.post(&app, "/admin/items/mongolian-ger", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    app.state.flush_page_views().await.unwrap();
    let edit = admin.get(&app, "/admin/items/yurt").await.text();
    assert!(edit.contains("近 30 天公开页面浏览 1 次"), "{edit}");
    let html = admin.get(&app, "/admin").await.text();
    assert!(listed(&html, "popular-items").contains(&"蒙古包（改名） 1 次".to_owned()));
}
