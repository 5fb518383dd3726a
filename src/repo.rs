//! What every repository trait shares: its error type, key-based pages and visibility.

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Why a repository call failed.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// A unique key is taken; names the constraint (e.g. `item_slug_key`).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A record refers to something that does not exist.
    #[error("{0}")]
    Invalid(String),
    /// The database failed or returned something we cannot read.
    #[error(transparent)]
    Backend(#[from] anyhow::Error),
}

/// Result of a repository call.
pub type RepoResult<T> = Result<T, RepoError>;

/// Small settings every part of the program may keep (e.g. when the sample exhibits were
/// imported), and the database's health.
#[async_trait]
pub trait MetaRepo: Send + Sync {
    /// A stored value.
    async fn meta(&self, key: &str) -> RepoResult<Option<String>>;
    /// Stores a value, replacing any earlier one.
    async fn set_meta(&self, key: &str, value: &str) -> RepoResult<()>;
    /// Checks that the database answers.
    async fn ping(&self) -> RepoResult<()>;
}

/// One line of the audit log: who changed what, with before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Who (None for the command line or the system).
    pub actor: Option<i64>,
    /// Their name at the time, or "cli"/"system".
    pub actor_name: String,
    /// What happened, e.g. `user.create`, `item.update`.
    pub action: String,
    /// The kind of record, e.g. `user`, `item`.
    pub entity: String,
    /// Its key (id, slug or accession).
    pub entity_id: String,
    /// JSON of the record before (None for creation).
    pub before: Option<String>,
    /// JSON of the record after (None for deletion).
    pub after: Option<String>,
}

/// Who makes a change: a signed-in user, or a named process ("import", "cli").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user, when a person acts.
    pub id: Option<i64>,
    /// Their user name (kept in the history even if the account goes).
    pub name: String,
}

impl Actor {
    /// A named process.
    pub fn system(name: &str) -> Actor {
        Actor {
            id: None,
            name: name.to_owned(),
        }
    }
}

/// A write refused because the record changed since the writer read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stale {
    /// The record's revision now.
    pub current: i64,
}

/// Who is looking: the public sees only published records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Published records only.
    Public,
    /// Everything, for curators and the importer.
    All,
}

impl Visibility {
    /// True when unpublished records are included.
    pub fn includes_unpublished(self) -> bool {
        self == Visibility::All
    }
}

/// The position after which the next page starts: the sort key of the last row shown.
/// In URLs it travels as an opaque base64url token, so clients do not build keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(String);

/// A page token that is not one we issued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid page token {0:?}: use the link from the previous page, or leave it out to start at the beginning"
)]
pub struct BadCursor(pub String);

impl Cursor {
    /// A cursor after this key.
    pub fn after(key: impl Into<String>) -> Cursor {
        Cursor(key.into())
    }

    /// The sort key.
    pub fn key(&self) -> &str {
        &self.0
    }

    /// The key as a number, for tables paged by id.
    pub fn id(&self) -> Result<i64, BadCursor> {
        self.0.parse().map_err(|_| BadCursor(self.encode()))
    }

    /// The URL token.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.as_bytes())
    }

    /// Reads a URL token.
    pub fn decode(token: &str) -> Result<Cursor, BadCursor> {
        let bad = || BadCursor(token.chars().take(60).collect());
        if token.is_empty() || token.len() > 200 {
            return Err(bad());
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| bad())?;
        let key = String::from_utf8(bytes).map_err(|_| bad())?;
        if key.is_empty() || key.chars().any(char::is_control) {
            return Err(bad());
        }
        Ok(Cursor(key))
    }
}

/// One page of a list ordered by a unique key.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows: the extra row only tells that more exist.
    pub fn from_overfetch(mut rows: Vec<T>, limit: usize, key: impl Fn(&T) -> String) -> Page<T> {
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|last| Cursor::after(key(last)))
        } else {
            None
        };
        Page { items: rows, next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_through_url_tokens() {
        let c = Cursor::after("KZH-0007");
        assert_eq!(Cursor::decode(&c.encode()), Ok(c));
    }

    #[test]
    fn foreign_tokens_are_refused() {
        for bad in ["", "!!!", "////", &"A".repeat(300)] {
            assert!(Cursor::decode(bad).is_err(), "{bad:?}");
        }
        let not_a_number = Cursor::after("abc");
        assert!(not_a_number.id().is_err());
    }

    #[test]
    fn overfetched_rows_make_a_next_cursor() {
        let page = Page::from_overfetch(vec![1, 2, 3], 2, |n| n.to_string());
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next, Some(Cursor::after("2")));
        let last = Page::from_overfetch(vec![1, 2], 2, |n| n.to_string());
        assert_eq!(last.next, None);
    }
}
