//! Editing exhibitions: the curator's writes to an exhibition and its stops. Like items,
//! every change raises the exhibition's revision (a stale form is refused, not applied),
//! and writes an audit row with the exhibition before and after — in one transaction.

use super::editor::{Checked, Move};
use super::model::{ExhibitionId, ItemId, MediaId};
use super::types::{Slug, Status};
use crate::i18n::LocalizedText;
use crate::repo::{Actor, RepoResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The fields of an exhibition that curators write on its form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExhibitionFields {
    /// URL identifier, unique.
    pub slug: Slug,
    /// Shown on the home page.
    pub featured: bool,
    /// Title.
    pub title: LocalizedText,
    /// One line under the title.
    pub subtitle: LocalizedText,
    /// Introduction, paragraphs separated by blank lines.
    pub introduction: LocalizedText,
    /// The item whose first image is the cover (None: the first stop's).
    pub cover_item: Option<Slug>,
}

/// What curators write about one stop.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StopFields {
    /// 1-based index into the item's media of the image to focus on (None: its cover).
    pub media_index: Option<u32>,
    /// An audio file of the stop's item to play as the audio guide.
    pub audio: Option<MediaId>,
    /// Text that leads the visitor through this stop.
    pub narrative: LocalizedText,
}

/// A stop as the editor sees it: every stop, whatever its item's status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftStop {
    /// The item shown.
    pub item_id: ItemId,
    /// Its slug.
    pub item: Slug,
    /// What the curator wrote.
    #[serde(flatten)]
    pub fields: StopFields,
}

/// An exhibition as the editor sees it (and as the audit log keeps it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftExhibition {
    /// Identity.
    pub id: ExhibitionId,
    /// The form's fields.
    #[serde(flatten)]
    pub fields: ExhibitionFields,
    /// The presenting base.
    pub base: Slug,
    /// Editorial state.
    pub status: Status,
    /// Raised by every change (optimistic locking).
    pub revision: i64,
    /// Every stop, in order.
    pub stops: Vec<DraftStop>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl DraftExhibition {
    /// The stop showing `item`, with its 1-based position.
    pub fn stop(&self, item: ItemId) -> Option<(usize, &DraftStop)> {
        self.stops
            .iter()
            .enumerate()
            .find(|(_, s)| s.item_id == item)
            .map(|(i, s)| (i + 1, s))
    }
}

/// Why an exhibition cannot be published yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExhibitionMissing {
    /// It has no Chinese title.
    TitleZh,
    /// It has no stops.
    Stops,
}

/// What must be fixed before `ex` can be published (empty: it can).
pub fn exhibition_publish_problems(ex: &DraftExhibition) -> Vec<ExhibitionMissing> {
    let mut missing = Vec::new();
    if ex
        .fields
        .title
        .zh
        .as_deref()
        .is_none_or(|t| t.trim().is_empty())
    {
        missing.push(ExhibitionMissing::TitleZh);
    }
    if ex.stops.is_empty() {
        missing.push(ExhibitionMissing::Stops);
    }
    missing
}

/// The curator's writes to exhibitions. Every write but `create_exhibition` names the
/// revision the writer saw and is refused with `Stale` if the exhibition changed since.
/// Each write keeps a revision in the exhibition's history.
#[async_trait]
pub trait ExhibitionEditor: super::exhibition_history::ExhibitionHistory {
    /// Creates a draft exhibition without stops (revision 1). `Conflict` when the slug is
    /// taken; `Invalid` when the base does not exist.
    async fn create_exhibition(
        &self,
        fields: &ExhibitionFields,
        base: &Slug,
        actor: &Actor,
    ) -> RepoResult<ExhibitionId>;
    /// An exhibition with all its stops, whatever its status, for editing.
    async fn draft_exhibition(&self, slug: &Slug) -> RepoResult<Option<DraftExhibition>>;
    /// Saves the form's fields; returns the new revision.
    async fn update_exhibition(
        &self,
        id: ExhibitionId,
        revision: i64,
        fields: &ExhibitionFields,
        base: &Slug,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>>;
    /// Moves the exhibition through the workflow.
    async fn set_exhibition_status(
        &self,
        id: ExhibitionId,
        revision: i64,
        status: Status,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>>;
    /// Appends a stop showing `item`. `Conflict` when the item is already a stop.
    async fn add_stop(
        &self,
        id: ExhibitionId,
        revision: i64,
        item: ItemId,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>>;
    /// Changes what the stop showing `item` says and plays. `Invalid` when the audio guide
    /// is not an audio file of that item.
    async fn update_stop(
        &self,
        id: ExhibitionId,
        revision: i64,
        item: ItemId,
        fields: &StopFields,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>>;
    /// Moves the stop showing `item` one place earlier or later.
    async fn move_stop(
        &self,
        id: ExhibitionId,
        revision: i64,
        item: ItemId,
        to: Move,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>>;
    /// Removes the stop showing `item`.
    async fn remove_stop(
        &self,
        id: ExhibitionId,
        revision: i64,
        item: ItemId,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishing_needs_a_chinese_title_and_a_stop() {
        let mut ex = DraftExhibition {
            id: 1,
            fields: ExhibitionFields {
                slug: Slug::parse("x").unwrap(),
                featured: false,
                title: LocalizedText::new(None, None, Some("Only English".into())),
                subtitle: LocalizedText::default(),
                introduction: LocalizedText::default(),
                cover_item: None,
            },
            base: Slug::parse("hall").unwrap(),
            status: Status::Draft,
            revision: 1,
            stops: vec![],
            updated_at: Utc::now(),
        };
        assert_eq!(
            exhibition_publish_problems(&ex),
            [ExhibitionMissing::TitleZh, ExhibitionMissing::Stops]
        );
        ex.fields.title.zh = Some("草原".into());
        ex.stops.push(DraftStop {
            item_id: 7,
            item: Slug::parse("ger").unwrap(),
            fields: StopFields::default(),
        });
        assert!(exhibition_publish_problems(&ex).is_empty());
        assert_eq!(ex.stop(7).map(|(n, _)| n), Some(1));
    }
}
