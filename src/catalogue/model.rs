//! The catalogue's records as the rest of the program sees them.

use super::types::{Accession, BaseKind, Category, Level, MediaKind, Slug, Status};
use crate::i18n::LocalizedText;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Database identity of a base.
pub type BaseId = i64;
/// Database identity of an item.
pub type ItemId = i64;
/// Database identity of a media record.
pub type MediaId = i64;
/// Database identity of an exhibition.
pub type ExhibitionId = i64;

/// An education base (教育基地): a museum, school hall or cultural station.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Base {
    /// Identity.
    pub id: BaseId,
    /// Descriptive fields.
    #[serde(flatten)]
    pub fields: BaseFields,
    /// Raised by every change (optimistic locking in the admin).
    pub revision: i64,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// The fields of a base that people write.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaseFields {
    /// URL identifier.
    pub slug: Slug,
    /// Museum, school hall…
    pub kind: BaseKind,
    /// Designation level, when it has one.
    pub level: Option<Level>,
    /// Editorial state.
    pub status: Status,
    /// Name.
    pub name: LocalizedText,
    /// Sumu or town (苏木镇).
    pub town: LocalizedText,
    /// Street address.
    pub address: LocalizedText,
    /// Opening hours, as written by the base.
    pub opening_hours: LocalizedText,
    /// What the base is and shows.
    pub description: LocalizedText,
    /// Phone or e-mail for visits.
    pub contact: Option<String>,
    /// Its own website.
    pub website: Option<String>,
    /// WGS 84 latitude and longitude.
    pub coordinates: Option<(f64, f64)>,
}

/// A base as named on cards and item pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaseRef {
    /// URL identifier.
    pub slug: Slug,
    /// Name.
    pub name: LocalizedText,
}

/// A catalogued heritage item, with its media in display order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Identity.
    pub id: ItemId,
    /// Descriptive fields.
    #[serde(flatten)]
    pub fields: ItemFields,
    /// The base that keeps it.
    pub base: BaseRef,
    /// Media in display order.
    pub media: Vec<Media>,
    /// Incremented on every change (optimistic locking for editors).
    pub revision: i64,
    /// First catalogued.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// The fields of an item that people write.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ItemFields {
    /// Accession number, unique.
    pub accession: Accession,
    /// URL identifier, unique.
    pub slug: Slug,
    /// Editorial state.
    pub status: Status,
    /// National ICH category.
    pub category: Category,
    /// ICH list it is inscribed on.
    pub protection_level: Option<Level>,
    /// Title.
    pub title: LocalizedText,
    /// One or two sentences for cards.
    pub summary: LocalizedText,
    /// Full text, paragraphs separated by blank lines.
    pub description: LocalizedText,
    /// Where it is practised or comes from.
    pub place: LocalizedText,
    /// Period or date, as text.
    pub period: LocalizedText,
    /// A sortable year, when known.
    pub year: Option<i32>,
    /// Bearers of the tradition (传承人).
    pub inheritors: Vec<LocalizedText>,
    /// Subject keywords.
    pub subjects: Vec<LocalizedText>,
    /// Rights of the record text: a Creative Commons or RightsStatements URI.
    pub rights: String,
}

/// A media file attached to an item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Media {
    /// Identity.
    pub id: MediaId,
    /// Content address of the original (hex SHA-256).
    pub sha256: String,
    /// Image, audio, video or document.
    pub kind: MediaKind,
    /// Type sniffed from the bytes.
    pub mime: String,
    /// Size of the original.
    pub bytes: i64,
    /// Pixel size for images and video.
    pub width: Option<i32>,
    /// Pixel size for images and video.
    pub height: Option<i32>,
    /// Length of audio and video, in milliseconds.
    pub duration_ms: Option<i64>,
    /// Codecs of audio and video, e.g. "H.264, AAC".
    pub codecs: Option<String>,
    /// Captions and transcripts.
    pub tracks: Vec<MediaTrack>,
    /// Descriptive fields.
    #[serde(flatten)]
    pub fields: MediaFields,
}

/// What people write about a media file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaFields {
    /// File name as uploaded (shown to curators; never used as a path).
    pub original_name: String,
    /// Text alternative for people who cannot see the image.
    pub alt: LocalizedText,
    /// Caption under the media.
    pub caption: LocalizedText,
    /// Who made it.
    pub credit: String,
    /// Licence or rights statement URI.
    pub rights: String,
    /// Where the original came from.
    pub source: Option<String>,
}

/// The facts about a stored file that come from its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaFile {
    /// Content address (hex SHA-256).
    pub sha256: String,
    /// Image, audio, video or document.
    pub kind: MediaKind,
    /// Sniffed type.
    pub mime: String,
    /// Size.
    pub bytes: i64,
    /// Pixel width.
    pub width: Option<i32>,
    /// Pixel height.
    pub height: Option<i32>,
    /// Duration in milliseconds.
    pub duration_ms: Option<i64>,
    /// Codecs, e.g. "H.264, AAC".
    pub codecs: Option<String>,
}

