//! Who may import and run, and a bulk import's run as the database keeps it: a run cut off
//! by a restart goes on where it stopped, and runs are deleted when no longer wanted.

use crate::admin_import::{problems, staged, staged_id, with_bom, zip_of};
use crate::helpers::{HALL, SCHOOL, TestApp, multipart_form, session};
use crate::uploads::small_png;
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use edubase::catalogue::csv_import::run::Stage;
use edubase::store::{BlobKey, StagedId};

#[tokio::test]
async fn a_run_cut_off_by_a_restart_goes_on_where_it_stopped_and_doubles_nothing() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let csv = with_bom(&format!(
        "accession,title_zh,category,base,media\n\
         KZ-C-1,一,quyi,{HALL},a.png\n\
         KZ-C-2,二,quyi,{HALL},\n\
         KZ-C-3,三,quyi,{HALL},\n\
         KZ-C-4,四,quyi,{HALL},\n"
    ));
    let zip = zip_of(&[("a.png", &small_png())]);
    let r = curator.check(&app, &csv, Some(&zip)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let id = staged_id(&r.text());
    assert_eq!(curator.run(&app, &id).await.status, StatusCode::SEE_OTHER);

    // A server took the run, wrote rows 2 and 3, recorded row 2, and died before recording
    // row 3 (between the row's commit and its outcome).
    let now = chrono::Utc::now();
    let imports = &app.state.imports;
    assert!(
        imports
            .move_run(&id, &[Stage::Queued], Stage::Running, now)
            .await
            .unwrap()
    );
    let actor = edubase::repo::Actor {
        id: None,
        name: "saran".into(),
    };
    for (accession, title) in [("KZ-C-1", "一"), ("KZ-C-2", "二")] {
        let (fields, base) = edubase::catalogue::form::ItemForm {
            accession: accession.into(),
            slug: accession.to_lowercase(),
            base: HALL.into(),
            category: "quyi".into(),
            rights: "https://creativecommons.org/licenses/by/4.0/".into(),
            title_zh: title.into(),
            ..Default::default()
        }
        .check(edubase::catalogue::types::Status::Draft)
        .unwrap();
        app.state
            .editor
            .create_item(&fields, &base, &actor)
            .await
            .unwrap();
    }
    let first = edubase::catalogue::csv_import::run::RowOutcome {
        row: 2,
        accession: "KZ-C-1".into(),
        slug: "kz-c-1".into(),
        result: edubase::catalogue::csv_import::run::RowResult::Created,
        problems: Vec::new(),
    };
    imports.record_outcome(&id, &first).await.unwrap();
    let page = curator
        .get(&app, &format!("/admin/import/{id}"))
        .await
        .text();
    assert!(page.contains("已完成 1 / 4 行"), "{page}");

    // The job's claim runs out; a worker takes it up again.
    assert!(app.state.import_worker().drain().await.unwrap() >= 1);
    let page = curator
        .get(&app, &format!("/admin/import/{id}"))
        .await
        .text();
    assert!(page.contains("导入完成：创建 4 件，失败 0 行"), "{page}");
    for slug in ["kz-c-1", "kz-c-2", "kz-c-3", "kz-c-4"] {
        let item = app.item(slug).await.expect("imported");
        let history = app.state.editor.revisions(item.id).await.unwrap();
        assert_eq!(history.len(), 1, "{slug} was written once");
    }
    assert!(
        app.item("kz-c-1").await.unwrap().media.is_empty(),
        "a recorded row is not written again"
    );
    let report = curator
        .get(&app, &format!("/admin/import/{id}/report.csv"))
        .await;
    let text = String::from_utf8(report.bytes[3..].to_vec()).unwrap();
    let results: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(results, ["created"; 4], "{text}");
    assert_eq!(staged(&app).await, 0, "the zip is deleted after the run");
}

