//! The `exhibits/` file format (documented in `exhibits/README.md`), as serde structs.
//! Unknown keys are errors, so a typo is reported instead of silently ignored.

use crate::catalogue::types::{Accession, BaseKind, Category, Level, Slug, Status};
use crate::i18n::LocalizedText;
use serde::Deserialize;
use toml::Spanned;

fn published() -> Status {
    Status::Published
}

/// `bases/<slug>.toml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseFile {
    pub kind: BaseKind,
    pub level: Option<Level>,
    #[serde(default = "published")]
    pub status: Status,
    pub name: Spanned<LocalizedText>,
    #[serde(default)]
    pub town: LocalizedText,
    #[serde(default)]
    pub address: LocalizedText,
    #[serde(default)]
    pub opening_hours: LocalizedText,
    #[serde(default)]
    pub description: LocalizedText,
    pub contact: Option<String>,
    pub website: Option<Spanned<String>>,
    pub latitude: Option<Spanned<f64>>,
    pub longitude: Option<f64>,
}

/// `items/<slug>/item.toml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemFile {
    pub accession: Spanned<Accession>,
    pub category: Category,
    pub base: Spanned<Slug>,
    pub rights: Spanned<String>,
    #[serde(default = "published")]
    pub status: Status,
    pub protection_level: Option<Level>,
    pub year: Option<i32>,
    pub title: Spanned<LocalizedText>,
    #[serde(default)]
    pub summary: LocalizedText,
    #[serde(default)]
    pub description: LocalizedText,
    #[serde(default)]
    pub place: LocalizedText,
    #[serde(default)]
    pub period: LocalizedText,
    #[serde(default)]
    pub inheritors: Vec<LocalizedText>,
    #[serde(default)]
    pub subjects: Vec<LocalizedText>,
    #[serde(default)]
    pub media: Vec<Spanned<MediaEntry>>,
}

/// One `[[media]]` table of an item.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaEntry {
    pub file: String,
    #[serde(default)]
    pub credit: String,
    pub rights: String,
    pub source: Option<String>,
    #[serde(default)]
    pub alt: LocalizedText,
    #[serde(default)]
    pub caption: LocalizedText,
    #[serde(default)]
    pub tracks: Vec<TrackEntry>,
}

/// One `[[media.tracks]]` table: a WebVTT file beside the media file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackEntry {
    pub file: String,
    pub lang: String,
    pub kind: String,
}

/// `exhibitions/<slug>.toml`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExhibitionFile {
    pub base: Spanned<Slug>,
    #[serde(default = "published")]
    pub status: Status,
    #[serde(default)]
    pub featured: bool,
    pub cover: Option<Spanned<Slug>>,
    pub title: Spanned<LocalizedText>,
    #[serde(default)]
    pub subtitle: LocalizedText,
    #[serde(default)]
    pub introduction: LocalizedText,
    pub stops: Vec<Spanned<StopEntry>>,
}

/// One `[[stops]]` table of an exhibition.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopEntry {
    pub item: Spanned<Slug>,
    pub media: Option<u32>,
    pub audio: Option<u32>,
    #[serde(default)]
    pub narrative: LocalizedText,
}

/// `panoramas/<name>.toml`, beside its photograph.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanoramaFile {
    pub base: Spanned<Slug>,
    pub file: Spanned<String>,
    pub title: Spanned<LocalizedText>,
    pub alt: Spanned<LocalizedText>,
    #[serde(default)]
    pub spots: Vec<Spanned<SpotEntry>>,
    #[serde(default)]
    pub doors: Vec<Spanned<DoorEntry>>,
}

/// One `[[doors]]` table of a panorama: the panorama it leads to, by the name of its file
/// in the same folder without `.toml`, and where the door is, as fractions like a spot's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoorEntry {
    pub to: String,
    pub x: f64,
    pub y: f64,
}

/// One `[[spots]]` table of a panorama: an item and where it stands, as fractions of the
/// photograph's width and height from its top-left corner.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpotEntry {
    pub item: Accession,
    pub x: f64,
    pub y: f64,
}
