//! The banner report by base: what each base has online, how often the public opened it in
//! the school year, and how many students walked it; and its CSV, whose cells stay text.

use crate::admin_items::{item, item_form};
use crate::classroom::{add_class, join, set_visit_for, submit, walk};
use crate::helpers::{HALL, SCHOOL, TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::classroom::rules::school_year_of;
use edubase::stats::today;

/// The cells of a base's row in the report, as text.
fn row(html: &str, slug: &str) -> Vec<String> {
    let start = html
        .find(&format!("<a href=\"/admin/bases/{slug}\">"))
        .unwrap_or_else(|| panic!("{slug} is listed: {html}"));
    let tr = &html[start..start + html[start..].find("</tr>").unwrap()];
    tr.split("<td class=\"num\">")
        .skip(1)
        .map(|td| text(&td[..td.find("</td>").unwrap()]))
        .collect()
}

/// What a cell says, without its markup.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in html.replace("<br>", " ").chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The items an admin list shows, by slug.
fn listed_items(html: &str) -> Vec<String> {
    html.split("<td><a href=\"/admin/items/")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect()
}

#[tokio::test]
async fn each_base_shows_what_it_has_online_and_how_often_it_was_opened_and_walked() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin.wu", Role::Admin, &[]).await;
    let curator = session(&app, "curator.li", Role::Curator, &[HALL]).await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;

    // The samples: the hall keeps 15 published items, 8 with media, none with a
    // Mongolian title yet, and 2 exhibitions; the school's room 5 items, all with media,
    // and 1 exhibition. Nobody has looked or walked yet.
    let html = admin.get(&app, "/admin/report/bases").await.text();
    assert_eq!(
        row(&html, HALL),
        [
            "15",
            "15",
            "0 (0%) 15 件没有",
            "8 (53%) 7 件没有",
            "2",
            "0",
            "0",
            "0",
            "0"
        ]
    );
    assert_eq!(
        row(&html, SCHOOL),
        [
            "5",
            "5",
            "0 (0%) 5 件没有",
            "5 (100%)",
            "1",
            "0",
            "0",
            "0",
            "0"
        ]
    );
    assert!(html.contains("<td class=\"num\">20</td><td class=\"num\">20</td><td class=\"num\">0 (0%)</td><td class=\"num\">13 (65%)</td><td class=\"num\">3</td><td class=\"num\">0</td>"), "{html}");
    assert!(html.contains("aria-current=\"page\">按基地</a>"));

    // A curator adds a bilingual record and publishes it.
    let r = curator
        .post(
            &app,
            "/admin/items",
            &item_form("horqin-saddle", "KZH-9001", "科尔沁马鞍"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let draft = admin.get(&app, "/admin/report/bases").await.text();
    assert_eq!(row(&draft, HALL)[..3], ["16", "15", "0 (0%) 15 件没有"]);
    let revision = item(&app, "horqin-saddle").await.revision.to_string();
    let r = curator
        .post(
            &app,
            "/admin/items/horqin-saddle/status",
            &[("status", "published"), ("revision", &revision)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    // The public opens the hall, one of its exhibitions and one of the room's items twice.
    for page in [
        "/bases/banner-heritage-hall",
        "/exhibitions/voices-of-horqin",
        "/items/horqin-saddle",
        "/items/boke-wrestling",
        "/items/boke-wrestling?lang=en",
    ] {
        app.page(page).await;
    }
    app.state.flush_page_views().await.unwrap();

    // A class walks the hall's exhibition: two join, one opens a stop and hands in.
    let a = set_visit_for(&app, &teacher, "甘旗卡第二中学", "七年级", 7).await;
    let (mut bayar, _) = join(&app, &a, "巴雅尔").await;
    join(&app, &a, "乌兰").await;
    walk(&app, &bayar, &a, 1).await;
    let r = submit(&app, &mut bayar, &a, "一篇足够长的作文内容。").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Another walks the teacher's own list: a ger from the hall and a deel from the room.
    let class = add_class(&app, &teacher, "甘旗卡第一小学", "五年级", "一班").await;
    let r = teacher
        .post(
            &app,
            &format!("/admin/classes/{class}/assignments"),
            &[
                ("tour", "items"),
                ("title", "草原上的衣食住"),
                ("items", "mongolian-ger\nmongolian-deel"),
                ("essay_prompt", "写一写你最喜欢的一件藏品"),
                ("essay_min_chars", "10"),
                ("opens", &today().to_string()),
                ("closes", &(today() + chrono::Days::new(7)).to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    let html = admin.get(&app, "/admin/report/bases").await.text();
    assert_eq!(
        row(&html, HALL),
        [
            "16",
            "16",
            "1 (6%) 15 件没有",
            "8 (50%) 8 件没有",
            "2",
            "3",
            "2",
            "1",
            "1"
        ]
    );
    assert_eq!(
        row(&html, SCHOOL),
        [
            "5",
            "5",
            "0 (0%) 5 件没有",
            "5 (100%)",
            "1",
            "2",
            "1",
            "0",
            "0"
        ]
    );

    // The counts lead to the items still to complete, in the curators' list.
    let lacking = "/admin/items?status=published&amp;base=banner-heritage-hall&amp;lacks=mn_title";
    assert!(
        html.contains(&format!("<a href=\"{lacking}\">15 件没有</a>")),
        "{html}"
    );
    let list = curator
        .get(&app, &lacking.replace("&amp;", "&"))
        .await
        .text();
    assert!(
        list.contains("<option value=\"mn_title\" selected>"),
        "{list}"
    );
    let slugs = listed_items(&list);
    assert_eq!(slugs.len(), 15, "{slugs:?}");
    assert!(!slugs.contains(&"horqin-saddle".to_owned()));
    let list = curator
        .get(&app, "/admin/items?status=published&lacks=media")
        .await
        .text();
    let slugs = listed_items(&list);
    assert_eq!(slugs.len(), 8, "{slugs:?}");
    assert!(slugs.contains(&"horqin-saddle".to_owned()) && slugs.contains(&"urliger".to_owned()));
    assert!(!slugs.contains(&"mongolian-ger".to_owned()));
    let r = curator.get(&app, "/admin/items?lacks=everything").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("mn_title"), "{}", r.text());

    // Another school year: the same catalogue, no views, no assignments.
    let year = school_year_of(today());
    let before = admin
        .get(&app, &format!("/admin/report/bases?year={}", year - 1))
        .await
        .text();
    assert_eq!(
        row(&before, HALL),
        [
            "16",
            "16",
            "1 (6%) 15 件没有",
            "8 (50%) 8 件没有",
            "2",
            "0",
            "0",
            "0",
            "0"
        ]
    );

    let csv = admin.get(&app, "/admin/report/bases.csv").await;
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert!(
        csv.header("content-disposition")
            .contains(&format!("bases-report-{year}.csv"))
    );
    assert!(csv.bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = csv.text();
    assert!(
        text.contains(&format!(
            "{year}-{},banner-heritage-hall,科左后旗非遗展示馆,",
            year + 1
        )),
        "{text}"
    );
    assert!(text.contains(",16,16,1,8,2,3,2,1,1\n"), "{text}");

    // Only administrators; a year that is not one is refused.
    for who in [&curator, &teacher] {
        for page in ["/admin/report/bases", "/admin/report/bases.csv"] {
            assert_eq!(who.get(&app, page).await.status, StatusCode::FORBIDDEN);
        }
    }
    let r = admin.get(&app, "/admin/report/bases?year=二〇二五").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("year"), "{}", r.text());
}

#[tokio::test]
async fn a_school_typed_as_a_formula_stays_text_in_the_banner_csv() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin.wu", Role::Admin, &[]).await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let a = set_visit_for(
        &app,
        &teacher,
        "=HYPERLINK(\"http://x\",\"甘旗卡\")",
        "七年级",
        7,
    )
    .await;
    assert_eq!(
        a.class.fields.school.as_str(),
        "=HYPERLINK(\"http://x\",\"甘旗卡\")"
    );
    let csv = admin.get(&app, "/admin/report.csv").await.text();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"甘旗卡\"\")\",七年级,1,"),
        "{csv}"
    );
}
