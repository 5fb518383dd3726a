//! Panoramas of a base's physical halls, linked to the items on show: a photograph of the
//! hall (an equirectangular 360° image, or simply a wide one) with a marker at each item.
//! A marker's place is a fraction of the image's width and height from its top-left
//! corner, so the same marker works on the flat photograph and, for 360° images, in the
//! spherical viewer (x is the compass direction, y the elevation).

use super::model::{BaseRef, ItemId, MediaFile, Picture};
use super::types::{Accession, Category, MediaKind, Slug, Status};
use crate::i18n::LocalizedText;
use crate::repo::{Actor, RepoResult, Visibility};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A panorama's database id.
pub type PanoramaId = i64;

/// At most this many markers on one panorama.
pub const MAX_SPOTS: usize = 60;

/// At most this many doors on one panorama.
pub const MAX_DOORS: usize = 12;

/// The narrowest photograph taken as a panorama.
pub const MIN_WIDTH: i64 = 1000;

/// Whether a photograph of `width` × `height` pixels can be a panorama: at least
/// [`MIN_WIDTH`] wide, and not upright.
pub fn photo_fits(width: i64, height: i64) -> bool {
    height > 0 && width >= MIN_WIDTH && width >= height
}

/// A panorama of a hall, with its markers.
#[derive(Debug, Clone, PartialEq)]
pub struct Panorama {
    /// Identity.
    pub id: PanoramaId,
    /// The base whose hall it shows.
    pub base: BaseRef,
    /// Its number among the base's panoramas (its address: `/bases/{base}/panoramas/{n}`).
    /// Numbers are never reused while the base keeps the panorama.
    pub number: i64,
    /// Title, e.g. "一号展厅".
    pub title: LocalizedText,
    /// What the photograph shows, for people who cannot see it.
    pub alt: LocalizedText,
    /// The photograph.
    pub image: PanoramaImage,
    /// The markers, in the order curators placed them.
    pub spots: Vec<Spot>,
    /// The doors to the base's other panoramas, in the order curators placed them.
    pub doors: Vec<Door>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Panorama {
    /// Whether the photograph is a full 360° × 180° equirectangular image (twice as wide as
    /// high, within 1 %): only then can the spherical viewer show it.
    pub fn is_spherical(&self) -> bool {
        let (w, h) = (self.image.width as f64, self.image.height as f64);
        h > 0.0 && (w / h - 2.0).abs() <= 0.02
    }
}

impl Panorama {
    /// A place given as fractions of the photograph, in its pixels.
    pub fn pixel(&self, x: &f64, y: &f64) -> (i64, i64) {
        (
            (x * self.image.width as f64).round() as i64,
            (y * self.image.height as f64).round() as i64,
        )
    }

    /// The photograph as a picture, for cards and the flat view.
    pub fn picture(&self) -> Picture {
        Picture {
            sha256: self.image.sha256.clone(),
            width: i32::try_from(self.image.width).ok(),
            height: i32::try_from(self.image.height).ok(),
            alt: self.alt.clone(),
        }
    }
}

/// The photograph of a panorama: an original in the media store.
#[derive(Debug, Clone, PartialEq)]
pub struct PanoramaImage {
    /// Content address (hex SHA-256).
    pub sha256: String,
    /// Sniffed type.
    pub mime: String,
    /// Size in bytes.
    pub bytes: i64,
    /// Pixel width.
    pub width: i64,
    /// Pixel height.
    pub height: i64,
    /// The name it was uploaded with.
    pub original_name: String,
}

/// Why a stored file cannot be a panorama's photograph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoRefused {
    /// Not an image (its sniffed type).
    NotImage(String),
    /// Narrower than [`MIN_WIDTH`], or upright (its width and height).
    TooSmall(i64, i64),
}

impl PanoramaImage {
    /// A stored file as a panorama's photograph, if it can be one (see [`photo_fits`]).
    pub fn of(file: MediaFile, original_name: String) -> Result<PanoramaImage, PhotoRefused> {
        let (w, h) = (
            i64::from(file.width.unwrap_or(0)),
            i64::from(file.height.unwrap_or(0)),
        );
        if file.kind != MediaKind::Image || w == 0 || h == 0 {
            return Err(PhotoRefused::NotImage(file.mime));
        }
        if !photo_fits(w, h) {
            return Err(PhotoRefused::TooSmall(w, h));
        }
        Ok(PanoramaImage {
            sha256: file.sha256,
            mime: file.mime,
            bytes: file.bytes,
            width: w,
            height: h,
            original_name,
        })
    }
}

