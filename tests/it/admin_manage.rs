//! Bases and the audit log in the admin, driven through their HTML forms: who may do
//! what, validation that keeps what was typed, edit conflicts, and the log that shows
//! every change. People are in [`crate::admin_users`].

use crate::helpers::{HALL, SCHOOL, Session, TestApp, session, with};
use axum::http::StatusCode;
use edubase::accounts::types::{Role, Username};
use edubase::catalogue::types::Slug;
use edubase::repo::{AuditEntry, Visibility};

pub(crate) const PASSWORD: &str = "草原上的马头琴2026";

/// A complete, valid base form.
fn base_form<'a>(slug: &'a str, name_zh: &'a str, revision: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("revision", revision),
        ("slug", slug),
        ("kind", "cultural_station"),
        ("level", "banner"),
        ("status", "published"),
        ("name_zh", name_zh),
        ("name_mn", "ᠰᠤᠶᠤᠯ ᠤᠨ ᠲᠥᠪ"),
        ("name_en", "Cultural Station"),
        ("town_zh", "甘旗卡镇"),
        ("description_zh", "第一段。\n\n第二段。"),
        ("website", "https://example.org/station"),
        ("latitude", "42.95"),
        ("longitude", "122.36"),
    ]
}

async fn base(app: &TestApp, slug: &str) -> edubase::catalogue::model::Base {
    app.state
        .catalogue
        .base(&Slug::parse(slug).unwrap(), Visibility::All)
        .await
        .unwrap()
        .expect("the base exists")
}

pub(crate) async fn user(app: &TestApp, name: &str) -> Option<edubase::accounts::model::User> {
    app.state
        .accounts
        .repo()
        .user_by_name(&Username::parse(name).unwrap())
        .await
        .unwrap()
        .map(|(u, _)| u)
}

async fn audit_count(app: &TestApp) -> usize {
    app.state
        .accounts
        .repo()
        .recent_audit(10_000)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn an_administrator_creates_a_base_and_a_broken_form_keeps_everything_typed() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin", Role::Admin, &[]).await;

    let blank = admin.get(&app, "/admin/bases/new").await;
    assert_eq!(blank.status, StatusCode::OK);
    for field in [
        "name=\"slug\"",
        "name=\"name_zh\"",
        "name=\"name_mn\"",
        "name=\"latitude\"",
    ] {
        assert!(blank.text().contains(field), "{field}");
    }

    let broken = with(
        with(base_form("Bad Slug", "", "0"), "latitude", "95"),
        "website",
        "javascript:alert(1)",
    );
    let r = admin.post(&app, "/admin/bases", &broken).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    for message in [
        "中文名称为必填项",
        "请填写以 https://",
        "请填写 -90 到 90 之间的纬度",
        "小写字母",
    ] {
        assert!(html.contains(message), "{message}");
    }
    assert!(
        html.contains("value=\"Bad Slug\""),
        "the slug typed is kept"
    );
    assert!(html.contains("甘旗卡镇") && html.contains("Cultural Station"));
    assert!(
        html.contains("第一段。\n\n第二段。"),
        "paragraphs are kept as typed"
    );
    let english = app
        .post_form(
            "/admin/bases?lang=en",
            &[("_csrf", admin.csrf.as_str()), ("slug", "x")],
            &[("cookie", &admin.cookie)],
        )
        .await;
    assert!(english.text().contains("The Chinese name is required."));

    let r = admin
        .post(
            &app,
            "/admin/bases",
            &base_form("xinmin-station", "新民文化站", "0"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        r.header("location"),
        "/admin/bases/xinmin-station?created=1"
    );
    let created = base(&app, "xinmin-station").await;
    assert_eq!(created.fields.name.zh.as_deref(), Some("新民文化站"));
    assert_eq!(created.fields.coordinates, Some((42.95, 122.36)));
    assert_eq!(created.revision, 1);
    assert_eq!(
        app.get("/bases/xinmin-station").await.status,
        StatusCode::OK
    );
    let log = app.state.accounts.repo().recent_audit(1).await.unwrap();
    assert_eq!(
        (log[0].1.action.as_str(), log[0].1.entity_id.as_str()),
        ("base.create", "xinmin-station")
    );

    let again = admin
        .post(
            &app,
            "/admin/bases",
            &base_form("xinmin-station", "另一个", "0"),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text().contains("已有其他基地使用这个网址"));
    assert!(again.text().contains("另一个"));
    assert_eq!(
        base(&app, "xinmin-station").await.fields.name.zh.as_deref(),
        Some("新民文化站"),
        "the existing base is untouched"
    );
}

#[tokio::test]
async fn curators_edit_their_own_bases_and_the_second_of_two_saves_is_refused() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let colleague = session(&app, "tana", Role::Curator, &[HALL]).await;

    let list = curator.get(&app, "/admin/bases").await.text();
    assert!(list.contains(&format!("/admin/bases/{HALL}")));
    assert!(!list.contains(SCHOOL), "curators see their own bases");
    assert!(
        !list.contains("/admin/bases/new"),
        "only administrators add bases"
    );
    assert_eq!(
        curator.get(&app, "/admin/bases/new").await.status,
        StatusCode::FORBIDDEN
    );

    let hall = base(&app, HALL).await;
    let rev = hall.revision.to_string();
    let mut mine = base_form(HALL, "旗非遗馆（新名）", &rev);
    mine = with(mine, "slug", "stolen-address");
    let r = curator
        .post(&app, &format!("/admin/bases/{HALL}"), &mine)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let saved = base(&app, HALL).await;
    assert_eq!(saved.fields.name.zh.as_deref(), Some("旗非遗馆（新名）"));
    assert_eq!(
        saved.fields.slug.as_str(),
        HALL,
        "the address never changes"
    );
    assert_eq!(saved.revision, hall.revision + 1);

    // The colleague opened the form before that save: their save is refused, their text
    // is kept, and they see what the saved record says now.
    let theirs = base_form(HALL, "科左后旗博物馆", &rev);
    let r = colleague
        .post(&app, &format!("/admin/bases/{HALL}"), &theirs)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let html = r.text();
    assert!(html.contains("在您编辑期间，其他人保存了这个基地"));
    assert!(
        html.contains("value=\"科左后旗博物馆\""),
        "their text is kept"
    );
    assert!(
        html.contains("旗非遗馆（新名）"),
        "the saved value is shown"
    );
    assert!(
        html.contains(&format!("name=\"revision\" value=\"{}\"", saved.revision)),
        "saving again knowingly is possible"
    );
    assert_eq!(
        base(&app, HALL).await.fields.name.zh.as_deref(),
        Some("旗非遗馆（新名）")
    );
    let log = app.state.accounts.repo().recent_audit(1).await.unwrap();
    assert_eq!(log[0].1.action, "base.update");
    assert!(
        log[0]
            .1
            .after
            .as_deref()
            .unwrap()
            .contains("旗非遗馆（新名）")
    );
}

