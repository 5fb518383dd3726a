//! Durable background work: a queue in the database that any server process may claim
//! with a lease, so work survives restarts and a crashed worker's job is picked up again.
//! Failures are retried with exponential backoff, then parked as failed for an operator.

use crate::repo::RepoResult;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Identity.
    pub id: i64,
    /// Which handler runs it, e.g. `derive`.
    pub kind: String,
    /// The handler's input (e.g. a content hash).
    pub payload: String,
    /// Runs so far, including this one.
    pub attempts: i64,
}

/// How many jobs wait and how many gave up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    /// Waiting or running.
    pub queued: i64,
    /// Out of attempts.
    pub failed: i64,
}

/// The job table.
#[async_trait]
pub trait JobsRepo: Send + Sync {
    /// Queues a job; a job with the same kind and payload already waiting is not duplicated.
    async fn enqueue(&self, kind: &str, payload: &str, run_after: DateTime<Utc>) -> RepoResult<()>;
    /// Claims the next due job of one of `kinds` for `lease` (another process may take it
    /// after that, unless the claim is renewed).
    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        kinds: &[&str],
    ) -> RepoResult<Option<Job>>;
    /// Extends the claim of a job still being worked on.
    async fn renew(&self, id: i64, until: DateTime<Utc>) -> RepoResult<()>;
    /// Marks a job done.
    async fn complete(&self, id: i64) -> RepoResult<()>;
    /// Puts a job back for a later attempt, recording why it failed.
    async fn retry(&self, id: i64, run_after: DateTime<Utc>, error: &str) -> RepoResult<()>;
    /// Gives up on a job.
    async fn fail(&self, id: i64, error: &str) -> RepoResult<()>;
    /// Queue sizes, for the dashboard and `/metrics`.
    async fn counts(&self) -> RepoResult<QueueCounts>;
}

/// What a handler returns.
pub type HandlerResult = Result<(), String>;
type Handler =
    Arc<dyn Fn(Job) -> Pin<Box<dyn Future<Output = HandlerResult> + Send>> + Send + Sync>;

/// Runs of a job before it is parked as failed.
pub const MAX_ATTEMPTS: i64 = 6;

/// Runs queued jobs.
#[derive(Clone)]
pub struct Worker {
    repo: Arc<dyn JobsRepo>,
    handlers: HashMap<&'static str, Handler>,
    /// Attempts before a job is parked as failed.
    pub max_attempts: i64,
    /// How long a claim lasts unless renewed: a worker renews it every third of this while
    /// the job runs, so only a job whose process died is taken up by another.
    pub lease: Duration,
}

impl Worker {
    /// A worker with no handlers.
    pub fn new(repo: Arc<dyn JobsRepo>) -> Worker {
        Worker {
            repo,
            handlers: HashMap::new(),
            max_attempts: MAX_ATTEMPTS,
            lease: Duration::minutes(2),
        }
    }

    /// Registers the handler of a kind of job.
    pub fn handle<F, Fut>(mut self, kind: &'static str, f: F) -> Worker
    where
        F: Fn(Job) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.handlers
            .insert(kind, Arc::new(move |job| Box::pin(f(job))));
        self
    }

    /// The delay before attempt `attempts + 1`: 10 s, 40 s, 160 s … capped at an hour.
    pub fn backoff(attempts: i64) -> Duration {
        let exponent = (attempts.max(1) - 1).min(10) as u32;
        Duration::seconds((10 * 4i64.pow(exponent)).min(3600))
    }

    /// Claims and runs one due job of the kinds this worker handles; false when none was due.
    /// The handler runs as its own task, so a panic fails the job instead of the worker.
    pub async fn run_one(&self) -> RepoResult<bool> {
        let now = Utc::now();
        let kinds: Vec<&str> = self.handlers.keys().copied().collect();
        let Some(job) = self.repo.claim(now, self.lease, &kinds).await? else {
            return Ok(false);
        };
        let handler = self.handlers[job.kind.as_str()].clone();
        let mut task = tokio::spawn(handler(job.clone()));
        let beat = (self.lease / 3)
            .to_std()
            .unwrap_or(std::time::Duration::from_secs(1));
        let outcome = loop {
            tokio::select! {
                joined = &mut task => break joined.unwrap_or_else(|e| Err(format!("the job stopped: {e}"))),
                () = tokio::time::sleep(beat) => {
                    if let Err(e) = self.repo.renew(job.id, Utc::now() + self.lease).await {
                        tracing::warn!(job = job.id, error = %e, "job lease not renewed");
                    }
                }
            }
        };
        match outcome {
            Ok(()) => self.repo.complete(job.id).await?,
            Err(e) if job.attempts >= self.max_attempts => {
                tracing::error!(job = job.id, kind = %job.kind, error = %e, "job failed for good");
                self.repo.fail(job.id, &e).await?;
            }
            Err(e) => {
                tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, error = %e, "job failed; will retry");
                self.repo
                    .retry(job.id, Utc::now() + Worker::backoff(job.attempts), &e)
                    .await?;
            }
        }
        Ok(true)
    }

    /// Runs jobs until the queue is empty (tests, and the first-start import).
    pub async fn drain(&self) -> RepoResult<usize> {
        let mut ran = 0;
        while self.run_one().await? {
            ran += 1;
        }
        Ok(ran)
    }

    /// Runs forever: works through due jobs, then sleeps a little.
    pub async fn run(self) {
        loop {
            match self.run_one().await {
                Ok(true) => continue,
                Ok(false) => tokio::time::sleep(std::time::Duration::from_secs(2)).await,
                Err(e) => {
                    tracing::warn!(error = %e, "job queue unavailable");
                    tokio::time::sleep(std::time::Duration::from_secs(10)).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(Worker::backoff(1), Duration::seconds(10));
        assert_eq!(Worker::backoff(2), Duration::seconds(40));
        assert_eq!(Worker::backoff(3), Duration::seconds(160));
        assert_eq!(Worker::backoff(20), Duration::seconds(3600));
    }
}
