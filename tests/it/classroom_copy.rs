//! A teacher of several classes sets one assignment again for another class: the same
//! walk, instructions, days and questions, a new join code, none of the students' work.

use crate::classroom::{add_class, join, location, set_visit};
use crate::helpers::{TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

#[tokio::test]
async fn an_assignment_is_set_again_for_another_class_with_its_questions() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let other = session(&app, "teacher.hu", Role::Teacher, &[]).await;
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    join(&app, &a, "其木格").await;
    let class_b = add_class(&app, &teacher, "甘旗卡第二中学", "七年级", "四班").await;
    let theirs = add_class(&app, &other, "阿古拉小学", "五年级", "一班").await;

    let board = format!("/admin/assignments/{}", a.id);
    let page = teacher.get(&app, &board).await.text();
    assert!(page.contains(&format!("action=\"{board}/copy\"")));
    assert!(
        page.contains(&format!(
            "<option value=\"{class_b}\">甘旗卡第二中学 · 七年级 · 四班</option>"
        )),
        "{page}"
    );
    assert!(
        !page.contains("阿古拉小学"),
        "only the teacher's own classes"
    );

    // Refused: no CSRF, someone else's class, a class that is not a number, someone
    // else's assignment.
    let copy = format!("{board}/copy");
    let r = app
        .post_form(
            &copy,
            &[("class", &class_b)],
            &[("cookie", &teacher.cookie)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for class in [theirs.as_str(), "四班", ""] {
        let r = teacher.post(&app, &copy, &[("class", class)]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "class {class:?}");
    }
    let r = other.post(&app, &copy, &[("class", &theirs)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let repo = app.state.classroom.repo();
    let b: i64 = class_b.parse().unwrap();
    assert!(repo.assignments_of(b).await.unwrap().is_empty());

    let r = teacher.post(&app, &copy, &[("class", &class_b)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let new_page = location(&r);
    assert!(new_page.ends_with("?copied=1"), "{new_page}");
    let shown = teacher.get(&app, &new_page).await.text();
    assert!(shown.contains("这是复制出的新任务"), "{shown}");
    let copies = repo.assignments_of(b).await.unwrap();
    assert_eq!(copies.len(), 1);
    let c = &copies[0];
    assert_ne!(c.code, a.code, "a new join code");
    assert_eq!(c.fields, a.fields);
    let prompts = |x: &edubase::classroom::model::Assignment| {
        x.questions
            .iter()
            .map(|q| {
                (
                    q.stop,
                    q.kind,
                    q.prompt.clone(),
                    q.choices.clone(),
                    q.answer,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(prompts(c), prompts(&a));
    assert!(
        repo.visits_of(c.id).await.unwrap().is_empty(),
        "no students' work"
    );
    join(&app, c, "巴特尔").await;
    assert_eq!(
        repo.visits_of(a.id).await.unwrap().len(),
        1,
        "the first class is as it was"
    );
}

#[tokio::test]
async fn an_assignment_whose_exhibition_was_withdrawn_is_not_set_again() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let curator = session(&app, "saran", Role::Curator, &["banner-heritage-hall"]).await;
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    let slug = edubase::catalogue::types::Slug::parse("life-on-the-steppe").unwrap();
    let ex = app
        .state
        .exhibitions
        .draft_exhibition(&slug)
        .await
        .unwrap()
        .unwrap();
    let r = curator
        .post(
            &app,
            "/admin/exhibitions/life-on-the-steppe/status",
            &[
                ("status", "draft"),
                ("revision", &ex.revision.to_string()),
                ("confirm", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = teacher
        .post(
            &app,
            &format!("/admin/assignments/{}/copy", a.id),
            &[("class", &a.class.id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("已不再公开"), "{}", r.text());
    assert_eq!(
        app.state
            .classroom
            .repo()
            .assignments_of(a.class.id)
            .await
            .unwrap()
            .len(),
        1
    );
}
