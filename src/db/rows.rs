//! Rows as the catalogue queries return them, and their conversion to domain records.
//! A row that does not convert (an unknown category code, say) is reported as a backend
//! error: it means the database was written by something other than this program.

use crate::catalogue::model::*;
use crate::catalogue::types::{
    Accession, BaseKind, Category, InvalidValue, Level, MediaKind, Slug, Status,
};
use crate::i18n::LocalizedText;
use crate::repo::RepoError;
use chrono::{DateTime, Utc};

/// `select` of an item with its base's name, for `ItemRow` (append a `where`).
macro_rules! item_select {
    () => {
        "select i.id, i.accession, i.slug, i.status, i.category, i.protection_level, \
           i.title_zh, i.title_mn, i.title_en, i.summary_zh, i.summary_mn, i.summary_en, \
           i.description_zh, i.description_mn, i.description_en, i.place_zh, i.place_mn, i.place_en, \
           i.period_zh, i.period_mn, i.period_en, i.year, i.inheritors, i.subjects, i.rights, \
           i.revision, i.created_at, i.updated_at, \
           b.slug as base_slug, b.name_zh as base_name_zh, b.name_mn as base_name_mn, b.name_en as base_name_en \
         from item i join base b on b.id = i.base_id "
    };
}
pub(crate) use item_select;

/// `select` of an item's media rows, for `MediaRow` (bind the item id, ordered).
macro_rules! media_select {
    () => {
        "select id, kind, sha256, mime, bytes, width, height, duration_ms, codecs, original_name, \
           alt_zh, alt_mn, alt_en, caption_zh, caption_mn, caption_en, credit, rights, source \
         from media "
    };
}
pub(crate) use media_select;

/// A text's three language columns, in the order the tables name them (zh, mn, en).
pub(super) fn split(t: &LocalizedText) -> (Option<String>, Option<String>, Option<String>) {
    (t.zh.clone(), t.mn.clone(), t.en.clone())
}

pub(super) fn corrupt(what: &str, e: InvalidValue) -> RepoError {
    RepoError::Backend(anyhow::anyhow!("unreadable {what} in the database: {e}"))
}

fn text(zh: Option<String>, mn: Option<String>, en: Option<String>) -> LocalizedText {
    LocalizedText::new(zh, mn, en)
}

fn text_list(json: &str) -> Result<Vec<LocalizedText>, RepoError> {
    serde_json::from_str(json).map_err(|e| {
        RepoError::Backend(anyhow::anyhow!("unreadable text list in the database: {e}"))
    })
}

/// Serialises a list of localized texts for the JSON text columns.
pub fn text_list_json(list: &[LocalizedText]) -> String {
    serde_json::to_string(list).expect("localized text always serialises")
}

pub(super) fn level(code: Option<String>) -> Result<Option<Level>, RepoError> {
    code.map(|c| Level::parse(&c))
        .transpose()
        .map_err(|e| corrupt("level", e))
}

fn slug(s: &str) -> Result<Slug, RepoError> {
    Slug::parse(s).map_err(|e| corrupt("slug", e))
}

/// The columns of [`BaseRow`].
macro_rules! base_columns {
    () => {
        "id, slug, kind, level, status, name_zh, name_mn, name_en, town_zh, town_mn, town_en, \
         address_zh, address_mn, address_en, opening_hours_zh, opening_hours_mn, opening_hours_en, \
         description_zh, description_mn, description_en, contact, website, latitude, longitude, \
         revision, updated_at"
    };
}
pub(super) use base_columns;

#[derive(sqlx::FromRow)]
pub struct BaseRow {
    id: i64,
    slug: String,
    kind: String,
    level: Option<String>,
    status: String,
    name_zh: Option<String>,
    name_mn: Option<String>,
    name_en: Option<String>,
    town_zh: Option<String>,
    town_mn: Option<String>,
    town_en: Option<String>,
    address_zh: Option<String>,
    address_mn: Option<String>,
    address_en: Option<String>,
    opening_hours_zh: Option<String>,
    opening_hours_mn: Option<String>,
    opening_hours_en: Option<String>,
    description_zh: Option<String>,
    description_mn: Option<String>,
    description_en: Option<String>,
    contact: Option<String>,
    website: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    revision: i64,
    updated_at: DateTime<Utc>,
}

impl TryFrom<BaseRow> for Base {
    type Error = RepoError;

    fn try_from(r: BaseRow) -> Result<Base, RepoError> {
        Ok(Base {
            id: r.id,
            fields: BaseFields {
                slug: slug(&r.slug)?,
                kind: BaseKind::parse(&r.kind).map_err(|e| corrupt("base kind", e))?,
                level: level(r.level)?,
                status: Status::parse(&r.status).map_err(|e| corrupt("status", e))?,
                name: text(r.name_zh, r.name_mn, r.name_en),
                town: text(r.town_zh, r.town_mn, r.town_en),
                address: text(r.address_zh, r.address_mn, r.address_en),
                opening_hours: text(r.opening_hours_zh, r.opening_hours_mn, r.opening_hours_en),
                description: text(r.description_zh, r.description_mn, r.description_en),
                contact: r.contact,
                website: r.website,
                coordinates: r.latitude.zip(r.longitude),
            },
            revision: r.revision,
            updated_at: r.updated_at,
        })
    }
}

