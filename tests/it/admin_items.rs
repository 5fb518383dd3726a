//! Cataloguing in the admin, driven through its HTML forms the way a curator's browser
//! (without JavaScript) does: create, validate, edit, conflicts, and who may do
//! what. Media on items: `admin_item_media`; history and restore: `admin_item_history`.

use crate::helpers::{HALL, SCHOOL, TestApp, session, with};
use crate::import::jpeg_bytes;
use axum::http::StatusCode;
use edubase::accounts::types::Role;

pub(crate) const CC_BY: &str = "https://creativecommons.org/licenses/by/4.0/";

/// A complete, valid item form.
pub(crate) fn item_form<'a>(
    slug: &'a str,
    accession: &'a str,
    title_zh: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("revision", "0"),
        ("accession", accession),
        ("slug", slug),
        ("base", HALL),
        ("category", "traditional_craft"),
        ("protection_level", "region"),
        ("year", "1987"),
        ("rights", CC_BY),
        ("title_zh", title_zh),
        ("title_mn", "ᠮᠣᠷᠢᠨ ᠤ ᠡᠮᠡᠭᠡᠯ"),
        ("title_en", "Saddle of the Horqin"),
        ("summary_zh", "科尔沁马鞍，银饰镶嵌。"),
        ("summary_en", "A Horqin saddle with silver inlay."),
        ("description_zh", "第一段。\n\n第二段。"),
        ("inheritors_zh", "巴特尔\n其其格"),
        ("subjects_zh", "马具\n银饰"),
    ]
}

pub(crate) async fn item(app: &TestApp, slug: &str) -> edubase::catalogue::model::Item {
    app.item(slug).await.expect("the item exists")
}