/// A marker: an item, and where it stands in the photograph.
#[derive(Debug, Clone, PartialEq)]
pub struct Spot {
    /// Its number on the panorama (1, 2, …), as the marker shows it.
    pub number: i64,
    /// The item.
    pub item: SpotItem,
    /// Fraction of the width from the left edge, 0 to 1.
    pub x: f64,
    /// Fraction of the height from the top edge, 0 to 1.
    pub y: f64,
}

/// What a marker shows of its item.
#[derive(Debug, Clone, PartialEq)]
pub struct SpotItem {
    /// Accession number.
    pub accession: Accession,
    /// Its page's address.
    pub slug: Slug,
    /// Title.
    pub title: LocalizedText,
    /// ICH category.
    pub category: Category,
    /// Editorial state (the public sees markers of published items only).
    pub status: Status,
}

/// A door: a place in the photograph that leads to another panorama of the same base.
#[derive(Debug, Clone, PartialEq)]
pub struct Door {
    /// Its number on the panorama (1, 2, …), apart from the markers'.
    pub number: i64,
    /// The number of the panorama it leads to.
    pub to: i64,
    /// That panorama's title.
    pub title: LocalizedText,
    /// Fraction of the width from the left edge, 0 to 1.
    pub x: f64,
    /// Fraction of the height from the top edge, 0 to 1.
    pub y: f64,
}

/// A door to place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewDoor {
    /// The number of the base's panorama it leads to.
    pub to: i64,
    /// Fraction of the width from the left edge.
    pub x: f64,
    /// Fraction of the height from the top edge.
    pub y: f64,
}

/// Where an item is marked on a public hall panorama, for its page.
#[derive(Debug, Clone, PartialEq)]
pub struct HallMark {
    /// The base whose hall it is.
    pub base: Slug,
    /// The panorama's number.
    pub panorama: i64,
    /// The panorama's title.
    pub title: LocalizedText,
    /// The marker's number.
    pub spot: i64,
}

/// A panorama to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPanorama {
    /// Title.
    pub title: LocalizedText,
    /// What the photograph shows.
    pub alt: LocalizedText,
    /// The photograph, already in the media store.
    pub image: PanoramaImage,
    /// Markers to place at once (the importer); the admin adds them one by one.
    pub spots: Vec<NewSpot>,
}

/// A marker to place.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSpot {
    /// The item, by accession number.
    pub item: Accession,
    /// Fraction of the width from the left edge.
    pub x: f64,
    /// Fraction of the height from the top edge.
    pub y: f64,
}

/// Why a marker's place is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceError {
    /// Not a number from 0 to 1 (or 0 to 100 %).
    #[error("{0:?} is not a place in the photograph: give a number from 0 to 100 (percent)")]
    Outside(String),
}

/// Reads a marker coordinate typed as a percentage ("42.5", "42.5%").
pub fn percent(text: &str) -> Result<f64, PlaceError> {
    let t = text.trim().trim_end_matches('%').trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=100.0).contains(&v) => Ok(v / 100.0),
        _ => Err(PlaceError::Outside(text.chars().take(40).collect())),
    }
}

/// Checks a coordinate given as a fraction (the import format).
pub fn fraction(v: f64) -> Result<f64, PlaceError> {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(PlaceError::Outside(v.to_string()))
    }
}

