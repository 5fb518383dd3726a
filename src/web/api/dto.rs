//! The API's records. They are separate from the domain types on purpose: the field names
//! here are a public contract and change only with a new API version.

use crate::catalogue::model::{
    Base, BaseRef, Exhibition, ExhibitionSummary, Item, ItemSummary, Media, Picture, Stop,
};
use crate::catalogue::panorama::Panorama;
use crate::catalogue::rights::rights_label;
use crate::i18n::LocalizedText;
use crate::media::Variant;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Builds absolute URLs.
pub struct Urls<'a>(pub &'a str);

impl Urls<'_> {
    fn page(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    fn images(&self, sha256: &str, width: Option<i32>) -> BTreeMap<&'static str, String> {
        let mut urls = BTreeMap::new();
        urls.insert("original", self.page(&format!("/media/{sha256}/original")));
        let original = width.unwrap_or(i32::MAX);
        for (jpeg, webp) in Variant::JPEG.into_iter().zip(Variant::WEBP) {
            for v in [jpeg, webp] {
                urls.insert(
                    api_key(v),
                    self.page(&format!("/media/{sha256}/{}", v.name())),
                );
            }
            if jpeg.max_width() as i32 >= original {
                break;
            }
        }
        urls
    }
}

/// A derivative's key in `urls`. The JPEG keys are the first ones ("w400"); WebP was added
/// beside them ("w400_webp").
fn api_key(v: Variant) -> &'static str {
    match v {
        Variant::W400Jpg => "w400",
        Variant::W800Jpg => "w800",
        Variant::W1600Jpg => "w1600",
        Variant::W400Webp => "w400_webp",
        Variant::W800Webp => "w800_webp",
        Variant::W1600Webp => "w1600_webp",
        Variant::W4096Jpg => "w4096",
    }
}

#[derive(Serialize, ToSchema)]
pub struct BaseRefDto {
    slug: String,
    name: LocalizedText,
    url: String,
}

