//! Image derivatives: the resized JPEGs and WebPs that cards and item pages show. They are
//! caches — made on first request by [`derive`](super::derive), stored beside the originals,
//! and remade whenever missing.

use super::derive::{self, Format, Limits, Spec};
use crate::store::{BlobKey, BlobStore, Sha256Hex};
use anyhow::Context;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// A derivative: a width and a format. Widths are maxima: a smaller original is never
/// enlarged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Cards and thumbnails, JPEG.
    W400Jpg,
    /// Cards and thumbnails, WebP.
    W400Webp,
    /// Phone screens, JPEG.
    W800Jpg,
    /// Phone screens, WebP.
    W800Webp,
    /// Item pages on large screens, JPEG.
    W1600Jpg,
    /// Item pages on large screens, WebP.
    W1600Webp,
    /// Hall panoramas in the 360° viewer, JPEG: as wide as phones' graphics can take as
    /// one texture. Made on request only (not for every image).
    W4096Jpg,
}

impl Variant {
    /// Every variant, smallest first.
    pub const ALL: [Variant; 6] = [
        Variant::W400Jpg,
        Variant::W400Webp,
        Variant::W800Jpg,
        Variant::W800Webp,
        Variant::W1600Jpg,
        Variant::W1600Webp,
    ];

    /// The JPEG variants, smallest first (the order of a `srcset`).
    pub const JPEG: [Variant; 3] = [Variant::W400Jpg, Variant::W800Jpg, Variant::W1600Jpg];

    /// What the 360° viewer loads.
    pub const PANORAMA: Variant = Variant::W4096Jpg;

    /// The WebP variants, smallest first (the order of a `srcset`).
    pub const WEBP: [Variant; 3] = [Variant::W400Webp, Variant::W800Webp, Variant::W1600Webp];

    /// The variants of one format, smallest first.
    pub fn set(format: Format) -> [Variant; 3] {
        match format {
            Format::Jpeg => Variant::JPEG,
            Format::Webp => Variant::WEBP,
        }
    }

    /// The name in URLs and storage.
    pub fn name(self) -> &'static str {
        match self {
            Variant::W400Jpg => "w400.jpg",
            Variant::W400Webp => "w400.webp",
            Variant::W800Jpg => "w800.jpg",
            Variant::W800Webp => "w800.webp",
            Variant::W1600Jpg => "w1600.jpg",
            Variant::W1600Webp => "w1600.webp",
            Variant::W4096Jpg => "w4096.jpg",
        }
    }

    /// The largest width this variant may have.
    pub fn max_width(self) -> u32 {
        match self {
            Variant::W400Jpg | Variant::W400Webp => 400,
            Variant::W800Jpg | Variant::W800Webp => 800,
            Variant::W1600Jpg | Variant::W1600Webp => 1600,
            Variant::W4096Jpg => 4096,
        }
    }

    /// Its file format.
    pub fn format(self) -> Format {
        match self {
            Variant::W400Jpg | Variant::W800Jpg | Variant::W1600Jpg | Variant::W4096Jpg => {
                Format::Jpeg
            }
            Variant::W400Webp | Variant::W800Webp | Variant::W1600Webp => Format::Webp,
        }
    }

    /// What the engine is asked to make.
    pub fn spec(self) -> Spec {
        Spec {
            max_width: self.max_width(),
            format: self.format(),
        }
    }

    /// The MIME type of the variant's files.
    pub fn mime(self) -> &'static str {
        self.format().mime()
    }

    /// The variant with this URL name.
    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL
            .into_iter()
            .chain([Variant::PANORAMA])
            .find(|v| v.name() == name)
    }
}

/// Makes and caches derivatives, bounding how many are made at once to the CPU count.
pub struct Derivatives {
    store: Arc<dyn BlobStore>,
    workers: Semaphore,
    limits: Limits,
}

impl Derivatives {
    /// Derivatives of originals in `store`; `max_pixels` bounds what will be decoded.
    pub fn new(store: Arc<dyn BlobStore>, max_pixels: u64) -> Derivatives {
        let limits = Limits::with_max_pixels(max_pixels);
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Derivatives {
            store,
            workers: Semaphore::new(cores),
            limits,
        }
    }

    /// The derivative's bytes, made now if not cached. `None` if the original is missing.
    #[tracing::instrument(skip(self), fields(sha256 = %sha256, variant = variant.name()))]
    pub async fn get(
        &self,
        sha256: &Sha256Hex,
        variant: Variant,
    ) -> anyhow::Result<Option<Vec<u8>>> {
        let key = BlobKey::Derivative(sha256.clone(), variant.name());
        if let Some(bytes) = self.store.read(&key).await? {
            return Ok(Some(bytes));
        }
        let _permit = self
            .workers
            .acquire()
            .await
            .context("derivative workers closed")?;
        // Another request may have made it while we waited.
        if let Some(bytes) = self.store.read(&key).await? {
            return Ok(Some(bytes));
        }
        let Some(original) = self.store.read(&BlobKey::Original(sha256.clone())).await? else {
            return Ok(None);
        };
        let limits = self.limits;
        let derived = tokio::task::spawn_blocking(move || {
            derive::derive(&original, &variant.spec(), &limits)
        })
        .await
        .context("derivative worker failed")??;
        self.store.put_derivative(&key, &derived.bytes).await?;
        Ok(Some(derived.bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_is_found_by_its_name() {
        for v in Variant::ALL {
            assert_eq!(Variant::from_name(v.name()), Some(v));
        }
        assert_eq!(Variant::from_name("w400.png"), None);
    }

    #[test]
    fn the_sets_are_one_format_each_and_smallest_first() {
        for format in [Format::Jpeg, Format::Webp] {
            let set = Variant::set(format);
            assert!(set.iter().all(|v| v.format() == format));
            assert!(set.windows(2).all(|w| w[0].max_width() < w[1].max_width()));
        }
        assert!(
            Variant::ALL
                .windows(2)
                .all(|w| w[0].max_width() <= w[1].max_width())
        );
    }
}
