//! Taking a published item or exhibition off the public site asks first, and says what it
//! takes away: the published exhibitions an item is a stop of, the classes that still have
//! to visit it. Until the confirming click nothing changes.

use crate::classroom::{location, set_visit};
use crate::helpers::{Session, TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::catalogue::types::{Slug, Status};

const HALL: &str = "banner-heritage-hall";
const GER: &str = "/admin/items/mongolian-ger";
const STEPPE: &str = "/admin/exhibitions/life-on-the-steppe";

/// A class of `teacher` walking the ger among a list of items, open for a week.
async fn list_with_the_ger(app: &TestApp, teacher: &Session) {
    let r = teacher
        .post(
            app,
            "/admin/classes",
            &[
                ("school", "阿古拉小学"),
                ("grade", "五年级"),
                ("name", "一班"),
            ],
        )
        .await;
    let class = location(&r);
    let today = edubase::stats::today();
    let r = teacher
        .post(
            app,
            &format!("{class}/assignments"),
            &[
                ("tour", "items"),
                ("title", "家里的器物"),
                ("items", "/items/mongolian-ger\n/items/holboo"),
                ("essay_prompt", "写一写蒙古包"),
                ("essay_min_chars", "10"),
                ("opens", &today.to_string()),
                ("closes", &(today + chrono::Days::new(7)).to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

#[tokio::test]
async fn withdrawing_a_published_item_says_what_it_takes_away_and_waits_for_a_click() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    list_with_the_ger(&app, &teacher).await;
    let ger = app.item("mongolian-ger").await.unwrap();
    let revision = ger.revision.to_string();
    let archive = [("status", "archived"), ("revision", revision.as_str())];

    let r = curator.post(&app, &format!("{GER}/status"), &archive).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    assert!(page.contains("从公开网站撤下“蒙古包”？"), "{page}");
    assert!(page.contains("改为“已归档”后，公众将看不到它"));
    assert!(page.contains("它是 1 个已发布展览中的一站"));
    assert!(page.contains(&format!("href=\"{STEPPE}\"")) && page.contains("草原上的家"));
    assert!(page.contains("1 个尚未结束的班级作业把它列在参观清单里"));
    assert!(
        page.contains("name=\"confirm\" value=\"1\"") && page.contains(&format!("href=\"{GER}\""))
    );
    assert_eq!(
        app.item("mongolian-ger").await.unwrap().fields.status,
        Status::Published
    );
    assert_eq!(app.get("/items/mongolian-ger").await.status, StatusCode::OK);

    // The confirming click.
    let mut confirmed = archive.to_vec();
    confirmed.push(("confirm", "1"));
    let r = curator
        .post(&app, &format!("{GER}/status"), &confirmed)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        app.item("mongolian-ger").await.unwrap().fields.status,
        Status::Archived
    );
    assert_eq!(
        app.get("/items/mongolian-ger").await.status,
        StatusCode::NOT_FOUND
    );

    // Moves that keep it off the public site, or put it on, ask nothing.
    let ger = app.item("mongolian-ger").await.unwrap();
    let r = curator
        .post(
            &app,
            &format!("{GER}/status"),
            &[("status", "draft"), ("revision", &ger.revision.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

#[tokio::test]
async fn withdrawing_an_exhibition_counts_the_classes_still_to_visit_it() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    // Two classes visit it; one assignment is closed already and does not count.
    set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    let done = set_visit(&app, &teacher, "甘旗卡第二中学", "八年级").await;
    teacher
        .post(&app, &format!("/admin/assignments/{}/close", done.id), &[])
        .await;
    let slug = Slug::parse("life-on-the-steppe").unwrap();
    let ex = app
        .state
        .exhibitions
        .draft_exhibition(&slug)
        .await
        .unwrap()
        .unwrap();
    let revision = ex.revision.to_string();
    let to_draft = [("status", "draft"), ("revision", revision.as_str())];

    let r = curator
        .post(&app, &format!("{STEPPE}/status"), &to_draft)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    assert!(
        page.contains("从公开网站撤下“草原上的家：游牧生活的器物”？"),
        "{page}"
    );
    assert!(page.contains("1 个尚未结束的班级作业要参观这个展览"));
    assert!(page.contains("确认改为“草稿”"));
    assert_eq!(
        app.get("/exhibitions/life-on-the-steppe").await.status,
        StatusCode::OK
    );

    // Without CSRF, even confirmed: refused, nothing changes.
    let mut confirmed = to_draft.to_vec();
    confirmed.push(("confirm", "1"));
    let r = app
        .post_form(
            &format!("{STEPPE}/status"),
            &confirmed,
            &[("cookie", &curator.cookie)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = curator
        .post(&app, &format!("{STEPPE}/status"), &confirmed)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let ex = app
        .state
        .exhibitions
        .draft_exhibition(&slug)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ex.status, Status::Draft);
    assert_eq!(
        app.get("/exhibitions/life-on-the-steppe").await.status,
        StatusCode::NOT_FOUND
    );
}
