//! The job queue as several workers see it: each takes only the kinds it knows, a job that
//! runs longer than its lease keeps its claim, and a handler that panics fails its job
//! without taking the worker down.

use crate::helpers::TestApp;
use edubase::jobs::{Job, Worker};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[tokio::test]
async fn a_worker_takes_only_the_kinds_it_handles() {
    let app = TestApp::empty().await;
    let jobs = app.state.jobs.clone();
    let now = chrono::Utc::now();
    jobs.enqueue("import", "run-1", now).await.unwrap();
    jobs.enqueue("derive", "not-a-hash", now).await.unwrap();
    let ran = Arc::new(AtomicUsize::new(0));
    let counter = ran.clone();
    let imports = Worker::new(jobs.clone()).handle("import", move |job: Job| {
        let counter = counter.clone();
        async move {
            assert_eq!(job.payload, "run-1");
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    });
    assert_eq!(imports.drain().await.unwrap(), 1);
    assert_eq!(ran.load(Ordering::SeqCst), 1);
    assert_eq!(
        jobs.counts().await.unwrap().queued,
        1,
        "the other kind waits for its own worker"
    );
}

#[tokio::test]
async fn a_job_running_longer_than_its_lease_is_not_taken_by_another_worker() {
    let app = TestApp::empty().await;
    let jobs = app.state.jobs.clone();
    jobs.enqueue("slow", "x", chrono::Utc::now()).await.unwrap();
    let started = Arc::new(AtomicUsize::new(0));
    let worker = |started: Arc<AtomicUsize>| {
        let mut w = Worker::new(jobs.clone()).handle("slow", move |_job: Job| {
            let started = started.clone();
            async move {
                started.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(6000)).await;
                Ok(())
            }
        });
        w.lease = chrono::Duration::milliseconds(1500);
        w
    };
    let first = worker(started.clone());
    let second = worker(started.clone());
    let running = tokio::spawn(async move { first.run_one().await.unwrap() });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    for _ in 0..25 {
        // Three leases pass while the first worker holds the job (renewed every 0.5 s,
        // with a second of slack for a loaded machine).
        assert!(!second.run_one().await.unwrap(), "the claim was renewed");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(running.await.unwrap());
    assert_eq!(started.load(Ordering::SeqCst), 1, "it ran once");
    assert_eq!(jobs.counts().await.unwrap().queued, 0);
}

#[tokio::test]
async fn a_handler_that_panics_fails_its_job_and_the_worker_goes_on() {
    let app = TestApp::empty().await;
    let jobs = app.state.jobs.clone();
    let now = chrono::Utc::now();
    jobs.enqueue("boom", "1", now).await.unwrap();
    let worker = Worker::new(jobs.clone())
        .handle("boom", |_job: Job| async { panic!("a bug in a handler") })
        .handle("fine", |_job: Job| async { Ok(()) });
    assert!(worker.run_one().await.unwrap());
    // Put back for a later attempt, not lost and not held.
    assert_eq!(jobs.counts().await.unwrap().queued, 1);
    jobs.enqueue("fine", "2", now).await.unwrap();
    assert!(worker.run_one().await.unwrap(), "the worker still works");
    assert_eq!(jobs.counts().await.unwrap().queued, 1);
}
