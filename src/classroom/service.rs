//! The classroom's rules around its repository: finding an assignment by a typed code
//! with throttling per client address, joining and resuming visits, and the retention
//! sweep.

use super::codes::{JoinCode, ResumeCode};
use super::model::*;
use super::repo::ClassroomRepo;
use super::rules::Retention;
use crate::accounts::model::Throttle;
use crate::accounts::repo::AccountsRepo;
use crate::accounts::secret::{random_token, token_hash};
use crate::repo::{RepoError, RepoResult};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// How many wrong codes a client address may send before it must wait.
#[derive(Debug, Clone)]
pub struct CodePolicy {
    /// Wrong join or resume codes allowed per address within `window`.
    pub failures: i64,
    /// The counting window, and how long a lock lasts.
    pub window: Duration,
}

impl Default for CodePolicy {
    /// 30 wrong codes per 10 minutes: a class of forty children sharing one school
    /// network can mistype, while a guesser gets about 4,300 tries a day.
    fn default() -> Self {
        CodePolicy {
            failures: 30,
            window: Duration::minutes(10),
        }
    }
}

/// Too many wrong codes from this address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many wrong codes from your network; try again in {minutes} minutes")]
pub struct Locked {
    /// Minutes until codes are accepted again.
    pub minutes: i64,
}

