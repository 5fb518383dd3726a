//! The dashboard at `/admin`: figures per role, what needs attention, and the visits chart
//! fed by the page-view counter.

use crate::helpers::TestApp;
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::catalogue::model::*;
use edubase::catalogue::types::{Accession, Category, MediaKind, Slug, Status};
use edubase::i18n::LocalizedText;
use edubase::stats::{Scope, today};

/// The dashboard as `name` sees it.
async fn dashboard(app: &TestApp, name: &str) -> String {
    let cookie = app.sign_in(name).await;
    let r = app.get_with("/admin", &[("cookie", &cookie)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.text()
}

/// The grand total in the footer of the counts table.
fn counts_total(html: &str) -> &str {
    let foot = &html[html.find("<tfoot>").expect("a counts table")..];
    let start = foot.find("<td class=\"num total\">").unwrap() + "<td class=\"num total\">".len();
    &foot[start..start + foot[start..].find('<').unwrap()]
}

/// The number of item folders in `exhibits/items`, the sample catalogue.
fn sample_items() -> usize {
    std::fs::read_dir("exhibits/items").unwrap().count()
}

#[tokio::test]
async fn the_counts_match_the_sample_catalogue() {
    let app = TestApp::with_samples().await;
    app.add_user("boss", Role::Admin, &[]).await;
    let html = dashboard(&app, "boss").await;
    let total = sample_items();
    assert_eq!(counts_total(&html), total.to_string());
    let counts = app.state.stats.item_counts(&Scope::All).await.unwrap();
    assert_eq!(
        counts.by_status(&Status::Published),
        total as i64,
        "samples are published"
    );
    for category in counts.categories() {
        let name = format!("<th scope=\"row\">{}</th>", zh_category(category));
        assert!(html.contains(&name), "a row for {category}");
    }
    assert_eq!(counts.by_category(&Category::TraditionalCraft), 4);
    assert!(html.contains("以下数字涵盖所有基地"));
    assert!(
        html.contains("所有图片都有中文替代文本"),
        "the samples have no gaps"
    );
    assert!(html.contains(" MB</span>"), "storage in human units");
    // The samples have no Mongolian titles yet: that is a gap too, and leads to them.
    assert!(
        html.contains(&format!(
            "<a href=\"/admin/item-titles?status=published\">已发布的藏品中有 {total} 件还没有蒙古文题名</a>"
        )),
        "{html}"
    );
    // A curator counts only the school's room.
    app.add_user("curator.su", Role::Curator, &["ganjig-school-culture-room"])
        .await;
    let html = dashboard(&app, "curator.su").await;
    assert!(
        html.contains("已发布的藏品中有 5 件还没有蒙古文题名"),
        "{html}"
    );
}

fn zh_category(c: Category) -> String {
    edubase::i18n::Tr::new(edubase::i18n::Lang::Zh).t(&format!("category-{}", c.code()))
}

#[tokio::test]
async fn an_image_without_alt_text_needs_attention_with_a_link_to_its_editor() {
    let app = TestApp::with_samples().await;
    let picture = NewMedia {
        file: MediaFile {
            sha256: "f".repeat(64),
            kind: MediaKind::Image,
            mime: "image/jpeg".into(),
            bytes: 2048,
            width: Some(800),
            height: Some(600),
            duration_ms: None,
            codecs: None,
        },
        fields: MediaFields {
            original_name: "scan.jpg".into(),
            alt: LocalizedText::default(),
            caption: LocalizedText::default(),
            credit: "Museum".into(),
            rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
            source: None,
        },
    };
    let fields = ItemFields {
        accession: Accession::parse("KZH-9001").unwrap(),
        slug: Slug::parse("unlabelled-saddle").unwrap(),
        status: Status::Draft,
        category: Category::TraditionalCraft,
        protection_level: None,
        title: LocalizedText::zh("未描述的马鞍"),
        summary: LocalizedText::default(),
        description: LocalizedText::default(),
        place: LocalizedText::default(),
        period: LocalizedText::default(),
        year: None,
        inheritors: vec![],
        subjects: vec![],
        rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
    };
    app.state
        .catalogue
        .upsert_item(&NewItem {
            fields,
            base: Slug::parse("banner-heritage-hall").unwrap(),
            media: vec![picture],
        })
        .await
        .unwrap();
    app.add_user("boss", Role::Admin, &[]).await;
    let html = dashboard(&app, "boss").await;
    assert!(
        html.contains("href=\"/admin/items/unlabelled-saddle\""),
        "links to the editor"
    );
    assert!(html.contains("未描述的马鞍"));
    assert!(html.contains("1 张图片缺少中文替代文本"));
    assert_eq!(counts_total(&html), (sample_items() + 1).to_string());
}

#[tokio::test]
async fn public_pages_viewed_appear_in_the_chart_once_flushed() {
    let app = TestApp::with_samples().await;
    for page in [
        "/",
        "/items",
        "/items/boke-wrestling",
        "/exhibitions?lang=en",
    ] {
        app.page(page).await;
    }
    // Not page views: a missing page, a redirect, the API, static files, a robot, HEAD.
    assert_eq!(
        app.get("/items/no-such-item").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(app.get("/q/GQK-0004").await.status.is_redirection());
    assert_eq!(app.get("/api/v1/items").await.status, StatusCode::OK);
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    let robot = app
        .get_with(
            "/",
            &[("user-agent", "Mozilla/5.0 (compatible; Baiduspider/2.0)")],
        )
        .await;
    assert_eq!(robot.status, StatusCode::OK);
    app.send("HEAD", "/", &[], Vec::new(), None).await;
    assert_eq!(app.state.page_views.pending(), 4);

    app.add_user("boss", Role::Admin, &[]).await;
    let before = dashboard(&app, "boss").await;
    assert!(
        before.contains("近 30 天还没有公开页面的浏览记录"),
        "not yet flushed"
    );
    assert_eq!(app.state.flush_page_views().await.unwrap(), 4);
    assert_eq!(app.state.page_views.pending(), 0);

    let html = dashboard(&app, "boss").await;
    assert_eq!(
        app.state.page_views.pending(),
        0,
        "admin pages are not counted"
    );
    let day = today();
    assert!(
        html.contains(&format!(
            "<time datetime=\"{day}\">{day}</time></td><td class=\"num\">4</td>"
        )),
        "today's row in the table"
    );
    assert!(
        html.contains(&format!("<title>{day}: 4</title>")),
        "today's bar"
    );
    assert!(
        html.contains(&format!("最多的一天是 {day}，4 次")),
        "the text alternative"
    );
}

#[tokio::test]
async fn the_visits_chart_is_an_accessible_svg_of_thirty_bars() {
    let app = TestApp::with_samples().await;
    app.page("/").await;
    app.state.flush_page_views().await.unwrap();
    app.add_user("boss", Role::Admin, &[]).await;
    let html = dashboard(&app, "boss").await;
    let svg = &html[html.find("<svg class=\"chart\"").unwrap()..html.find("</svg>").unwrap()];
    assert_eq!(svg.matches("<rect class=\"chart-bar\"").count(), 30);
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("aria-labelledby=\"visits-title visits-desc\""));
    assert!(svg.contains("<title id=\"visits-title\">"));
    assert!(svg.contains("<desc id=\"visits-desc\">"));
    assert!(!svg.contains("style="), "the CSP allows no inline styles");
    assert_eq!(
        svg.matches("class=\"chart-label\"").count(),
        5,
        "a day label every week"
    );
    assert!(
        svg.contains("text-anchor=\"end\">1</text>"),
        "the maximum is labelled"
    );
    let table = &html[html.find("<details class=\"chart-data\">").unwrap()..];
    let table = &table[..table.find("</details>").unwrap()];
    assert_eq!(
        table.matches("<tr><td><time").count(),
        30,
        "the numbers as a table"
    );
}

#[tokio::test]
async fn a_curator_sees_only_the_figures_of_their_bases() {
    let app = TestApp::with_samples().await;
    app.add_user(
        "school.keeper",
        Role::Curator,
        &["ganjig-school-culture-room"],
    )
    .await;
    let html = dashboard(&app, "school.keeper").await;
    let school = app
        .state
        .stats
        .item_counts(&Scope::Bases(vec![
            Slug::parse("ganjig-school-culture-room").unwrap(),
        ]))
        .await
        .unwrap();
    assert_eq!(school.total(), 5);
    assert_eq!(counts_total(&html), "5");
    assert!(html.contains("以下数字只涵盖你负责的基地"));
    assert!(
        !html.contains(&zh_category(Category::FolkLiterature)),
        "categories only the other base has are not shown"
    );
    assert!(html.contains("你最近的修改"));
    assert!(
        html.contains("还没有修改记录"),
        "the admin's changes are not theirs"
    );
}

#[tokio::test]
async fn teachers_get_a_welcome_without_catalogue_figures() {
    let app = TestApp::with_samples().await;
    app.add_user("teacher.li", Role::Teacher, &[]).await;
    let html = dashboard(&app, "teacher.li").await;
    assert!(html.contains("classroom-heading"));
    assert!(!html.contains("<svg"));
    assert!(!html.contains("<tfoot>"));
    assert!(html.contains("name=\"_csrf\""), "the security panel stays");
}
