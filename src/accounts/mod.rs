//! Accounts: users and roles, argon2id passwords, server-side sessions with idle and
//! absolute timeouts, sign-in throttling per account and per address, the first-admin
//! setup link, and the audit log.

pub mod model;
pub mod repo;
pub mod secret;
mod service;
pub mod types;

pub use service::{
    Accounts, Authenticated, LoginError, SessionPolicy, SetupError, SignedIn, UserError,
};