/// Why a code did not lead anywhere.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// No assignment (or visit) has this code.
    #[error("no such code")]
    Unknown,
    /// Too many wrong codes from this address.
    #[error(transparent)]
    Locked(#[from] Locked),
    /// The database failed.
    #[error(transparent)]
    Repo(#[from] RepoError),
}

/// A new visit: the device's cookie token and the student's resume code.
#[derive(Debug, Clone)]
pub struct Joined {
    /// The visit.
    pub visit: VisitId,
    /// The cookie token (only its hash is stored).
    pub token: String,
    /// The code to continue elsewhere.
    pub resume_code: ResumeCode,
}

/// The classroom service.
#[derive(Clone)]
pub struct Classroom {
    repo: Arc<dyn ClassroomRepo>,
    throttle: Arc<dyn AccountsRepo>,
    policy: CodePolicy,
    retention: Retention,
}

fn throttle_key(ip: &str) -> String {
    format!("code:{ip}")
}

impl Classroom {
    /// The service over its repository; wrong codes are counted in the accounts'
    /// throttling table.
    pub fn new(
        repo: Arc<dyn ClassroomRepo>,
        throttle: Arc<dyn AccountsRepo>,
        policy: CodePolicy,
        retention: Retention,
    ) -> Classroom {
        Classroom {
            repo,
            throttle,
            policy,
            retention,
        }
    }

    /// The repository, for plain reads and writes.
    pub fn repo(&self) -> &dyn ClassroomRepo {
        self.repo.as_ref()
    }

    /// How long visits are kept.
    pub fn retention(&self) -> Retention {
        self.retention
    }

    /// Refuses an address that sent too many wrong codes lately.
    pub async fn check_address(
        &self,
        ip: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), JoinError> {
        if let Some(ip) = ip
            && let Some(t) = self.throttle.throttle(&throttle_key(ip)).await?
            && let Some(until) = t.locked_until.filter(|u| *u > now)
        {
            let minutes = ((until - now).num_seconds() + 59) / 60;
            return Err(Locked {
                minutes: minutes.max(1),
            }
            .into());
        }
        Ok(())
    }

    /// Counts a wrong code from `ip`.
    async fn fail(&self, ip: Option<&str>, now: DateTime<Utc>) -> Result<JoinError, RepoError> {
        let Some(ip) = ip else {
            return Ok(JoinError::Unknown);
        };
        let key = throttle_key(ip);
        let mut t = match self.throttle.throttle(&key).await? {
            Some(t) if now - t.window_started_at < self.policy.window => t,
            _ => Throttle {
                failures: 0,
                window_started_at: now,
                locked_until: None,
            },
        };
        t.failures += 1;
        let locks = t.failures >= self.policy.failures;
        if locks {
            t.locked_until = Some(now + self.policy.window);
        }
        self.throttle.set_throttle(&key, &t).await?;
        Ok(if locks {
            JoinError::Locked(Locked {
                minutes: self.policy.window.num_minutes(),
            })
        } else {
            JoinError::Unknown
        })
    }

    /// The assignment a typed join code names. Wrong codes count against the address.
    pub async fn find(
        &self,
        typed: &str,
        ip: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Assignment, JoinError> {
        self.check_address(ip, now).await?;
        let found = match JoinCode::parse(typed) {
            Some(code) => self.repo.assignment_by_code(&code).await?,
            None => None,
        };
        match found {
            Some(a) => Ok(a),
            None => Err(self.fail(ip, now).await?),
        }
    }

    /// The visit a typed resume code names in `assignment`; a new device token for it.
    /// Wrong codes count against the address.
    pub async fn resume(
        &self,
        assignment: AssignmentId,
        typed: &str,
        ip: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(Visit, String), JoinError> {
        self.check_address(ip, now).await?;
        let found = match ResumeCode::parse(typed) {
            Some(code) => self.repo.visit_by_resume(assignment, &code).await?,
            None => None,
        };
        match found {
            Some(visit) => {
                let token = random_token();
                self.repo
                    .add_visit_token(visit.id, &token_hash(&token))
                    .await?;
                Ok((visit, token))
            }
            None => Err(self.fail(ip, now).await?),
        }
    }

    /// Starts a visit for `nickname` (already checked).
    pub async fn join(
        &self,
        assignment: AssignmentId,
        nickname: &str,
        now: DateTime<Utc>,
    ) -> RepoResult<Joined> {
        let token = random_token();
        // A resume code is unique within its assignment; on the rare collision, draw again.
        for _ in 0..5 {
            let resume_code = ResumeCode::generate();
            let new = NewVisit {
                nickname: nickname.to_owned(),
                resume_code: resume_code.clone(),
                token_hash: token_hash(&token),
            };
            match self.repo.create_visit(assignment, &new, now).await {
                Ok(visit) => {
                    return Ok(Joined {
                        visit,
                        token,
                        resume_code,
                    });
                }
                Err(RepoError::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(RepoError::Backend(anyhow::anyhow!(
            "no free resume code after five draws"
        )))
    }

    /// The visit in `assignment` whose device holds `token`.
    pub async fn visit_for(
        &self,
        assignment: AssignmentId,
        token: &str,
    ) -> RepoResult<Option<Visit>> {
        self.repo
            .visit_by_token(assignment, &token_hash(token))
            .await
    }

    /// Creates an assignment (with its first questions) under a fresh join code.
    pub async fn create_assignment(
        &self,
        class: ClassId,
        fields: &AssignmentFields,
        questions: &[NewQuestion],
    ) -> RepoResult<(AssignmentId, JoinCode)> {
        for _ in 0..5 {
            let code = JoinCode::generate();
            match self
                .repo
                .create_assignment(class, &code, fields, questions)
                .await
            {
                Ok(id) => return Ok((id, code)),
                Err(RepoError::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(RepoError::Backend(anyhow::anyhow!(
            "no free join code after five draws"
        )))
    }

    /// Sets `a` again for `class`: the same walk, instructions, essay, days and questions
    /// (all or nothing), a new join code, no visits.
    pub async fn copy_assignment(
        &self,
        a: &Assignment,
        class: ClassId,
    ) -> RepoResult<(AssignmentId, JoinCode)> {
        let questions: Vec<NewQuestion> = a.questions.iter().map(NewQuestion::from).collect();
        self.create_assignment(class, &a.fields, &questions).await
    }

    /// Deletes the visits and essays of every assignment whose retention ended by `now`.
    /// Returns how many visits were deleted.
    pub async fn sweep(&self, now: DateTime<Utc>) -> RepoResult<u64> {
        let mut deleted = 0;
        for a in self.repo.assignments_with_visits().await? {
            let closed = a.closes();
            if closed <= now && self.retention.purge_at(closed) <= now {
                deleted += self.repo.purge_visits(a.id).await?;
            }
        }
        Ok(deleted)
    }
}
