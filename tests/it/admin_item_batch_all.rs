//! A batch of everything the list's filters match, across its pages: the drafts of a big
//! import published in one go, a withdrawal of them asked first, and a match too large for
//! one request refused with a way forward. Nothing outside the filters moves.

use crate::helpers::{HALL, TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::catalogue::model::{ItemFields, NewItem};
use edubase::catalogue::types::{Accession, Category, Slug, Status};
use edubase::i18n::LocalizedText;
use edubase::repo::Visibility;

/// `n` publishable drafts in the hall, numbered from `from`.
async fn drafts(app: &TestApp, from: usize, n: usize) {
    for i in from..from + n {
        let fields = ItemFields {
            accession: Accession::parse(&format!("KZH-A{i:05}")).unwrap(),
            slug: Slug::parse(&format!("imported-{i}")).unwrap(),
            status: Status::Draft,
            category: Category::TraditionalCraft,
            protection_level: None,
            title: LocalizedText::zh(format!("导入的藏品 {i}")),
            summary: LocalizedText::default(),
            description: LocalizedText::default(),
            place: LocalizedText::default(),
            period: LocalizedText::default(),
            year: None,
            inheritors: vec![],
            subjects: vec![],
            rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
        };
        let item = NewItem {
            fields,
            base: Slug::parse(HALL).unwrap(),
            media: vec![],
        };
        app.state.catalogue.upsert_item(&item).await.unwrap();
    }
}

async fn count(app: &TestApp, status: Status) -> usize {
    let mut query = edubase::catalogue::repo::ItemQuery::all(Visibility::All, 500);
    query.status = Some(status);
    let mut n = 0;
    loop {
        let page = app.state.catalogue.list_items(&query).await.unwrap();
        n += page.items.len();
        match page.next {
            Some(next) => query.after = Some(next),
            None => return n,
        }
    }
}

#[tokio::test]
async fn every_matching_draft_across_the_pages_is_published_in_one_go() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    drafts(&app, 0, 120).await;
    let published = count(&app, Status::Published).await;

    let list = curator.get(&app, "/admin/items?status=draft").await.text();
    assert!(
        list.contains("name=\"all\" value=\"1\""),
        "more than a page: {list}"
    );
    assert!(list.contains("所有符合筛选条件的藏品（最多 2000 件）"));
    let one_page = curator
        .get(&app, "/admin/items?status=draft&q=KZH-A00001")
        .await
        .text();
    assert!(
        !one_page.contains("name=\"all\""),
        "one page needs no such box"
    );

    let publish_drafts = [("to", "published"), ("all", "1"), ("status", "draft")];
    let r = curator
        .post(&app, "/admin/item-status", &publish_drafts)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.text().contains("120 件藏品现在的状态是“已发布”"),
        "{}",
        r.text()
    );
    assert_eq!(count(&app, Status::Draft).await, 0);
    assert_eq!(count(&app, Status::Published).await, published + 120);
    // The same again, from a page loaded before: the filters match nothing now.
    let r = curator
        .post(&app, "/admin/item-status", &publish_drafts)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("这些筛选条件现在没有匹配的藏品"),
        "{}",
        r.text()
    );

    // Taking them all off the site again asks first, and the confirmation sends the
    // filters, not a list of items.
    let withdraw = [("to", "archived"), ("all", "1"), ("q", "导入的藏品")];
    let r = curator.post(&app, "/admin/item-status", &withdraw).await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    let confirm = &page[page.find("class=\"batch-confirm").expect("asks first")..];
    let confirm = &confirm[..confirm.find("</form>").unwrap()];
    assert!(confirm.contains("name=\"all\" value=\"1\"") && !confirm.contains("name=\"item\""));
    assert!(confirm.contains("确认改动这 120 件"), "{confirm}");
    assert_eq!(count(&app, Status::Archived).await, 0, "nothing moved yet");
    let mut confirmed = withdraw.to_vec();
    confirmed.push(("confirm", "1"));
    let r = curator.post(&app, "/admin/item-status", &confirmed).await;
    assert!(r.text().contains("120 件藏品现在的状态是“已归档”"));
    assert_eq!(
        count(&app, Status::Published).await,
        published,
        "the samples stay"
    );
}

#[tokio::test]
async fn a_match_too_large_for_one_batch_is_refused_and_nothing_moves() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    drafts(&app, 0, 2001).await;
    let r = curator
        .post(
            &app,
            "/admin/item-status",
            &[("to", "published"), ("all", "1"), ("status", "draft")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("符合筛选条件的藏品超过 2000 件，不能一次全部改动。")
    );
    assert_eq!(count(&app, Status::Draft).await, 2001);
}
