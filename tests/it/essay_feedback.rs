//! A teacher comments on an essay and hands it back for changes; the student reads the
//! comment (on another device too, with the resume code), changes the essay and hands it
//! in again; every essay prints one a page. What cannot be handed back is refused with a
//! reason; an early close can be undone.

use crate::classroom::{Device, join, location, set_visit, submit};
use crate::helpers::{Session, TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::classroom::model::{Assignment, Visit};

const ESSAY: &str = "草原上的生活很美好，我最喜欢安代舞。";

/// The only visit of `a`, as stored now.
async fn stored(app: &TestApp, a: &Assignment) -> Visit {
    let visits = app.state.classroom.repo().visits_of(a.id).await.unwrap();
    assert_eq!(visits.len(), 1);
    visits.into_iter().next().unwrap()
}

fn page_of(a: &Assignment, v: &Visit) -> String {
    format!("/admin/assignments/{}/visits/{}", a.id, v.id)
}

async fn comment(
    app: &TestApp,
    teacher: &Session,
    a: &Assignment,
    v: &Visit,
    action: &str,
    text: &str,
) -> crate::helpers::TestResponse {
    teacher
        .post(
            app,
            &page_of(a, v),
            &[("feedback", text), ("action", action)],
        )
        .await
}

#[tokio::test]
async fn a_teacher_hands_an_essay_back_with_a_comment_and_the_student_improves_it() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    let (mut phone, resume) = join(&app, &a, "其木格").await;
    let r = submit(&app, &mut phone, &a, ESSAY).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let v = stored(&app, &a).await;
    let submitted = v.submitted_at.expect("handed in");

    let page = teacher.get(&app, &page_of(&a, &v)).await.text();
    assert!(
        page.contains(ESSAY) && page.contains("保存评语并退回修改"),
        "{page}"
    );

    // Broken or hostile forms change nothing.
    let r = comment(&app, &teacher, &a, &v, "return", "  ").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("退回修改时，请写下要修改什么。"));
    let long = "好".repeat(2001);
    let r = comment(&app, &teacher, &a, &v, "save", &long).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("评语最多 2000 字，现在有 2001 字。"));
    assert!(r.text().contains(&long), "what was typed stays in the box");
    let r = comment(&app, &teacher, &a, &v, "grade", "A").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .post_form(
            &page_of(&a, &v),
            &[("feedback", "x"), ("action", "return")],
            &[("cookie", &teacher.cookie)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let same = stored(&app, &a).await;
    assert_eq!(
        (same.feedback.as_str(), same.submitted_at),
        ("", Some(submitted))
    );

    // Handed back with a comment.
    let note = "开头写得好。\n第二段再写写安代舞的动作。";
    let r = comment(&app, &teacher, &a, &v, "return", note).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        location(&r),
        format!("{}?returned=1#feedback", page_of(&a, &v))
    );
    let page = teacher.get(&app, &location(&r)).await.text();
    assert!(page.contains("作文已退回给学生修改。") && page.contains("第二段再写写"));
    assert!(
        !page.contains("value=\"return\""),
        "nothing to hand back now"
    );
    let board = teacher
        .get(&app, &format!("/admin/assignments/{}", a.id))
        .await
        .text();
    assert!(
        board.contains("已退回修改") && board.contains("有评语"),
        "{board}"
    );

    // The student, on a tablet with the resume code, reads it and changes the essay.
    let mut tablet = Device::default();
    tablet
        .post(
            &app,
            &format!("/visit/{}/resume", a.code),
            &[("resume", &resume)],
        )
        .await;
    let home = tablet.get(&app, &format!("/visit/{}", a.code)).await.text();
    assert!(home.contains("老师的评语") && home.contains("<p>第二段再写写安代舞的动作。</p>"));
    assert!(home.contains(&format!("href=\"/visit/{}/essay\">修改作文", a.code)));
    let essay = tablet
        .get(&app, &format!("/visit/{}/essay", a.code))
        .await
        .text();
    assert!(essay.contains("老师把作文退回给你修改") && essay.contains(ESSAY));
    assert!(
        !essay.contains("readonly"),
        "the essay can be changed again"
    );
    let better = format!("{ESSAY}跳安代舞时，大家挥着手帕转圈。");
    let r = submit(&app, &mut tablet, &a, &better).await;
    assert_eq!(location(&r), format!("/visit/{}/done", a.code));
    let done = tablet
        .get(&app, &format!("/visit/{}/done", a.code))
        .await
        .text();
    assert!(done.contains("老师的评语") && !done.contains("退回给你修改"));
    let v = stored(&app, &a).await;
    assert_eq!(v.essay, better);
    assert!(v.is_resubmitted() && v.submitted_at > Some(submitted));
    let board = teacher
        .get(&app, &format!("/admin/assignments/{}", a.id))
        .await
        .text();
    assert!(board.contains("已重新提交"), "{board}");
    assert!(
        board.contains("共 1 人，已交作文 1 篇，已批改 1 篇"),
        "{board}"
    );

    // A last word and a grade, without handing back: the student sees both; the essay
    // stays handed in. A grade that is not one of the four is refused.
    let r = teacher
        .post(
            &app,
            &page_of(&a, &v),
            &[
                ("feedback", "改得很好！"),
                ("grade", "A+"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = teacher
        .post(
            &app,
            &page_of(&a, &v),
            &[
                ("feedback", "改得很好！"),
                ("grade", "excellent"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(
        location(&r),
        format!("{}?saved=1#feedback", page_of(&a, &v))
    );
    let page = teacher.get(&app, &location(&r)).await.text();
    assert!(
        page.contains("<option value=\"excellent\" selected>优秀</option>"),
        "{page}"
    );
    let done = phone
        .get(&app, &format!("/visit/{}/done", a.code))
        .await
        .text();
    assert!(
        done.contains("改得很好！") && done.contains("等级：优秀"),
        "{done}"
    );
    assert_eq!(stored(&app, &a).await.submitted_at, v.submitted_at);
    let csv = teacher
        .get(&app, &format!("/admin/assignments/{}/export.csv", a.id))
        .await
        .text();
    assert!(csv.contains("老师评语") && csv.contains("改得很好！") && csv.contains("已重新提交"));
    assert!(
        csv.contains("改得很好！,优秀"),
        "the grade beside the comment: {csv}"
    );

    // Every essay on paper, one a page, with its comment; a student who wrote nothing is
    // left out.
    join(&app, &a, "巴雅尔").await;
    let print = teacher
        .get(&app, &format!("/admin/assignments/{}/essays", a.id))
        .await;
    assert_eq!(print.status, StatusCode::OK);
    let print = print.text();
    assert_eq!(
        print.matches("class=\"sheet essay-sheet\"").count(),
        1,
        "{print}"
    );
    assert!(print.contains("共 1 篇作文") && print.contains("其木格") && !print.contains("巴雅尔"));
    assert!(
        print.contains("跳安代舞时，大家挥着手帕转圈。") && print.contains("<p>改得很好！</p>")
    );
    assert!(print.contains("已重新提交") && print.contains("写一写草原上的生活"));
}

#[tokio::test]
async fn only_a_handed_in_essay_of_an_open_assignment_goes_back() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let other = session(&app, "teacher.hu", Role::Teacher, &[]).await;
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    let (mut phone, _) = join(&app, &a, "巴特尔").await;
    phone
        .post(
            &app,
            &format!("/visit/{}/essay", a.code),
            &[("essay", "还没写完"), ("action", "save")],
        )
        .await;
    let v = stored(&app, &a).await;

    // A draft: nothing to hand back, but a comment may guide the student.
    let page = teacher.get(&app, &page_of(&a, &v)).await.text();
    assert!(!page.contains("value=\"return\""));
    let r = comment(&app, &teacher, &a, &v, "return", "多写一些").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("这篇作文还没有提交"));
    let r = comment(&app, &teacher, &a, &v, "save", "别忘了写你看到的马具。").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let essay = phone
        .get(&app, &format!("/visit/{}/essay", a.code))
        .await
        .text();
    assert!(essay.contains("别忘了写你看到的马具。") && !essay.contains("退回给你修改"));

    // Someone else's student: 404, and nothing stored.
    assert_eq!(
        other.get(&app, &page_of(&a, &v)).await.status,
        StatusCode::NOT_FOUND
    );
    let r = comment(&app, &other, &a, &v, "save", "我不是你的老师").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = other
        .get(&app, &format!("/admin/assignments/{}/essays", a.id))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(stored(&app, &a).await.feedback, "别忘了写你看到的马具。");

    // Handed in, then the assignment is closed early: handing back would be pointless.
    submit(&app, &mut phone, &a, ESSAY).await;
    let board = format!("/admin/assignments/{}", a.id);
    teacher.post(&app, &format!("{board}/close"), &[]).await;
    let r = comment(&app, &teacher, &a, &v, "return", "再改改").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("请先重新开放作业"), "{}", r.text());
    assert!(stored(&app, &a).await.submitted_at.is_some());

    // The teacher undoes the early close; now it goes back.
    let page = teacher.get(&app, &board).await.text();
    assert!(
        page.contains(&format!("action=\"{board}/reopen\"")),
        "{page}"
    );
    let r = app
        .post_form(
            &format!("{board}/reopen"),
            &[],
            &[("cookie", &teacher.cookie)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let r = other.post(&app, &format!("{board}/reopen"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = teacher.post(&app, &format!("{board}/reopen"), &[]).await;
    assert_eq!(location(&r), format!("{board}?reopened=1"));
    assert!(
        teacher
            .get(&app, &location(&r))
            .await
            .text()
            .contains("任务已重新开放。")
    );
    let r = comment(&app, &teacher, &a, &v, "return", "再改改").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(stored(&app, &a).await.is_returned());
}

#[tokio::test]
async fn reopening_after_the_last_day_says_the_day_must_move() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    // Set last week, closed early, and its last day is over.
    let repo = app.state.classroom.repo();
    let now = chrono::Utc::now();
    let mut fields = a.fields.clone();
    fields.opens_at = now - chrono::Duration::days(7);
    fields.closes_at = now - chrono::Duration::days(1);
    repo.update_assignment(a.id, &fields).await.unwrap();
    repo.close_assignment(a.id, now - chrono::Duration::days(3))
        .await
        .unwrap();
    let board = format!("/admin/assignments/{}", a.id);
    let r = teacher.post(&app, &format!("{board}/reopen"), &[]).await;
    assert_eq!(location(&r), format!("{board}?reopened-past=1"));
    let page = teacher.get(&app, &location(&r)).await.text();
    assert!(page.contains("最后一天已经过去，任务仍然关闭"), "{page}");
    let a = repo.assignment(a.id).await.unwrap().unwrap();
    assert_eq!(a.closed_at, None);
    assert!(!a.is_open(chrono::Utc::now()));
}

#[tokio::test]
async fn an_essay_and_answers_in_mongolian_are_written_and_read_in_columns() {
    const MN: &str = "ᠮᠢᠨᠤ ᠬᠠᠮᠤᠭ ᠤᠨ ᠳᠤᠷᠠᠲᠠᠢ ᠨᠢ ᠠᠨᠳᠠᠢ ᠪᠦᠵᠢᠭ ᠮᠥᠨ᠃";
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let a = set_visit(&app, &teacher, "甘旗卡蒙古族中学", "八年级").await;
    let (mut phone, _) = join(&app, &a, "苏日娜").await;
    let essay_page = format!("/visit/{}/essay", a.code);
    let box_of = |html: &str| -> String {
        let at = html.find("<textarea id=\"essay\"").expect("the essay box");
        html[at..at + html[at..].find('>').unwrap()].to_owned()
    };

    // On a Mongolian page the empty box is set for Mongolian; on a Chinese page it is not.
    let mn = phone
        .get(&app, &format!("{essay_page}?lang=mn"))
        .await
        .text();
    assert!(box_of(&mn).contains("lang=\"mn-Mong\""), "{}", box_of(&mn));
    let zh = phone
        .get(&app, &format!("{essay_page}?lang=zh"))
        .await
        .text();
    assert!(!box_of(&zh).contains("lang="), "{}", box_of(&zh));

    // A short answer's box follows the same rule.
    let q = a.questions[1].id;
    let stop = format!("/visit/{}/stops/2", a.code);
    let answer_box = |html: &str| -> String {
        let at = html
            .find(&format!("<textarea id=\"q{q}\""))
            .expect("the answer box");
        html[at..at + html[at..].find('>').unwrap()].to_owned()
    };
    let page = phone.get(&app, &format!("{stop}?lang=mn")).await.text();
    assert!(
        answer_box(&page).contains("lang=\"mn-Mong\""),
        "{}",
        answer_box(&page)
    );
    let page = phone.get(&app, &format!("{stop}?lang=zh")).await.text();
    assert!(
        !answer_box(&page).contains("lang="),
        "{}",
        answer_box(&page)
    );
    let r = phone
        .post(&app, &stop, &[(&format!("q{q}"), "ᠡᠵᠢ ᠶᠢᠨ ᠳᠤᠭᠤ")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    // Written in Mongolian, it stays so on any page, for the student and the teacher.
    let r = submit(&app, &mut phone, &a, MN).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let zh = phone
        .get(&app, &format!("{essay_page}?lang=zh"))
        .await
        .text();
    assert!(box_of(&zh).contains("lang=\"mn-Mong\""), "{}", box_of(&zh));
    let v = stored(&app, &a).await;
    let review = teacher.get(&app, &page_of(&a, &v)).await.text();
    assert!(
        review.contains("<div class=\"essay-text marked-essay\" lang=\"mn-Mong\">"),
        "{review}"
    );
    assert!(
        review.contains("<strong lang=\"mn-Mong\">ᠡᠵᠢ ᠶᠢᠨ ᠳᠤᠭᠤ</strong>"),
        "{review}"
    );
    let print = teacher
        .get(&app, &format!("/admin/assignments/{}/essays", a.id))
        .await
        .text();
    assert!(
        print.contains("<div class=\"essay-text\" lang=\"mn-Mong\">"),
        "{print}"
    );
    assert!(print.contains("/js/essays-print."), "{print}");

    // The handout is printed for the students: it may be Mongolian, the teacher's pages not.
    let handout = teacher
        .get(
            &app,
            &format!("/admin/assignments/{}/handout?lang=mn", a.id),
        )
        .await
        .text();
    assert!(handout.contains("<html lang=\"mn-Mong\">"), "{handout}");
    let board = teacher
        .get(&app, &format!("/admin/assignments/{}?lang=mn", a.id))
        .await
        .text();
    assert!(board.contains("<html lang=\"zh-Hans\">"), "{board}");

    // A nickname in Mongolian stands upright in a column of its own on the teacher's
    // Chinese pages and the student's.
    let (second, _) = join(&app, &a, "ᠰᠠᠷᠠᠨ").await;
    let own = "<span class=\"mn-ui\" lang=\"mn-Mong\">ᠰᠠᠷᠠᠨ</span>";
    let board = teacher
        .get(&app, &format!("/admin/assignments/{}", a.id))
        .await
        .text();
    assert!(board.contains(own), "{board}");
    let stop = second
        .get(&app, &format!("/visit/{}/stops/1?lang=zh", a.code))
        .await
        .text();
    assert!(stop.contains(own), "{stop}");
}
