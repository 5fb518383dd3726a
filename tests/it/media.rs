//! `/media/{sha256}/{variant}`: originals and derivatives of public media.

use crate::helpers::TestApp;
use axum::http::StatusCode;
use edubase::catalogue::types::Slug;
use edubase::repo::Visibility;

async fn fiddle_sha(app: &TestApp) -> (String, Vec<u8>) {
    let slug = Slug::parse("morin-khuur-music").unwrap();
    let item = app
        .state
        .catalogue
        .item(&slug, Visibility::Public)
        .await
        .unwrap()
        .unwrap();
    let media = &item.media[0];
    let path = format!(
        "exhibits/items/morin-khuur-music/{}",
        media.fields.original_name
    );
    (media.sha256.clone(), std::fs::read(path).unwrap())
}

#[tokio::test]
async fn originals_are_served_byte_for_byte_with_their_sniffed_type() {
    let app = TestApp::with_samples().await;
    let (sha, bytes) = fiddle_sha(&app).await;
    let r = app.get(&format!("/media/{sha}/original")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.bytes, bytes);
    assert_eq!(r.header("content-type"), "image/jpeg");
    assert!(r.header("cache-control").contains("immutable"));
    assert!(
        r.header("content-security-policy").contains("sandbox"),
        "an upload never runs as a page"
    );
    let etag = r.header("etag").to_owned();
    let again = app
        .get_with(
            &format!("/media/{sha}/original"),
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn derivatives_are_resized_jpegs_never_enlarged() {
    let app = TestApp::with_samples().await;
    let (sha, bytes) = fiddle_sha(&app).await;
    let original = image::load_from_memory(&bytes).unwrap();
    for (variant, max) in [("w400.jpg", 400), ("w800.jpg", 800), ("w1600.jpg", 1600)] {
        let r = app.get(&format!("/media/{sha}/{variant}")).await;
        assert_eq!(r.status, StatusCode::OK, "{variant}");
        assert_eq!(r.header("content-type"), "image/jpeg");
        let img = image::load_from_memory(&r.bytes).unwrap();
        assert_eq!(img.width(), original.width().min(max), "{variant}");
        let expected_h = (f64::from(original.height()) * f64::from(img.width())
            / f64::from(original.width()))
        .round();
        assert!(
            (f64::from(img.height()) - expected_h).abs() <= 1.0,
            "{variant} keeps the aspect ratio"
        );
    }
    // Cached: the second request returns the same bytes.
    let a = app.get(&format!("/media/{sha}/w400.jpg")).await;
    let b = app.get(&format!("/media/{sha}/w400.jpg")).await;
    assert_eq!(a.bytes, b.bytes);
}

#[tokio::test]
async fn unknown_or_malformed_media_addresses_are_404() {
    let app = TestApp::with_samples().await;
    let (sha, _) = fiddle_sha(&app).await;
    for uri in [
        format!("/media/{sha}/w123.jpg"),
        format!("/media/{sha}/../../etc/passwd"),
        format!("/media/{}/original", sha.to_uppercase()),
        "/media/0000000000000000000000000000000000000000000000000000000000000000/original"
            .to_owned(),
        "/media/not-a-hash/original".to_owned(),
    ] {
        let r = app.get(&uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
    }
}

#[tokio::test]
async fn a_damaged_original_gets_a_clear_422_not_a_server_error() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::at(dir.path()).await;
    app.import(std::path::Path::new("exhibits")).await;
    let (sha, bytes) = fiddle_sha(&app).await;
    // The disk damages the stored original after ingest: its header survives, its pixels not.
    let stored = crate::helpers::original_file(dir.path(), &sha);
    assert_eq!(
        std::fs::read(&stored).unwrap(),
        bytes,
        "where originals live"
    );
    std::fs::write(&stored, &bytes[..bytes.len() / 3]).unwrap();
    let _ = std::fs::remove_dir_all(dir.path().join("media").join("derived"));
    let r = app.get(&format!("/media/{sha}/w800.webp")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("cannot be shown"), "{}", r.text());
    // The server is fine and the rest of the item is still served.
    assert_eq!(
        app.get("/items/morin-khuur-music").await.status,
        StatusCode::OK
    );
}
