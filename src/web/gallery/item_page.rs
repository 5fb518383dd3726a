//! The item page: the media first (pictures, players with captions, a transcript beside
//! the audio), then the record as a museum label, then where the item appears and what is
//! related. With JSON-LD for search engines and share cards for chat apps.

use crate::app::AppState;
use crate::catalogue::model::{
    ExhibitionSummary, Item, ItemSummary, Media, MediaTrack, Picture, TrackKind,
};
use crate::catalogue::types::{MediaKind, Slug};
use crate::error::AppError;
use crate::i18n::{Lang, LocalizedText};
use crate::iiif::presentation::Urls;
use crate::media::vtt::{self, Cue};
use crate::repo::Visibility;
use crate::web::page::{PageCtx, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

/// A media file as the item page (and a stop's audio guide) shows it.
pub(crate) struct MediaView {
    pub(crate) sha256: String,
    pub(crate) kind: MediaKind,
    pub(crate) picture: Picture,
    pub(crate) caption: LocalizedText,
    pub(crate) credit: String,
    pub(crate) rights: String,
    pub(crate) source: Option<String>,
    pub(crate) size: String,
    pub(crate) duration: Option<String>,
    pub(crate) codecs: Option<String>,
    pub(crate) tracks: Vec<TrackView>,
    /// The transcript shown beside an audio player, in the visitor's language if possible.
    pub(crate) transcript: Option<(Lang, Vec<Cue>)>,
}

/// A `<track>` element.
pub(crate) struct TrackView {
    pub(crate) kind: &'static str,
    pub(crate) lang: Lang,
    pub(crate) src: String,
    pub(crate) default: bool,
}

impl MediaView {
    fn is(&self, kind: &str) -> bool {
        self.kind.code() == kind
    }
}

#[derive(Template)]
#[template(path = "item_show.html")]
struct ItemPage {
    ctx: PageCtx,
    item: Item,
    other_titles: Vec<(Lang, String)>,
    media: Vec<MediaView>,
    cover: Option<Picture>,
    exhibitions: Vec<ExhibitionSummary>,
    /// Where it is marked on hall panoramas.
    halls: Vec<crate::catalogue::panorama::HallMark>,
    related: Vec<ItemSummary>,
    json_ld: String,
    scripts: bool,
    /// The item's IIIF manifest, for IIIF viewers (discovery link and drag-and-drop).
    manifest: String,
}

/// "2048 × 1536 px, 372 KB"
pub(crate) fn describe_size(width: Option<i32>, height: Option<i32>, bytes: i64) -> String {
    let size = if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    };
    match (width, height) {
        (Some(w), Some(h)) => format!("{w} × {h} px, {size}"),
        _ => size,
    }
}

/// "4:05" or "1:02:05".
fn describe_duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The transcript for a reader of `lang`: captions in their language, else Chinese, else any.
fn transcript(tracks: &[MediaTrack], lang: Lang) -> Option<(Lang, Vec<Cue>)> {
    let captions: Vec<&MediaTrack> = tracks
        .iter()
        .filter(|t| t.kind == TrackKind::Captions)
        .collect();
    let pick = captions
        .iter()
        .find(|t| t.lang == lang)
        .or_else(|| captions.iter().find(|t| t.lang == Lang::Zh))
        .or_else(|| captions.first())?;
    vtt::parse(pick.vtt.as_bytes())
        .ok()
        .map(|cues| (pick.lang, cues))
}

/// How the item page shows `m` to a reader of `lang`.
pub(super) fn view(m: &Media, lang: Lang) -> MediaView {
    let default_lang = m
        .tracks
        .iter()
        .find(|t| t.lang == lang)
        .or_else(|| m.tracks.first())
        .map(|t| t.lang);
    MediaView {
        sha256: m.sha256.clone(),
        kind: m.kind,
        picture: Picture {
            sha256: m.sha256.clone(),
            width: m.width,
            height: m.height,
            alt: m.fields.alt.clone(),
        },
        caption: m.fields.caption.clone(),
        credit: m.fields.credit.clone(),
        rights: m.fields.rights.clone(),
        source: m.fields.source.clone(),
        size: describe_size(m.width, m.height, m.bytes),
        duration: m.duration_ms.map(describe_duration),
        codecs: m.codecs.clone(),
        tracks: m
            .tracks
            .iter()
            .map(|t| TrackView {
                kind: t.kind.code(),
                lang: t.lang,
                src: format!(
                    "/media/{}/{}.{}.vtt",
                    m.sha256,
                    t.kind.code(),
                    t.lang.code()
                ),
                default: Some(t.lang) == default_lang && t.kind == TrackKind::Captions,
            })
            .collect(),
        transcript: (m.kind == MediaKind::Audio)
            .then(|| transcript(&m.tracks, lang))
            .flatten(),
    }
}

