//! The walk of an assignment: the exhibition it names, or the teacher's list of items made
//! into the same shape (one stop per item, its summary as the stop's text), so the visit,
//! the questions and the dashboard treat both alike.

use super::model::Tour;
use crate::catalogue::model::{Exhibition, ExhibitionSummary, Item, ItemSummary, Stop};
use crate::catalogue::repo::CatalogueRepo;
use crate::catalogue::types::{MediaKind, Status};
use crate::i18n::LocalizedText;
use crate::repo::{RepoResult, Visibility};

/// What the students walk through, as published now; `None` when the exhibition is no
/// longer public or none of the items is. Items unpublished since are left out.
pub async fn walk(catalogue: &dyn CatalogueRepo, tour: &Tour) -> RepoResult<Option<Exhibition>> {
    let (title, slugs) = match tour {
        Tour::Exhibition(slug) => return catalogue.exhibition(slug, Visibility::Public).await,
        Tour::Items { title, items } => (title, items),
    };
    let mut stops = Vec::with_capacity(slugs.len());
    let mut updated_at = None;
    for slug in slugs {
        if let Some(item) = catalogue.item(slug, Visibility::Public).await? {
            stops.push(stop(stops.len() as i64 + 1, &item));
            updated_at = updated_at.max(Some(item.updated_at));
        }
    }
    let Some(first) = stops.first() else {
        return Ok(None);
    };
    let summary = ExhibitionSummary {
        id: 0,
        slug: first.item.slug.clone(),
        status: Status::Published,
        featured: false,
        title: LocalizedText::new(Some(title.clone()), None, None),
        subtitle: LocalizedText::default(),
        base: first.item.base.clone(),
        cover: stops.iter().find_map(|s| s.item.cover.clone()),
        stop_count: stops.len() as i64,
        updated_at: updated_at.unwrap_or_default(),
    };
    Ok(Some(Exhibition {
        summary,
        introduction: LocalizedText::default(),
        stops,
    }))
}

/// How many stops the students walk now (0 when nothing of it is public).
pub async fn stop_count(catalogue: &dyn CatalogueRepo, tour: &Tour) -> RepoResult<i64> {
    Ok(walk(catalogue, tour)
        .await?
        .map_or(0, |e| e.stops.len() as i64))
}

/// Everything the students read or hear on the walk, in every language: the
/// introduction, each stop's text, and its item's title, summary, description, captions
/// and the transcripts and subtitles of its recordings. What an essay is compared with
/// ([`super::overlap`]).
pub async fn texts(catalogue: &dyn CatalogueRepo, tour: &Tour) -> RepoResult<Vec<String>> {
    let Some(walk) = walk(catalogue, tour).await? else {
        return Ok(Vec::new());
    };
    let mut all: Vec<&LocalizedText> = vec![&walk.introduction];
    let mut items = Vec::with_capacity(walk.stops.len());
    for stop in &walk.stops {
        all.push(&stop.narrative);
        if let Some(item) = catalogue.item(&stop.item.slug, Visibility::Public).await? {
            items.push(item);
        }
    }
    let mut heard = Vec::new();
    for item in &items {
        let f = &item.fields;
        all.extend([&f.title, &f.summary, &f.description]);
        all.extend(item.media.iter().map(|m| &m.fields.caption));
        for track in item.media.iter().flat_map(|m| &m.tracks) {
            // Tracks were checked on upload; one that no longer parses adds nothing.
            let cues = crate::media::vtt::parse(track.vtt.as_bytes()).unwrap_or_default();
            heard.push(
                cues.into_iter()
                    .map(|c| c.text)
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
    }
    Ok(all
        .into_iter()
        .flat_map(|t| [&t.zh, &t.mn, &t.en])
        .flatten()
        .cloned()
        .chain(heard)
        .collect())
}

/// One item as a stop: its first picture in focus, its summary as the narrative.
fn stop(number: i64, item: &Item) -> Stop {
    let f = &item.fields;
    let cover = item
        .media
        .iter()
        .find(|m| m.kind == MediaKind::Image)
        .map(|m| m.picture());
    let audio = item
        .media
        .iter()
        .find(|m| m.kind == MediaKind::Audio)
        .map(|m| m.id);
    Stop {
        number,
        item: ItemSummary {
            id: item.id,
            accession: f.accession.clone(),
            slug: f.slug.clone(),
            title: f.title.clone(),
            summary: f.summary.clone(),
            category: f.category,
            protection_level: f.protection_level,
            status: f.status,
            revision: item.revision,
            base: item.base.clone(),
            cover: cover.clone(),
        },
        focus: cover,
        narrative: f.summary.clone(),
        audio,
    }
}
