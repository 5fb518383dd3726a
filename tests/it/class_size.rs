//! A teacher gives the class's size and fixes its name: the assignment then says how many
//! have not joined, and the banner report how many of all students wrote their essay.

use crate::classroom::{join, location, set_visit_for, submit, walk};
use crate::helpers::{TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

#[tokio::test]
async fn a_class_of_three_shows_who_is_missing_and_counts_in_the_banner_coverage() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let other = session(&app, "teacher.li", Role::Teacher, &[]).await;
    let admin = session(&app, "admin.wu", Role::Admin, &[]).await;

    // A size that is not a count is refused with what was typed kept; no class is made.
    let r = teacher
        .post(
            &app,
            "/admin/classes",
            &[
                ("school", "甘旗卡第二中学"),
                ("grade", "七年级"),
                ("name", "一班"),
                ("students", "四十五"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("请填写 1 到 150 之间的整数"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("value=\"四十五\""));
    let list = teacher.get(&app, "/admin/classes").await.text();
    assert!(!list.contains("一班"), "no class was made");

    // A class set up without its size says nothing about who is missing.
    let a = set_visit_for(&app, &teacher, "甘旗卡第二中学", "七年级", 7).await;
    let class = format!("/admin/classes/{}", a.class.id);
    let board = format!("/admin/assignments/{}", a.id);
    let (mut qiqige, _) = join(&app, &a, "其其格").await;
    walk(&app, &qiqige, &a, 1).await;
    let r = submit(&app, &mut qiqige, &a, "一篇足够长的作文内容。").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = teacher.get(&app, &board).await.text();
    assert!(page.contains("共 1 人，已交作文 1 篇") && !page.contains("没有加入"));
    assert!(
        teacher
            .get(&app, &class)
            .await
            .text()
            .contains("未填写学生人数")
    );

    // The class's own form, with what it holds.
    let edit = format!("{class}/edit");
    let form = teacher.get(&app, &edit).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text()
            .contains("name=\"name\" maxlength=\"30\" required value=\"三班\"")
    );
    assert!(
        teacher
            .get(&app, &class)
            .await
            .text()
            .contains(&format!("href=\"{edit}\""))
    );

    // Refused, and nothing changes: no CSRF token, another teacher, a size of 4500.
    let renamed = [
        ("school", "甘旗卡第二中学"),
        ("grade", "七年级"),
        ("name", "三班（新）"),
        ("students", "3"),
    ];
    let r = app
        .post_form(&edit, &renamed, &[("cookie", &teacher.cookie)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(other.get(&app, &edit).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other.post(&app, &edit, &renamed).await.status,
        StatusCode::NOT_FOUND
    );
    let mut typo = renamed;
    typo[3].1 = "4500";
    let r = teacher.post(&app, &edit, &typo).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("value=\"4500\"") && r.text().contains("三班（新）"));
    let kept = app
        .state
        .classroom
        .repo()
        .class(a.class.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (kept.fields.name.as_str(), kept.fields.students),
        ("三班", None)
    );

    let r = teacher.post(&app, &edit, &renamed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{class}?saved=1"));
    let page = teacher.get(&app, &location(&r)).await.text();
    assert!(
        page.contains("班级信息已保存") && page.contains("全班 3 人"),
        "{page}"
    );
    assert!(page.contains("三班（新）"));
    let list = teacher.get(&app, "/admin/classes").await.text();
    assert!(
        list.contains("三班（新）</a></td><td class=\"num\">3</td>"),
        "{list}"
    );
    let log = app.state.accounts.repo().recent_audit(1).await.unwrap();
    let entry = &log[0].1;
    assert_eq!(entry.action, "class.update");
    let after = entry.after.clone().unwrap_or_default();
    assert!(after.contains("\"students\":3"), "{after}");

    // One of three joined: two missing. Then four joined: one too many.
    let page = teacher.get(&app, &board).await.text();
    assert!(page.contains("全班 3 人，还有 2 人没有加入"), "{page}");
    for name in ["巴特", "乌兰", "格日乐"] {
        let (d, _) = join(&app, &a, name).await;
        if name == "巴特" {
            walk(&app, &d, &a, 1).await;
        }
    }
    let page = teacher.get(&app, &board).await.text();
    assert!(page.contains("比全班 3 人多出 1 人，请核对昵称"), "{page}");

    // The banner report: 3 students in class, 2 visited (巴特 opened a stop), 1 wrote.
    let report = admin.get(&app, "/admin/report").await.text();
    assert!(
        report.contains("<td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">3</td><td class=\"num\">66%</td><td class=\"num\">33%</td>"),
        "{report}"
    );
    let csv = admin.get(&app, "/admin/report.csv").await.text();
    assert!(csv.contains("作文覆盖率"), "{csv}");
    assert!(
        csv.contains("甘旗卡第二中学,七年级,1,2,1,3,2,66,1,33,0"),
        "{csv}"
    );
}
