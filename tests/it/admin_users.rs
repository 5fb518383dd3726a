//! People in the admin, driven through their HTML forms: an administrator adds people,
//! changes their roles and bases, resets passwords and disables accounts, and the last
//! administrator stays one.

use crate::admin_manage::{PASSWORD, user};
use crate::helpers::{HALL, SCHOOL, TestApp, session, with};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

#[tokio::test]
async fn an_administrator_adds_people_changes_roles_resets_passwords_and_disables_accounts() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin", Role::Admin, &[]).await;

    let form = |name: &'static str, password2: &'static str| {
        vec![
            ("username", name),
            ("display_name", "萨仁"),
            ("role", "curator"),
            ("base", HALL),
            ("base", SCHOOL),
            ("password", PASSWORD),
            ("password2", password2),
        ]
    };
    let mismatch = admin
        .post(&app, "/admin/users", &form("saran", "别的"))
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.text().contains("两次输入的密码不一致"));
    assert!(
        mismatch.text().contains("value=\"saran\""),
        "the name is kept"
    );
    assert!(
        !mismatch.text().contains(PASSWORD),
        "passwords are never sent back"
    );
    let weak = admin
        .post(
            &app,
            "/admin/users",
            &with(
                with(form("saran", "short"), "password", "short"),
                "password2",
                "short",
            ),
        )
        .await;
    assert!(weak.text().contains("密码太短"));
    assert!(user(&app, "saran").await.is_none());

    let r = admin
        .post(&app, "/admin/users", &form("saran", PASSWORD))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let saran = user(&app, "saran").await.unwrap();
    assert_eq!(saran.role, Role::Curator);
    assert_eq!(saran.bases.len(), 2);
    assert_eq!(saran.display_name, "萨仁");
    let taken = admin
        .post(&app, "/admin/users", &form("saran", PASSWORD))
        .await;
    assert!(taken.text().contains("这个用户名已经被使用"));

    let cookie = app.sign_in("saran").await;
    assert_eq!(
        app.get_with("/admin/items", &[("cookie", &cookie)])
            .await
            .status,
        StatusCode::OK
    );

    // A teacher has no bases, whatever boxes stay ticked.
    let r = admin
        .post(
            &app,
            "/admin/users/saran",
            &[
                ("display_name", "萨仁老师"),
                ("role", "teacher"),
                ("base", HALL),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let saran = user(&app, "saran").await.unwrap();
    assert_eq!((saran.role, saran.bases.len()), (Role::Teacher, 0));
    assert_eq!(
        app.get_with("/admin/items", &[("cookie", &cookie)])
            .await
            .status,
        StatusCode::FORBIDDEN,
        "the new role applies at once"
    );
    let unknown = admin
        .post(
            &app,
            "/admin/users/saran",
            &[("role", "curator"), ("base", "no-such-base")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.text().contains("所选基地中有一个已不存在"));

    let r = admin
        .post(
            &app,
            "/admin/users/saran/password",
            &[
                ("password", "新的很长的密码-2027"),
                ("password2", "新的很长的密码-2027"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_with("/admin", &[("cookie", &cookie)]).await.status,
        StatusCode::SEE_OTHER,
        "a new password signs the person out everywhere"
    );
    let old = app
        .post_form(
            "/admin/login",
            &[("username", "saran"), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_ne!(
        old.status,
        StatusCode::SEE_OTHER,
        "the old password is gone"
    );

    let r = admin
        .post(&app, "/admin/users/saran/disabled", &[("disabled", "true")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(user(&app, "saran").await.unwrap().disabled);
    let list = admin.get(&app, "/admin/users").await.text();
    assert!(list.contains("已停用"));
    let r = admin
        .post(
            &app,
            "/admin/users/saran/disabled",
            &[("disabled", "maybe")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = admin
        .post(
            &app,
            "/admin/users/saran/disabled",
            &[("disabled", "false")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!user(&app, "saran").await.unwrap().disabled);

    let actions: Vec<String> = app
        .state
        .accounts
        .repo()
        .recent_audit(5)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, e)| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "user.enable",
            "user.disable",
            "user.password_reset",
            "user.access",
            "user.create"
        ]
    );
}

#[tokio::test]
async fn the_last_administrator_stays_an_administrator() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin", Role::Admin, &[]).await;
    let r = admin
        .post(
            &app,
            "/admin/users/admin",
            &[("role", "curator"), ("base", HALL)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("这是最后一个正常使用的管理员"));
    assert_eq!(user(&app, "admin").await.unwrap().role, Role::Admin);
    let r = admin
        .post(&app, "/admin/users/admin/disabled", &[("disabled", "true")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("不能停用自己的账号"));

    // With a second administrator, the first may step down; the second may not then.
    let second = session(&app, "second", Role::Admin, &[]).await;
    let r = admin
        .post(
            &app,
            "/admin/users/admin",
            &[("role", "curator"), ("base", HALL)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = second
        .post(&app, "/admin/users/second", &[("role", "teacher")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let r = second.post(&app, "/admin/users/admin/sessions", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        admin.get(&app, "/admin").await.status,
        StatusCode::SEE_OTHER,
        "signed out everywhere"
    );
}
