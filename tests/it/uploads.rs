//! Uploads: multipart, every hostile file refused with the right status and nothing
//! stored, WebVTT tracks, and the sweep of abandoned files. Resumable uploads are in
//! [`crate::tus`].

use crate::helpers::{HALL, TestApp, TestResponse, multipart_form};
use crate::import::jpeg_bytes;
use crate::tus::{tus_create, tus_head, tus_patch};
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::repo::Visibility;

pub(crate) const ITEM: &str = "urliger"; // kept by the banner hall, no media yet

/// A signed-in curator of the banner hall: (cookie, csrf token).
pub(crate) async fn curator(app: &TestApp) -> (String, String) {
    app.add_user("curator", Role::Curator, &[HALL]).await;
    let cookie = app.sign_in("curator").await;
    let csrf = app.csrf(&cookie).await;
    (cookie, csrf)
}

pub(crate) async fn media_count(app: &TestApp, slug: &str) -> usize {
    let item = app.item(slug).await.unwrap();
    item.media.len()
}

pub(crate) fn staging_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.state.ingest.staging.dir())
        .map(|d| d.count())
        .unwrap_or(0)
}

/// A multipart body with one file field.
pub fn multipart(file_name: &str, bytes: &[u8], extra: &[(&str, &str)]) -> (String, Vec<u8>) {
    multipart_form(extra, &[("file", file_name, bytes)])
}

async fn post_file(
    app: &TestApp,
    session: &(String, String),
    file_name: &str,
    bytes: &[u8],
) -> TestResponse {
    let (content_type, body) = multipart(file_name, bytes, &[("alt_zh", "测试图片")]);
    app.send(
        "POST",
        &format!("/api/v1/items/{ITEM}/media"),
        &[
            ("cookie", &session.0),
            ("x-csrf-token", &session.1),
            ("content-type", &content_type),
        ],
        body,
        None,
    )
    .await
}

/// A PNG whose header claims `w` × `h` pixels (no pixel data follows).
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut crc_input = b"IHDR".to_vec();
    crc_input.extend_from_slice(&ihdr);
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    png.extend_from_slice(&[0, 0, 0, 0]);
    png.extend_from_slice(b"IEND\xae\x42\x60\x82");
    png
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub fn small_png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(20, 10, image::Rgb([200, 30, 30]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test]
async fn a_curator_uploads_a_photo_and_its_derivatives_are_made_in_the_background() {
    let app = TestApp::with_samples().await;
    let session = curator(&app).await;
    let photo = jpeg_bytes(900, 600);
    let r = post_file(&app, &session, "马鞍.jpg", &photo).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let body = r.json();
    let stored = &body["media"][0];
    assert_eq!(stored["kind"], "image");
    assert_eq!(stored["mime"], "image/jpeg");
    assert_eq!(
        (stored["width"].as_i64(), stored["height"].as_i64()),
        (Some(900), Some(600))
    );
    let sha = stored["sha256"].as_str().unwrap().to_owned();
    assert_eq!(sha, edubase::store::Sha256Hex::of(&photo).to_string());
    assert_eq!(media_count(&app, ITEM).await, 1);
    assert_eq!(staging_files(&app), 0, "nothing left in staging");

    assert!(
        app.state.jobs.counts().await.unwrap().queued >= 1,
        "derivatives are queued"
    );
    app.state.worker().drain().await.unwrap();
    assert_eq!(app.state.jobs.counts().await.unwrap().queued, 0);
    let sha = edubase::store::Sha256Hex::parse(&sha).unwrap();
    for v in edubase::media::Variant::ALL {
        let key = edubase::store::BlobKey::Derivative(sha.clone(), v.name());
        assert!(
            app.state.blobs.exists(&key).await.unwrap(),
            "{} made by the job",
            v.name()
        );
    }
    let log = app.state.accounts.repo().recent_audit(1).await.unwrap();
    assert_eq!(
        (log[0].1.action.as_str(), log[0].1.entity_id.as_str()),
        ("media.add", ITEM)
    );
}

#[tokio::test]
async fn hostile_files_are_refused_with_the_right_status_and_nothing_is_stored() {
    let app = TestApp::with_samples().await;
    let session = curator(&app).await;
    let blobs_before = blob_count(&app).await;
    let mut truncated = jpeg_bytes(400, 300);
    truncated.truncate(truncated.len() / 2);
    let zip = b"PK\x03\x04\x14\0\0\0\x08\0\x21\0\xb7\xac\xce\x34\0\0\0\0\0\0\0\0\0\0\0\0\x08\0\0\0test.txt".to_vec();
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        ("bomb.png", png_header(50_000, 50_000), StatusCode::UNPROCESSABLE_ENTITY, "50000 × 50000"),
        ("cut.jpg", truncated, StatusCode::UNPROCESSABLE_ENTITY, "truncated"),
        ("drawing.svg", b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "svg"),
        ("page.jpg", b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "html"),
        ("archive.jpg", zip, StatusCode::UNSUPPORTED_MEDIA_TYPE, "application/zip"),
        ("empty.jpg", Vec::new(), StatusCode::UNPROCESSABLE_ENTITY, "empty"),
        ("../../etc/passwd", small_png(), StatusCode::BAD_REQUEST, "plain file name"),
        ("evil\u{202e}gpj.exe", small_png(), StatusCode::BAD_REQUEST, "invisible"),
    ];
    for (name, bytes, status, says) in cases {
        let r = post_file(&app, &session, name, &bytes).await;
        assert_eq!(r.status, status, "{name}: {}", r.text());
        let body = r.json();
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains(&says.to_lowercase()),
            "{name}: {body}"
        );
        assert_eq!(media_count(&app, ITEM).await, 0, "{name}: nothing attached");
        assert_eq!(
            blob_count(&app).await,
            blobs_before,
            "{name}: nothing stored"
        );
        assert_eq!(staging_files(&app), 0, "{name}: nothing left in staging");
    }
    // The name never decides the type: a PNG called .mp4 is stored as the PNG it is.
    let r = post_file(&app, &session, "clip.mp4", &small_png()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["media"][0]["mime"], "image/png");
}