#[tokio::test]
async fn a_curator_creates_an_item_and_a_broken_form_keeps_everything_typed() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;

    let blank = curator.get(&app, "/admin/items/new").await;
    assert_eq!(blank.status, StatusCode::OK);
    let html = blank.text();
    for field in [
        "name=\"accession\"",
        "name=\"title_zh\"",
        "name=\"title_mn\"",
        "name=\"description_en\"",
        "lang=\"mn-Mong\"",
    ] {
        assert!(html.contains(field), "the form has {field}");
    }
    assert!(
        html.contains(&format!("value=\"{HALL}\"")),
        "the curator's base is offered"
    );
    assert!(
        !html.contains(&format!("value=\"{SCHOOL}\"")),
        "other bases are not"
    );

    let broken = with(
        with(
            with(item_form("Bad Slug", "KZ-M-001", ""), "year", "nineteen"),
            "description_en",
            "Every word of this is kept.",
        ),
        "title_mn",
        "ᠮᠣᠷᠢᠨ",
    );
    let r = curator.post(&app, "/admin/items", &broken).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("藏品未保存"), "a summary of the problem");
    assert!(html.contains("最多 80 个小写字母"), "why the slug is wrong");
    assert!(html.contains("-5000 到 2200"), "why the year is wrong");
    assert!(
        html.contains("中文标题必填"),
        "the Chinese title is required"
    );
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"title_zh-error\""));
    assert!(
        html.contains("Every word of this is kept."),
        "the English text survives"
    );
    assert!(html.contains("ᠮᠣᠷᠢᠨ"), "the Mongolian text survives");
    assert!(
        html.contains("value=\"Bad Slug\""),
        "the bad slug is shown to correct"
    );
    assert_eq!(app.item("bad-slug").await, None);

    let r = curator
        .post(
            &app,
            "/admin/items",
            &item_form("horqin-saddle", "KZ-M-001", "科尔沁马鞍"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.header("location"), "/admin/items/horqin-saddle?created=1");
    let page = curator
        .get(&app, "/admin/items/horqin-saddle?created=1")
        .await
        .text();
    assert!(page.contains("藏品已创建为草稿"));
    assert!(page.contains("status-draft"));
    let saved = item(&app, "horqin-saddle").await;
    assert_eq!(
        saved.fields.title.en.as_deref(),
        Some("Saddle of the Horqin")
    );
    assert_eq!(saved.fields.title.mn.as_deref(), Some("ᠮᠣᠷᠢᠨ ᠤ ᠡᠮᠡᠭᠡᠯ"));
    let inheritors: Vec<_> = saved
        .fields
        .inheritors
        .iter()
        .map(|t| t.zh.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(inheritors, ["巴特尔", "其其格"]);
    assert_eq!(saved.fields.year, Some(1987));
    assert_eq!(saved.base.slug.as_str(), HALL);
    assert_eq!(
        app.last_audit().await,
        ("item.create".into(), "horqin-saddle".into(), "saran".into())
    );
    assert_eq!(
        app.get("/items/horqin-saddle").await.status,
        StatusCode::NOT_FOUND,
        "drafts stay private"
    );

    // The same slug or accession number again: an error on that field, nothing lost.
    let again = curator
        .post(
            &app,
            "/admin/items",
            &item_form("horqin-saddle", "KZ-M-002", "另一件"),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text().contains("已有藏品使用这个网址名"));
    assert!(again.text().contains("另一件"));
    let again = curator
        .post(
            &app,
            "/admin/items",
            &item_form("other-saddle", "KZ-M-001", "另一件"),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text().contains("已有藏品使用这个藏品编号"));

    // In English, the same messages in English.
    let en = app
        .post_form(
            "/admin/items",
            &[
                ("_csrf", curator.csrf.as_str()),
                ("slug", "x"),
                ("accession", ""),
            ],
            &[("cookie", &curator.cookie), ("accept-language", "en")],
        )
        .await;
    assert_eq!(en.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(en.text().contains("This field is required."));
}

#[tokio::test]
async fn curators_may_only_put_items_in_their_own_bases() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[SCHOOL]).await;
    let r = curator
        .post(
            &app,
            "/admin/items",
            &item_form("horqin-saddle", "KZ-M-001", "科尔沁马鞍"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(app.item("horqin-saddle").await.is_none());

    let list = curator.get(&app, "/admin/items").await.text();
    assert!(
        !list.contains("/admin/items/urliger\""),
        "items of other bases are not listed"
    );
    let admin = session(&app, "admin", Role::Admin, &[]).await;
    let list = admin.get(&app, "/admin/items").await.text();
    assert!(
        list.contains("/admin/items/urliger\""),
        "administrators see every item"
    );
    let drafts = admin.get(&app, "/admin/items?status=draft").await;
    assert_eq!(drafts.status, StatusCode::OK);
    assert_eq!(
        admin.get(&app, "/admin/items?status=lost").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn saving_over_a_colleagues_change_is_refused_and_keeps_both_texts() {
    let app = TestApp::with_samples().await;
    let a = session(&app, "saran", Role::Curator, &[HALL]).await;
    let b = session(&app, "bayar", Role::Curator, &[HALL]).await;
    let r = a
        .post(
            &app,
            "/admin/items",
            &item_form("horqin-saddle", "KZ-M-001", "科尔沁马鞍"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let seen = item(&app, "horqin-saddle").await.revision.to_string();

    // Both opened revision `seen`; Bayar saves first.
    let theirs = with(
        item_form("horqin-saddle", "KZ-M-001", "科尔沁银马鞍"),
        "revision",
        &seen,
    );
    assert_eq!(
        b.post(&app, "/admin/items/horqin-saddle", &theirs)
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    let mine = with(
        with(
            item_form("horqin-saddle", "KZ-M-001", "科尔沁马鞍"),
            "revision",
            &seen,
        ),
        "description_zh",
        "我写了很久的一段介绍。",
    );
    let r = a.post(&app, "/admin/items/horqin-saddle", &mine).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let html = r.text();
    assert!(html.contains("在您编辑期间，其他人保存了这件藏品"));
    assert!(html.contains("我写了很久的一段介绍。"), "my text is kept");
    assert!(html.contains("科尔沁银马鞍"), "their change is shown");
    assert_eq!(
        item(&app, "horqin-saddle").await.fields.title.zh.as_deref(),
        Some("科尔沁银马鞍"),
        "theirs stands"
    );

    // Saving again from the conflict page (which carries the new revision) is deliberate.
    let start =
        html.find("name=\"revision\" value=\"").unwrap() + "name=\"revision\" value=\"".len();
    let current = &html[start..start + html[start..].find('"').unwrap()];
    let r = a
        .post(
            &app,
            "/admin/items/horqin-saddle",
            &with(mine.clone(), "revision", current),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        item(&app, "horqin-saddle")
            .await
            .fields
            .description
            .zh
            .as_deref(),
        Some("我写了很久的一段介绍。")
    );

    // A missing or broken revision is a bad request, not a blind overwrite.
    let r = a
        .post(
            &app,
            "/admin/items/horqin-saddle",
            &with(mine, "revision", "latest"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

/// Every cataloguing route × every kind of user: who is let in, who is refused, and
/// that a refusal changes nothing.
#[tokio::test]
async fn every_cataloguing_route_checks_who_is_asking() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "admin", Role::Admin, &[]).await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let other = session(&app, "bayar", Role::Curator, &[SCHOOL]).await;
    let teacher = session(&app, "teacher", Role::Teacher, &[]).await;
    curator
        .post_files(
            &app,
            "/admin/items/urliger/media",
            "a.jpg",
            &jpeg_bytes(64, 64),
        )
        .await;
    let it = item(&app, "urliger").await;
    let (id, rev) = (it.media[0].id, it.revision.to_string());
    let before = (
        it.clone(),
        app.state.accounts.repo().recent_audit(1).await.unwrap(),
    );

    let gets = [
        "/admin/items",
        "/admin/items/new",
        "/admin/items/urliger",
        "/admin/items/urliger/history",
    ];
    let media = format!("/admin/items/urliger/media/{id}");
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/admin/items/urliger".into(),
            with(item_form("urliger", "X-1", "改"), "revision", &rev),
        ),
        (
            "/admin/items/urliger/status".into(),
            vec![("status", "archived"), ("revision", &rev)],
        ),
        (
            "/admin/items/urliger/history/1/restore".into(),
            vec![("revision", &rev)],
        ),
        (media.clone(), vec![("alt_zh", "改"), ("rights", CC_BY)]),
        (format!("{media}/move"), vec![("to", "down")]),
        (format!("{media}/remove"), vec![]),
    ];

    for uri in gets {
        assert_eq!(
            app.get(uri).await.status,
            StatusCode::SEE_OTHER,
            "anonymous GET {uri}"
        );
        assert!(
            app.get(uri)
                .await
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
    }
    assert_eq!(
        other.get(&app, "/admin/items/urliger").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        other.get(&app, "/admin/items/urliger/history").await.status,
        StatusCode::FORBIDDEN
    );

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
    let upload = other
        .post_files(
            &app,
            "/admin/items/urliger/media",
            "b.jpg",
            &jpeg_bytes(64, 64),
        )
        .await;
    assert_eq!(upload.status, StatusCode::FORBIDDEN);
    let after = (
        item(&app, "urliger").await,
        app.state.accounts.repo().recent_audit(1).await.unwrap(),
    );
    assert_eq!(
        before, after,
        "no refused request changed the item or wrote to the log"
    );

    // The rightful curator and the administrator get through.
    let r = curator
        .post(&app, &media, &[("alt_zh", "说书人"), ("rights", CC_BY)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = admin.post(&app, &format!("{media}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(item(&app, "urliger").await.media.len(), 0);
}

#[tokio::test]
async fn the_list_of_items_filters_by_category_and_by_base() {
    let app = TestApp::with_samples().await;
    let admin = session(&app, "wang", Role::Admin, &[]).await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;

    let all = admin.get(&app, "/admin/items").await.text();
    assert!(all.contains("<select id=\"base\" name=\"base\">"), "{all}");
    let music = admin
        .get(
            &app,
            &format!("/admin/items?category=traditional_music&base={HALL}"),
        )
        .await
        .text();
    assert!(music.contains("value=\"morin-khuur-music@"), "{music}");
    assert!(!music.contains("value=\"urliger@"), "quyi is not music");
    assert!(
        music.contains("<option value=\"traditional_music\" selected>"),
        "{music}"
    );
    assert!(
        music.contains("name=\"category\" value=\"traditional_music\""),
        "a batch keeps the filters: {music}"
    );

    let own = curator.get(&app, "/admin/items").await.text();
    assert!(
        !own.contains("<select id=\"base\""),
        "one base is no choice: {own}"
    );
    let r = curator.get(&app, "/admin/items?category=nope").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