/// The columns of an item card: the item, its base's name and its cover image.
#[derive(sqlx::FromRow)]
pub struct ItemSummaryRow {
    id: i64,
    accession: String,
    slug: String,
    title_zh: Option<String>,
    title_mn: Option<String>,
    title_en: Option<String>,
    summary_zh: Option<String>,
    summary_mn: Option<String>,
    summary_en: Option<String>,
    category: String,
    protection_level: Option<String>,
    status: String,
    revision: i64,
    base_slug: String,
    base_name_zh: Option<String>,
    base_name_mn: Option<String>,
    base_name_en: Option<String>,
    #[sqlx(flatten)]
    cover: PictureRow,
}

/// An optional image: the columns of a left join on `media`, prefixed by the query.
#[derive(sqlx::FromRow)]
pub struct PictureRow {
    cover_sha256: Option<String>,
    cover_width: Option<i32>,
    cover_height: Option<i32>,
    cover_alt_zh: Option<String>,
    cover_alt_mn: Option<String>,
    cover_alt_en: Option<String>,
}

impl From<PictureRow> for Option<Picture> {
    fn from(r: PictureRow) -> Option<Picture> {
        Some(Picture {
            sha256: r.cover_sha256?,
            width: r.cover_width,
            height: r.cover_height,
            alt: text(r.cover_alt_zh, r.cover_alt_mn, r.cover_alt_en),
        })
    }
}

impl TryFrom<ItemSummaryRow> for ItemSummary {
    type Error = RepoError;

