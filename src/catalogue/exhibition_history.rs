//! An exhibition's history: the whole exhibition after each change (fields and stops),
//! what changed between two revisions, and restoring an earlier one as a new revision, so
//! that nothing a curator wrote is lost either way.

use super::editor::Checked;
use super::exhibition_editor::DraftExhibition;
use super::history::Change;
use super::model::ExhibitionId;
use crate::i18n::LocalizedText;
use crate::repo::{Actor, RepoResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// One revision of an exhibition.
#[derive(Debug, Clone, PartialEq)]
pub struct ExhibitionRevision {
    /// Its number.
    pub number: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who; empty for the state found when the history began to be kept.
    pub actor: String,
    /// The exhibition as it was after this change.
    pub snapshot: DraftExhibition,
}

/// The history of exhibitions (kept by every write of the exhibition editor).
#[async_trait]
pub trait ExhibitionHistory: Send + Sync {
    /// The exhibition's revisions, newest first.
    async fn exhibition_revisions(&self, id: ExhibitionId) -> RepoResult<Vec<ExhibitionRevision>>;
    /// Makes the exhibition's fields and stops what they were in `old`, as a new revision,
    /// if it is still at `revision`; its workflow state stays. `Invalid` when a stop's item
    /// no longer exists. An audio guide that is no longer an audio file of its item is left
    /// out.
    async fn restore_exhibition(
        &self,
        id: ExhibitionId,
        revision: i64,
        old: &DraftExhibition,
        actor: &Actor,
    ) -> RepoResult<Checked<i64>>;
}

fn push_text(out: &mut Vec<(String, String)>, name: &str, t: &LocalizedText) {
    for (lang, value) in [("zh", &t.zh), ("mn", &t.mn), ("en", &t.en)] {
        out.push((format!("{name}.{lang}"), value.clone().unwrap_or_default()));
    }
}

/// Every field of an exhibition as `(name, value)`, in a stable order; stops are named by
/// their item.
fn flatten(ex: &DraftExhibition) -> Vec<(String, String)> {
    let f = &ex.fields;
    let mut out = vec![
        ("slug".to_owned(), f.slug.to_string()),
        ("base".to_owned(), ex.base.to_string()),
        ("status".to_owned(), ex.status.code().to_owned()),
        ("featured".to_owned(), f.featured.to_string()),
        (
            "cover".to_owned(),
            f.cover_item
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ),
    ];
    push_text(&mut out, "title", &f.title);
    push_text(&mut out, "subtitle", &f.subtitle);
    push_text(&mut out, "introduction", &f.introduction);
    let order: Vec<&str> = ex.stops.iter().map(|s| s.item.as_str()).collect();
    out.push(("stops".to_owned(), order.join(", ")));
    for stop in &ex.stops {
        let name = format!("stop {}", stop.item);
        out.push((
            format!("{name} · media"),
            stop.fields
                .media_index
                .map(|i| i.to_string())
                .unwrap_or_default(),
        ));
        out.push((
            format!("{name} · audio"),
            stop.fields.audio.map(|i| i.to_string()).unwrap_or_default(),
        ));
        push_text(
            &mut out,
            &format!("{name} · narrative"),
            &stop.fields.narrative,
        );
    }
    out
}

/// The fields that differ between two revisions (a stop only one of them has counts as
/// empty in the other).
pub fn diff(before: &DraftExhibition, after: &DraftExhibition) -> Vec<Change> {
    let old = flatten(before);
    let new = flatten(after);
    let value = |list: &[(String, String)], name: &str| {
        list.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut names: Vec<&String> = new.iter().map(|(n, _)| n).collect();
    for (n, _) in &old {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let (b, a) = (value(&old, name), value(&new, name));
            (b != a).then(|| Change {
                field: name.clone(),
                before: b,
                after: a,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::exhibition_editor::{DraftStop, ExhibitionFields, StopFields};
    use crate::catalogue::types::{Slug, Status};

    fn exhibition(stops: &[(&str, &str)]) -> DraftExhibition {
        DraftExhibition {
            id: 1,
            fields: ExhibitionFields {
                slug: Slug::parse("voices").unwrap(),
                featured: false,
                title: LocalizedText::zh("科尔沁之声"),
                subtitle: LocalizedText::default(),
                introduction: LocalizedText::default(),
                cover_item: None,
            },
            base: Slug::parse("hall").unwrap(),
            status: Status::Draft,
            revision: 1,
            stops: stops
                .iter()
                .enumerate()
                .map(|(i, (item, text))| DraftStop {
                    item_id: i as i64 + 1,
                    item: Slug::parse(item).unwrap(),
                    fields: StopFields {
                        media_index: None,
                        audio: None,
                        narrative: LocalizedText::zh(*text),
                    },
                })
                .collect(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn changes_name_the_field_and_the_stop() {
        let before = exhibition(&[("urliger", "说书"), ("holboo", "好来宝")]);
        let mut after = exhibition(&[("holboo", "好来宝，押韵的说唱"), ("andai", "安代")]);
        after.fields.title.en = Some("Voices of Horqin".into());
        let changes = diff(&before, &after);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title.en",
                "stops",
                "stop holboo · narrative.zh",
                "stop andai · narrative.zh",
                "stop urliger · narrative.zh"
            ]
        );
        assert_eq!(changes[1].before, "urliger, holboo");
        assert_eq!(changes[1].after, "holboo, andai");
        assert_eq!(changes[4].after, "", "a removed stop's text is gone");
        assert!(diff(&before, &before).is_empty());
    }
}
