//! Moving many items through the workflow at once from the list, as a curator does after a
//! bulk import: tick the items, choose "publish", and read what moved and why the rest did
//! not. Each item is held to what its own workflow button would demand.

use crate::admin_import::{staged_id, with_bom};
use crate::admin_items::{item, item_form};
use crate::helpers::{HALL, SCHOOL, Session, TestApp, TestResponse, session};
use crate::import::jpeg_bytes;
use axum::http::StatusCode;
use edubase::accounts::types::Role;

/// The list's value of an item's box: `slug@revision`.
async fn pick(app: &TestApp, slug: &str) -> String {
    format!("{slug}@{}", item(app, slug).await.revision)
}

impl Session {
    /// Ticks `items` on the list and applies `to`.
    async fn batch(&self, app: &TestApp, to: &str, items: &[String]) -> TestResponse {
        let mut fields = vec![("to", to), ("status", "draft")];
        fields.extend(items.iter().map(|i| ("item", i.as_str())));
        self.post(app, "/admin/item-status", &fields).await
    }
}

#[tokio::test]
async fn a_curator_publishes_a_page_of_drafts_and_reads_why_some_stayed() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    for (slug, accession) in [
        ("saddle-a", "KZ-B-001"),
        ("saddle-b", "KZ-B-002"),
        ("saddle-c", "KZ-B-003"),
        ("saddle-d", "KZ-B-004"),
    ] {
        let r = curator
            .post(&app, "/admin/items", &item_form(slug, accession, "马鞍"))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    // C has a photograph nobody has described yet.
    let r = curator
        .post_files(
            &app,
            "/admin/items/saddle-c/media",
            "马鞍.jpg",
            &jpeg_bytes(80, 60),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // The list of drafts offers a box per item, with its revision.
    let list = curator.get(&app, "/admin/items?status=draft").await.text();
    assert!(list.contains("action=\"/admin/item-status\""), "{list}");
    let picks = [
        pick(&app, "saddle-a").await,
        pick(&app, "saddle-b").await,
        pick(&app, "saddle-c").await,
        pick(&app, "saddle-d").await,
        "no-such-item@1".to_owned(),
    ];
    for p in &picks[..4] {
        assert!(list.contains(&format!("value=\"{p}\"")), "{p} in {list}");
    }
    // D is changed by a colleague after the list was shown.
    let mut form = item_form("saddle-d", "KZ-B-004", "马鞍（修订）");
    let revision = item(&app, "saddle-d").await.revision.to_string();
    form[0] = ("revision", &revision);
    let r = curator.post(&app, "/admin/items/saddle-d", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    let r = curator.batch(&app, "published", &picks).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    assert!(page.contains("2 件藏品现在的状态是“已发布”"), "{page}");
    assert!(page.contains("3 件没有改动"), "{page}");
    assert!(
        page.contains("第 1 张图片（马鞍.jpg）的中文替代文字"),
        "says what C needs: {page}"
    );
    assert!(page.contains("列表显示之后有人改过它"), "{page}");
    assert!(page.contains("没有这件藏品"), "{page}");
    assert!(
        page.contains("<a href=\"/admin/items/saddle-c\"><code>KZ-B-003</code></a>"),
        "each item left links to its page: {page}"
    );
    // The list shown after is the one filtered before: C and D are still drafts.
    assert!(page.contains("value=\"saddle-c@"), "{page}");
    assert!(!page.contains("value=\"saddle-a@"), "{page}");

    for slug in ["saddle-a", "saddle-b"] {
        assert_eq!(
            app.get(&format!("/items/{slug}")).await.status,
            StatusCode::OK
        );
    }
    for slug in ["saddle-c", "saddle-d"] {
        assert_eq!(item(&app, slug).await.fields.status.code(), "draft");
        assert_eq!(
            app.get(&format!("/items/{slug}")).await.status,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(app.last_audit().await.0, "item.status.published");

    // Taking a published item off the public site is asked again (here in English).
    let a = pick(&app, "saddle-a").await;
    let r = curator
        .post(
            &app,
            "/admin/item-status?lang=en",
            &[("to", "archived"), ("status", "published"), ("item", &a)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    assert!(
        page.contains("This takes 1 published item off the public site, as “Archived”:"),
        "{page}"
    );
    assert!(page.contains("<code>KZ-B-001</code>"), "{page}");
    assert!(page.contains("name=\"confirm\" value=\"1\""), "{page}");
    assert!(
        page.contains(&format!("name=\"item\" value=\"{a}\"")),
        "{page}"
    );
    assert!(
        page.contains("href=\"/admin/items?status=published\">Cancel</a>"),
        "cancelling goes back to the same list: {page}"
    );
    assert_eq!(
        item(&app, "saddle-a").await.fields.status.code(),
        "published"
    );
    let r = curator
        .post(
            &app,
            "/admin/item-status?lang=en",
            &[("to", "archived"), ("confirm", "1"), ("item", &a)],
        )
        .await;
    assert!(
        r.text().contains("1 item is now “Archived”."),
        "{}",
        r.text()
    );
    assert_eq!(
        item(&app, "saddle-a").await.fields.status.code(),
        "archived"
    );
}

#[tokio::test]
async fn a_batch_is_held_to_the_workflow_and_to_the_curators_bases() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let school_item = app
        .state
        .catalogue
        .list_items(&edubase::catalogue::repo::ItemQuery {
            base: Some(edubase::catalogue::types::Slug::parse(SCHOOL).unwrap()),
            ..edubase::catalogue::repo::ItemQuery::all(edubase::repo::Visibility::All, 1)
        })
        .await
        .unwrap()
        .items
        .remove(0);
    let theirs = format!("{}@{}", school_item.slug, school_item.revision);
    let published = [pick(&app, "urliger").await, pick(&app, "andai-dance").await];

    let r = curator
        .batch(
            &app,
            "in_review",
            &[published[0].clone(), theirs, published[1].clone()],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    assert!(
        !page.contains("件藏品现在的状态是"),
        "nothing moved: {page}"
    );
    assert!(page.contains("3 件没有改动"), "{page}");
    assert_eq!(
        page.matches("不能从“已发布”直接改为“待审核”").count(),
        1,
        "items left for one reason are listed under it once: {page}"
    );
    assert!(
        page.contains("<code>KZH-0008</code></a> <a href=\"/admin/items/andai-dance\">"),
        "{page}"
    );
    assert!(page.contains("您不能修改这个基地的藏品"), "{page}");
    assert_eq!(
        item(&app, "urliger").await.fields.status.code(),
        "published"
    );
    assert_eq!(
        item(&app, school_item.slug.as_str()).await.fields.status,
        school_item.status
    );
}

#[tokio::test]
async fn a_broken_or_foreign_batch_is_refused_and_changes_nothing() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let teacher = session(&app, "naran", Role::Teacher, &[]).await;
    let urliger = pick(&app, "urliger").await;

    let r = curator.batch(&app, "archived", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("请先勾选要改动的藏品"), "{}", r.text());

    let r = curator
        .batch(&app, "gone", std::slice::from_ref(&urliger))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let r = curator
        .batch(&app, "archived", &["urliger".to_owned()])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let too_many: Vec<String> = (0..201).map(|_| urliger.clone()).collect();
    let r = curator.batch(&app, "archived", &too_many).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert!(r.text().contains("at most 200"), "{}", r.text());

    let r = teacher
        .batch(&app, "archived", std::slice::from_ref(&urliger))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post_form(
            "/admin/item-status",
            &[("to", "archived"), ("item", &urliger)],
            &[("cookie", &curator.cookie)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");

    assert_eq!(
        item(&app, "urliger").await.fields.status.code(),
        "published"
    );
}

#[tokio::test]
async fn an_imports_report_leads_to_its_items_which_are_published_together() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let csv = with_bom(&format!(
        "accession,title_zh,category,base\nKZ-I-1,马鞍,quyi,{HALL}\nKZ-I-2,马镫,quyi,{HALL}\n"
    ));
    let r = curator
        .check_form(&app, &[], &[("csv", "items.csv", &csv)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let run = staged_id(&r.text());
    let done = curator.run_to_end(&app, &run).await;
    let link = format!("/admin/items?import={run}");
    assert!(done.contains(&format!("href=\"{link}\"")), "{done}");
    assert!(done.contains("审核、发布这次导入的 2 件藏品"), "{done}");

    let list = curator.get(&app, &link).await.text();
    assert!(list.contains("只列出一次批量导入创建的藏品"), "{list}");
    let picks: Vec<String> = ["kz-i-1", "kz-i-2"]
        .iter()
        .map(|s| format!("{s}@1"))
        .collect();
    for p in &picks {
        assert!(list.contains(&format!("value=\"{p}\"")), "{p}: {list}");
    }
    assert!(
        !list.contains("value=\"urliger@"),
        "only the import's items"
    );

    let r = curator
        .post(
            &app,
            "/admin/item-status",
            &[
                ("to", "published"),
                ("import", &run),
                ("item", &picks[0]),
                ("item", &picks[1]),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.text().contains("2 件藏品现在的状态是“已发布”"),
        "{}",
        r.text()
    );
    assert!(
        r.text().contains("只列出一次批量导入创建的藏品"),
        "the list after is still the import's"
    );
    assert_eq!(app.get("/items/kz-i-2").await.status, StatusCode::OK);

    let r = curator.get(&app, "/admin/items?import=../../x").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