/// What a WebVTT track is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrackKind {
    /// Speech and sounds as text, shown over video (and as the transcript of audio).
    Captions,
    /// A translation of the speech.
    Subtitles,
    /// Audio description of what is seen.
    Descriptions,
}

impl TrackKind {
    /// The `<track kind>` value, also the stored code.
    pub fn code(self) -> &'static str {
        match self {
            TrackKind::Captions => "captions",
            TrackKind::Subtitles => "subtitles",
            TrackKind::Descriptions => "descriptions",
        }
    }

    /// Parses a code.
    pub fn parse(s: &str) -> Option<TrackKind> {
        [
            TrackKind::Captions,
            TrackKind::Subtitles,
            TrackKind::Descriptions,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

/// A WebVTT track of a media file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaTrack {
    /// Its language.
    pub lang: crate::i18n::Lang,
    /// What it is for.
    pub kind: TrackKind,
    /// The WebVTT text (checked on upload).
    #[serde(skip)]
    pub vtt: String,
}

/// A media record to write: the stored file plus what people wrote about it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMedia {
    /// The stored file.
    pub file: MediaFile,
    /// Descriptive fields.
    pub fields: MediaFields,
}

/// An image to show on a card: its content address and pixel size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Picture {
    /// Content address of the original.
    pub sha256: String,
    /// Pixel width of the original.
    pub width: Option<i32>,
    /// Pixel height of the original.
    pub height: Option<i32>,
    /// Alt text.
    pub alt: LocalizedText,
}

impl Media {
    /// The file as a picture (meaningful for images).
    pub fn picture(&self) -> Picture {
        Picture {
            sha256: self.sha256.clone(),
            width: self.width,
            height: self.height,
            alt: self.fields.alt.clone(),
        }
    }
}

/// An item as shown on a card or in a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemSummary {
    /// Identity.
    pub id: ItemId,
    /// Accession number.
    pub accession: Accession,
    /// URL identifier.
    pub slug: Slug,
    /// Title.
    pub title: LocalizedText,
    /// One or two sentences.
    pub summary: LocalizedText,
    /// ICH category.
    pub category: Category,
    /// ICH list level.
    pub protection_level: Option<Level>,
    /// Editorial state (the public only ever sees published items).
    pub status: Status,
    /// Its revision (the admin's batch workflow refuses to move an item changed since).
    pub revision: i64,
    /// The base that keeps it.
    pub base: BaseRef,
    /// First image, if it has one.
    pub cover: Option<Picture>,
}

/// An exhibition: a curated path through items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exhibition {
    /// What cards show.
    #[serde(flatten)]
    pub summary: ExhibitionSummary,
    /// Introduction, paragraphs separated by blank lines.
    pub introduction: LocalizedText,
    /// Visible stops, in order.
    pub stops: Vec<Stop>,
}

/// An exhibition as shown on cards.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExhibitionSummary {
    /// Identity.
    pub id: ExhibitionId,
    /// URL identifier.
    pub slug: Slug,
    /// Editorial state.
    pub status: Status,
    /// Shown on the home page.
    pub featured: bool,
    /// Title.
    pub title: LocalizedText,
    /// One line under the title.
    pub subtitle: LocalizedText,
    /// The base that presents it.
    pub base: BaseRef,
    /// Cover image.
    pub cover: Option<Picture>,
    /// Number of visible stops.
    pub stop_count: i64,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// One stop of an exhibition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stop {
    /// 1-based position among the visible stops.
    pub number: i64,
    /// The item shown.
    pub item: ItemSummary,
    /// The media of the item to focus on (defaults to the item's cover).
    pub focus: Option<Picture>,
    /// Text that leads the visitor through this stop.
    pub narrative: LocalizedText,
    /// An audio file of the item to play as the audio guide.
    pub audio: Option<MediaId>,
}

/// An exhibition to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewExhibition {
    /// URL identifier.
    pub slug: Slug,
    /// The presenting base.
    pub base: Slug,
    /// Editorial state.
    pub status: Status,
    /// Shown on the home page.
    pub featured: bool,
    /// Title.
    pub title: LocalizedText,
    /// One line under the title.
    pub subtitle: LocalizedText,
    /// Introduction.
    pub introduction: LocalizedText,
    /// Item whose first image is the cover.
    pub cover_item: Option<Slug>,
    /// Stops in order.
    pub stops: Vec<NewStop>,
}

/// A stop to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewStop {
    /// The item shown.
    pub item: Slug,
    /// 1-based index into the item's media to focus on.
    pub media_index: Option<u32>,
    /// 1-based index into the item's media of the audio guide (an audio file).
    pub audio_index: Option<u32>,
    /// Text for the stop.
    pub narrative: LocalizedText,
}

/// An item to write, with its complete media list.
#[derive(Debug, Clone, PartialEq)]
pub struct NewItem {
    /// Descriptive fields.
    pub fields: ItemFields,
    /// Slug of the keeping base.
    pub base: Slug,
    /// Media in display order (replaces the existing list).
    pub media: Vec<NewMedia>,
}
