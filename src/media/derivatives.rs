//! Image derivatives: the resized JPEGs that cards and item pages show. They are caches —
//! made on first request, stored beside the originals, and remade whenever missing.

use crate::store::{BlobKey, BlobStore, Sha256Hex};
use anyhow::Context;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use std::io::Cursor;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// A derivative size. Widths are maxima: a smaller original is never enlarged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Cards and thumbnails.
    W400,
    /// Phone screens.
    W800,
    /// Item pages on large screens.
    W1600,
}

impl Variant {
    /// Every variant, smallest first (the order of a `srcset`).
    pub const ALL: [Variant; 3] = [Variant::W400, Variant::W800, Variant::W1600];

    /// The name in URLs and storage.
    pub fn name(self) -> &'static str {
        match self {
            Variant::W400 => "w400.jpg",
            Variant::W800 => "w800.jpg",
            Variant::W1600 => "w1600.jpg",
        }
    }

    /// The largest width this variant may have.
    pub fn max_width(self) -> u32 {
        match self {
            Variant::W400 => 400,
            Variant::W800 => 800,
            Variant::W1600 => 1600,
        }
    }

    /// The MIME type of the variant's files.
    pub fn mime(self) -> &'static str {
        "image/jpeg"
    }

    /// The variant with this URL name.
    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
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
        let mut limits = Limits::default();
        let side = (max_pixels as f64).sqrt().ceil() as u32 * 4;
        limits.max_image_width = Some(side);
        limits.max_image_height = Some(side);
        limits.max_alloc = Some(max_pixels.saturating_mul(4));
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
        let limits = self.limits.clone();
        let bytes =
            tokio::task::spawn_blocking(move || render(&original, variant, limits)).await??;
        self.store.put_derivative(&key, &bytes).await?;
        Ok(Some(bytes))
    }
}

/// Decodes, orients, resizes and re-encodes one image. EXIF (GPS included) is not copied.
pub fn render(original: &[u8], variant: Variant, limits: Limits) -> anyhow::Result<Vec<u8>> {
    let mut reader = ImageReader::new(Cursor::new(original))
        .with_guessed_format()
        .context("Failed to read the image")?;
    reader.limits(limits);
    let mut decoder = reader.into_decoder().context("Failed to open the image")?;
    let orientation = decoder
        .orientation()
        .context("Failed to read the orientation")?;
    let mut image = DynamicImage::from_decoder(decoder).context("Failed to decode the image")?;
    image.apply_orientation(orientation);
    if image.width() > variant.max_width() {
        let height = (u64::from(image.height()) * u64::from(variant.max_width())
            / u64::from(image.width()))
        .max(1);
        image = image.resize_exact(
            variant.max_width(),
            height as u32,
            image::imageops::FilterType::Lanczos3,
        );
    }
    let rgb = DynamicImage::ImageRgb8(image.into_rgb8());
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
    rgb.write_with_encoder(encoder)
        .context("Failed to encode the derivative")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
            .unwrap();
        out
    }

    #[test]
    fn derivatives_shrink_to_the_variant_width_and_keep_the_aspect() {
        let out = render(&jpeg(1000, 500), Variant::W400, Limits::default()).unwrap();
        let img = image::load_from_memory(&out).unwrap();
        assert_eq!((img.width(), img.height()), (400, 200));
    }

    #[test]
    fn small_originals_are_never_enlarged() {
        let out = render(&jpeg(300, 200), Variant::W1600, Limits::default()).unwrap();
        let img = image::load_from_memory(&out).unwrap();
        assert_eq!((img.width(), img.height()), (300, 200));
    }

    #[test]
    fn broken_images_are_an_error_not_a_panic() {
        assert!(render(b"\xFF\xD8\xFF\xE0garbage", Variant::W400, Limits::default()).is_err());
    }
}
