//! The editorial workflow: draft → in review → published → archived, and what an item
//! needs before the public may see it.

use super::model::Item;
use super::rights::check_rights_uri;
use super::types::{MediaKind, Status};

/// Why an item cannot be published yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// An image (1-based position, file name) has no Chinese alt text.
    AltText(usize, String),
    /// The record's text has no valid rights statement.
    RecordRights,
    /// A media file (1-based position, file name) has no valid rights statement.
    MediaRights(usize, String),
}

/// What must be fixed before `item` can be published (empty: it can).
pub fn publish_problems(item: &Item) -> Vec<Missing> {
    let mut missing = Vec::new();
    if check_rights_uri(&item.fields.rights).is_err() {
        missing.push(Missing::RecordRights);
    }
    for (i, m) in item.media.iter().enumerate() {
        let name = m.fields.original_name.clone();
        if m.kind == MediaKind::Image && m.fields.alt.zh.is_none() {
            missing.push(Missing::AltText(i + 1, name.clone()));
        }
        if check_rights_uri(&m.fields.rights).is_err() {
            missing.push(Missing::MediaRights(i + 1, name));
        }
    }
    missing
}

/// The statuses an item in `status` can be moved to, in the order the admin offers them.
pub fn next_statuses(status: Status) -> &'static [Status] {
    match status {
        Status::Draft => &[Status::InReview, Status::Published, Status::Archived],
        Status::InReview => &[Status::Published, Status::Draft],
        Status::Published => &[Status::Archived, Status::Draft],
        Status::Archived => &[Status::Draft],
    }
}
