//! A bulk import's media zip sent resumably (tus), as the import page's script does on a
//! weak network: the zip goes up first, in pieces, and the dry run names it by its upload;
//! a CSV that needs fixing does not cost the zip's upload again. Hostile or foreign
//! uploads are refused.

use crate::admin_import::{problems, staged, staged_id, with_bom, zip_of};
use crate::helpers::{HALL, SCHOOL, Session, TestApp, TestResponse, session};
use crate::import::jpeg_bytes;
use crate::tus::{tus_metadata, tus_patch, tus_start};
use crate::uploads::staging_files;
use axum::body::Body;
use axum::http::StatusCode;
use edubase::accounts::types::Role;

impl Session {
    pub(crate) fn pair(&self) -> (String, String) {
        (self.cookie.clone(), self.csrf.clone())
    }

    /// Starts a resumable upload of an import zip; returns the answer.
    pub(crate) async fn start_zip(&self, app: &TestApp, length: usize, name: &str) -> TestResponse {
        let meta = tus_metadata(&[("purpose", "import"), ("filename", name)]);
        tus_start(app, &self.pair(), length, &meta).await
    }

    /// Sends a whole import zip resumably; returns its upload's address and the answer to
    /// the bytes.
    pub(crate) async fn send_zip(&self, app: &TestApp, bytes: Vec<u8>) -> (String, TestResponse) {
        let created = self.start_zip(app, bytes.len(), "media.zip").await;
        let location = created.header("location").to_owned();
        let sent = tus_patch(app, &self.pair(), &location, 0, Body::from(bytes)).await;
        (location, sent)
    }

    /// The dry run with a CSV and the id of a zip sent before.
    pub(crate) async fn check_with_upload(
        &self,
        app: &TestApp,
        csv: &[u8],
        upload: &str,
    ) -> TestResponse {
        self.check_form(
            app,
            &[("media_upload", upload)],
            &[("csv", "items.csv", csv)],
        )
        .await
    }
}

pub(crate) fn upload_id(location: &str) -> String {
    location.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_zip_sent_in_pieces_is_checked_kept_while_the_csv_is_fixed_then_imported() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let zip = zip_of(&[("photos/saddle.jpg", &jpeg_bytes(64, 48))]);
    let created = curator.start_zip(&app, zip.len(), "媒体.zip").await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let location = created.header("location").to_owned();
    let id = upload_id(&location);
    let half = zip.len() / 2;
    let first = tus_patch(
        &app,
        &curator.pair(),
        &location,
        0,
        Body::from(zip[..half].to_vec()),
    )
    .await;
    assert_eq!(first.status, StatusCode::NO_CONTENT, "{}", first.text());

    let csv = with_bom(&format!(
        "accession,title_zh,category,base,media\nKZ-U-1,马鞍,quyi,{HALL},photos/saddle.jpg\n"
    ));
    let early = curator.check_with_upload(&app, &csv, &id).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.text().contains("还没有上传完"), "{}", early.text());

    let rest = tus_patch(
        &app,
        &curator.pair(),
        &location,
        half,
        Body::from(zip[half..].to_vec()),
    )
    .await;
    assert_eq!(rest.status, StatusCode::NO_CONTENT, "{}", rest.text());
    assert!(
        rest.headers.get("edubase-media-id").is_none(),
        "a zip is no media file of an item"
    );

    // A mistake in the CSV: the zip stays for the next check.
    let wrong = with_bom(&format!(
        "accession,title_zh,category,base,media\nKZ-U-1,马鞍,no-such-category,{HALL},photos/saddle.jpg\n"
    ));
    let r = curator.check_with_upload(&app, &wrong, &id).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problems(&r.text()),
        [("2".to_owned(), "category".to_owned())]
    );
    assert!(
        r.text()
            .contains(&format!("name=\"media_upload\" value=\"{id}\"")),
        "the page keeps the upload for the next check"
    );
    assert!(
        r.text().contains("已上传的媒体压缩包：媒体.zip"),
        "{}",
        r.text()
    );

    let r = curator.check_with_upload(&app, &csv, &id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        app.state.uploads.upload(&id).await.unwrap().is_none(),
        "the dry run took the upload"
    );
    assert_eq!(staging_files(&app), 0, "its bytes moved to the media store");
    let run = staged_id(&r.text());
    let done = curator.run_to_end(&app, &run).await;
    assert!(done.contains("导入完成：创建 1 件，失败 0 行"), "{done}");
    let saddle = app.item("kz-u-1").await.expect("imported");
    assert_eq!(saddle.media.len(), 1);
    assert_eq!(saddle.media[0].fields.original_name, "saddle.jpg");
    assert_eq!(staged(&app).await, 0);
}

#[tokio::test]
async fn uploads_for_imports_refuse_what_is_no_zip_too_large_or_someone_elses() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let other = session(&app, "tuya", Role::Curator, &[SCHOOL]).await;
    let teacher = session(&app, "naran", Role::Teacher, &[]).await;

    let r = teacher.start_zip(&app, 100, "a.zip").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "teachers do not import");
    let r = curator.start_zip(&app, (4 << 30) + 1, "huge.zip").await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("too_large"), "{}", r.text());

    // A photograph sent as an import zip: refused at its first bytes, nothing kept.
    let (location, r) = curator.send_zip(&app, jpeg_bytes(64, 48)).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.text().contains("not a zip"), "{}", r.text());
    let upload = async |location: &str| app.state.uploads.upload(&upload_id(location)).await;
    assert!(upload(&location).await.unwrap().is_none());
    assert_eq!(staging_files(&app), 0);

    // Someone else's zip, or an id that is no upload, is not found.
    let (location, r) = curator
        .send_zip(&app, zip_of(&[("a.jpg", &jpeg_bytes(8, 8))]))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let csv = with_bom(&format!(
        "accession,title_zh,category,base,media\nKZ-V-1,一,quyi,{SCHOOL},a.jpg\n"
    ));
    for id in [
        upload_id(&location),
        "../../etc/passwd".into(),
        "x".repeat(30),
    ] {
        let r = other.check_with_upload(&app, &csv, &id).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{id}");
        assert!(
            r.text().contains("之前上传的媒体压缩包找不到了"),
            "{}",
            r.text()
        );
        assert!(!r.text().contains(&format!("value=\"{id}\"")));
    }
    assert!(
        upload(&location).await.unwrap().is_some(),
        "the owner's upload is untouched"
    );
}
