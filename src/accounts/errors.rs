//! Why an account operation was refused: a sign-in, a change to a user, the first-admin
//! setup. The messages are the ones the CLI prints; the web pages translate the kinds.

use super::types::WeakPassword;
use crate::repo::RepoError;

/// Why a sign-in was refused. Deliberately vague about which part was wrong.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown name, wrong password, or a disabled account.
    #[error("wrong user name or password")]
    Invalid,
    /// Too many failures for this account.
    #[error("too many failed sign-ins for this account; try again in {minutes} minutes")]
    AccountLocked {
        /// Minutes until the lock ends.
        minutes: i64,
    },
    /// Too many failures from this address.
    #[error("too many failed sign-ins from your network; try again in {minutes} minutes")]
    AddressLocked {
        /// Minutes until the lock ends.
        minutes: i64,
    },
    /// The database failed.
    #[error(transparent)]
    Repo(#[from] RepoError),
}

/// Why a user could not be created or changed.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// The name is not acceptable.
    #[error("{0}")]
    BadUsername(String),
    /// The password is too weak.
    #[error("the password is too weak: {0:?}")]
    WeakPassword(WeakPassword),
    /// The name is taken.
    #[error("the user name {0} is already taken")]
    Taken(String),
    /// No such user.
    #[error("no user named {0}")]
    NotFound(String),
    /// An assigned base does not exist, or a non-curator was given bases.
    #[error("{0}")]
    Invalid(String),
    /// The change would leave nobody who can administer the site.
    #[error("this would leave no enabled administrator")]
    LastAdmin,
    /// The database or the hasher failed.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<RepoError> for UserError {
    fn from(e: RepoError) -> UserError {
        match e {
            RepoError::Invalid(m) => UserError::Invalid(m),
            RepoError::Conflict(m) => UserError::Taken(m),
            RepoError::Backend(e) => UserError::Other(e),
        }
    }
}

/// Why the first-admin setup failed.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The link is unknown, used or older than an hour.
    #[error("this setup link is not valid (it works once, for one hour)")]
    BadToken,
    /// An administrator exists already.
    #[error("an administrator exists already; sign in instead")]
    Done,
    /// The chosen name or password is not acceptable.
    #[error(transparent)]
    User(#[from] UserError),
}
