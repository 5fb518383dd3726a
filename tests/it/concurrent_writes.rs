//! Writers at the same time on one SQLite file, as a bulk import, the job workers and
//! curators are: each waits for the others instead of failing with "database is locked".

use crate::helpers::{HALL, TestApp};
use std::path::Path;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_at_the_same_time_wait_for_each_other_and_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::at(dir.path()).await;
    app.import(Path::new("exhibits")).await;
    let mut tasks = Vec::new();
    for writer in 0..4 {
        let state = app.state.clone();
        tasks.push(tokio::spawn(async move {
            let actor = edubase::repo::Actor {
                id: None,
                name: format!("writer-{writer}"),
            };
            for i in 0..40 {
                let accession = format!("KZ-W{writer}-{i:03}");
                let (fields, base) = edubase::catalogue::form::ItemForm {
                    accession: accession.clone(),
                    slug: accession.to_lowercase(),
                    base: HALL.into(),
                    category: "quyi".into(),
                    rights: "https://creativecommons.org/licenses/by/4.0/".into(),
                    title_zh: format!("并发写入 {writer} {i}"),
                    ..Default::default()
                }
                .check(edubase::catalogue::types::Status::Draft)
                .unwrap();
                state
                    .editor
                    .create_item(&fields, &base, &actor)
                    .await
                    .map_err(|e| format!("{accession}: {e}"))?;
            }
            Ok::<_, String>(())
        }));
    }
    // Meanwhile the queue is busy, as derivatives' jobs are during an import.
    let jobs = app.state.jobs.clone();
    tasks.push(tokio::spawn(async move {
        let kinds = ["busy"];
        for i in 0..200 {
            let now = chrono::Utc::now();
            jobs.enqueue("busy", &i.to_string(), now)
                .await
                .map_err(|e| e.to_string())?;
            if let Some(job) = jobs
                .claim(now, chrono::Duration::minutes(1), &kinds)
                .await
                .map_err(|e| e.to_string())?
            {
                jobs.complete(job.id).await.map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }));
    let mut failures = Vec::new();
    for task in tasks {
        if let Err(e) = task.await.unwrap() {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
    assert!(app.item("kz-w3-039").await.is_some());
}
