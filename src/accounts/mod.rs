//! Accounts: users and roles, argon2id passwords, server-side sessions with idle and
//! absolute timeouts, sign-in throttling per account and per address, the first-admin
//! setup link, and the audit log.

mod errors;
pub mod model;
pub mod repo;
pub mod secret;
mod service;
pub mod types;

pub use errors::{LoginError, SetupError, UserError};
pub use service::{Accounts, Authenticated, SessionPolicy, SignedIn};
