//! The scaled-out shape: several nodes on one database and one media store. In CI the
//! pair runs on PostgreSQL and an S3-compatible server; here on one SQLite file and one
//! media folder, or one shared in-memory store.

use crate::helpers::{HALL, TestApp, session};
use crate::import::jpeg_bytes;
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::store::Sha256Hex;

#[tokio::test]
async fn a_photo_uploaded_through_one_node_is_served_by_the_other() {
    let (first, second) = TestApp::pair().await;
    first.import(std::path::Path::new("exhibits")).await;
    let curator = session(&first, "saran", Role::Curator, &[HALL]).await;
    let photo = jpeg_bytes(1200, 800);
    let r = curator
        .post_files(&first, "/admin/items/urliger/media", "new.jpg", &photo)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // The first node's worker makes the derivatives; the second finds them in the store.
    first.state.worker().drain().await.unwrap();
    let sha = Sha256Hex::of(&photo).to_string();

    // The session is in the database, so the curator is signed in on both nodes.
    let preview = curator
        .get(&second, &format!("/admin/preview/{sha}/w400.jpg"))
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    assert_eq!(&preview.bytes[..2], b"\xff\xd8", "a JPEG");
    let info = curator
        .get(&second, &format!("/iiif/3/{sha}/info.json"))
        .await;
    assert_eq!(info.json()["width"], 1200, "{}", info.text());
    let edit = curator.get(&second, "/admin/items/urliger").await;
    assert!(
        edit.text().contains(&sha),
        "the second node lists the new photo"
    );
}

#[tokio::test]
async fn the_public_media_of_one_node_are_the_other_nodes_too_whole_and_in_ranges() {
    let (first, second) = TestApp::pair().await;
    first.import(std::path::Path::new("exhibits")).await;
    let item = first.get("/api/v1/items/mongolian-ger").await.json();
    let sha = item["media"][0]["sha256"].as_str().unwrap().to_owned();
    let whole = first.get(&format!("/media/{sha}/original")).await;
    assert_eq!(whole.status, StatusCode::OK);

    let there = second.get(&format!("/media/{sha}/original")).await;
    assert_eq!(
        there.bytes, whole.bytes,
        "the same bytes from the other node"
    );
    let part = second
        .get_with(
            &format!("/media/{sha}/original"),
            &[("range", "bytes=100-199")],
        )
        .await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes, &whole.bytes[100..200]);
    // A derivative made on one node is the one the other serves.
    let small = second.get(&format!("/media/{sha}/w400.jpg")).await;
    assert_eq!(small.status, StatusCode::OK, "{}", small.text());
    assert_eq!(
        first.get(&format!("/media/{sha}/w400.jpg")).await.bytes,
        small.bytes
    );
}