fn base_ref(b: BaseRef, urls: &Urls) -> BaseRefDto {
    BaseRefDto {
        url: urls.page(&format!("/bases/{}", b.slug)),
        slug: b.slug.to_string(),
        name: b.name,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ImageDto {
    sha256: String,
    width: Option<i32>,
    height: Option<i32>,
    alt: LocalizedText,
    urls: BTreeMap<&'static str, String>,
}

fn image(p: Picture, urls: &Urls) -> ImageDto {
    ImageDto {
        urls: urls.images(&p.sha256, p.width),
        sha256: p.sha256,
        width: p.width,
        height: p.height,
        alt: p.alt,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ItemSummaryDto {
    slug: String,
    accession: String,
    title: LocalizedText,
    summary: LocalizedText,
    category: &'static str,
    protection_level: Option<&'static str>,
    base: BaseRefDto,
    cover: Option<ImageDto>,
    url: String,
    api_url: String,
}

pub fn item_summary(i: ItemSummary, urls: &Urls) -> ItemSummaryDto {
    ItemSummaryDto {
        url: urls.page(&format!("/items/{}", i.slug)),
        api_url: urls.page(&format!("/api/v1/items/{}", i.slug)),
        slug: i.slug.to_string(),
        accession: i.accession.to_string(),
        title: i.title,
        summary: i.summary,
        category: i.category.code(),
        protection_level: i.protection_level.map(|l| l.code()),
        base: base_ref(i.base, urls),
        cover: i.cover.map(|c| image(c, urls)),
    }
}

#[derive(Serialize, ToSchema)]
pub struct MediaDto {
    kind: &'static str,
    mime: String,
    bytes: i64,
    sha256: String,
    width: Option<i32>,
    height: Option<i32>,
    duration_ms: Option<i64>,
    alt: LocalizedText,
    caption: LocalizedText,
    credit: String,
    rights: String,
    rights_label: String,
    source: Option<String>,
    urls: BTreeMap<&'static str, String>,
}

fn media(m: Media, urls: &Urls) -> MediaDto {
    let urls_map = if m.kind == crate::catalogue::types::MediaKind::Image {
        urls.images(&m.sha256, m.width)
    } else {
        BTreeMap::from([(
            "original",
            urls.page(&format!("/media/{}/original", m.sha256)),
        )])
    };
    MediaDto {
        kind: m.kind.code(),
        mime: m.mime,
        bytes: m.bytes,
        width: m.width,
        height: m.height,
        duration_ms: m.duration_ms,
        alt: m.fields.alt,
        caption: m.fields.caption,
        credit: m.fields.credit,
        rights_label: rights_label(&m.fields.rights),
        rights: m.fields.rights,
        source: m.fields.source,
        urls: urls_map,
        sha256: m.sha256,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ItemDto {
    slug: String,
    accession: String,
    title: LocalizedText,
    summary: LocalizedText,
    description: LocalizedText,
    category: &'static str,
    protection_level: Option<&'static str>,
    place: LocalizedText,
    period: LocalizedText,
    year: Option<i32>,
    inheritors: Vec<LocalizedText>,
    subjects: Vec<LocalizedText>,
    rights: String,
    rights_label: String,
    base: BaseRefDto,
    media: Vec<MediaDto>,
    exhibitions: Vec<ExhibitionRefDto>,
    revision: i64,
    updated_at: String,
    url: String,
    /// The IIIF Presentation 3.0 manifest, for IIIF viewers.
    iiif_manifest: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExhibitionRefDto {
    slug: String,
    title: LocalizedText,
    url: String,
    api_url: String,
}

pub fn item(i: Item, exhibitions: Vec<ExhibitionSummary>, urls: &Urls) -> ItemDto {
    let f = i.fields;
    ItemDto {
        url: urls.page(&format!("/items/{}", f.slug)),
        iiif_manifest: crate::iiif::presentation::Urls(urls.0).manifest(f.slug.as_str()),
        slug: f.slug.to_string(),
        accession: f.accession.to_string(),
        title: f.title,
        summary: f.summary,
        description: f.description,
        category: f.category.code(),
        protection_level: f.protection_level.map(|l| l.code()),
        place: f.place,
        period: f.period,
        year: f.year,
        inheritors: f.inheritors,
        subjects: f.subjects,
        rights_label: rights_label(&f.rights),
        rights: f.rights,
        base: base_ref(i.base, urls),
        media: i.media.into_iter().map(|m| media(m, urls)).collect(),
        exhibitions: exhibitions
            .into_iter()
            .map(|e| ExhibitionRefDto {
                url: urls.page(&format!("/exhibitions/{}", e.slug)),
                api_url: urls.page(&format!("/api/v1/exhibitions/{}", e.slug)),
                slug: e.slug.to_string(),
                title: e.title,
            })
            .collect(),
        revision: i.revision,
        updated_at: i.updated_at.to_rfc3339(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct BaseDto {
    slug: String,
    kind: &'static str,
    level: Option<&'static str>,
    name: LocalizedText,
    town: LocalizedText,
    address: LocalizedText,
    opening_hours: LocalizedText,
    description: LocalizedText,
    contact: Option<String>,
    website: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    updated_at: String,
    url: String,
    api_url: String,
    /// Panoramas of the base's halls (in the answer about one base only).
    #[serde(skip_serializing_if = "Option::is_none")]
    panoramas: Option<Vec<PanoramaDto>>,
}

/// A panorama of a hall: its photograph and the items marked on it.
#[derive(Serialize, ToSchema)]
pub struct PanoramaDto {
    number: i64,
    title: LocalizedText,
    alt: LocalizedText,
    width: i64,
    height: i64,
    /// A full 360° × 180° equirectangular photograph.
    spherical: bool,
    /// The photograph: the original and its derivatives (`w4096` is what the 360° viewer loads).
    urls: BTreeMap<&'static str, String>,
    url: String,
    spots: Vec<SpotDto>,
    /// Doors to the base's other panoramas.
    doors: Vec<DoorDto>,
}

/// A door: where, as fractions of the photograph's width and height, a way leads to
/// another panorama of the same base.
#[derive(Serialize, ToSchema)]
pub struct DoorDto {
    number: i64,
    x: f64,
    y: f64,
    /// The number of the panorama it leads to.
    to: i64,
    title: LocalizedText,
    url: String,
}

/// A marker: where an item stands, as fractions of the photograph's width and height.
#[derive(Serialize, ToSchema)]
pub struct SpotDto {
    number: i64,
    x: f64,
    y: f64,
    accession: String,
    title: LocalizedText,
    url: String,
    api_url: String,
}

/// A hall panorama as the API shows it.
pub fn panorama(p: Panorama, urls: &Urls) -> PanoramaDto {
    let mut images = urls.images(&p.image.sha256, i32::try_from(p.image.width).ok());
    images.insert(
        api_key(Variant::PANORAMA),
        urls.page(&format!(
            "/media/{}/{}",
            p.image.sha256,
            Variant::PANORAMA.name()
        )),
    );
    PanoramaDto {
        spherical: p.is_spherical(),
        url: urls.page(&format!("/bases/{}/panoramas/{}", p.base.slug, p.number)),
        number: p.number,
        width: p.image.width,
        height: p.image.height,
        urls: images,
        spots: p
            .spots
            .into_iter()
            .map(|s| SpotDto {
                number: s.number,
                x: s.x,
                y: s.y,
                accession: s.item.accession.to_string(),
                url: urls.page(&format!("/items/{}", s.item.slug)),
                api_url: urls.page(&format!("/api/v1/items/{}", s.item.slug)),
                title: s.item.title,
            })
            .collect(),
        doors: p
            .doors
            .into_iter()
            .map(|d| DoorDto {
                number: d.number,
                x: d.x,
                y: d.y,
                url: urls.page(&format!("/bases/{}/panoramas/{}", p.base.slug, d.to)),
                to: d.to,
                title: d.title,
            })
            .collect(),
        title: p.title,
        alt: p.alt,
    }
}

/// A base with its hall panoramas.
pub fn base_with_panoramas(b: Base, panoramas: Vec<Panorama>, urls: &Urls) -> BaseDto {
    BaseDto {
        panoramas: Some(panoramas.into_iter().map(|p| panorama(p, urls)).collect()),
        ..base(b, urls)
    }
}

pub fn base(b: Base, urls: &Urls) -> BaseDto {
    let f = b.fields;
    BaseDto {
        url: urls.page(&format!("/bases/{}", f.slug)),
        api_url: urls.page(&format!("/api/v1/bases/{}", f.slug)),
        slug: f.slug.to_string(),
        kind: f.kind.code(),
        level: f.level.map(|l| l.code()),
        name: f.name,
        town: f.town,
        address: f.address,
        opening_hours: f.opening_hours,
        description: f.description,
        contact: f.contact,
        website: f.website,
        latitude: f.coordinates.map(|c| c.0),
        longitude: f.coordinates.map(|c| c.1),
        updated_at: b.updated_at.to_rfc3339(),
        panoramas: None,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExhibitionSummaryDto {
    slug: String,
    title: LocalizedText,
    subtitle: LocalizedText,
    featured: bool,
    base: BaseRefDto,
    cover: Option<ImageDto>,
    stop_count: i64,
    updated_at: String,
    url: String,
    api_url: String,
}

pub fn exhibition_summary(e: ExhibitionSummary, urls: &Urls) -> ExhibitionSummaryDto {
    ExhibitionSummaryDto {
        url: urls.page(&format!("/exhibitions/{}", e.slug)),
        api_url: urls.page(&format!("/api/v1/exhibitions/{}", e.slug)),
        slug: e.slug.to_string(),
        title: e.title,
        subtitle: e.subtitle,
        featured: e.featured,
        base: base_ref(e.base, urls),
        cover: e.cover.map(|c| image(c, urls)),
        stop_count: e.stop_count,
        updated_at: e.updated_at.to_rfc3339(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct StopDto {
    number: i64,
    item: ItemSummaryDto,
    focus: Option<ImageDto>,
    narrative: LocalizedText,
    url: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExhibitionDto {
    #[serde(flatten)]
    summary: ExhibitionSummaryDto,
    introduction: LocalizedText,
    stops: Vec<StopDto>,
}

pub fn exhibition(e: Exhibition, urls: &Urls) -> ExhibitionDto {
    let slug = e.summary.slug.to_string();
    ExhibitionDto {
        summary: exhibition_summary(e.summary, urls),
        introduction: e.introduction,
        stops: e
            .stops
            .into_iter()
            .map(|s: Stop| StopDto {
                url: urls.page(&format!("/exhibitions/{slug}/stops/{}", s.number)),
                number: s.number,
                item: item_summary(s.item, urls),
                focus: s.focus.map(|p| image(p, urls)),
                narrative: s.narrative,
            })
            .collect(),
    }
}
