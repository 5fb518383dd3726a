//! The weekly fixity check inside the server: queued once a week whatever the number of
//! nodes, run by the job worker, and its findings shown to administrators on the
//! dashboard (with the damaged items) and to monitoring in `/metrics`.

use crate::helpers::{TestApp, session};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use edubase::accounts::types::Role;
use std::path::Path;

#[tokio::test]
async fn damage_found_by_the_weekly_check_reaches_the_dashboard_and_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::at(dir.path()).await;
    app.import(Path::new("exhibits")).await;
    let urliger = app.item("morin-khuur-music").await.unwrap();
    let sha = urliger.media[0].sha256.clone();
    let metrics = app.get("/metrics").await.text();
    assert!(!metrics.contains("edubase_fixity"), "no check has run yet");

    // The sweeper queues this week's check; asking again does not queue a second one.
    let now = Utc::now();
    app.state.schedule_fixity(now).await.unwrap();
    app.state.schedule_fixity(now).await.unwrap();
    assert_eq!(app.state.jobs.counts().await.unwrap().queued, 1);
    app.state.worker().drain().await.unwrap();
    let clean = app.state.last_fixity().await.unwrap().unwrap();
    assert!(clean.report.intact() && clean.report.checked > 10);
    app.state.schedule_fixity(now).await.unwrap();
    assert_eq!(
        app.state.jobs.counts().await.unwrap().queued,
        0,
        "done for this week"
    );

    // A disk error flips a bit; next week's check finds it.
    let path = crate::helpers::original_file(dir.path(), &sha);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[100] ^= 0x10;
    std::fs::write(&path, &bytes).unwrap();
    app.state
        .schedule_fixity(now + Duration::days(7))
        .await
        .unwrap();
    app.state.worker().drain().await.unwrap();
    let run = app.state.last_fixity().await.unwrap().unwrap();
    assert_eq!(run.report.corrupt.len(), 1);

    let metrics = app.get("/metrics").await.text();
    assert!(
        metrics.contains("edubase_fixity_corrupt_originals 1"),
        "{metrics}"
    );
    assert!(metrics.contains("edubase_fixity_missing_originals 0"));

    let admin = session(&app, "boss", Role::Admin, &[]).await;
    let page = admin.get(&app, "/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("媒体文件受损"), "{html}");
    assert!(html.contains(&format!(
        "已损坏: <code>{sha}</code> (<a href=\"/admin/items/morin-khuur-music\">morin-khuur-music</a>)"
    )));
    // Curators are not alarmed with what only an administrator can repair.
    let curator = session(&app, "saran", Role::Curator, &["banner-heritage-hall"]).await;
    assert!(
        !curator
            .get(&app, "/admin")
            .await
            .text()
            .contains("媒体文件受损")
    );
}