    fn try_from(r: ItemSummaryRow) -> Result<ItemSummary, RepoError> {
        Ok(ItemSummary {
            id: r.id,
            accession: Accession::parse(&r.accession).map_err(|e| corrupt("accession", e))?,
            slug: slug(&r.slug)?,
            title: text(r.title_zh, r.title_mn, r.title_en),
            summary: text(r.summary_zh, r.summary_mn, r.summary_en),
            category: Category::parse(&r.category).map_err(|e| corrupt("category", e))?,
            protection_level: level(r.protection_level)?,
            status: Status::parse(&r.status).map_err(|e| corrupt("status", e))?,
            revision: r.revision,
            base: BaseRef {
                slug: slug(&r.base_slug)?,
                name: text(r.base_name_zh, r.base_name_mn, r.base_name_en),
            },
            cover: r.cover.into(),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct ItemRow {
    /// Identity, used to fetch the media rows.
    pub id: i64,
    accession: String,
    slug: String,
    status: String,
    category: String,
    protection_level: Option<String>,
    title_zh: Option<String>,
    title_mn: Option<String>,
    title_en: Option<String>,
    summary_zh: Option<String>,
    summary_mn: Option<String>,
    summary_en: Option<String>,
    description_zh: Option<String>,
    description_mn: Option<String>,
    description_en: Option<String>,
    place_zh: Option<String>,
    place_mn: Option<String>,
    place_en: Option<String>,
    period_zh: Option<String>,
    period_mn: Option<String>,
    period_en: Option<String>,
    year: Option<i32>,
    inheritors: String,
    subjects: String,
    rights: String,
    revision: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    base_slug: String,
    base_name_zh: Option<String>,
    base_name_mn: Option<String>,
    base_name_en: Option<String>,
}

impl ItemRow {
    /// The item record, given its media rows.
    pub fn into_item(self, media: Vec<MediaRow>) -> Result<Item, RepoError> {
        let r = self;
        Ok(Item {
            id: r.id,
            fields: ItemFields {
                accession: Accession::parse(&r.accession).map_err(|e| corrupt("accession", e))?,
                slug: slug(&r.slug)?,
                status: Status::parse(&r.status).map_err(|e| corrupt("status", e))?,
                category: Category::parse(&r.category).map_err(|e| corrupt("category", e))?,
                protection_level: level(r.protection_level)?,
                title: text(r.title_zh, r.title_mn, r.title_en),
                summary: text(r.summary_zh, r.summary_mn, r.summary_en),
                description: text(r.description_zh, r.description_mn, r.description_en),
                place: text(r.place_zh, r.place_mn, r.place_en),
                period: text(r.period_zh, r.period_mn, r.period_en),
                year: r.year,
                inheritors: text_list(&r.inheritors)?,
                subjects: text_list(&r.subjects)?,
                rights: r.rights,
            },
            base: BaseRef {
                slug: slug(&r.base_slug)?,
                name: text(r.base_name_zh, r.base_name_mn, r.base_name_en),
            },
            media: media
                .into_iter()
                .map(Media::try_from)
                .collect::<Result<_, _>>()?,
            revision: r.revision,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct MediaRow {
    /// Identity, used to attach tracks.
    pub id: i64,
    kind: String,
    sha256: String,
    mime: String,
    bytes: i64,
    width: Option<i32>,
    height: Option<i32>,
    duration_ms: Option<i64>,
    codecs: Option<String>,
    original_name: String,
    alt_zh: Option<String>,
    alt_mn: Option<String>,
    alt_en: Option<String>,
    caption_zh: Option<String>,
    caption_mn: Option<String>,
    caption_en: Option<String>,
    credit: String,
    rights: String,
    source: Option<String>,
}

impl MediaRow {
    /// The file's content address.
    pub(super) fn sha256(&self) -> &str {
        &self.sha256
    }
}

impl TryFrom<MediaRow> for Media {
    type Error = RepoError;

    fn try_from(r: MediaRow) -> Result<Media, RepoError> {
        Ok(Media {
            id: r.id,
            sha256: r.sha256,
            kind: MediaKind::parse(&r.kind).map_err(|e| corrupt("media kind", e))?,
            mime: r.mime,
            bytes: r.bytes,
            width: r.width,
            height: r.height,
            duration_ms: r.duration_ms,
            codecs: r.codecs,
            tracks: Vec::new(),
            fields: MediaFields {
                original_name: r.original_name,
                alt: text(r.alt_zh, r.alt_mn, r.alt_en),
                caption: text(r.caption_zh, r.caption_mn, r.caption_en),
                credit: r.credit,
                rights: r.rights,
                source: r.source,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct ExhibitionSummaryRow {
    id: i64,
    slug: String,
    status: String,
    featured: bool,
    title_zh: Option<String>,
    title_mn: Option<String>,
    title_en: Option<String>,
    subtitle_zh: Option<String>,
    subtitle_mn: Option<String>,
    subtitle_en: Option<String>,
    /// Only read for the exhibition page; the list query selects it too for one row shape.
    pub introduction_zh: Option<String>,
    /// See `introduction_zh`.
    pub introduction_mn: Option<String>,
    /// See `introduction_zh`.
    pub introduction_en: Option<String>,
    updated_at: DateTime<Utc>,
    base_slug: String,
    base_name_zh: Option<String>,
    base_name_mn: Option<String>,
    base_name_en: Option<String>,
    stop_count: i64,
    #[sqlx(flatten)]
    cover: PictureRow,
}

impl ExhibitionSummaryRow {
    /// The introduction, which cards do not show.
    pub fn introduction(&self) -> LocalizedText {
        text(
            self.introduction_zh.clone(),
            self.introduction_mn.clone(),
            self.introduction_en.clone(),
        )
    }
}

impl TryFrom<ExhibitionSummaryRow> for ExhibitionSummary {
    type Error = RepoError;

    fn try_from(r: ExhibitionSummaryRow) -> Result<ExhibitionSummary, RepoError> {
        Ok(ExhibitionSummary {
            id: r.id,
            slug: slug(&r.slug)?,
            status: Status::parse(&r.status).map_err(|e| corrupt("status", e))?,
            featured: r.featured,
            title: text(r.title_zh, r.title_mn, r.title_en),
            subtitle: text(r.subtitle_zh, r.subtitle_mn, r.subtitle_en),
            base: BaseRef {
                slug: slug(&r.base_slug)?,
                name: text(r.base_name_zh, r.base_name_mn, r.base_name_en),
            },
            cover: r.cover.into(),
            stop_count: r.stop_count,
            updated_at: r.updated_at,
        })
    }
}

/// A stop: its own columns, the item card, and the focus image.
#[derive(sqlx::FromRow)]
pub struct StopRow {
    narrative_zh: Option<String>,
    narrative_mn: Option<String>,
    narrative_en: Option<String>,
    focus_sha256: Option<String>,
    focus_width: Option<i32>,
    focus_height: Option<i32>,
    focus_alt_zh: Option<String>,
    focus_alt_mn: Option<String>,
    focus_alt_en: Option<String>,
    audio_media_id: Option<i64>,
    #[sqlx(flatten)]
    item: ItemSummaryRow,
}

impl StopRow {
    /// The stop, numbered among the visible ones.
    pub fn into_stop(self, number: i64) -> Result<Stop, RepoError> {
        let item = ItemSummary::try_from(self.item)?;
        let focus = match self.focus_sha256 {
            Some(sha256) => Some(Picture {
                sha256,
                width: self.focus_width,
                height: self.focus_height,
                alt: text(self.focus_alt_zh, self.focus_alt_mn, self.focus_alt_en),
            }),
            None => item.cover.clone(),
        };
        Ok(Stop {
            number,
            item,
            focus,
            narrative: text(self.narrative_zh, self.narrative_mn, self.narrative_en),
            audio: self.audio_media_id,
        })
    }
}
