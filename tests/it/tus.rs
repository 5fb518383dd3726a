//! Resumable uploads (tus 1.0): an interrupted upload resumed after a server restart, and
//! bad requests and hostile files refused before their bytes are stored.

use crate::helpers::{HALL, TestApp, TestResponse};
use crate::uploads::{ITEM, curator, media_count, staging_files, wav};
use axum::http::StatusCode;
use base64::Engine;
use edubase::accounts::types::Role;
use std::path::Path;

pub(crate) fn tus_metadata(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{k} {}",
                base64::engine::general_purpose::STANDARD.encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) async fn tus_create(
    app: &TestApp,
    session: &(String, String),
    length: usize,
    name: &str,
) -> TestResponse {
    let meta = tus_metadata(&[("item", ITEM), ("filename", name), ("alt_zh", "录音")]);
    tus_start(app, session, length, &meta).await
}

/// Creates an upload of `length` bytes with the given `Upload-Metadata`.
pub(crate) async fn tus_start(
    app: &TestApp,
    session: &(String, String),
    length: usize,
    meta: &str,
) -> TestResponse {
    app.send(
        "POST",
        "/api/v1/uploads",
        &[
            ("cookie", &session.0),
            ("x-csrf-token", &session.1),
            ("tus-resumable", "1.0.0"),
            ("upload-length", &length.to_string()),
            ("upload-metadata", meta),
        ],
        Vec::new(),
        None,
    )
    .await
}

pub(crate) async fn tus_patch(
    app: &TestApp,
    session: &(String, String),
    location: &str,
    offset: usize,
    body: axum::body::Body,
) -> TestResponse {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .method("PATCH")
        .uri(location)
        .header("cookie", &session.0)
        .header("x-csrf-token", &session.1)
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", offset.to_string())
        .header("content-type", "application/offset+octet-stream")
        .body(body)
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    TestResponse {
        status,
        headers,
        bytes,
    }
}

pub(crate) async fn tus_head(
    app: &TestApp,
    session: &(String, String),
    location: &str,
) -> TestResponse {
    app.send(
        "HEAD",
        location,
        &[("cookie", &session.0), ("tus-resumable", "1.0.0")],
        Vec::new(),
        None,
    )
    .await
}

