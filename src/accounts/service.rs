//! What signing in means: the rules around the accounts repository, free of HTTP.

use super::errors::{LoginError, SetupError, UserError};
use super::model::*;
use super::repo::AccountsRepo;
use super::secret::{hash_password, random_token, same_secret, token_hash, verify_password};
use super::types::{Role, Username, check_password};
use crate::catalogue::types::Slug;
use crate::repo::AuditEntry;
use crate::repo::{MetaRepo, RepoError, RepoResult};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// Timeouts and sign-in limits.
#[derive(Debug, Clone)]
pub struct SessionPolicy {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute: Duration,
    /// Failures allowed per account within `window` before it is locked.
    pub account_failures: i64,
    /// Failures allowed per client address within `window`.
    pub address_failures: i64,
    /// The counting window, and how long a lock lasts.
    pub window: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::hours(4),
            absolute: Duration::hours(24),
            account_failures: 5,
            address_failures: 20,
            window: Duration::minutes(15),
        }
    }
}

/// A new sign-in: the cookie token and the session it opened.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Goes into the session cookie; never stored.
    pub token: String,
    /// The session.
    pub session: Session,
    /// Who signed in.
    pub user: User,
}

/// A request's verified session.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// Who is signed in.
    pub user: User,
    /// The session (for its CSRF token and for signing out).
    pub session: Session,
}

impl Authenticated {
    /// The signed-in user as the author of a change.
    pub fn actor(&self) -> crate::repo::Actor {
        crate::repo::Actor {
            id: Some(self.user.id),
            name: self.user.username.to_string(),
        }
    }

    /// True when `token` is this session's CSRF token.
    pub fn csrf_ok(&self, token: &str) -> bool {
        same_secret(token, &self.session.csrf_token)
    }
}

/// Setup tokens are kept as `setup_token_expires:<sha256 of the token>` = expiry: one per
/// server start, so each node of a site prints a link that works.
const SETUP_PREFIX: &str = "setup_token_expires:";

/// Where a setup token's expiry is kept.
fn setup_key(token: &str) -> String {
    format!("{SETUP_PREFIX}{}", token_hash(token))
}

/// Accounts: the repository plus the rules.
#[derive(Clone)]
pub struct Accounts {
    repo: Arc<dyn AccountsRepo>,
    meta: Arc<dyn MetaRepo>,
    policy: SessionPolicy,
}

fn minutes_until(until: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    ((until - now).num_seconds() + 59).max(60) / 60
}

impl Accounts {
    /// Accounts over a repository; `meta` stores the setup token.
    pub fn new(
        repo: Arc<dyn AccountsRepo>,
        meta: Arc<dyn MetaRepo>,
        policy: SessionPolicy,
    ) -> Accounts {
        Accounts { repo, meta, policy }
    }

    /// The repository, for read-only pages.
    pub fn repo(&self) -> &dyn AccountsRepo {
        self.repo.as_ref()
    }

    /// The session rules.
    pub fn policy(&self) -> &SessionPolicy {
        &self.policy
    }

    /// Creates a user (command line, setup, or the admin's user page).
    pub async fn add_user(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        bases: Vec<Slug>,
        password: &str,
        actor: (Option<UserId>, &str),
    ) -> Result<User, UserError> {
        let username = Username::parse(username).map_err(UserError::BadUsername)?;
        check_password(password, &username).map_err(UserError::WeakPassword)?;
        if role != Role::Curator && !bases.is_empty() {
            return Err(UserError::Invalid(
                "only curators are assigned to bases".into(),
            ));
        }
        let display_name = match display_name.trim() {
            "" => username.to_string(),
            name => name.chars().take(80).collect(),
        };
        let new = NewUser {
            username: username.clone(),
            display_name,
            role,
            bases,
            password_hash: hash_password(password.to_owned()).await?,
        };
        let audit = AuditEntry {
            actor: actor.0,
            actor_name: actor.1.to_owned(),
            action: "user.create".into(),
            entity: "user".into(),
            entity_id: username.to_string(),
            before: None,
            after: Some(
                serde_json::json!({"username": new.username, "role": role, "bases": new.bases})
                    .to_string(),
            ),
        };
        let id = self
            .repo
            .create_user(&new, &audit)
            .await
            .map_err(|e| match e {
                RepoError::Conflict(_) => UserError::Taken(username.to_string()),
                other => other.into(),
            })?;
        self.repo
            .user(id)
            .await?
            .ok_or_else(|| UserError::Other(anyhow::anyhow!("user vanished after creation")))
    }