#[tokio::test]
async fn runs_never_run_go_after_a_day_and_reports_after_thirty() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let zip = zip_of(&[("a.png", &small_png())]);
    let check = |accession: &'static str| {
        let csv = with_bom(&format!(
            "accession,title_zh,category,base,media\n{accession},一,quyi,{HALL},a.png\n"
        ));
        let (curator, app, zip) = (&curator, &app, &zip);
        async move { staged_id(&curator.check(app, &csv, Some(zip)).await.text()) }
    };
    let waiting = check("KZ-S-1").await;
    let finished = check("KZ-S-2").await;
    curator.run_to_end(&app, &finished).await;
    assert_eq!(staged(&app).await, 2, "one run waits, and its zip");
    let zip_key = BlobKey::Staged(StagedId::parse(&waiting).unwrap());
    assert!(app.state.blobs.exists(&zip_key).await.unwrap());

    // The import page lists the curator's runs, newest first, and only theirs.
    let page = curator.get(&app, "/admin/import").await.text();
    let list = page
        .split("class=\"data import-runs\"")
        .nth(1)
        .expect("a list of runs");
    let finished_at = list.find(&format!("/admin/import/{finished}")).unwrap();
    let waiting_at = list.find(&format!("/admin/import/{waiting}")).unwrap();
    assert!(finished_at < waiting_at, "newest first: {list}");
    assert!(list.contains("导入完成：创建 1 件，失败 0 行"), "{list}");
    assert!(list.contains("已检查，尚未开始"), "{list}");
    let someone = session(&app, "tuya", Role::Curator, &[HALL]).await;
    let theirs = someone.get(&app, "/admin/import").await.text();
    assert!(
        !theirs.contains("import-runs"),
        "another curator sees none of them"
    );

    let sweep = edubase::app::import_job::sweep;
    let now = chrono::Utc::now();
    assert_eq!(sweep(&app.state, now).await, 0, "nothing is old yet");
    assert_eq!(sweep(&app.state, now + chrono::Duration::days(2)).await, 1);
    assert!(!app.state.blobs.exists(&zip_key).await.unwrap());
    let gone = curator.get(&app, &format!("/admin/import/{waiting}")).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let kept = curator
        .get(&app, &format!("/admin/import/{finished}"))
        .await;
    assert!(kept.text().contains("导入完成"), "the report stays a month");
    assert_eq!(sweep(&app.state, now + chrono::Duration::days(31)).await, 1);
    let gone = curator
        .get(&app, &format!("/admin/import/{finished}"))
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(app.item("kz-s-2").await.is_some(), "what it wrote stays");
}

#[tokio::test]
async fn only_curators_may_import_and_only_into_their_own_bases() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let teacher = session(&app, "naran", Role::Teacher, &[]).await;
    let other = session(&app, "tuya", Role::Curator, &[SCHOOL]).await;
    let csv = with_bom(&format!(
        "accession,title_zh,category,base\nKZ-A-1,一,quyi,{HALL}\n"
    ));

    let anonymous = app.get("/admin/import").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.header("location").starts_with("/admin/login"));
    let (content_type, body) = multipart_form(&[], &[("csv", "a.csv", &csv)]);
    let anonymous = app
        .send(
            "POST",
            "/admin/import",
            &[("content-type", &content_type)],
            body,
            None,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        teacher.get(&app, "/admin/import").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        teacher.get(&app, "/admin/import/template.csv").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        teacher.check(&app, &csv, None).await.status,
        StatusCode::FORBIDDEN
    );

    // Without the form's CSRF token nothing is even staged.
    let (content_type, body) = multipart_form(&[], &[("csv", "a.csv", &csv)]);
    let r = app
        .send(
            "POST",
            "/admin/import",
            &[("cookie", &curator.cookie), ("content-type", &content_type)],
            body,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(staged(&app).await, 0);

    // A curator of another base is told which bases they may use.
    let r = other.check(&app, &csv, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problems(&r.text()), [("2".to_owned(), "base".to_owned())]);
    assert!(r.text().contains(SCHOOL));

    // Nor may they run, watch or download someone else's import.
    let r = curator.check(&app, &csv, None).await;
    let id = staged_id(&r.text());
    assert_eq!(other.run(&app, &id).await.status, StatusCode::FORBIDDEN);
    assert_eq!(teacher.run(&app, &id).await.status, StatusCode::FORBIDDEN);
    let no_token = app
        .post_form(
            &format!("/admin/import/{id}/run"),
            &[],
            &[("cookie", &curator.cookie)],
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert!(app.item("kz-a-1").await.is_none(), "nothing was written");
    curator.run_to_end(&app, &id).await;
    for uri in [
        format!("/admin/import/{id}"),
        format!("/admin/import/{id}/report.csv"),
    ] {
        assert_eq!(
            other.get(&app, &uri).await.status,
            StatusCode::FORBIDDEN,
            "{uri}"
        );
        assert_eq!(
            teacher.get(&app, &uri).await.status,
            StatusCode::FORBIDDEN,
            "{uri}"
        );
    }
    assert_eq!(
        curator
            .get(&app, "/admin/import/not-a-real-import-id-at-all")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_run_that_lost_its_job_is_queued_again_by_the_sweep() {
    let app = TestApp::with_samples().await;
    let curator = session(&app, "saran", Role::Curator, &[HALL]).await;
    let csv = with_bom(&format!(
        "accession,title_zh,category,base\nKZ-L-1,一,quyi,{HALL}\n"
    ));
    let id = staged_id(&curator.check(&app, &csv, None).await.text());
    // Moved to queued, but its job never made it into the queue (a failure in between).
    let now = chrono::Utc::now();
    assert!(
        app.state
            .imports
            .move_run(&id, &[Stage::Staged], Stage::Queued, now)
            .await
            .unwrap()
    );
    assert_eq!(app.state.import_worker().drain().await.unwrap(), 0);
    edubase::app::import_job::sweep(&app.state, now).await;
    edubase::app::import_job::sweep(&app.state, now).await;
    assert_eq!(
        app.state.import_worker().drain().await.unwrap(),
        1,
        "queued again, once"
    );
    let page = curator
        .get(&app, &format!("/admin/import/{id}"))
        .await
        .text();
    assert!(page.contains("导入完成：创建 1 件，失败 0 行"), "{page}");
}
