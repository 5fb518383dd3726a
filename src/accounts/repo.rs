//! The accounts repository: users, sessions, sign-in throttling, the audit log.

use super::model::*;
use super::types::Username;
use crate::repo::AuditEntry;
use crate::repo::{Page, RepoResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Storage of accounts.
#[async_trait]
pub trait AccountsRepo: Send + Sync {
    /// Creates a user with their base assignments and an audit row, in one transaction.
    /// `Conflict` when the name is taken; `Invalid` when a base does not exist.
    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> RepoResult<UserId>;
    /// A user and their password hash, by login name.
    async fn user_by_name(&self, username: &Username) -> RepoResult<Option<(User, String)>>;
    /// A user by id.
    async fn user(&self, id: UserId) -> RepoResult<Option<User>>;
    /// Every user, by name.
    async fn list_users(&self) -> RepoResult<Vec<User>>;
    /// How many enabled administrators exist.
    async fn count_admins(&self) -> RepoResult<i64>;
    /// Replaces a password hash, ends all the user's sessions, and audits.
    async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        audit: &AuditEntry,
    ) -> RepoResult<()>;
    /// Enables or disables a user (disabling ends their sessions), and audits.
    async fn set_disabled(&self, id: UserId, disabled: bool, audit: &AuditEntry) -> RepoResult<()>;
    /// Changes a user's name, role and bases, and audits. `Invalid` when a base does not
    /// exist, or when the change would leave no enabled administrator.
    async fn set_access(&self, id: UserId, access: &Access, audit: &AuditEntry) -> RepoResult<()>;

    /// Stores a new session.
    async fn create_session(&self, session: &Session) -> RepoResult<()>;
    /// A session and its (enabled) user.
    async fn session(&self, id_hash: &str) -> RepoResult<Option<(Session, User)>>;
    /// Records activity on a session.
    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>) -> RepoResult<()>;
    /// Ends one session.
    async fn delete_session(&self, id_hash: &str) -> RepoResult<()>;
    /// Ends every session of a user; returns how many.
    async fn delete_user_sessions(&self, user: UserId) -> RepoResult<u64>;
    /// Removes sessions past their absolute or idle end.
    async fn delete_stale_sessions(
        &self,
        now: DateTime<Utc>,
        idle_since: DateTime<Utc>,
    ) -> RepoResult<u64>;

    /// The failure count under `key`, if any.
    async fn throttle(&self, key: &str) -> RepoResult<Option<Throttle>>;
    /// Stores the failure count under `key`.
    async fn set_throttle(&self, key: &str, state: &Throttle) -> RepoResult<()>;
    /// Forgets failures under `key` (after a successful sign-in).
    async fn clear_throttle(&self, key: &str) -> RepoResult<()>;

    /// Appends to the audit log.
    async fn audit(&self, entry: &AuditEntry) -> RepoResult<()>;
    /// The newest audit entries, newest first.
    async fn recent_audit(&self, limit: u32) -> RepoResult<Vec<(DateTime<Utc>, AuditEntry)>>;
    /// One page of the audit log, newest first, filtered.
    async fn audit_log(&self, query: &AuditQuery) -> RepoResult<Page<AuditRecord>>;
}