#[tokio::test]
async fn the_audit_log_shows_who_changed_what_and_pages_through_everything() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin", Role::Admin, &[]).await;
    let hall = base(&app, HALL).await;
    let rev = hall.revision.to_string();
    let r = admin
        .post(
            &app,
            &format!("/admin/bases/{HALL}"),
            &base_form(HALL, "改过的名称", &rev),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let page = admin.get(&app, "/admin/audit?entity=base").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("base.update"));
    assert!(html.contains("改过的名称"), "the new value is shown");
    assert!(html.contains("<code>name</code>") || html.contains("name"));
    assert!(!html.contains("item.import"), "the filter applies");
    assert!(html.contains("北京时间"));

    assert_eq!(
        admin.get(&app, "/admin/audit?entity=castle").await.status,
        StatusCode::BAD_REQUEST
    );
    let by_admin = admin.get(&app, "/admin/audit?actor=admin").await.text();
    assert!(by_admin.contains("base.update") && !by_admin.contains("item.import"));

    // 120 more lines: the pages cover them all, once each, newest first.
    for n in 0..120 {
        app.state
            .accounts
            .repo()
            .audit(&AuditEntry {
                actor: None,
                actor_name: "script".into(),
                action: "test.line".into(),
                entity: "item".into(),
                entity_id: format!("line-{n:03}"),
                before: None,
                after: None,
            })
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut uri = "/admin/audit?actor=script".to_owned();
    loop {
        let html = admin.get(&app, &uri).await.text();
        for part in html.split(">line-").skip(1) {
            seen.push(part[..3].to_owned());
        }
        match crate::helpers::next_link(&html) {
            Some(next) => uri = next,
            None => break,
        }
        assert!(seen.len() <= 120, "the pages repeat: {uri}");
    }
    let expected: Vec<String> = (0..120).rev().map(|n| format!("{n:03}")).collect();
    assert_eq!(seen, expected);
    assert_eq!(
        admin.get(&app, "/admin/audit?page=!!").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn who_may_manage_bases_users_and_the_log() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin", Role::Admin, &[]).await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let other = session(&app, "bayar", Role::Curator, &[SCHOOL]).await;
    let teacher = session(&app, "teacher", Role::Teacher, &[]).await;
    let anonymous = Session {
        cookie: String::new(),
        csrf: String::new(),
    };
    let rev = base(&app, HALL).await.revision.to_string();
    let before = audit_count(&app).await;

    // (route, anonymous, teacher, curator of another base, curator, admin)
    use StatusCode as S;
    let hall = format!("/admin/bases/{HALL}");
    let gets: Vec<(&str, [S; 5])> = vec![
        (
            "/admin/bases",
            [S::SEE_OTHER, S::FORBIDDEN, S::OK, S::OK, S::OK],
        ),
        (
            "/admin/bases/new",
            [
                S::SEE_OTHER,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::OK,
            ],
        ),
        (
            &hall,
            [S::SEE_OTHER, S::FORBIDDEN, S::FORBIDDEN, S::OK, S::OK],
        ),
        (
            "/admin/users",
            [
                S::SEE_OTHER,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::OK,
            ],
        ),
        (
            "/admin/users/new",
            [
                S::SEE_OTHER,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::OK,
            ],
        ),
        (
            "/admin/users/saran",
            [
                S::SEE_OTHER,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::OK,
            ],
        ),
        (
            "/admin/audit",
            [
                S::SEE_OTHER,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::OK,
            ],
        ),
    ];
    let people = [&anonymous, &teacher, &other, &curator, &admin];
    for (uri, expected) in &gets {
        for (who, want) in people.iter().zip(expected) {
            let got = if who.cookie.is_empty() {
                app.get(uri).await.status
            } else {
                who.get(&app, uri).await.status
            };
            assert_eq!(got, *want, "GET {uri} as {}", who.cookie.len());
        }
    }

    let base_edit = base_form(HALL, "不该保存", &rev);
    let new_base = base_form("sneaky-base", "不该创建", "0");
    let new_user = vec![
        ("username", "sneaky"),
        ("role", "admin"),
        ("password", PASSWORD),
        ("password2", PASSWORD),
    ];
    // Every refused POST: (route, form, refused for curator too?)
    type Fields<'a> = Vec<(&'a str, &'a str)>;
    let posts: Vec<(&str, Fields, bool)> = vec![
        ("/admin/bases", new_base, true),
        (&hall, base_edit, false),
        ("/admin/users", new_user, true),
        ("/admin/users/saran", vec![("role", "admin")], true),
        (
            "/admin/users/saran/password",
            vec![
                ("password", "x-very-long-pass-1"),
                ("password2", "x-very-long-pass-1"),
            ],
            true,
        ),
        (
            "/admin/users/saran/disabled",
            vec![("disabled", "true")],
            true,
        ),
        ("/admin/users/saran/sessions", vec![], true),
    ];
    for (uri, fields, curator_refused) in &posts {
        assert_eq!(
            app.post_form(uri, fields, &[]).await.status,
            S::SEE_OTHER,
            "anonymous POST {uri}"
        );
        let mut refused = vec![("teacher", &teacher), ("curator of another base", &other)];
        if *curator_refused {
            refused.push(("curator", &curator));
        }
        for (who, s) in refused {
            assert_eq!(
                s.post(&app, uri, fields).await.status,
                S::FORBIDDEN,
                "{who} POST {uri}"
            );
        }
        let no_token = app
            .post_form(uri, fields, &[("cookie", &admin.cookie)])
            .await;
        assert_eq!(
            no_token.status,
            S::FORBIDDEN,
            "POST {uri} without the CSRF token"
        );
    }
    assert_eq!(
        audit_count(&app).await,
        before,
        "no refused request wrote anything"
    );
    assert!(user(&app, "sneaky").await.is_none());
    assert_eq!(user(&app, "saran").await.unwrap().role, Role::Curator);
    assert_ne!(
        base(&app, HALL).await.fields.name.zh.as_deref(),
        Some("不该保存")
    );
    assert!(
        app.state
            .catalogue
            .base(&Slug::parse("sneaky-base").unwrap(), Visibility::All)
            .await
            .unwrap()
            .is_none()
    );
}