    async fn existing(&self, username: &str) -> Result<User, UserError> {
        let name = Username::parse(username).map_err(UserError::BadUsername)?;
        match self.repo.user_by_name(&name).await? {
            Some((user, _)) => Ok(user),
            None => Err(UserError::NotFound(name.to_string())),
        }
    }

    /// Sets a new password and signs the user out everywhere.
    pub async fn reset_password(
        &self,
        username: &str,
        password: &str,
        actor: (Option<UserId>, &str),
    ) -> Result<User, UserError> {
        let user = self.existing(username).await?;
        check_password(password, &user.username).map_err(UserError::WeakPassword)?;
        let hash = hash_password(password.to_owned()).await?;
        let audit = AuditEntry {
            actor: actor.0,
            actor_name: actor.1.to_owned(),
            action: "user.password_reset".into(),
            entity: "user".into(),
            entity_id: user.username.to_string(),
            before: None,
            after: None,
        };
        self.repo.set_password(user.id, &hash, &audit).await?;
        Ok(user)
    }

    /// Changes a user's display name, role and bases. Refuses to take the role from the
    /// last enabled administrator.
    pub async fn set_access(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        bases: Vec<Slug>,
        actor: (Option<UserId>, &str),
    ) -> Result<User, UserError> {
        let user = self.existing(username).await?;
        if role != Role::Curator && !bases.is_empty() {
            return Err(UserError::Invalid(
                "only curators are assigned to bases".into(),
            ));
        }
        let access = Access {
            display_name: match display_name.trim() {
                "" => user.username.to_string(),
                name => name.chars().take(80).collect(),
            },
            role,
            bases,
        };
        let json = |name: &str, role: Role, bases: &[Slug]| {
            serde_json::json!({"display_name": name, "role": role, "bases": bases}).to_string()
        };
        let audit = AuditEntry {
            actor: actor.0,
            actor_name: actor.1.to_owned(),
            action: "user.access".into(),
            entity: "user".into(),
            entity_id: user.username.to_string(),
            before: Some(json(&user.display_name, user.role, &user.bases)),
            after: Some(json(&access.display_name, role, &access.bases)),
        };
        match self.repo.set_access(user.id, &access, &audit).await {
            Err(RepoError::Invalid(m)) if m.contains("administrator") => Err(UserError::LastAdmin),
            Err(e) => Err(e.into()),
            Ok(()) => self
                .repo
                .user(user.id)
                .await?
                .ok_or_else(|| UserError::NotFound(username.to_owned())),
        }
    }

    /// Disables (or re-enables) a user; disabling signs them out everywhere.
    pub async fn set_disabled(
        &self,
        username: &str,
        disabled: bool,
        actor: (Option<UserId>, &str),
    ) -> Result<User, UserError> {
        let user = self.existing(username).await?;
        let audit = AuditEntry {
            actor: actor.0,
            actor_name: actor.1.to_owned(),
            action: if disabled {
                "user.disable"
            } else {
                "user.enable"
            }
            .into(),
            entity: "user".into(),
            entity_id: user.username.to_string(),
            before: Some(serde_json::json!({"disabled": user.disabled}).to_string()),
            after: Some(serde_json::json!({"disabled": disabled}).to_string()),
        };
        self.repo.set_disabled(user.id, disabled, &audit).await?;
        Ok(user)
    }