/// Storage of panoramas.
#[async_trait]
pub trait PanoramaRepo: Send + Sync {
    /// A base's panoramas in order (none when the public asks about an unpublished base);
    /// with the public's visibility, markers of unpublished items are left out.
    async fn panoramas(&self, base: &Slug, visibility: Visibility) -> RepoResult<Vec<Panorama>>;
    /// One panorama by its base and number.
    async fn panorama(
        &self,
        base: &Slug,
        number: i64,
        visibility: Visibility,
    ) -> RepoResult<Option<Panorama>>;
    /// Adds a panorama as the base's last; returns its number. An unknown base or item is
    /// `Invalid`.
    async fn add_panorama(&self, base: &Slug, new: &NewPanorama, actor: &Actor) -> RepoResult<i64>;
    /// The importer's write: updates the base's panorama with the same photograph (title,
    /// description, markers replaced), or adds one. Returns its number.
    async fn import_panorama(
        &self,
        base: &Slug,
        new: &NewPanorama,
        actor: &Actor,
    ) -> RepoResult<i64>;
    /// Changes a panorama's title and description; false when it is gone.
    async fn describe_panorama(
        &self,
        base: &Slug,
        number: i64,
        title: &LocalizedText,
        alt: &LocalizedText,
        actor: &Actor,
    ) -> RepoResult<bool>;
    /// Removes a panorama and its markers (its photograph stays in the store); false when
    /// it is gone.
    async fn remove_panorama(&self, base: &Slug, number: i64, actor: &Actor) -> RepoResult<bool>;
    /// Places a marker as the panorama's last; returns its number. An unknown item, or a
    /// panorama with [`MAX_SPOTS`] markers, is `Invalid`; a gone panorama is `None`.
    async fn add_spot(
        &self,
        base: &Slug,
        number: i64,
        spot: &NewSpot,
        actor: &Actor,
    ) -> RepoResult<Option<i64>>;
    /// Removes marker `spot`; false when it is gone.
    async fn remove_spot(
        &self,
        base: &Slug,
        number: i64,
        spot: i64,
        actor: &Actor,
    ) -> RepoResult<bool>;
    /// Places a door to the base's panorama `door.to` as the panorama's last; returns its
    /// number. A door to itself or to a panorama the base lacks, or a panorama with
    /// [`MAX_DOORS`] doors, is `Invalid`; a gone panorama is `None`.
    async fn add_door(
        &self,
        base: &Slug,
        number: i64,
        door: &NewDoor,
        actor: &Actor,
    ) -> RepoResult<Option<i64>>;
    /// Removes door `door`; false when it is gone.
    async fn remove_door(
        &self,
        base: &Slug,
        number: i64,
        door: i64,
        actor: &Actor,
    ) -> RepoResult<bool>;
    /// The importer's write: replaces all of a panorama's doors, checked as `add_door`
    /// checks one; false when the panorama is gone.
    async fn replace_doors(
        &self,
        base: &Slug,
        number: i64,
        doors: &[NewDoor],
        actor: &Actor,
    ) -> RepoResult<bool>;
    /// Where item `item` is marked on the panoramas of published bases.
    async fn halls_showing(&self, item: ItemId) -> RepoResult<Vec<HallMark>>;
    /// The photographs of every panorama with their base, for fixity checks.
    async fn panorama_hashes(&self) -> RepoResult<Vec<(String, Slug)>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_percentages_typed_or_fractions_imported() {
        assert_eq!(percent("42.5"), Ok(0.425));
        assert_eq!(percent(" 100 %"), Ok(1.0));
        assert_eq!(percent("0"), Ok(0.0));
        for bad in ["", "-1", "100.1", "NaN", "inf", "abc", "1e400"] {
            assert!(percent(bad).is_err(), "{bad}");
        }
        assert_eq!(fraction(0.5), Ok(0.5));
        assert!(fraction(1.5).is_err());
        assert!(fraction(f64::NAN).is_err());
    }

    #[test]
    fn panoramas_are_wide_enough_and_not_upright() {
        assert!(photo_fits(1000, 1000) && photo_fits(8000, 4000) && photo_fits(1600, 600));
        assert!(!photo_fits(999, 400) && !photo_fits(1000, 1001) && !photo_fits(2000, 0));
    }

    #[test]
    fn only_two_to_one_photographs_are_spherical() {
        let mut p = Panorama {
            id: 1,
            base: BaseRef {
                slug: Slug::parse("hall").unwrap(),
                name: LocalizedText::default(),
            },
            number: 1,
            title: LocalizedText::default(),
            alt: LocalizedText::default(),
            image: PanoramaImage {
                sha256: String::new(),
                mime: "image/jpeg".into(),
                bytes: 1,
                width: 8000,
                height: 4000,
                original_name: "hall.jpg".into(),
            },
            spots: Vec::new(),
            doors: Vec::new(),
            updated_at: Utc::now(),
        };
        assert!(p.is_spherical());
        p.image.height = 4030;
        assert!(p.is_spherical(), "within 1 %");
        p.image.height = 2000;
        assert!(!p.is_spherical(), "a wide photograph");
        p.image.height = 0;
        assert!(!p.is_spherical());
    }
}
