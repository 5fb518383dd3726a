//! What the classroom refuses and forgets, through HTTP: a closed assignment refuses work
//! with a clear message; retention deletes what it should and nothing else; wrong join
//! codes are throttled per client.

use crate::classroom::{Device, join, location, set_visit, set_visit_for, submit, walk};
use crate::helpers::{TestApp, session};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use edubase::accounts::types::Role;

#[tokio::test]
async fn a_closed_assignment_refuses_work_with_a_clear_message() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    let (mut late, _) = join(&app, &a, "晚到的").await;
    let r = teacher
        .post(&app, &format!("/admin/assignments/{}/close", a.id), &[])
        .await;
    assert_eq!(
        location(&r),
        format!("/admin/assignments/{}?closed=1", a.id)
    );

    let r = submit(&app, &mut late, &a, "我终于写完了这篇作文。").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.text().contains("截止，不能再答题或提交作文"),
        "{}",
        r.text()
    );
    assert!(
        r.text().contains("我终于写完了这篇作文。"),
        "the text typed is still on the page"
    );
    let autosave = late
        .post(
            &app,
            &format!("/visit/{}/essay", a.code),
            &[("essay", "x"), ("autosave", "1")],
        )
        .await;
    assert_eq!(autosave.status, StatusCode::FORBIDDEN);
    assert_eq!(autosave.json()["saved"], false);
    let answers = late
        .post(
            &app,
            &format!("/visit/{}/stops/1", a.code),
            &[(&format!("q{}", a.questions[0].id), "0")],
        )
        .await;
    assert_eq!(answers.status, StatusCode::FORBIDDEN);
    let mut newcomer = Device::default();
    let r = newcomer
        .post(
            &app,
            &format!("/visit/{}/join", a.code),
            &[("nickname", "新同学")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("任务已结束"));
    let visits = app.state.classroom.repo().visits_of(a.id).await.unwrap();
    assert_eq!(visits.len(), 1);
    assert!(visits[0].submitted_at.is_none() && visits[0].essay.is_empty());
}

#[tokio::test]
async fn retention_deletes_closed_visits_after_the_school_year_and_nothing_else() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let admin = session(&app, "admin", Role::Admin, &[]).await;
    let closed = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    // Open for a year: still open when the other one's school year ends.
    let open = set_visit_for(&app, &teacher, "甘旗卡第二中学", "八年级", 365).await;
    for (a, name) in [(&closed, "其木格"), (&closed, "巴特"), (&open, "乌兰")] {
        let (mut d, _) = join(&app, a, name).await;
        walk(&app, &d, a, 1).await;
        submit(&app, &mut d, a, "一篇足够长的作文内容。").await;
    }
    teacher
        .post(
            &app,
            &format!("/admin/assignments/{}/close", closed.id),
            &[],
        )
        .await;
    let closed = app
        .state
        .classroom
        .repo()
        .assignment(closed.id)
        .await
        .unwrap()
        .unwrap();
    let purge = edubase::classroom::rules::Retention::EndOfSchoolYear.purge_at(closed.closes());
    assert_eq!(
        edubase::stats::china_time(purge)
            .format("%m-%d %H:%M")
            .to_string(),
        "09-01 00:00"
    );

    let report_before = admin.get(&app, "/admin/report").await.text();
    assert_eq!(
        app.state.sweep_classroom(Utc::now()).await.unwrap(),
        0,
        "kept during the school year"
    );
    assert_eq!(
        app.state
            .sweep_classroom(purge - Duration::seconds(1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(app.state.sweep_classroom(purge).await.unwrap(), 2);
    let repo = app.state.classroom.repo();
    assert!(repo.visits_of(closed.id).await.unwrap().is_empty());
    assert_eq!(
        repo.visits_of(open.id).await.unwrap().len(),
        1,
        "an open assignment keeps its work"
    );
    assert!(
        repo.assignment(closed.id).await.unwrap().is_some(),
        "the assignment itself stays"
    );
    assert_eq!(
        app.state
            .sweep_classroom(open.closes() - Duration::seconds(1))
            .await
            .unwrap(),
        0,
        "an open assignment is never swept"
    );

    // The banner report still counts what was deleted: figures, not children.
    let report = admin.get(&app, "/admin/report").await.text();
    for html in [&report_before, &report] {
        assert!(html.contains("<td>七年级</td><td class=\"num\">1</td><td class=\"num\">2</td><td class=\"num\">2</td>"), "{html}");
        assert!(html.contains("<td>八年级</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">1</td>"));
    }
    let csv = admin.get(&app, "/admin/report.csv").await;
    assert_eq!(&csv.bytes[..3], b"\xEF\xBB\xBF");
    assert!(csv.text().contains("甘旗卡第二中学,七年级,1,2,2"));
    assert_eq!(
        teacher.get(&app, "/admin/report").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_thousand_wrong_codes_from_one_client_are_throttled() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    let guesser: std::net::SocketAddr = "203.0.113.9:5000".parse().unwrap();
    let mut statuses = Vec::new();
    for i in 0..1000u32 {
        // Well-formed codes that exist nowhere (the alphabet has no 'A'-free collisions here:
        // real codes are random, these are counted strings).
        let code = format!("ZZ{:06}", i).replace(['0', '1'], "Z");
        let r = app
            .send(
                "GET",
                &format!("/visit/{code}"),
                &[],
                Vec::new(),
                Some(guesser),
            )
            .await;
        statuses.push(r.status);
    }
    let not_found = statuses
        .iter()
        .filter(|s| **s == StatusCode::NOT_FOUND)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        (not_found, throttled),
        (29, 971),
        "30 wrong codes, then a wait"
    );
    // While locked, even the right code is refused from there, with a clear message.
    let r = app
        .send(
            "GET",
            &format!("/visit/{}", a.code),
            &[],
            Vec::new(),
            Some(guesser),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().contains("输错参与码的次数太多") && !r.header("retry-after").is_empty());
    // Other clients are not affected.
    let class: std::net::SocketAddr = "198.51.100.7:5000".parse().unwrap();
    let r = app
        .send(
            "GET",
            &format!("/visit/{}", a.code),
            &[],
            Vec::new(),
            Some(class),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}
