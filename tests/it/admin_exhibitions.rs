//! The exhibitions editor, driven through its HTML forms the way a curator's browser
//! (without JavaScript) does: create, validate, add stops by searching, reorder, narrate,
//! choose an audio guide, preview, publish; conflicts; and who may do what.

use crate::helpers::{HALL, SCHOOL, Session, TestApp, TestResponse, session};
use crate::uploads::wav;
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::catalogue::exhibition_editor::DraftExhibition;
use edubase::catalogue::types::{MediaKind, Slug};

pub(crate) const EX: &str = "/admin/exhibitions/sounds-of-horqin";

pub(crate) fn form<'a>(title_zh: &'a str, revision: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("revision", revision),
        ("slug", "sounds-of-horqin"),
        ("base", HALL),
        ("featured", "on"),
        ("title_zh", title_zh),
        ("title_mn", "ᠬᠣᠷᠴᠢᠨ"),
        ("title_en", "Sounds of Horqin"),
        ("subtitle_zh", "说唱与歌"),
        ("introduction_zh", "第一段。\n\n第二段。"),
        ("introduction_en", "One.\n\nTwo."),
    ]
}

pub(crate) async fn draft(app: &TestApp) -> DraftExhibition {
    app.state
        .exhibitions
        .draft_exhibition(&Slug::parse("sounds-of-horqin").unwrap())
        .await
        .unwrap()
        .expect("the exhibition exists")
}

pub(crate) async fn rev(app: &TestApp) -> String {
    draft(app).await.revision.to_string()
}

pub(crate) async fn stops(app: &TestApp) -> Vec<String> {
    draft(app)
        .await
        .stops
        .iter()
        .map(|s| s.item.to_string())
        .collect()
}