/// A body that delivers `first` and then breaks, like a dropped connection.
pub(crate) fn broken_body(first: Vec<u8>) -> axum::body::Body {
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = vec![
        Ok(bytes::Bytes::from(first)),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection reset",
        )),
    ];
    axum::body::Body::from_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn an_interrupted_tus_upload_resumes_after_a_server_restart() {
    let dir = tempfile::tempdir().unwrap();
    let wav = wav(2);
    let expected_sha = edubase::store::Sha256Hex::of(&wav).to_string();
    let location;
    let session;
    {
        let app = TestApp::at(dir.path()).await;
        app.import(Path::new("exhibits")).await;
        session = curator(&app).await;
        let options = app
            .send("OPTIONS", "/api/v1/uploads", &[], Vec::new(), None)
            .await;
        assert_eq!(options.header("tus-version"), "1.0.0");
        assert!(
            options.header("tus-extension").contains("creation")
                && options.header("tus-extension").contains("termination")
        );

        let created = tus_create(&app, &session, wav.len(), "说书.wav").await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        location = created.header("location").to_owned();
        assert!(location.starts_with("/api/v1/uploads/"));
        assert_eq!(
            tus_head(&app, &session, &location)
                .await
                .header("upload-offset"),
            "0"
        );

        // The connection drops after 10,000 bytes.
        let r = tus_patch(
            &app,
            &session,
            &location,
            0,
            broken_body(wav[..10_000].to_vec()),
        )
        .await;
        assert!(r.status.is_client_error(), "{}", r.status);
        let head = tus_head(&app, &session, &location).await;
        assert_eq!(
            head.header("upload-offset"),
            "10000",
            "the bytes that arrived are kept"
        );
        assert_eq!(head.header("upload-length"), wav.len().to_string());
        // A client that lost track is told the real offset.
        let wrong = tus_patch(
            &app,
            &session,
            &location,
            5,
            axum::body::Body::from(wav[5..].to_vec()),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::CONFLICT);
        assert_eq!(wrong.header("upload-offset"), "10000");
    } // the server stops

    let app = TestApp::at(dir.path()).await; // and starts again
    assert_eq!(
        tus_head(&app, &session, &location)
            .await
            .header("upload-offset"),
        "10000"
    );
    let r = tus_patch(
        &app,
        &session,
        &location,
        10_000,
        axum::body::Body::from(wav[10_000..20_000].to_vec()),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.header("upload-offset"), "20000");
    let r = tus_patch(
        &app,
        &session,
        &location,
        20_000,
        axum::body::Body::from(wav[20_000..].to_vec()),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert!(
        !r.header("edubase-media-id").is_empty(),
        "the finished upload became a media file"
    );

    let item = app.item(ITEM).await.unwrap();
    let media = &item.media[0];
    assert_eq!(
        media.sha256, expected_sha,
        "the stored file is exactly the uploaded one"
    );
    assert_eq!(media.kind, edubase::catalogue::types::MediaKind::Audio);
    assert_eq!(media.duration_ms, Some(2000), "duration read from the file");
    assert_eq!(media.fields.original_name, "说书.wav");
    let stored = std::fs::read(crate::helpers::original_file(dir.path(), &expected_sha)).unwrap();
    assert_eq!(stored, wav);
    assert_eq!(staging_files(&app), 0, "no temporary files left");
    assert_eq!(
        tus_head(&app, &session, &location).await.status,
        StatusCode::NOT_FOUND,
        "the upload is finished"
    );
}

#[tokio::test]
async fn tus_refuses_bad_requests_and_hostile_files_early() {
    let app = TestApp::with_samples().await;
    let session = curator(&app).await;
    let no_version = app
        .send(
            "POST",
            "/api/v1/uploads",
            &[
                ("cookie", &session.0),
                ("x-csrf-token", &session.1),
                ("upload-length", "10"),
            ],
            Vec::new(),
            None,
        )
        .await;
    assert_eq!(no_version.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(no_version.header("tus-version"), "1.0.0");
    let huge = tus_create(&app, &session, usize::MAX / 2, "big.mp4").await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    let path_name = tus_create(&app, &session, 100, "../../../etc/passwd").await;
    assert_eq!(
        path_name.status,
        StatusCode::BAD_REQUEST,
        "{}",
        path_name.text()
    );
    let nul_name = tus_create(&app, &session, 100, "a\0b.jpg").await;
    assert_eq!(nul_name.status, StatusCode::BAD_REQUEST);

    // An HTML page is refused at its first bytes, and the upload is gone.
    let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>".repeat(200);
    let created = tus_create(&app, &session, html.len(), "page.jpg").await;
    let location = created.header("location").to_owned();
    let wrong_type = app
        .send(
            "PATCH",
            &location,
            &[
                ("cookie", &session.0),
                ("x-csrf-token", &session.1),
                ("tus-resumable", "1.0.0"),
                ("upload-offset", "0"),
                ("content-type", "text/html"),
            ],
            html.clone(),
            None,
        )
        .await;
    assert_eq!(
        wrong_type.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "tus needs application/offset+octet-stream"
    );
    let r = tus_patch(&app, &session, &location, 0, axum::body::Body::from(html)).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.json()["message"].as_str().unwrap().contains("text/html"));
    assert_eq!(
        tus_head(&app, &session, &location).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(staging_files(&app), 0);

    // Another user cannot see or touch someone's upload; the owner can cancel it.
    let created = tus_create(&app, &session, 5000, "a.wav").await;
    let location = created.header("location").to_owned();
    app.add_user("intruder", Role::Curator, &[HALL]).await;
    let other = app.sign_in("intruder").await;
    let other_csrf = app.csrf(&other).await;
    assert_eq!(
        tus_head(&app, &(other.clone(), other_csrf.clone()), &location)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let del = app
        .send(
            "DELETE",
            &location,
            &[
                ("cookie", &session.0),
                ("x-csrf-token", &session.1),
                ("tus-resumable", "1.0.0"),
            ],
            Vec::new(),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        tus_head(&app, &session, &location).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(staging_files(&app), 0);
    assert_eq!(media_count(&app, ITEM).await, 0);
}