/// schema.org JSON-LD for search engines, safe to embed in a `<script>` element.
fn json_ld(item: &Item, ctx: &PageCtx, cover: Option<&Picture>) -> String {
    let mut doc = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": format!("{}/items/{}", ctx.public_url, item.fields.slug),
        "url": format!("{}/items/{}", ctx.public_url, item.fields.slug),
        "name": item.fields.title.get(ctx.lang),
        "inLanguage": ctx.lang.bcp47(),
        "identifier": item.fields.accession.as_str(),
        "license": item.fields.rights,
        "genre": ctx.category(&item.fields.category),
        "provider": {"@type": "Museum", "name": item.base.name.get(ctx.lang),
                     "url": format!("{}/bases/{}", ctx.public_url, item.base.slug)},
    });
    if !item.fields.summary.is_empty() {
        doc["description"] = item.fields.summary.get(ctx.lang).into();
    }
    if let Some(pic) = cover {
        doc["image"] = ctx.img_abs(pic).into();
    }
    // `</script>` inside a string must not end the element.
    doc.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[tracing::instrument(skip_all, fields(%slug))]
pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let slug = Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let item = state
        .catalogue
        .item(&slug, Visibility::Public)
        .await?
        .ok_or(AppError::NotFound)?;
    let (exhibitions, related, halls) = tokio::try_join!(
        state.catalogue.exhibitions_with_item(item.id),
        state.catalogue.related_items(&item, 8),
        state.panoramas.halls_showing(item.id),
    )?;
    let media: Vec<MediaView> = item.media.iter().map(|m| view(m, ctx.lang)).collect();
    let cover = media
        .iter()
        .find(|m| m.kind == MediaKind::Image)
        .map(|m| m.picture.clone());
    let shown = item.fields.title.lang_of(ctx.lang);
    let other_titles = Lang::ALL
        .into_iter()
        .filter(|l| *l != shown)
        .filter_map(|l| item.fields.title.exact(l).map(|t| (l, t.to_owned())))
        .collect();
    let json_ld = json_ld(&item, &ctx, cover.as_ref());
    let manifest = Urls(&ctx.public_url).manifest(item.fields.slug.as_str());
    render(&ItemPage {
        ctx,
        other_titles,
        scripts: media.iter().any(|m| m.transcript.is_some()),
        media,
        cover,
        exhibitions,
        related,
        halls,
        json_ld,
        manifest,
        item,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_read_like_a_catalogue() {
        assert_eq!(
            describe_size(Some(2048), Some(1536), 372_688),
            "2048 × 1536 px, 364 KB"
        );
        assert_eq!(describe_size(None, None, 3 << 20), "3.0 MB");
        assert_eq!(describe_duration(245_400), "4:05");
        assert_eq!(describe_duration(3_725_000), "1:02:05");
    }

    #[test]
    fn the_transcript_is_in_the_readers_language_when_it_exists() {
        let track = |lang, text: &str| MediaTrack {
            lang,
            kind: TrackKind::Captions,
            vtt: format!("WEBVTT\n\n00:00.000 --> 00:01.000\n{text}"),
        };
        let tracks = vec![track(Lang::Zh, "很久以前"), track(Lang::En, "Long ago")];
        assert_eq!(transcript(&tracks, Lang::En).unwrap().1[0].text, "Long ago");
        assert_eq!(transcript(&tracks, Lang::Mn).unwrap().0, Lang::Zh);
        assert!(transcript(&[], Lang::Zh).is_none());
    }
}
