//! Checked values of accounts: roles, user names, passwords.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a signed-in person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Users, bases, settings, and everything a curator can do anywhere.
    Admin,
    /// Catalogue, exhibitions and publishing for the bases they are assigned to.
    Curator,
    /// The classroom only.
    Teacher,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 3] = [Role::Admin, Role::Curator, Role::Teacher];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Curator => "curator",
            Role::Teacher => "teacher",
        }
    }

    /// Parses a code.
    pub fn parse(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| format!("unknown role {s:?}; expected admin, curator or teacher"))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A login name: 3–32 lowercase ASCII letters, digits, `.`, `_` or `-`, starting with a
/// letter. Case-folded on input so `Admin` and `admin` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    /// Checks and normalises a user name.
    pub fn parse(s: &str) -> Result<Username, String> {
        let s = s.trim().to_ascii_lowercase();
        let ok = (3..=32).contains(&s.len())
            && s.as_bytes()[0].is_ascii_lowercase()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if ok {
            Ok(Username(s))
        } else {
            Err("a user name has 3–32 characters: letters a–z, digits, '.', '_' or '-', starting with a letter".into())
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeakPassword {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    TooShort,
    /// More than [`MAX_PASSWORD_BYTES`] bytes (argon2 input we accept).
    TooLong,
    /// The same as (or contains) the user name.
    ContainsUsername,
    /// One character repeated, or a well-known password.
    TooCommon,
}

/// The shortest password we accept (NIST SP 800-63B asks for at least 8; staff accounts
/// guard public records, so a little more).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password we accept.
pub const MAX_PASSWORD_BYTES: usize = 512;

const COMMON: &[&str] = &[
    "1234567890",
    "12345678910",
    "0123456789",
    "qwertyuiop",
    "password12",
    "password123",
    "administrator",
    "1q2w3e4r5t",
    "qwerty1234",
    "abcdefghij",
    "iloveyou12",
    "a123456789",
    "aa12345678",
    "88888888888",
];

/// Checks a new password against the policy.
pub fn check_password(password: &str, username: &Username) -> Result<(), WeakPassword> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(WeakPassword::TooShort);
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(WeakPassword::TooLong);
    }
    let lower = password.to_lowercase();
    if lower.contains(username.as_str()) {
        return Err(WeakPassword::ContainsUsername);
    }
    let first = lower.chars().next();
    if lower.chars().all(|c| Some(c) == first) || COMMON.contains(&lower.as_str()) {
        return Err(WeakPassword::TooCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_folded_to_lowercase_and_checked() {
        assert_eq!(
            Username::parse(" Curator.Li ").unwrap().as_str(),
            "curator.li"
        );
        for bad in [
            "ab",
            "1abc",
            "李老师",
            "a b c",
            "x".repeat(33).as_str(),
            "admin;drop",
        ] {
            assert!(Username::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        let u = Username::parse("curator").unwrap();
        assert_eq!(check_password("short", &u), Err(WeakPassword::TooShort));
        assert_eq!(
            check_password("my-curator-pass", &u),
            Err(WeakPassword::ContainsUsername)
        );
        assert_eq!(
            check_password("aaaaaaaaaaaa", &u),
            Err(WeakPassword::TooCommon)
        );
        assert_eq!(
            check_password("1234567890", &u),
            Err(WeakPassword::TooCommon)
        );
        assert_eq!(
            check_password(&"x".repeat(600), &u),
            Err(WeakPassword::TooLong)
        );
        assert!(
            check_password("马头琴与安代舞2026", &u).is_ok(),
            "any script counts"
        );
    }
}