async fn blob_count(app: &TestApp) -> usize {
    let mut n = 0;
    let item = app
        .state
        .catalogue
        .list_items(&edubase::catalogue::repo::ItemQuery::all(
            Visibility::All,
            1000,
        ))
        .await
        .unwrap();
    for i in item.items {
        n += app
            .state
            .catalogue
            .item(&i.slug, Visibility::All)
            .await
            .unwrap()
            .unwrap()
            .media
            .len();
    }
    n
}

#[tokio::test]
async fn only_curators_of_the_items_base_may_upload() {
    let app = TestApp::with_samples().await;
    app.add_user("teacher", Role::Teacher, &[]).await;
    app.add_user("other", Role::Curator, &["ganjig-school-culture-room"])
        .await;
    let photo = small_png();
    let anonymous = app
        .send(
            "POST",
            &format!("/api/v1/items/{ITEM}/media"),
            &[("content-type", "multipart/form-data; boundary=x")],
            Vec::new(),
            None,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    for who in ["teacher", "other"] {
        let cookie = app.sign_in(who).await;
        let csrf = app.csrf(&cookie).await;
        let r = post_file(&app, &(cookie, csrf), "a.png", &photo).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    let session = curator(&app).await;
    let no_token = post_file(&app, &(session.0.clone(), "forged".into()), "a.png", &photo).await;
    assert_eq!(
        no_token.status,
        StatusCode::FORBIDDEN,
        "the CSRF token is checked"
    );
    assert_eq!(media_count(&app, ITEM).await, 0);
}

/// A valid PCM WAV file of `seconds` of silence.
pub fn wav(seconds: u32) -> Vec<u8> {
    let rate = 8000u32;
    let data_len = rate * seconds * 2;
    let mut v = Vec::new();
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&rate.to_le_bytes());
    v.extend_from_slice(&(rate * 2).to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    v.extend((0..data_len).map(|i| (i % 7) as u8));
    v
}

#[tokio::test]
async fn webvtt_tracks_are_checked_stored_and_served() {
    let app = TestApp::with_samples().await;
    let session = curator(&app).await;
    let (content_type, body) = multipart("tale.wav", &wav(1), &[]);
    let r = app
        .send(
            "POST",
            &format!("/api/v1/items/{ITEM}/media"),
            &[
                ("cookie", &session.0),
                ("x-csrf-token", &session.1),
                ("content-type", &content_type),
            ],
            body,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let media = r.json()["media"][0].clone();
    let id = media["id"].as_i64().unwrap();
    let sha = media["sha256"].as_str().unwrap().to_owned();
    let put = |vtt: &'static str, ct: &'static str| {
        let session = session.clone();
        let app = &app;
        async move {
            app.send(
                "PUT",
                &format!("/api/v1/media/{id}/tracks/zh/captions"),
                &[
                    ("cookie", &session.0),
                    ("x-csrf-token", &session.1),
                    ("content-type", ct),
                ],
                vtt.as_bytes().to_vec(),
                None,
            )
            .await
        }
    };
    let bad = put("00:00.000 --> 00:01.000\nhi", "text/vtt").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.json()["message"].as_str().unwrap().contains("WEBVTT"));
    assert_eq!(
        put(
            "WEBVTT\n\n00:00.000 --> 00:01.000\n很久以前",
            "application/json"
        )
        .await
        .status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let ok = put(
        "WEBVTT\n\n00:00.000 --> 00:00.800\n很久很久以前，草原上……",
        "text/vtt",
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    assert_eq!(ok.json()["cues"], 1);

    // Public once the item is published (the sample item is).
    let served = app.get(&format!("/media/{sha}/captions.zh.vtt")).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("content-type"), "text/vtt; charset=utf-8");
    assert!(served.text().contains("很久很久以前"));
    assert_eq!(
        app.get(&format!("/media/{sha}/captions.en.vtt"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The item page plays it with the captions as a track and a transcript beside it.
    let page = app.page(&format!("/items/{ITEM}")).await;
    assert!(
        page.contains(&format!(
            "<audio controls preload=\"metadata\" src=\"/media/{sha}/original\""
        )),
        "{page}"
    );
    assert!(page.contains(&format!("<track kind=\"captions\" srclang=\"zh\" label=\"中文\" src=\"/media/{sha}/captions.zh.vtt\" default>")));
    assert!(
        page.contains("class=\"transcript\"") && page.contains("很久很久以前，草原上……"),
        "transcript panel"
    );
    assert!(
        page.contains("js/player.js"),
        "the transcript follows the player"
    );
    assert!(page.contains("0:01"), "duration shown");
    let del = app
        .send(
            "DELETE",
            &format!("/api/v1/media/{id}/tracks/zh/captions"),
            &[("cookie", &session.0), ("x-csrf-token", &session.1)],
            Vec::new(),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/media/{sha}/captions.zh.vtt"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn abandoned_uploads_and_orphaned_files_are_swept() {
    let app = TestApp::with_samples().await;
    let session = curator(&app).await;
    let created = tus_create(&app, &session, 50_000, "slow.wav").await;
    let location = created.header("location").to_owned();
    let id = location.rsplit('/').next().unwrap().to_owned();
    let r = tus_patch(
        &app,
        &session,
        &location,
        0,
        axum::body::Body::from(wav(1)[..1000].to_vec()),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    // A file in staging that belongs to no upload, as a crash would leave two days ago;
    // and one a form upload (or an import beside the server) is writing now.
    let orphan = app.state.ingest.staging.dir().join("orphan.part");
    std::fs::write(&orphan, b"half").unwrap();
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86400);
    let file = std::fs::File::options().write(true).open(&orphan).unwrap();
    file.set_modified(two_days_ago).unwrap();
    let live = app.state.ingest.staging.dir().join("being-written.part");
    std::fs::write(&live, b"arriving").unwrap();
    assert_eq!(
        app.state.sweep_uploads().await.unwrap(),
        1,
        "only the orphan: the upload is recent"
    );
    assert!(live.exists(), "a file being written now is no orphan");
    assert_eq!(
        tus_head(&app, &session, &location)
            .await
            .header("upload-offset"),
        "1000"
    );

    let long_ago = chrono::Utc::now() - chrono::Duration::days(2);
    app.state
        .uploads
        .set_upload_received(&id, 1000, long_ago)
        .await
        .unwrap();
    assert_eq!(
        app.state.sweep_uploads().await.unwrap(),
        1,
        "the abandoned upload"
    );
    assert_eq!(
        tus_head(&app, &session, &location).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        staging_files(&app),
        1,
        "the abandoned upload's file went; only the one being written stays"
    );
}
