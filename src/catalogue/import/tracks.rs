//! The WebVTT tracks of an item's media (`[[media.tracks]]`): read and checked before the
//! item is written, then stored on its media once the item has its ids, with the same
//! checks and audit as a track uploaded in the admin.

use super::RecordError;
use super::format::MediaEntry;
use super::source::Source;
use crate::catalogue::model::{ItemId, MediaTrack, TrackKind};
use crate::catalogue::repo::CatalogueRepo;
use crate::catalogue::types::{MediaKind, Slug};
use crate::i18n::Lang;
use crate::media::vtt;
use crate::repo::{AuditEntry, Visibility};
use std::path::{Component, Path};

/// The largest track file read (a full-length film's captions are far smaller).
const MAX_TRACK_BYTES: u64 = 2 << 20;

/// Reads and checks the tracks of one media entry.
pub async fn read_tracks(
    source: &Source,
    folder: &Path,
    entry: &toml::Spanned<MediaEntry>,
    kind: MediaKind,
) -> Result<Vec<MediaTrack>, RecordError> {
    let m = entry.get_ref();
    let fail = |msg: String| source.error_at(entry, msg);
    if !m.tracks.is_empty() && !matches!(kind, MediaKind::Audio | MediaKind::Video) {
        return Err(fail(format!(
            "media file {:?} is not audio or video, so it cannot have tracks",
            m.file
        )));
    }
    let mut tracks: Vec<MediaTrack> = Vec::with_capacity(m.tracks.len());
    for t in &m.tracks {
        let mut components = Path::new(&t.file).components();
        if !matches!(
            (components.next(), components.next()),
            (Some(Component::Normal(_)), None)
        ) {
            return Err(fail(format!(
                "track {:?} must be a file name in the item's folder",
                t.file
            )));
        }
        let lang: Lang = t.lang.parse().map_err(|_| {
            fail(format!(
                "track {:?}: lang must be zh, mn or en, not {:?}",
                t.file, t.lang
            ))
        })?;
        let kind = TrackKind::parse(&t.kind).ok_or_else(|| {
            fail(format!(
                "track {:?}: kind must be captions, subtitles or descriptions, not {:?}",
                t.file, t.kind
            ))
        })?;
        if tracks.iter().any(|o| o.lang == lang && o.kind == kind) {
            return Err(fail(format!(
                "two {} tracks in {} for {:?}",
                t.kind, t.lang, m.file
            )));
        }
        let path = folder.join(&t.file);
        let meta = tokio::fs::symlink_metadata(&path)
            .await
            .map_err(|e| fail(format!("track {:?}: {e}", t.file)))?;
        if !meta.is_file() || meta.len() > MAX_TRACK_BYTES {
            return Err(fail(format!(
                "track {:?} must be a regular file of at most 2 MB",
                t.file
            )));
        }
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|e| fail(format!("track {:?}: {e}", t.file)))?;
        vtt::parse(&bytes).map_err(|e| fail(format!("track {:?}: {e}", t.file)))?;
        tracks.push(MediaTrack {
            lang,
            kind,
            vtt: String::from_utf8_lossy(&bytes).into_owned(),
        });
    }
    Ok(tracks)
}

/// Stores the tracks of a written item, media by media (in the order of its media list).
pub async fn store_tracks(
    repo: &dyn CatalogueRepo,
    source: &Source,
    id: ItemId,
    slug: &Slug,
    tracks: Vec<Vec<MediaTrack>>,
) -> Result<(), RecordError> {
    let fail = |e: crate::repo::RepoError| source.error(None, format!("storing tracks: {e}"));
    let item = repo
        .item(slug, Visibility::All)
        .await
        .map_err(fail)?
        .filter(|i| i.id == id)
        .ok_or_else(|| source.error(None, "the item vanished while its tracks were stored"))?;
    for (media, tracks) in item.media.iter().zip(tracks) {
        for track in tracks {
            let audit = AuditEntry {
                actor: None,
                actor_name: "import".into(),
                action: "media.track.set".into(),
                entity: "item".into(),
                entity_id: slug.to_string(),
                before: None,
                after: Some(
                    serde_json::json!({
                        "media": media.id,
                        "lang": track.lang.code(),
                        "kind": track.kind.code(),
                    })
                    .to_string(),
                ),
            };
            repo.set_media_track(media.id, &track, &audit)
                .await
                .map_err(fail)?;
        }
    }
    Ok(())
}
