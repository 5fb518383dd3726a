//! Signing in and out, the first-admin setup, throttling, CSRF and session lifetimes.

use crate::helpers::{TestApp, TestResponse};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use edubase::accounts::types::Role;

const PASSWORD: &str = "草原上的马头琴2026";

impl TestApp {
    pub async fn add_user(&self, name: &str, role: Role, bases: &[&str]) {
        let bases = bases
            .iter()
            .map(|b| edubase::catalogue::types::Slug::parse(b).unwrap())
            .collect();
        self.state
            .accounts
            .add_user(name, "", role, bases, PASSWORD, (None, "test"))
            .await
            .unwrap();
    }

    /// Signs in and returns the `Cookie` header value.
    pub async fn sign_in(&self, name: &str) -> String {
        let r = self
            .post_form(
                "/admin/login",
                &[("username", name), ("password", PASSWORD)],
                &[],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "sign-in of {name}: {}",
            r.text()
        );
        r.cookie()
    }

    /// The CSRF token printed in the signed-in dashboard.
    pub async fn csrf(&self, cookie: &str) -> String {
        let html = self.get_with("/admin", &[("cookie", cookie)]).await.text();
        let start = html.find("name=\"_csrf\" value=\"").expect("a CSRF field")
            + "name=\"_csrf\" value=\"".len();
        html[start..start + html[start..].find('"').unwrap()].to_owned()
    }
}

fn location(r: &TestResponse) -> &str {
    r.header("location")
}

