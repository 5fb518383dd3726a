//! An item's history in the admin: each change listed with what it changed, and an earlier
//! revision restored through the form the way a curator's browser does.

use crate::admin_items::{item, item_form};
use crate::helpers::{HALL, TestApp, session, with};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

#[tokio::test]
async fn the_history_shows_each_change_and_restores_an_earlier_revision() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    curator
        .post(
            &app,
            "/admin/items",
            &item_form("horqin-saddle", "KZ-M-001", "科尔沁马鞍"),
        )
        .await;
    let rev = item(&app, "horqin-saddle").await.revision.to_string();
    let edited = with(
        with(
            item_form("horqin-saddle", "KZ-M-001", "改错的标题"),
            "revision",
            &rev,
        ),
        "year",
        "",
    );
    assert_eq!(
        curator
            .post(&app, "/admin/items/horqin-saddle", &edited)
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    let history = curator
        .get(&app, "/admin/items/horqin-saddle/history")
        .await;
    assert_eq!(history.status, StatusCode::OK);
    let html = history.text();
    assert!(
        html.contains("改错的标题") && html.contains("科尔沁马鞍"),
        "before and after of the title"
    );
    assert!(html.contains("1987"), "the removed year shows as before");
    assert!(html.contains("创建。"), "the first revision");

    let current = item(&app, "horqin-saddle").await.revision.to_string();
    let r = curator
        .post(
            &app,
            "/admin/items/horqin-saddle/history/1/restore",
            &[("revision", &current)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let it = item(&app, "horqin-saddle").await;
    assert_eq!(it.fields.title.zh.as_deref(), Some("科尔沁马鞍"));
    assert_eq!(it.fields.year, Some(1987));
    assert_eq!(
        app.state.editor.revisions(it.id).await.unwrap().len(),
        3,
        "a restore is a new revision, nothing is lost"
    );

    let stale = curator
        .post(
            &app,
            "/admin/items/horqin-saddle/history/1/restore",
            &[("revision", &current)],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let missing = curator
        .post(
            &app,
            "/admin/items/horqin-saddle/history/99/restore",
            &[("revision", &it.revision.to_string())],
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