    /// Checks a name and password, with throttling, and opens a new session. A new
    /// session id is issued at every sign-in (no fixation).
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> Result<SignedIn, LoginError> {
        let now = Utc::now();
        let name = Username::parse(username).ok();
        let account_key = name.as_ref().map(|n| format!("user:{n}"));
        let address_key = ip.as_ref().map(|ip| format!("ip:{ip}"));
        if let Some(key) = &address_key
            && let Some(t) = self.repo.throttle(key).await?
            && let Some(until) = t.locked_until.filter(|u| *u > now)
        {
            return Err(LoginError::AddressLocked {
                minutes: minutes_until(until, now),
            });
        }
        if let Some(key) = &account_key
            && let Some(t) = self.repo.throttle(key).await?
            && let Some(until) = t.locked_until.filter(|u| *u > now)
        {
            return Err(LoginError::AccountLocked {
                minutes: minutes_until(until, now),
            });
        }
        let found = match &name {
            Some(n) => self.repo.user_by_name(n).await?,
            None => None,
        };
        let (user, hash) = match found {
            Some((user, hash)) if !user.disabled => (Some(user), Some(hash)),
            _ => (None, None),
        };
        if !verify_password(password.to_owned(), hash).await {
            let mut locked = None;
            if let Some(key) = &address_key
                && self.fail(key, self.policy.address_failures, now).await?
            {
                locked = Some(LoginError::AddressLocked {
                    minutes: self.policy.window.num_minutes(),
                });
            }
            if let Some(key) = &account_key
                && self.fail(key, self.policy.account_failures, now).await?
            {
                locked = Some(LoginError::AccountLocked {
                    minutes: self.policy.window.num_minutes(),
                });
            }
            return Err(locked.unwrap_or(LoginError::Invalid));
        }
        let user = user.expect("a verified password belongs to a user");
        if let Some(key) = &account_key {
            self.repo.clear_throttle(key).await?;
        }
        let token = random_token();
        let session = Session {
            id_hash: token_hash(&token),
            user_id: user.id,
            csrf_token: random_token(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + self.policy.absolute,
            ip,
            user_agent: user_agent.map(|ua| ua.chars().take(200).collect()),
        };
        self.repo.create_session(&session).await?;
        Ok(SignedIn {
            token,
            session,
            user,
        })
    }

    /// Counts a failure under `key`; true when this failure locks it.
    async fn fail(&self, key: &str, allowed: i64, now: DateTime<Utc>) -> RepoResult<bool> {
        let mut t = match self.repo.throttle(key).await? {
            Some(t) if now - t.window_started_at < self.policy.window => t,
            _ => Throttle {
                failures: 0,
                window_started_at: now,
                locked_until: None,
            },
        };
        t.failures += 1;
        let locks = t.failures >= allowed;
        if locks {
            t.locked_until = Some(now + self.policy.window);
        }
        self.repo.set_throttle(key, &t).await?;
        Ok(locks)
    }

    /// The session for a cookie token, if it is valid now; extends its idle timeout.
    pub async fn authenticate(&self, token: &str) -> RepoResult<Option<Authenticated>> {
        let now = Utc::now();
        let id_hash = token_hash(token);
        let Some((session, user)) = self.repo.session(&id_hash).await? else {
            return Ok(None);
        };
        if session.expires_at <= now
            || now - session.last_seen_at > self.policy.idle
            || user.disabled
        {
            self.repo.delete_session(&id_hash).await?;
            return Ok(None);
        }
        // One write a minute is enough to keep the idle clock.
        if now - session.last_seen_at > Duration::minutes(1) {
            self.repo.touch_session(&id_hash, now).await?;
        }
        Ok(Some(Authenticated { user, session }))
    }

    /// Ends one session.
    pub async fn logout(&self, session: &Session) -> RepoResult<()> {
        self.repo.delete_session(&session.id_hash).await
    }

    /// Ends every session of a user.
    pub async fn logout_everywhere(&self, user: UserId) -> RepoResult<u64> {
        self.repo.delete_user_sessions(user).await
    }

    /// Removes stale sessions (called periodically).
    pub async fn sweep(&self) -> RepoResult<u64> {
        let now = Utc::now();
        self.repo
            .delete_stale_sessions(now, now - self.policy.idle)
            .await
    }

    /// When no administrator exists: a new one-time setup token valid for an hour. Tokens
    /// given out earlier stay valid until they expire (several nodes starting together
    /// each print their own). `None` when an administrator exists.
    pub async fn begin_setup(&self) -> RepoResult<Option<String>> {
        if self.repo.count_admins().await? > 0 {
            return Ok(None);
        }
        let token = random_token();
        let expires = (Utc::now() + Duration::hours(1)).to_rfc3339();
        self.meta.set_meta(&setup_key(&token), &expires).await?;
        Ok(Some(token))
    }

    /// True when `token` is an unused, unexpired setup token and no admin exists yet.
    pub async fn setup_token_valid(&self, token: &str) -> RepoResult<bool> {
        if self.repo.count_admins().await? > 0 {
            return Ok(false);
        }
        // Looked up by the token's hash: no secret is compared byte by byte.
        let Some(expires) = self.meta.meta(&setup_key(token)).await? else {
            return Ok(false);
        };
        Ok(DateTime::parse_from_rfc3339(&expires).is_ok_and(|e| e > Utc::now()))
    }

    /// Creates the first administrator with a valid setup token and consumes the token.
    pub async fn complete_setup(
        &self,
        token: &str,
        username: &str,
        display_name: &str,
        password: &str,
    ) -> Result<User, SetupError> {
        if self.repo.count_admins().await.map_err(UserError::from)? > 0 {
            return Err(SetupError::Done);
        }
        if !self
            .setup_token_valid(token)
            .await
            .map_err(UserError::from)?
        {
            return Err(SetupError::BadToken);
        }
        let user = self
            .add_user(
                username,
                display_name,
                Role::Admin,
                Vec::new(),
                password,
                (None, "setup"),
            )
            .await?;
        // Burn the token.
        self.meta
            .set_meta(&setup_key(token), "used")
            .await
            .map_err(UserError::from)?;
        Ok(user)
    }
}