pub(crate) async fn create(app: &TestApp, who: &Session) {
    let r = who
        .post(app, "/admin/exhibitions", &form("科尔沁之音", "0"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

pub(crate) async fn add(app: &TestApp, who: &Session, item: &str) -> TestResponse {
    let revision = rev(app).await;
    who.post(
        app,
        &format!("{EX}/stops"),
        &[("item", item), ("revision", &revision)],
    )
    .await
}

#[tokio::test]
async fn a_curator_builds_previews_and_publishes_an_exhibition() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;

    let blank = curator.get(&app, "/admin/exhibitions/new").await;
    assert_eq!(blank.status, StatusCode::OK);
    for field in [
        "name=\"slug\"",
        "name=\"title_mn\"",
        "name=\"introduction_en\"",
    ] {
        assert!(blank.text().contains(field), "the form has {field}");
    }

    // A broken form keeps everything typed and says what is wrong, field by field.
    let mut broken = form("", "0");
    broken.retain(|(k, _)| *k != "slug");
    broken.push(("slug", "Not A Slug"));
    let r = curator.post(&app, "/admin/exhibitions", &broken).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("展览未保存"));
    assert!(html.contains("中文标题必填"));
    assert!(html.contains("value=\"Not A Slug\""));
    assert!(html.contains("Sounds of Horqin") && html.contains("ᠬᠣᠷᠴᠢᠨ"));

    create(&app, &curator).await;
    assert_eq!(
        app.last_audit().await,
        (
            "exhibition.create".into(),
            "sounds-of-horqin".into(),
            "saran".into()
        )
    );
    let page = curator.get(&app, &format!("{EX}?created=1")).await.text();
    assert!(page.contains("展览已创建为草稿"));
    assert!(
        page.contains("至少一个站点"),
        "the editor says what publishing needs"
    );

    // Publishing without stops is refused.
    let revision = rev(&app).await;
    let r = curator
        .post(
            &app,
            &format!("{EX}/status"),
            &[("status", "published"), ("revision", &revision)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("这个展览暂时不能发布"));

    // Stops are found by searching and added one by one.
    let found = curator.get(&app, &format!("{EX}?q=holboo")).await.text();
    assert!(found.contains("name=\"item\" value=\"holboo\""), "{found}");
    for item in ["urliger", "holboo", "khoomei"] {
        let r = add(&app, &curator, item).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    assert_eq!(app.last_audit().await.0, "exhibition.stop.add");
    let again = add(&app, &curator, "holboo").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text().contains("已经是本展览的一站"));
    let found = curator.get(&app, &format!("{EX}?q=holboo")).await.text();
    assert!(found.contains("已在展览中"));

    // Reordering: khoomei moves up once.
    let revision = rev(&app).await;
    let r = curator
        .post(
            &app,
            &format!("{EX}/stops/khoomei/move"),
            &[("to", "up"), ("revision", &revision)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(stops(&app).await, ["urliger", "khoomei", "holboo"]);

    // A narrative and an audio guide chosen among the item's recordings.
    let r = curator
        .post_files(&app, "/admin/items/urliger/media", "guide.wav", &wav(1))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let urliger = app.item("urliger").await.unwrap();
    let audio = urliger
        .media
        .iter()
        .find(|m| m.kind == MediaKind::Audio)
        .unwrap()
        .id
        .to_string();
    let editor = curator.get(&app, EX).await.text();
    assert!(editor.contains(&format!("<option value=\"{audio}\">guide.wav</option>")));
    let revision = rev(&app).await;
    let bad = curator
        .post(
            &app,
            &format!("{EX}/stops/holboo"),
            &[
                ("revision", &revision),
                ("narrative_zh", "这段话不能丢。"),
                ("audio", &audio),
            ],
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "holboo does not own that recording"
    );
    assert!(bad.text().contains("这段话不能丢。"));
    assert!(bad.text().contains("请从这件藏品的音频中选择"));
    let r = curator
        .post(
            &app,
            &format!("{EX}/stops/urliger"),
            &[
                ("revision", &revision),
                ("narrative_zh", "我们从一位说书人开始。"),
                ("narrative_en", "We begin with a storyteller."),
                ("audio", &audio),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(app.last_audit().await.0, "exhibition.stop.update");
    let d = draft(&app).await;
    assert_eq!(d.stops[0].fields.audio.map(|a| a.to_string()), Some(audio));

    // Removing a stop.
    let revision = rev(&app).await;
    let r = curator
        .post(
            &app,
            &format!("{EX}/stops/holboo/remove"),
            &[("revision", &revision)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(stops(&app).await, ["urliger", "khoomei"]);

    // The preview is for editors; the public sees nothing while it is a draft.
    let preview = curator.get(&app, &format!("{EX}/preview")).await;
    assert_eq!(preview.status, StatusCode::OK);
    let html = preview.text();
    assert!(html.contains("preview-banner"));
    assert!(html.contains("科尔沁之音"));
    assert!(html.contains(&format!("{EX}/preview/stops/2")));
    let stop = curator.get(&app, &format!("{EX}/preview/stops/1")).await;
    assert_eq!(stop.status, StatusCode::OK);
    assert!(stop.text().contains("我们从一位说书人开始。"));
    assert_eq!(
        app.get("/exhibitions/sounds-of-horqin").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("{EX}/preview")).await.status,
        StatusCode::SEE_OTHER,
        "anonymous visitors are sent to sign in"
    );

    // Now it can be published, and the public walks the stops in the chosen order.
    let revision = rev(&app).await;
    let r = curator
        .post(
            &app,
            &format!("{EX}/status"),
            &[("status", "published"), ("revision", &revision)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(app.last_audit().await.0, "exhibition.status");
    let public = app.page("/exhibitions/sounds-of-horqin").await;
    assert!(public.contains("科尔沁之音"));
    let first = app.page("/exhibitions/sounds-of-horqin/stops/1").await;
    assert!(first.contains("href=\"/items/urliger\""));
    assert!(first.contains("我们从一位说书人开始。"));
    assert!(first.contains("<audio controls preload=\"none\""));
    let second = app.page("/exhibitions/sounds-of-horqin/stops/2").await;
    assert!(second.contains("href=\"/items/khoomei\""));
    assert!(!second.contains("<audio"));
    let list = curator.get(&app, "/admin/exhibitions").await.text();
    assert!(list.contains(&format!("href=\"{EX}\"")));
    assert!(list.contains("status-published"));
}

#[tokio::test]
async fn stops_of_unpublished_items_are_flagged_and_left_out_of_the_preview() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    create(&app, &curator).await;
    for item in ["urliger", "holboo"] {
        add(&app, &curator, item).await;
    }
    let holboo = app.item("holboo").await.unwrap();
    let r = curator
        .post(
            &app,
            "/admin/items/holboo/status",
            &[
                ("status", "archived"),
                ("revision", &holboo.revision.to_string()),
                ("confirm", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let editor = curator.get(&app, EX).await.text();
    assert!(editor.contains("这件藏品尚未发布，公开网站上不会显示这一站"));
    let preview = curator.get(&app, &format!("{EX}/preview")).await.text();
    assert!(preview.contains("有 1 个站点的藏品尚未发布"));
    assert!(!preview.contains(&format!("{EX}/preview/stops/2")));
}

#[tokio::test]
async fn saving_over_a_colleagues_change_is_refused_and_keeps_the_text() {
    let app = TestApp::with_samples().await;
    let a = session(&app, "saran", Role::Curator, &[HALL]).await;
    let b = session(&app, "bayar", Role::Curator, &[HALL]).await;
    create(&app, &a).await;
    add(&app, &a, "urliger").await;
    let seen = rev(&app).await;

    let r = b.post(&app, EX, &form("科尔沁的声音", &seen)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut mine = form("科尔沁之音", &seen);
    mine.push(("introduction_mn", "ᠮᠢᠨᠤ ᠪᠢᠴᠢᠭ"));
    let r = a.post(&app, EX, &mine).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let html = r.text();
    assert!(html.contains("在您编辑期间，其他人保存了这个展览"));
    assert!(html.contains("ᠮᠢᠨᠤ ᠪᠢᠴᠢᠭ"), "my text is kept");
    assert_eq!(
        draft(&app).await.fields.title.zh.as_deref(),
        Some("科尔沁的声音"),
        "theirs stands"
    );

    // The same for a stop's narrative.
    let r = b
        .post(
            &app,
            &format!("{EX}/stops/urliger"),
            &[("revision", &rev(&app).await), ("narrative_zh", "他们的")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = a
        .post(
            &app,
            &format!("{EX}/stops/urliger"),
            &[
                ("revision", &seen),
                ("narrative_zh", "我写了很久的导览词。"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("我写了很久的导览词。"));
    assert_eq!(
        draft(&app).await.stops[0].fields.narrative.zh.as_deref(),
        Some("他们的")
    );
    let r = a
        .post(
            &app,
            &format!("{EX}/stops/urliger/move"),
            &[("to", "down"), ("revision", &seen)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

/// Every exhibition route × every kind of user: who is let in, who is refused, and that a
/// refusal changes nothing.
#[tokio::test]
async fn every_exhibition_route_checks_who_is_asking() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin", Role::Admin, &[]).await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let other = session(&app, "bayar", Role::Curator, &[SCHOOL]).await;
    let teacher = session(&app, "teacher", Role::Teacher, &[]).await;
    create(&app, &curator).await;
    add(&app, &curator, "urliger").await;
    add(&app, &curator, "holboo").await;
    let r = rev(&app).await;
    let before = (
        draft(&app).await,
        app.state.accounts.repo().recent_audit(1).await.unwrap(),
    );

    let list = other.get(&app, "/admin/exhibitions").await.text();
    assert!(
        !list.contains(&format!("href=\"{EX}\"")),
        "not listed for other bases"
    );
    let list = admin.get(&app, "/admin/exhibitions").await.text();
    assert!(list.contains(&format!("href=\"{EX}\"")));

    let gets = [
        "/admin/exhibitions".to_owned(),
        "/admin/exhibitions/new".to_owned(),
        EX.to_owned(),
        format!("{EX}?q=holboo"),
        format!("{EX}/preview"),
        format!("{EX}/preview/stops/1"),
    ];
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/admin/exhibitions".into(), {
            let mut f = form("新", "0");
            f.retain(|(k, _)| *k != "slug");
            f.push(("slug", "another"));
            f
        }),
        (EX.into(), form("改", &r)),
        (
            format!("{EX}/status"),
            vec![("status", "in_review"), ("revision", &r)],
        ),
        (
            format!("{EX}/stops"),
            vec![("item", "khoomei"), ("revision", &r)],
        ),
        (
            format!("{EX}/stops/urliger"),
            vec![("narrative_zh", "改"), ("revision", &r)],
        ),
        (
            format!("{EX}/stops/urliger/move"),
            vec![("to", "down"), ("revision", &r)],
        ),
        (format!("{EX}/stops/urliger/remove"), vec![("revision", &r)]),
    ];
    for uri in &gets {
        let anonymous = app.get(uri).await;
        assert_eq!(
            anonymous.status,
            StatusCode::SEE_OTHER,
            "anonymous GET {uri}"
        );
        assert!(
            anonymous
                .header("location")
                .starts_with("/admin/login?next=")
        );
        assert_eq!(
            teacher.get(&app, uri).await.status,
            StatusCode::FORBIDDEN,
            "teacher GET {uri}"
        );
        assert_eq!(
            curator.get(&app, uri).await.status,
            StatusCode::OK,
            "curator GET {uri}"
        );
        assert_eq!(
            admin.get(&app, uri).await.status,
            StatusCode::OK,
            "admin GET {uri}"
        );
        if uri.starts_with(EX) {
            assert_eq!(
                other.get(&app, uri).await.status,
                StatusCode::FORBIDDEN,
                "curator of another base GET {uri}"
            );
        }
    }
    for (uri, fields) in &posts {
        let anonymous = app.post_form(uri, fields, &[]).await;
        assert_eq!(
            anonymous.status,
            StatusCode::SEE_OTHER,
            "anonymous POST {uri}"
        );
        for (who, s) in [("teacher", &teacher), ("curator of another base", &other)] {
            assert_eq!(
                s.post(&app, uri, fields).await.status,
                StatusCode::FORBIDDEN,
                "{who} POST {uri}"
            );
        }
        let no_token = app
            .post_form(uri, fields, &[("cookie", &curator.cookie)])
            .await;
        assert_eq!(
            no_token.status,
            StatusCode::FORBIDDEN,
            "POST {uri} without the CSRF token"
        );
    }
    let after = (
        draft(&app).await,
        app.state.accounts.repo().recent_audit(1).await.unwrap(),
    );
    assert_eq!(
        before, after,
        "no refused request changed anything or wrote to the log"
    );
    assert!(
        app.state
            .exhibitions
            .draft_exhibition(&Slug::parse("another").unwrap())
            .await
            .unwrap()
            .is_none()
    );

    // The rightful curator and the administrator get through.
    let r = curator
        .post(
            &app,
            &format!("{EX}/stops/urliger/move"),
            &[("to", "down"), ("revision", &r)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let revision = rev(&app).await;
    let r = admin
        .post(
            &app,
            &format!("{EX}/stops/urliger/remove"),
            &[("revision", &revision)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(stops(&app).await, ["holboo"]);
}
