//! A teacher changes an assignment after setting it: a week more for the class, a longer
//! essay, new instructions. What is visited stays; a broken form changes nothing.

use crate::classroom::{join, location, set_visit_for};
use crate::helpers::{TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::classroom::model::{Assignment, Tour};
use edubase::stats::today;

/// The assignment as stored now.
async fn stored(app: &TestApp, a: &Assignment) -> Assignment {
    let repo = app.state.classroom.repo();
    repo.assignment(a.id).await.unwrap().expect("it exists")
}

/// The edit form with new instructions and a longer essay, from `opens` to `closes`.
fn changed<'a>(opens: &'a str, closes: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("instructions", "下周五前完成。"),
        ("essay_prompt", "写一写草原上的生活"),
        ("essay_min_chars", "20"),
        ("opens", opens),
        ("closes", closes),
    ]
}

#[tokio::test]
async fn a_teacher_gives_the_class_a_week_more_and_the_students_see_it() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let a = set_visit_for(&app, &teacher, "甘旗卡第二中学", "七年级", 0).await;
    let (student, _) = join(&app, &a, "其其格").await;
    let edit = format!("/admin/assignments/{}/edit", a.id);

    let show = teacher
        .get(&app, &format!("/admin/assignments/{}", a.id))
        .await;
    assert!(show.text().contains(&format!("href=\"{edit}\"")));
    let form = teacher.get(&app, &edit).await;
    assert_eq!(form.status, StatusCode::OK);
    let today = today().to_string();
    assert!(
        form.text()
            .contains(&format!("name=\"closes\" type=\"date\" value=\"{today}\"")),
        "the last day as it was set: {}",
        form.text()
    );
    assert!(form.text().contains("周五前完成。"));

    // A broken form: the last day before the first. Nothing changes.
    let yesterday = (edubase::stats::today() - chrono::Days::new(1)).to_string();
    let r = teacher
        .post(&app, &edit, &changed(&today, &yesterday))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("下周五前完成。"), "what was typed stays");
    let same = stored(&app, &a).await;
    assert_eq!(same.fields.closes_at, a.fields.closes_at);
    assert_eq!(same.fields.instructions, "周五前完成。");

    // A week more, a longer essay; the form cannot change what is visited.
    let week = (edubase::stats::today() + chrono::Days::new(7)).to_string();
    let mut fields = changed(&today, &week);
    fields.extend([("tour", "items"), ("exhibition", "voices-of-horqin")]);
    let r = teacher.post(&app, &edit, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(location(&r), format!("/admin/assignments/{}?saved=1", a.id));
    let saved = teacher.get(&app, &location(&r)).await.text();
    assert!(saved.contains("已保存修改。"), "{saved}");
    let changed = stored(&app, &a).await;
    assert_eq!(changed.fields.instructions, "下周五前完成。");
    assert_eq!(changed.fields.essay_min_chars, 20);
    assert_eq!(
        changed.fields.closes_at,
        a.fields.closes_at + chrono::Duration::days(7)
    );
    assert!(matches!(
        &changed.fields.tour,
        Tour::Exhibition(s) if s.as_str() == "life-on-the-steppe"
    ));

    let start = student
        .get(&app, &format!("/visit/{}", a.code))
        .await
        .text();
    assert!(start.contains("下周五前完成。"), "{start}");
    assert!(
        start.contains(&week),
        "the student sees the new last day: {start}"
    );
}

#[tokio::test]
async fn only_the_assignments_teacher_may_change_it() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let other = session(&app, "teacher.hu", Role::Teacher, &[]).await;
    let a = set_visit_for(&app, &teacher, "甘旗卡第二中学", "七年级", 7).await;
    let edit = format!("/admin/assignments/{}/edit", a.id);
    let fields = [
        ("instructions", "改了"),
        ("essay_prompt", "题目"),
        ("essay_min_chars", "0"),
        ("opens", "2026-01-01"),
        ("closes", "2026-01-02"),
    ];
    assert_eq!(other.get(&app, &edit).await.status, StatusCode::NOT_FOUND);
    let r = other.post(&app, &edit, &fields).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post_form(&edit, &fields, &[("cookie", &teacher.cookie)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let same = stored(&app, &a).await;
    assert_eq!(same.fields.instructions, "周五前完成。");
}
