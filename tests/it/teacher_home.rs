//! A teacher's first page after signing in: this school year's assignments, each with
//! how many joined (of the class's size), handed in, and wait for a comment or a grade.

use crate::classroom::{join, set_visit_for, submit, walk};
use crate::helpers::{TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

/// The cells of the teacher's table row that links to assignment `id`.
fn row(html: &str, id: i64) -> String {
    let at = html
        .find(&format!("<a href=\"/admin/assignments/{id}\""))
        .unwrap_or_else(|| panic!("a row for {id}: {html}"));
    let start = html[..at].rfind("<tr>").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    html[start..end].to_owned()
}

#[tokio::test]
async fn a_teacher_sees_each_assignment_with_who_joined_wrote_and_waits_for_review() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let other = session(&app, "teacher.hu", Role::Teacher, &[]).await;

    let home = teacher.get(&app, "/admin").await.text();
    assert!(home.contains("先添加你的班级"), "{home}");
    assert!(home.contains("href=\"/admin/classes\""));
    assert!(
        !home.contains("正在开发中"),
        "the classroom is not 'coming soon'"
    );

    let a = set_visit_for(&app, &teacher, "甘旗卡第二中学", "七年级", 7).await;
    let b = set_visit_for(&app, &teacher, "甘旗卡第二中学", "八年级", 7).await;
    let theirs = set_visit_for(&app, &other, "阿古拉小学", "五年级", 7).await;
    let r = teacher
        .post(
            &app,
            &format!("/admin/classes/{}/edit", b.class.id),
            &[
                ("school", "甘旗卡第二中学"),
                ("grade", "八年级"),
                ("name", "三班"),
                ("students", "40"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for name in ["其木格", "巴特"] {
        let (mut d, _) = join(&app, &b, name).await;
        walk(&app, &d, &b, 1).await;
        let r = submit(&app, &mut d, &b, "一篇足够长的作文内容，写草原。").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    join(&app, &a, "乌兰").await;

    let home = teacher.get(&app, "/admin").await.text();
    let cells = |r: String| {
        r.split("<td class=\"num\">")
            .skip(1)
            .map(|c| c.split("</td>").next().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(cells(row(&home, a.id)), ["1", "0", "0"]);
    let waiting = format!("<a href=\"/admin/assignments/{}#students\">2</a>", b.id);
    assert_eq!(cells(row(&home, b.id)), ["2 / 40", "2", waiting.as_str()]);
    assert!(row(&home, b.id).contains("八年级 · 三班") && row(&home, b.id).contains("进行中"));
    assert!(
        home.find(&format!("/admin/assignments/{}\"", b.id))
            < home.find(&format!("/admin/assignments/{}\"", a.id)),
        "newest first"
    );
    assert!(
        !home.contains(&format!("/admin/assignments/{}\"", theirs.id)),
        "only their own"
    );

    // A grade is a review: one essay fewer waits.
    let repo = app.state.classroom.repo();
    let first = repo.visits_of(b.id).await.unwrap()[0].id;
    let r = teacher
        .post(
            &app,
            &format!("/admin/assignments/{}/visits/{first}", b.id),
            &[("feedback", ""), ("grade", "good"), ("action", "save")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let home = teacher.get(&app, "/admin").await.text();
    let waiting = format!("<a href=\"/admin/assignments/{}#students\">1</a>", b.id);
    assert_eq!(cells(row(&home, b.id))[2], waiting);
    // The class's own page counts the same way.
    let class = teacher
        .get(&app, &format!("/admin/classes/{}", b.class.id))
        .await
        .text();
    assert_eq!(cells(row(&class, b.id)), ["2 / 40", "2", waiting.as_str()]);
}
