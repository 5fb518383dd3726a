//! The scaled-out shape: several nodes on one database and one media store. In CI the
//! pair runs on PostgreSQL and an S3-compatible server; here on one SQLite file and one
//! media folder, or one shared in-memory store.

use crate::helpers::{HALL, TestApp, session};
use crate::import::jpeg_bytes;
use crate::tus::{broken_body, tus_create, tus_head, tus_patch};
use crate::uploads::{ITEM, curator, media_count, wav};
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

#[tokio::test]
async fn a_resumable_upload_goes_on_at_whichever_node_receives_its_bytes() {
    let (first, second) = TestApp::pair().await;
    first.import(std::path::Path::new("exhibits")).await;
    let session = curator(&first).await;
    let sound = wav(1);

    // Created on one node, all bytes sent to the other (a load balancer routing by URL).
    let created = tus_create(&first, &session, sound.len(), "说书.wav").await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let location = created.header("location").to_owned();
    assert_eq!(
        tus_head(&second, &session, &location)
            .await
            .header("upload-offset"),
        "0"
    );
    let done = tus_patch(&second, &session, &location, 0, sound.clone().into()).await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.text());
    assert_eq!(
        media_count(&first, ITEM).await,
        1,
        "the file is a media file of the item"
    );

    // Bytes staged on one node cannot go on at the other: the client is told to start again.
    let other = wav(2);
    let created = tus_create(&first, &session, other.len(), "第二段.wav").await;
    let location = created.header("location").to_owned();
    let cut = tus_patch(
        &first,
        &session,
        &location,
        0,
        broken_body(other[..10_000].to_vec()),
    )
    .await;
    assert!(cut.status.is_client_error(), "{}", cut.status);
    let head = tus_head(&second, &session, &location).await;
    assert_eq!(head.status, StatusCode::NOT_FOUND);
    let there = tus_patch(
        &second,
        &session,
        &location,
        10_000,
        other[10_000..].to_vec().into(),
    )
    .await;
    assert_eq!(there.status, StatusCode::NOT_FOUND);
    assert!(
        there.text().contains("start the upload again"),
        "{}",
        there.text()
    );
    // …and the node that holds them still takes the rest.
    let rest = tus_patch(
        &first,
        &session,
        &location,
        10_000,
        other[10_000..].to_vec().into(),
    )
    .await;
    assert_eq!(rest.status, StatusCode::NO_CONTENT, "{}", rest.text());
    assert_eq!(media_count(&second, ITEM).await, 2);
}

#[tokio::test]
async fn each_node_prints_a_setup_link_that_works_until_an_administrator_exists() {
    let (first, second) = TestApp::pair().await;
    let one = first.state.accounts.begin_setup().await.unwrap().unwrap();
    // The second node starts after the first and prints its own link.
    let two = second.state.accounts.begin_setup().await.unwrap().unwrap();
    for (node, token) in [(&first, &one), (&second, &one), (&first, &two)] {
        let form = node.get(&format!("/admin/setup?token={token}")).await;
        assert_eq!(
            form.status,
            StatusCode::OK,
            "every printed link opens the form"
        );
    }
    let fields = [
        ("token", two.as_str()),
        ("username", "wang.admin"),
        ("password", "a long enough password 2026"),
        ("password2", "a long enough password 2026"),
    ];
    let done = second.post_form("/admin/setup", &fields, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let stale = first.get(&format!("/admin/setup?token={one}")).await;
    assert_eq!(
        stale.status,
        StatusCode::FORBIDDEN,
        "no link works once there is an admin"
    );
}

#[tokio::test]
async fn a_bulk_import_goes_through_whichever_node_answers_and_both_show_it() {
    use crate::admin_import::{staged_id, with_bom, zip_of};
    let (first, second) = TestApp::pair().await;
    first.import(std::path::Path::new("exhibits")).await;
    let curator = crate::helpers::session(&first, "saran", Role::Curator, &[HALL]).await;
    let csv = with_bom(&format!(
        "accession,title_zh,category,base,media\n\
         KZ-N-1,一,quyi,{HALL},n.jpg\n\
         KZ-N-2,二,quyi,{HALL},\n"
    ));
    let zip = zip_of(&[("n.jpg", &jpeg_bytes(64, 48))]);
    // The zip goes up resumably to the first node, the spreadsheet's check reaches the
    // second, the run button the first again, and the second node's worker writes the
    // rows: the zip waits in the shared media store, the run in the database.
    let (location, sent) = curator.send_zip(&first, zip).await;
    assert_eq!(sent.status, StatusCode::NO_CONTENT, "{}", sent.text());
    let upload = crate::admin_import_upload::upload_id(&location);
    let checked = curator.check_with_upload(&second, &csv, &upload).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.text());
    let id = staged_id(&checked.text());
    let run = curator.run(&first, &id).await;
    assert_eq!(run.status, StatusCode::SEE_OTHER, "{}", run.text());
    assert_eq!(second.state.import_worker().drain().await.unwrap(), 1);
    for node in [&first, &second] {
        let page = curator.get(node, &format!("/admin/import/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text().contains("导入完成：创建 2 件，失败 0 行"),
            "{}",
            page.text()
        );
    }
    let item = second.item("kz-n-1").await.expect("imported");
    assert_eq!(item.media.len(), 1);
    let photo = edubase::store::Sha256Hex::parse(&item.media[0].sha256).unwrap();
    let key = edubase::store::BlobKey::Original(photo);
    assert!(second.state.blobs.exists(&key).await.unwrap());
    let report = curator
        .get(&second, &format!("/admin/import/{id}/report.csv"))
        .await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&report.bytes).contains("2,KZ-N-1,kz-n-1,created,"));
}
