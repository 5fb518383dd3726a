//! The SQLite search index under change: a hit's full-text rowid carries its facet
//! combination (migration 0011), so items move within the index as they change.

use crate::helpers::TestApp;
use crate::search::{edit, item, top3};
use edubase::catalogue::types::Status;
use edubase::repo::Actor;

async fn set_status(app: &TestApp, status: Status) {
    let item = item(app, "andai-dance").await;
    app.state
        .editor
        .set_item_status(item.id, item.revision, status, &Actor::system("test"))
        .await
        .unwrap()
        .unwrap();
}

/// In SQLite a hit's full-text rowid carries its facet combination (migration 0011), so an
/// item moves within the index whenever it is published, archived, retitled or loses its
/// media. After each kind of move the index says exactly what its content says (FTS5's
/// own integrity check against the content) and the search answers accordingly.
#[tokio::test]
async fn the_sqlite_index_follows_every_move_of_an_item() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::at(dir.path()).await;
    app.import(std::path::Path::new("exhibits")).await;
    let file = dir.path().join("edubase.sqlite");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    let check = || async {
        for table in ["search_fts", "search_title_fts"] {
            let sql = format!("insert into {table} ({table}, rank) values ('integrity-check', 1)");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&pool)
                .await
                .unwrap_or_else(|e| panic!("{table}: {e}"));
        }
    };
    check().await;
    set_status(&app, Status::Archived).await;
    check().await;
    assert!(top3(&app, "andaiwu").await.is_empty());
    set_status(&app, Status::Published).await;
    check().await;
    assert_eq!(top3(&app, "andaiwu").await[0], "andai-dance");
    edit(&app, "andai-dance", |f| {
        f.title.en = Some("Zanzibarian circle".into())
    })
    .await;
    check().await;
    assert_eq!(top3(&app, "zanzibarian").await, ["andai-dance"]);
    let item = item(&app, "andai-dance").await;
    for m in &item.media {
        app.state
            .editor
            .remove_media(item.id, m.id, &Actor::system("t"))
            .await
            .unwrap();
    }
    check().await;
    assert_eq!(top3(&app, "zanzibarian").await, ["andai-dance"]);
    let images = app
        .get("/api/v1/search?q=zanzibarian&media=image")
        .await
        .json();
    assert_eq!(images["total"], 0);
    // A forced rewrite builds both indexes again in one pass.
    edubase::app::reindex(&app.state, true, &mut |_, _| {})
        .await
        .unwrap();
    check().await;
    assert_eq!(top3(&app, "zanzibarian").await, ["andai-dance"]);
    assert_eq!(top3(&app, "andaiwu").await[0], "andai-dance");
}
