//! Users, sessions and the audit trail as the rest of the program sees them.

use super::types::{Role, Username};
use crate::catalogue::types::Slug;
use crate::repo::{AuditEntry, Cursor};
use chrono::{DateTime, Utc};

/// Database identity of a user.
pub type UserId = i64;

/// A person who can sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Identity.
    pub id: UserId,
    /// Login name.
    pub username: Username,
    /// Name shown in the admin and the audit log.
    pub display_name: String,
    /// What they may do.
    pub role: Role,
    /// For curators: the bases whose records they may change.
    pub bases: Vec<Slug>,
    /// Disabled users cannot sign in and lose their sessions.
    pub disabled: bool,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

impl User {
    /// True when this user may change records of the base `slug`.
    pub fn can_edit_base(&self, slug: &Slug) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Curator => self.bases.contains(slug),
            Role::Teacher => false,
        }
    }
}

/// A user to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Login name.
    pub username: Username,
    /// Name shown in the admin.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Assigned bases (curators).
    pub bases: Vec<Slug>,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// A server-side session. The cookie holds a random token; the database holds only its
/// SHA-256, so a copy of the database does not let anyone sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 (hex) of the cookie token.
    pub id_hash: String,
    /// Whose session.
    pub user_id: UserId,
    /// The token forms must send back (synchronizer token).
    pub csrf_token: String,
    /// Sign-in time.
    pub created_at: DateTime<Utc>,
    /// Last request seen (for the idle timeout).
    pub last_seen_at: DateTime<Utc>,
    /// Absolute end of the session.
    pub expires_at: DateTime<Utc>,
    /// Client address at sign-in, for the user's own overview.
    pub ip: Option<String>,
    /// Browser at sign-in.
    pub user_agent: Option<String>,
}

/// Failed sign-ins counted under one key (an account or an address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Failures in the current window.
    pub failures: i64,
    /// When the current window started.
    pub window_started_at: DateTime<Utc>,
    /// Sign-ins are refused until then.
    pub locked_until: Option<DateTime<Utc>>,
}

/// What a user may do, as an administrator sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// Name shown in the admin.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Assigned bases (curators only).
    pub bases: Vec<Slug>,
}

/// A line of the audit log as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Its number (newest is highest).
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who and what.
    pub entry: AuditEntry,
}

/// Which audit lines to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only this kind of record (`item`, `base`, `user`…).
    pub entity: Option<String>,
    /// Only this record (its key).
    pub entity_id: Option<String>,
    /// Only changes by this user name (or `import`, `cli`).
    pub actor: Option<String>,
    /// Lines older than this cursor (an audit id).
    pub before: Option<Cursor>,
    /// Page size.
    pub limit: u32,
}