#[tokio::test]
async fn the_first_administrator_is_created_from_a_one_time_setup_link() {
    let app = TestApp::empty().await;
    let token = app
        .state
        .accounts
        .begin_setup()
        .await
        .unwrap()
        .expect("no admin yet");
    assert_eq!(
        app.get("/admin/setup?token=wrong").await.status,
        StatusCode::FORBIDDEN
    );
    let form = app.get(&format!("/admin/setup?token={token}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("创建第一位管理员"));

    let weak = app
        .post_form(
            "/admin/setup",
            &[
                ("token", &token),
                ("username", "Admin.Wang"),
                ("password", "short"),
                ("password2", "short"),
            ],
            &[],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().contains("至少需要 10 个字符"), "says why");
    assert!(
        weak.text().contains("value=\"Admin.Wang\""),
        "keeps what was typed"
    );
    let mismatch = app
        .post_form(
            "/admin/setup",
            &[
                ("token", &token),
                ("username", "wang"),
                ("password", PASSWORD),
                ("password2", "other-password-1"),
            ],
            &[],
        )
        .await;
    assert!(mismatch.text().contains("两次输入的密码不一致"));

    let done = app
        .post_form(
            "/admin/setup",
            &[
                ("token", &token),
                ("username", "Admin.Wang"),
                ("display_name", "王馆长"),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
            &[],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/admin");
    let dashboard = app.get_with("/admin", &[("cookie", &done.cookie())]).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.text().contains("你好，王馆长"));

    let again = app
        .post_form(
            "/admin/setup",
            &[
                ("token", &token),
                ("username", "second"),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
            &[],
        )
        .await;
    assert_eq!(again.status, StatusCode::FORBIDDEN, "the link works once");
    assert!(
        app.state.accounts.begin_setup().await.unwrap().is_none(),
        "no new link once an admin exists"
    );
    let name = edubase::accounts::types::Username::parse("admin.wang").unwrap();
    let hash = app
        .state
        .accounts
        .repo()
        .user_by_name(&name)
        .await
        .unwrap()
        .unwrap()
        .1;
    assert!(hash.starts_with("$argon2id$"), "argon2id: {hash}");
}

#[tokio::test]
async fn signing_in_sets_a_hardened_cookie_and_a_fresh_session_each_time() {
    let app = TestApp::empty().await;
    app.add_user("curator", Role::Curator, &[]).await;
    let anonymous = app.get("/admin").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&anonymous), "/admin/login?next=%2Fadmin");

    let r = app
        .post_form(
            "/admin/login",
            &[
                ("username", "Curator"),
                ("password", PASSWORD),
                ("next", "/admin?tab=1"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        location(&r),
        "/admin?tab=1",
        "back to where they were going"
    );
    let set_cookie = r.header("set-cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(
            set_cookie.contains(attribute),
            "{set_cookie} lacks {attribute}"
        );
    }
    let second = app.sign_in("curator").await;
    assert_ne!(r.cookie(), second, "every sign-in gets a new session id");
    assert_eq!(
        app.get_with("/admin", &[("cookie", &second)]).await.status,
        StatusCode::OK
    );

    let evil = app
        .post_form(
            "/admin/login",
            &[
                ("username", "curator"),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ],
            &[],
        )
        .await;
    assert_eq!(location(&evil), "/admin", "never redirected off-site");
    let stored = app.state.accounts.repo().recent_audit(5).await.unwrap();
    assert!(!stored.is_empty());
}

#[tokio::test]
async fn wrong_passwords_get_one_vague_message_and_keep_the_name() {
    let app = TestApp::empty().await;
    app.add_user("curator", Role::Curator, &[]).await;
    for (user, password) in [
        ("curator", "wrong-password-1"),
        ("nobody", PASSWORD),
        ("", ""),
    ] {
        let r = app
            .post_form(
                "/admin/login",
                &[("username", user), ("password", password)],
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{user}");
        assert!(r.text().contains("用户名或密码不正确"), "{user}");
        assert!(r.header("set-cookie").is_empty(), "{user}");
        if !user.is_empty() {
            assert!(
                r.text().contains(&format!("value=\"{user}\"")),
                "the name stays typed"
            );
        }
    }
    app.state
        .accounts
        .set_disabled("curator", true, (None, "test"))
        .await
        .unwrap();
    let disabled = app
        .post_form(
            "/admin/login",
            &[("username", "curator"), ("password", PASSWORD)],
            &[],
        )
        .await;
    assert_eq!(
        disabled.status,
        StatusCode::UNAUTHORIZED,
        "disabled accounts cannot sign in"
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_account_and_then_the_address() {
    let app = TestApp::empty().await;
    app.add_user("curator", Role::Curator, &[]).await;
    let peer: std::net::SocketAddr = "10.1.2.3:5000".parse().unwrap();
    let attempt = |user: &'static str, password: &'static str| {
        let body = format!("username={user}&password={password}").into_bytes();
        let app = &app;
        async move {
            app.send(
                "POST",
                "/admin/login",
                &[("content-type", "application/x-www-form-urlencoded")],
                body,
                Some(peer),
            )
            .await
        }
    };
    for i in 1..=4 {
        assert_eq!(
            attempt("curator", "nope-nope-nope").await.status,
            StatusCode::UNAUTHORIZED,
            "failure {i}"
        );
    }
    let fifth = attempt("curator", "nope-nope-nope").await;
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        fifth.text().contains("这个账户登录失败次数过多") && fifth.text().contains("15 分钟"),
        "{}",
        fifth.text()
    );
    let locked = app
        .send(
            "POST",
            "/admin/login",
            &[("content-type", "application/x-www-form-urlencoded")],
            format!("username=curator&password={}", urlencode(PASSWORD)).into_bytes(),
            Some("10.9.9.9:1".parse().unwrap()),
        )
        .await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits out the lock"
    );

    // Spraying many names from one address locks the address.
    let mut last = StatusCode::OK;
    for i in 0..16 {
        let body = format!("username=user{i}&password=guess").into_bytes();
        last = app
            .send(
                "POST",
                "/admin/login",
                &[("content-type", "application/x-www-form-urlencoded")],
                body,
                Some(peer),
            )
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let r = attempt("someone", "x").await;
    assert!(
        r.text().contains("你所在的网络登录失败次数过多"),
        "{}",
        r.text()
    );
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_token_and_a_same_site_origin() {
    let app = TestApp::empty().await;
    app.add_user("curator", Role::Curator, &[]).await;
    let cookie = app.sign_in("curator").await;
    let token = app.csrf(&cookie).await;

    let missing = app
        .post_form("/admin/logout", &[], &[("cookie", &cookie)])
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(
        missing.text().contains("没有权限"),
        "an HTML page that says why"
    );
    let wrong = app
        .post_form(
            "/admin/logout",
            &[("_csrf", "forged")],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let cross_site = app
        .post_form(
            "/admin/logout",
            &[("_csrf", &token)],
            &[("cookie", &cookie), ("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(
        cross_site.status,
        StatusCode::FORBIDDEN,
        "refused by Sec-Fetch-Site"
    );
    let other_origin = app
        .post_form(
            "/admin/login",
            &[("username", "curator"), ("password", PASSWORD)],
            &[("origin", "https://evil.example"), ("host", "edubase.test")],
        )
        .await;
    assert_eq!(
        other_origin.status,
        StatusCode::FORBIDDEN,
        "refused by Origin"
    );
    assert_eq!(
        app.get_with("/admin", &[("cookie", &cookie)]).await.status,
        StatusCode::OK,
        "still signed in"
    );

    let ok = app
        .post_form(
            "/admin/logout",
            &[("_csrf", &token)],
            &[("cookie", &cookie), ("sec-fetch-site", "same-origin")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(
        ok.header("set-cookie").contains("Max-Age=0"),
        "the cookie is cleared"
    );
    assert_eq!(
        app.get_with("/admin", &[("cookie", &cookie)]).await.status,
        StatusCode::SEE_OTHER,
        "the session is gone"
    );
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    let app = TestApp::empty().await;
    app.add_user("curator", Role::Curator, &[]).await;
    let laptop = app.sign_in("curator").await;
    let phone = app.sign_in("curator").await;
    let token = app.csrf(&phone).await;
    let r = app
        .post_form(
            "/admin/logout-everywhere",
            &[("_csrf", &token)],
            &[("cookie", &phone)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for cookie in [laptop, phone] {
        assert_eq!(
            app.get_with("/admin", &[("cookie", &cookie)]).await.status,
            StatusCode::SEE_OTHER
        );
    }
}

#[tokio::test]
async fn sessions_end_after_the_idle_timeout_and_after_a_password_reset() {
    let app = TestApp::empty().await;
    app.add_user("curator", Role::Curator, &[]).await;
    let cookie = app.sign_in("curator").await;
    let token = cookie.split('=').nth(1).unwrap();
    let id_hash = edubase::accounts::secret::token_hash(token);
    app.state
        .accounts
        .repo()
        .touch_session(&id_hash, Utc::now() - Duration::hours(5))
        .await
        .unwrap();
    assert_eq!(
        app.get_with("/admin", &[("cookie", &cookie)]).await.status,
        StatusCode::SEE_OTHER,
        "idle for 5 hours"
    );

    let cookie = app.sign_in("curator").await;
    app.state
        .accounts
        .reset_password("curator", "一个全新的密码-2027", (None, "test"))
        .await
        .unwrap();
    assert_eq!(
        app.get_with("/admin", &[("cookie", &cookie)]).await.status,
        StatusCode::SEE_OTHER,
        "reset ends sessions"
    );
}

#[tokio::test]
async fn admin_pages_are_never_cached_and_carry_security_headers() {
    let app = TestApp::empty().await;
    app.add_user("boss", Role::Admin, &[]).await;
    let cookie = app.sign_in("boss").await;
    let r = app.get_with("/admin", &[("cookie", &cookie)]).await;
    assert_eq!(r.header("cache-control"), "no-store");
    assert!(
        r.header("content-security-policy")
            .contains("frame-ancestors")
    );
    assert!(r.text().contains("user.create"), "admins see the audit log");
    assert_eq!(
        app.get("/admin/login").await.header("cache-control"),
        "no-store"
    );
}
