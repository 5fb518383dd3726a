//! Making the images of IIIF requests from stored originals, and remembering them: the
//! engine path each request takes ([`derive::view`](crate::media::derive::view)) and the
//! three caches that make the second request instant — finished images, whole decodes of
//! originals that cannot be decoded in part (and 1/8 decodes of large JPEGs), and the
//! originals' bytes, so a tile does not re-read a 30 MB file. All are bounded in bytes and
//! evict; their sizes come from one budget in the settings.

use super::request::{Format, Limits, Quality, Resolved};
use crate::media::derive::{self, Crop, Decoded, DeriveError, Encoding, Plan, Source, Tone, View};
use crate::store::{BlobKey, BlobStore, Sha256Hex};
use bytes::Bytes;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The longest side of an image we make: WebP's limit, and far beyond any screen.
pub const MAX_SIDE: u32 = 16_383;

/// Why an image could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The record exists but its original file does not (logged; answered as not found).
    #[error("the original file is missing")]
    Missing,
    /// The original cannot be decoded (damaged, cut short, too large, an unread variant).
    #[error("{0}")]
    Unreadable(DeriveError),
    /// The media store failed.
    #[error("the media store failed: {0:#}")]
    Store(anyhow::Error),
    /// A bug on our side (encoding failed, a worker died).
    #[error("{0}")]
    Internal(String),
}

impl From<DeriveError> for ImageError {
    fn from(e: DeriveError) -> ImageError {
        match e {
            DeriveError::Internal(why) => ImageError::Internal(why),
            other => ImageError::Unreadable(other),
        }
    }
}

/// The IIIF image service: sizes of originals, and images made on request and cached.
pub struct Images {
    blobs: Arc<dyn BlobStore>,
    /// How large an original we decode.
    decode_limits: derive::Limits,
    /// How large an image we make (announced in `info.json`).
    limits: Limits,
    originals: moka::sync::Cache<Sha256Hex, Bytes>,
    decoded: moka::sync::Cache<(Sha256Hex, u8), Arc<Decoded>>,
    made: moka::sync::Cache<(Sha256Hex, Resolved), Bytes>,
    sizes: moka::sync::Cache<Sha256Hex, (u32, u32)>,
    workers: Semaphore,
}

/// Cache weights are `u32`; anything larger weighs the most.
fn weight(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl Images {
    /// The service over `blobs`, decoding originals up to `max_pixels`, making images up to
    /// `max_area` pixels (and [`MAX_SIDE`] a side), and caching up to `cache_bytes` in all: a
    /// quarter for finished images, the rest shared by whole decodes and originals' bytes.
    pub fn new(
        blobs: Arc<dyn BlobStore>,
        max_pixels: u64,
        max_area: u64,
        cache_bytes: u64,
    ) -> Images {
        let limits = Limits {
            max_width: MAX_SIDE,
            max_height: MAX_SIDE,
            max_area,
        };
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        let quarter = cache_bytes / 4;
        Images {
            blobs,
            decode_limits: derive::Limits::with_max_pixels(max_pixels),
            limits,
            originals: moka::sync::Cache::builder()
                .max_capacity(quarter * 3 / 2)
                .weigher(|_, v: &Bytes| weight(v.len()))
                .build(),
            decoded: moka::sync::Cache::builder()
                .max_capacity(quarter * 3 / 2)
                .weigher(|_, v: &Arc<Decoded>| weight(v.weight()))
                .build(),
            made: moka::sync::Cache::builder()
                .max_capacity(quarter)
                .weigher(|_, v: &Bytes| weight(v.len()))
                .build(),
            sizes: moka::sync::Cache::builder().max_capacity(100_000).build(),
            workers: Semaphore::new(cores),
        }
    }

    /// The largest image this service makes.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The original's bytes, from memory or the store.
    async fn original(&self, sha: &Sha256Hex) -> Result<Bytes, ImageError> {
        if let Some(b) = self.originals.get(sha) {
            return Ok(b);
        }
        let bytes = self
            .blobs
            .read(&BlobKey::Original(sha.clone()))
            .await
            .map_err(ImageError::Store)?
            .ok_or(ImageError::Missing)?;
        let bytes = Bytes::from(bytes);
        self.originals.insert(sha.clone(), bytes.clone());
        Ok(bytes)
    }

    /// The size of the image as displayed (after its EXIF orientation), read from its header.
    #[tracing::instrument(skip(self), fields(%sha))]
    pub async fn size(&self, sha: &Sha256Hex) -> Result<(u32, u32), ImageError> {
        if let Some(size) = self.sizes.get(sha) {
            return Ok(size);
        }
        let bytes = self.original(sha).await?;
        let info = derive::probe(&bytes)?;
        self.decode_limits.check(&info)?;
        let size = (info.width.max(1), info.height.max(1));
        self.sizes.insert(sha.clone(), size);
        Ok(size)
    }

    /// The encoded image of a resolved request, made now if not cached.
    #[tracing::instrument(skip(self, request), fields(%sha))]
    pub async fn image(&self, sha: &Sha256Hex, request: &Resolved) -> Result<Bytes, ImageError> {
        let key = (sha.clone(), *request);
        if let Some(b) = self.made.get(&key) {
            return Ok(b);
        }
        let original = self.original(sha).await?;
        let _permit = self
            .workers
            .acquire()
            .await
            .map_err(|e| ImageError::Internal(e.to_string()))?;
        // Another request may have made it while this one waited.
        if let Some(b) = self.made.get(&key) {
            return Ok(b);
        }
        let view = view(request);
        let decoded = self.decoded.clone();
        let limits = self.decode_limits;
        let sha_owned = sha.clone();
        let made = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, DeriveError> {
            let out = match derive::view::plan(&original, &view)? {
                Plan::Window => derive::view::render(Source::File(&original), &view, &limits)?,
                Plan::Whole(eighths) => {
                    // Concurrent tiles of one cold image wait for a single decode.
                    let whole = decoded
                        .try_get_with((sha_owned, eighths), || {
                            derive::view::decode_whole(&original, eighths, &limits).map(Arc::new)
                        })
                        .map_err(|e| (*e).clone())?;
                    derive::view::render(Source::Decoded(&whole), &view, &limits)?
                }
            };
            Ok(out.bytes)
        })
        .await
        .map_err(|e| ImageError::Internal(format!("image worker failed: {e}")))??;
        let bytes = Bytes::from(made);
        self.made.insert(key, bytes.clone());
        Ok(bytes)
    }
}

/// What the engine is asked to make for a resolved request.
fn view(r: &Resolved) -> View {
    View {
        region: Crop {
            x: r.region.x,
            y: r.region.y,
            width: r.region.width,
            height: r.region.height,
        },
        width: r.width,
        height: r.height,
        mirror: r.rotation.mirror,
        quarter_turns: r.rotation.quarter_turns,
        tone: match r.quality {
            Quality::Default | Quality::Color => Tone::Colour,
            Quality::Gray => Tone::Grey,
            Quality::Bitonal => Tone::Bitonal,
        },
        encoding: match r.format {
            Format::Jpg => Encoding::Jpeg,
            Format::Png => Encoding::Png,
            Format::Webp => Encoding::Webp,
        },
    }
}
