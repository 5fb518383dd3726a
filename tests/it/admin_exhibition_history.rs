//! An exhibition's history in the admin, driven through its forms: every change is a
//! revision with what changed (fields and stops), an earlier one is restored as a new
//! revision, a stale restore is refused, and an imported exhibition's history starts with
//! its import.

use crate::admin_exhibitions::{EX, add, create, draft, rev, stops};
use crate::helpers::{HALL, SCHOOL, TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

#[tokio::test]
async fn every_change_is_a_revision_and_an_earlier_one_comes_back() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    create(&app, &curator).await;
    for item in ["urliger", "holboo"] {
        let r = add(&app, &curator, item).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let with_two = rev(&app).await; // revision 3: two stops, no narrative
    let r = curator
        .post(
            &app,
            &format!("{EX}/stops/holboo"),
            &[
                ("revision", &with_two),
                ("narrative_zh", "好来宝是押韵的说唱。"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let revision = rev(&app).await;
    let r = curator
        .post(
            &app,
            &format!("{EX}/stops/holboo/move"),
            &[("to", "up"), ("revision", &revision)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(stops(&app).await, ["holboo", "urliger"]);

    let editor = curator.get(&app, EX).await.text();
    assert!(editor.contains(&format!("<a href=\"{EX}/history\">修改历史</a>")));
    let history = curator.get(&app, &format!("{EX}/history")).await;
    assert_eq!(history.status, StatusCode::OK);
    let html = history.text();
    assert_eq!(html.matches("<li class=\"panel\">").count(), 5, "{html}");
    assert!(html.contains("<td><code>stops</code></td><td class=\"before\">urliger, holboo</td><td class=\"after\">holboo, urliger</td>"), "{html}");
    assert!(html.contains("<td><code>stop holboo · narrative.zh</code></td><td class=\"before\"></td><td class=\"after\">好来宝是押韵的说唱。</td>"));
    assert!(
        html.contains("创建。"),
        "the first revision is the creation"
    );

    // Back to revision 3: two stops in the first order, the narrative gone; as revision 6.
    let current = rev(&app).await;
    let r = curator
        .post(
            &app,
            &format!("{EX}/history/{with_two}/restore"),
            &[("revision", &current)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let ex = draft(&app).await;
    assert_eq!(ex.revision, 6);
    assert_eq!(stops(&app).await, ["urliger", "holboo"]);
    assert!(ex.stops[1].fields.narrative.is_empty());
    assert_eq!(app.last_audit().await.0, "exhibition.restore");
    // Nothing is lost: the narrative is still in revision 5.
    let html = curator.get(&app, &format!("{EX}/history")).await.text();
    assert!(html.contains("恢复到第 5 版"));

    // A restore based on an old page is refused, and changes nothing.
    let stale = curator
        .post(
            &app,
            &format!("{EX}/history/5/restore"),
            &[("revision", &current)],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(draft(&app).await.revision, 6);

    // Curators of other bases see and restore nothing.
    let other = session(&app, "other", Role::Curator, &[SCHOOL]).await;
    assert_eq!(
        other.get(&app, &format!("{EX}/history")).await.status,
        StatusCode::FORBIDDEN
    );
    let r = other
        .post(
            &app,
            &format!("{EX}/history/3/restore"),
            &[("revision", "6")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(draft(&app).await.revision, 6);
}

#[tokio::test]
async fn an_imported_exhibitions_history_starts_with_its_import() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "boss", Role::Admin, &[]).await;
    let page = "/admin/exhibitions/voices-of-horqin";
    // The same folder imported again changes nothing, so adds nothing to any history.
    let item_revision = app.item("urliger").await.unwrap().revision;
    let report = app.import(std::path::Path::new("exhibits")).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(app.item("urliger").await.unwrap().revision, item_revision);
    let item_history = admin.get(&app, "/admin/items/urliger/history").await.text();
    assert_eq!(item_history.matches("<li class=\"panel\">").count(), 1);
    let imported = admin.get(&app, &format!("{page}/history")).await.text();
    assert_eq!(
        imported.matches("<li class=\"panel\">").count(),
        1,
        "{imported}"
    );
    assert!(
        imported.contains("</time> · import"),
        "by the importer: {imported}"
    );
    assert!(imported.contains("创建。"));
    let ex = app
        .state
        .exhibitions
        .draft_exhibition(&edubase::catalogue::types::Slug::parse("voices-of-horqin").unwrap())
        .await
        .unwrap()
        .unwrap();
    let revision = ex.revision.to_string();
    let first = ex.stops[0].item.to_string();
    let r = admin
        .post(
            &app,
            &format!("{page}/stops/{first}"),
            &[("revision", &revision), ("narrative_zh", "新的导览词。")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = admin.get(&app, &format!("{page}/history")).await.text();
    assert_eq!(html.matches("<li class=\"panel\">").count(), 2);
    assert!(html.contains("新的导览词。"));
    assert!(
        html.contains(&format!("恢复到第 {revision} 版")),
        "the imported state can come back"
    );

    // Imported again, from a folder whose narrative differs: a revision of its own, and an
    // editor's form opened before it is stale.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("exhibitions")).unwrap();
    let record = std::fs::read_to_string("exhibits/exhibitions/voices-of-horqin.toml").unwrap();
    std::fs::write(dir.path().join("exhibitions/voices-of-horqin.toml"), record).unwrap();
    let before = app
        .state
        .exhibitions
        .draft_exhibition(&edubase::catalogue::types::Slug::parse("voices-of-horqin").unwrap())
        .await
        .unwrap()
        .unwrap()
        .revision;
    let report = app.import(dir.path()).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let html = admin.get(&app, &format!("{page}/history")).await.text();
    assert_eq!(html.matches("<li class=\"panel\">").count(), 3, "{html}");
    assert!(
        html.contains("新的导览词。"),
        "the import's change: the narrative goes back"
    );
    let r = admin
        .post(
            &app,
            &format!("{page}/stops/{first}"),
            &[
                ("revision", &before.to_string()),
                ("narrative_zh", "过时的表单。"),
            ],
        )
        .await;
    assert_ne!(
        r.status,
        StatusCode::SEE_OTHER,
        "a form from before the import is stale"
    );
}
