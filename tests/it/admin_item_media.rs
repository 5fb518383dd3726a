//! Media on items in the admin, through its HTML forms: publishing waits for described
//! images; media are described, reordered, replaced, captioned and removed; previews of
//! private images are for editors only.

use crate::admin_items::*;
use crate::helpers::{HALL, TestApp, session};
use crate::import::jpeg_bytes;
use crate::uploads::{multipart, small_png, wav};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

#[tokio::test]
async fn an_item_is_published_only_when_its_images_are_described() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    curator
        .post(
            &app,
            "/admin/items",
            &item_form("horqin-saddle", "KZ-M-001", "科尔沁马鞍"),
        )
        .await;

    let r = curator
        .post_files(
            &app,
            "/admin/items/horqin-saddle/media",
            "马鞍.jpg",
            &jpeg_bytes(800, 600),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.header("location"),
        "/admin/items/horqin-saddle?media=1#media"
    );
    let it = item(&app, "horqin-saddle").await;
    assert_eq!(it.media.len(), 1);
    assert_eq!(
        it.media[0].fields.rights, CC_BY,
        "a new file starts with the record's licence"
    );
    let id = it.media[0].id;

    let html = curator.get(&app, "/admin/items/horqin-saddle").await.text();
    assert!(
        html.contains("第 1 张图片（马鞍.jpg）的中文替代文字"),
        "the editor says what is missing"
    );
    let revision = it.revision.to_string();
    let r = curator
        .post(
            &app,
            "/admin/items/horqin-saddle/status",
            &[("status", "published"), ("revision", &revision)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("这件藏品暂时不能发布"));
    assert_eq!(
        app.get("/items/horqin-saddle").await.status,
        StatusCode::NOT_FOUND
    );

    let r = curator
        .post(
            &app,
            &format!("/admin/items/horqin-saddle/media/{id}"),
            &[
                ("alt_zh", "一副镶银的马鞍，侧面视图"),
                ("alt_en", "A silver-inlaid saddle, side view"),
                ("caption_zh", "科尔沁马鞍"),
                ("credit", "旗文化馆"),
                ("rights", CC_BY),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.header("location"),
        format!("/admin/items/horqin-saddle?media=1#media-{id}")
    );
    let revision = item(&app, "horqin-saddle").await.revision.to_string();
    let r = curator
        .post(
            &app,
            "/admin/items/horqin-saddle/status",
            &[("status", "published"), ("revision", &revision)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        r.header("location"),
        "/admin/items/horqin-saddle?published=1"
    );
    assert_eq!(app.last_audit().await.0, "item.status.published");

    app.state.worker().drain().await.unwrap();
    let public = app.get("/items/horqin-saddle").await;
    assert_eq!(public.status, StatusCode::OK);
    let html = public.text();
    assert!(html.contains("科尔沁马鞍"));
    assert!(html.contains("alt=\"一副镶银的马鞍，侧面视图\""));
    assert!(html.contains("旗文化馆"));

    // A stale status change is refused; an impossible one is a bad request.
    let r = curator
        .post(
            &app,
            "/admin/items/horqin-saddle/status",
            &[("status", "archived"), ("revision", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let revision = item(&app, "horqin-saddle").await.revision.to_string();
    let r = curator
        .post(
            &app,
            "/admin/items/horqin-saddle/status",
            &[("status", "in_review"), ("revision", &revision)],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "published → in review is not a step"
    );
    let r = curator
        .post(
            &app,
            "/admin/items/horqin-saddle/status",
            &[
                ("status", "archived"),
                ("revision", &revision),
                ("confirm", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/items/horqin-saddle").await.status,
        StatusCode::NOT_FOUND,
        "archived items leave the site"
    );
}

#[tokio::test]
async fn media_are_described_reordered_replaced_captioned_and_removed() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let base = "/admin/items/urliger/media";
    for (name, w) in [("first.jpg", 640), ("second.jpg", 320)] {
        let r = curator
            .post_files(&app, base, name, &jpeg_bytes(w, 240))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let names = |it: &edubase::catalogue::model::Item| {
        it.media
            .iter()
            .map(|m| m.fields.original_name.clone())
            .collect::<Vec<_>>()
    };
    let it = item(&app, "urliger").await;
    assert_eq!(names(&it), ["first.jpg", "second.jpg"]);
    let (first, second) = (it.media[0].id, it.media[1].id);

    let r = curator
        .post(&app, &format!("{base}/{second}/move"), &[("to", "up")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        names(&item(&app, "urliger").await),
        ["second.jpg", "first.jpg"]
    );
    assert_eq!(
        curator
            .post(
                &app,
                &format!("{base}/{second}/move"),
                &[("to", "sideways")]
            )
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // A hostile file is refused with the reason on the page; the item keeps its media.
    let r = curator
        .post_files(&app, base, "evil.jpg", b"<script>alert(1)</script>")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.header("location").contains("media_error="),
        "{}",
        r.header("location")
    );
    let page = curator.get(&app, r.header("location")).await.text();
    assert!(page.contains("文件被拒绝"), "the refusal is explained");
    assert_eq!(item(&app, "urliger").await.media.len(), 2);

    // A rights value that is not a licence is refused, the description unchanged.
    let r = curator
        .post(
            &app,
            &format!("{base}/{first}"),
            &[("alt_zh", "新的"), ("rights", "all mine")],
        )
        .await;
    assert!(r.header("location").contains("media_error="));
    assert_eq!(item(&app, "urliger").await.media[1].fields.alt.zh, None);

    let r = curator
        .post_files(
            &app,
            &format!("{base}/{first}/replace"),
            "first.png",
            &small_png(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let it = item(&app, "urliger").await;
    let replaced = it.media.iter().find(|m| m.id == first).unwrap();
    assert_eq!(
        (replaced.mime.as_str(), replaced.width),
        ("image/png", Some(20))
    );

    let r = curator.post_files(&app, base, "tale.wav", &wav(2)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let audio = item(&app, "urliger")
        .await
        .media
        .iter()
        .find(|m| m.fields.original_name == "tale.wav")
        .unwrap()
        .id;
    let vtt = "WEBVTT\n\n00:00.000 --> 00:01.500\n从前，在科尔沁草原上……\n";
    let (content_type, body) = multipart(
        "tale.zh.vtt",
        vtt.as_bytes(),
        &[
            ("_csrf", &curator.csrf),
            ("lang", "zh"),
            ("kind", "captions"),
        ],
    );
    let r = app
        .send(
            "POST",
            &format!("{base}/{audio}/track"),
            &[("cookie", &curator.cookie), ("content-type", &content_type)],
            body,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let it = item(&app, "urliger").await;
    let tracks = &it.media.iter().find(|m| m.id == audio).unwrap().tracks;
    assert_eq!(tracks.len(), 1);
    let page = curator.get(&app, "/admin/items/urliger").await.text();
    assert!(page.contains("字幕 (1)"), "the track count is shown");

    let r = curator
        .post(&app, &format!("{base}/{second}/remove"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        names(&item(&app, "urliger").await),
        ["first.jpg", "tale.wav"]
    );
    assert_eq!(app.last_audit().await.0, "media.remove");
    assert_eq!(
        curator
            .post(&app, &format!("{base}/{second}/remove"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn previews_of_private_images_are_for_editors_only() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let teacher = session(&app, "teacher", Role::Teacher, &[]).await;
    let photo = jpeg_bytes(800, 600);
    curator
        .post_files(&app, "/admin/items/urliger/media", "draft.jpg", &photo)
        .await;
    app.state.worker().drain().await.unwrap();
    let sha = edubase::store::Sha256Hex::of(&photo).to_string();
    let url = format!("/admin/preview/{sha}/w400.jpg");

    let r = curator.get(&app, &url).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "image/jpeg");
    assert!(r.header("cache-control").contains("private"));
    assert_eq!(
        app.get(&url).await.status,
        StatusCode::SEE_OTHER,
        "anonymous visitors are sent to sign in"
    );
    assert_eq!(teacher.get(&app, &url).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        curator
            .get(&app, &format!("/admin/preview/{sha}/w9999.jpg"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        curator
            .get(&app, "/admin/preview/..%2F..%2Fetc%2Fpasswd/w400.jpg")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
