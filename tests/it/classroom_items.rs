//! An assignment of items the teacher picked instead of an exhibition: the list is named
//! by accession numbers and item addresses, each item becomes a stop in the teacher's
//! order, questions attach to those stops, and a list naming anything that is not a
//! published item is refused with the line's problem and nothing created.

use crate::classroom::{join, location};
use crate::helpers::TestApp;
use crate::helpers::session;
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::classroom::model::Tour;
use edubase::stats::today;

#[tokio::test]
async fn a_teacher_picks_items_and_students_walk_them_in_that_order() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.han", Role::Teacher, &[]).await;
    let r = teacher
        .post(
            &app,
            "/admin/classes",
            &[
                ("school", "甘旗卡第一小学"),
                ("grade", "五年级"),
                ("name", "一班"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let class = location(&r);
    let page = teacher.get(&app, &class).await.text();
    assert!(
        page.contains("name=\"tour\" value=\"items\""),
        "the form offers a list of items"
    );
    let (opens, closes) = (
        today().to_string(),
        (today() + chrono::Days::new(7)).to_string(),
    );
    let fields = |items: &'static str, title: &'static str| {
        vec![
            ("tour", "items"),
            ("title", title),
            ("items", items),
            ("essay_prompt", "写一写你最喜欢的一件藏品"),
            ("essay_min_chars", "10"),
            ("opens", opens.as_str()),
            ("closes", closes.as_str()),
        ]
    };
    let class_id: i64 = class.rsplit('/').next().unwrap().parse().unwrap();
    let before = app
        .state
        .classroom
        .repo()
        .assignments_of(class_id)
        .await
        .unwrap()
        .len();

    // Refused, with the form kept: an unknown line, a repeat, no title, no items.
    for (items, title) in [
        ("KZH-0011\nno-such-item", "马背上的手艺"),
        ("KZH-0011\nmongolian-ger", "马背上的手艺"),
        ("KZH-0011", ""),
        ("", "马背上的手艺"),
    ] {
        let r = teacher
            .post(&app, &format!("{class}/assignments"), &fields(items, title))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{items:?} {title:?}"
        );
        let text = r.text();
        assert!(
            text.contains("field-error"),
            "{items:?}: the problem is shown"
        );
        assert!(text.contains(items), "what was typed is kept");
    }
    assert_eq!(
        app.state
            .classroom
            .repo()
            .assignments_of(class_id)
            .await
            .unwrap()
            .len(),
        before,
        "nothing was created"
    );

    // Accepted: an accession number, an item address with a language, a short link.
    let r = teacher
        .post(
            &app,
            &format!("{class}/assignments"),
            &fields(
                " KZH-0011 \nhttp://127.0.0.1/items/andai-dance?lang=en\n\nhttps://x.example/q/KZH-0008",
                "马背上的手艺",
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = location(&r);
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let r = teacher
        .post(
            &app,
            &format!("{page}/questions"),
            &[
                ("stop", "2"),
                ("kind", "short"),
                ("prompt", "安代舞用什么道具？"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "a question at the second item"
    );
    let r = teacher
        .post(
            &app,
            &format!("{page}/questions"),
            &[("stop", "4"), ("kind", "short"), ("prompt", "第四件？")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "there are three stops"
    );
    let a = app
        .state
        .classroom
        .repo()
        .assignment(id)
        .await
        .unwrap()
        .unwrap();
    match &a.fields.tour {
        Tour::Items { title, items } => {
            assert_eq!(title, "马背上的手艺");
            let slugs: Vec<_> = items.iter().map(|s| s.as_str()).collect();
            assert_eq!(slugs, ["mongolian-ger", "andai-dance", "urliger"]);
        }
        other => panic!("expected a list of items, got {other:?}"),
    }
    let dashboard = teacher.get(&app, &page).await.text();
    assert!(
        dashboard.contains("马背上的手艺"),
        "the teacher's title heads the dashboard"
    );

    // A student walks the three items in the teacher's order, and no further.
    let (mut d, _) = join(&app, &a, "小马").await;
    let start = d.get(&app, &format!("/visit/{}", a.code)).await.text();
    assert!(start.contains("马背上的手艺"));
    for (n, title) in [(1, "蒙古包"), (2, "安代舞"), (3, "乌力格尔")] {
        let r = d.get(&app, &format!("/visit/{}/stops/{n}", a.code)).await;
        assert_eq!(r.status, StatusCode::OK, "stop {n}");
        let text = r.text();
        assert!(text.contains(title), "stop {n} shows {title}");
        assert!(
            text.contains(&format!("max=\"3\" value=\"{n}\"")),
            "progress at {n}"
        );
    }
    let q = a.questions[0].id;
    let r = d
        .post(
            &app,
            &format!("/visit/{}/stops/2", a.code),
            &[(&format!("q{q}"), "红绸")],
        )
        .await;
    assert_eq!(location(&r), format!("/visit/{}/stops/3", a.code));
    let r = d.get(&app, &format!("/visit/{}/stops/4", a.code)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = d
        .post(
            &app,
            &format!("/visit/{}/essay", a.code),
            &[
                ("essay", "我最喜欢安代舞，红绸飞舞。"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let csv = teacher.get(&app, &format!("{page}/export.csv")).await;
    let mut reader = csv::Reader::from_reader(&csv.bytes[3..]);
    let record: Vec<String> = reader
        .records()
        .next()
        .expect("one student")
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let essay_chars = "我最喜欢安代舞，红绸飞舞。".chars().count().to_string();
    assert_eq!(
        record[..6],
        ["小马", "3/3", "1/1", "0/0", "已提交", essay_chars.as_str()]
    );
}
