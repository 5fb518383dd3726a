//! Ingest: deciding whether an uploaded file may enter the collection, from its bytes
//! alone. Type is sniffed (never taken from the name or the client), size is bounded per
//! kind, images are measured from their headers so a decompression bomb is refused before
//! anything large is allocated, and truncated images are caught by their end markers.

use super::sniff::{Sniffed, sniff};
use super::staging::{HEAD_BYTES, Staged, Staging};
use crate::catalogue::model::MediaFile;
use crate::catalogue::types::MediaKind;
use crate::store::{BlobStore, Sha256Hex};
use std::path::Path;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// Staging, checks and the blob store together: how a file enters the collection.
pub struct Ingest {
    /// Where uploads accumulate.
    pub staging: Staging,
    /// What is accepted.
    pub limits: Limits,
    blobs: Arc<dyn BlobStore>,
}

/// A file that entered the store.
#[derive(Debug, Clone)]
pub struct Accepted {
    /// What it is.
    pub file: MediaFile,
    /// False when identical bytes were stored already.
    pub new: bool,
}

impl Ingest {
    /// Ingest through `staging` into `blobs`.
    pub fn new(staging: Staging, blobs: Arc<dyn BlobStore>, limits: Limits) -> Ingest {
        Ingest {
            staging,
            limits,
            blobs,
        }
    }

    /// Checks a finished staged upload and moves it into the store. On refusal the staged
    /// file is deleted and nothing is stored.
    pub async fn accept(&self, id: &str, length: u64) -> Result<Accepted, IngestError> {
        self.accept_fitting(id, length, &anywhere).await
    }

    /// As [`Ingest::accept`], when the checked file also `fits` where it goes; else it is
    /// refused with [`IngestError::Unfit`] and nothing is stored.
    pub async fn accept_fitting(
        &self,
        id: &str,
        length: u64,
        fits: Fits<'_>,
    ) -> Result<Accepted, IngestError> {
        let outcome = async {
            let staged = self.staging.finish(id, length).await?;
            let file = check(&staged, &self.limits).await?;
            if !fits(&file) {
                return Err(IngestError::Unfit(Box::new(file)));
            }
            let sha =
                Sha256Hex::parse(&staged.sha256).ok_or_else(|| anyhow::anyhow!("bad hash"))?;
            let new = self.blobs.adopt(&staged.path, &sha).await?;
            Ok(Accepted { file, new })
        }
        .await;
        if outcome.is_err() {
            self.staging.remove(id).await;
        }
        outcome
    }

    /// Copies a local file (the importer's) through staging into the store, when it `fits`.
    pub async fn accept_path(&self, path: &Path, fits: Fits<'_>) -> Result<Accepted, IngestError> {
        let id = crate::accounts::secret::random_token();
        self.staging.create(&id).await?;
        let file = tokio::fs::File::open(path)
            .await
            .map_err(anyhow::Error::from);
        let file = match file {
            Ok(f) => f,
            Err(e) => {
                self.staging.remove(&id).await;
                return Err(e.into());
            }
        };
        let chunks = tokio_util::io::ReaderStream::with_capacity(file, 1 << 20);
        let appended = self
            .staging
            .append(&id, 0, self.limits.largest(), chunks, &gate)
            .await;
        match appended {
            Ok(length) => self.accept_fitting(&id, length, fits).await,
            Err(e) => {
                self.staging.remove(&id).await;
                Err(match e {
                    super::staging::AppendError::Refused(reason) => {
                        IngestError::Unsupported { detected: reason }
                    }
                    super::staging::AppendError::TooLong => IngestError::TooLarge {
                        kind: MediaKind::Video,
                        limit: self.limits.largest(),
                    },
                    other => IngestError::Io(anyhow::anyhow!("{other}")),
                })
            }
        }
    }
}

/// Whether a checked file suits where it goes: a hall panorama, say, must be a wide
/// photograph. Asked before the file is stored.
pub type Fits<'a> = &'a (dyn Fn(&MediaFile) -> bool + Sync);

/// Any file that passes the ingest checks fits.
pub fn anywhere(_: &MediaFile) -> bool {
    true
}

/// What uploads may be.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest image file.
    pub image_bytes: u64,
    /// Largest audio file.
    pub audio_bytes: u64,
    /// Largest video file.
    pub video_bytes: u64,
    /// Largest document.
    pub document_bytes: u64,
    /// Most pixels an image may have (width × height).
    pub max_pixels: u64,
    /// Longest side an image may have.
    pub max_side: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            image_bytes: 512 << 20,
            audio_bytes: 4 << 30,
            video_bytes: 16 << 30,
            document_bytes: 512 << 20,
            max_pixels: 150_000_000,
            max_side: 60_000,
        }
    }
}

impl Limits {
    /// The byte limit for a kind of media.
    pub fn bytes_for(&self, kind: MediaKind) -> u64 {
        match kind {
            MediaKind::Image => self.image_bytes,
            MediaKind::Audio => self.audio_bytes,
            MediaKind::Video => self.video_bytes,
            MediaKind::Document => self.document_bytes,
        }
    }

    /// The largest file of any kind (what an upload may announce before its type is known).
    pub fn largest(&self) -> u64 {
        self.image_bytes
            .max(self.audio_bytes)
            .max(self.video_bytes)
            .max(self.document_bytes)
    }
}

/// Why a file was refused. Each says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// A file of zero bytes.
    #[error("the file is empty")]
    Empty,
    /// Not on the allow-list; names what the bytes are.
    #[error(
        "the file is {detected}, which cannot be added; allowed are JPEG, PNG, WebP, TIFF, MP3, M4A/AAC, OGG/Opus, FLAC, WAV, MP4, WebM and PDF"
    )]
    Unsupported {
        /// What the bytes look like.
        detected: String,
    },
    /// Larger than the limit for its kind.
    #[error("the file is larger than the limit for {kind} files ({limit} bytes)")]
    TooLarge {
        /// The kind.
        kind: MediaKind,
        /// The limit in bytes.
        limit: u64,
    },
    /// An image whose header claims more pixels than we decode.
    #[error(
        "the image claims to be {width} × {height} pixels; the limit is {max_megapixels} megapixels and {max_side} pixels per side"
    )]
    TooManyPixels {
        /// Claimed width.
        width: u32,
        /// Claimed height.
        height: u32,
        /// Limit in megapixels.
        max_megapixels: u64,
        /// Limit per side.
        max_side: u32,
    },
    /// Broken or truncated.
    #[error("the file is damaged: {0}")]
    Damaged(String),
    /// Too large to send in one form; the resumable upload takes it.
    #[error("files larger than {} MB must be sent with the resumable upload", .limit >> 20)]
    TooLargeForForm {
        /// The form's limit in bytes.
        limit: u64,
    },
    /// A file name that tries to be a path or hides characters.
    #[error("invalid file name: {0}")]
    BadName(String),
    /// Passed the checks but does not suit where it goes (see [`Fits`]); the caller
    /// explains why from the file's measurements.
    #[error("the file does not suit this place ({}, {} × {} px)", .0.mime, .0.width.unwrap_or(0), .0.height.unwrap_or(0))]
    Unfit(Box<MediaFile>),
    /// Disk or store failure.
    #[error(transparent)]
    Io(#[from] anyhow::Error),
}

/// Names what text-like bytes are, where the general sniffer has no name for them.
fn describe_unknown(head: &[u8]) -> String {
    let text = String::from_utf8_lossy(&head[..head.len().min(512)]).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.contains("<svg") {
        "an SVG drawing (image/svg+xml)".into()
    } else if text.starts_with("<!doctype html")
        || text.starts_with("<html")
        || text.contains("<script")
    {
        "an HTML page (text/html)".into()
    } else if text.starts_with("<?xml") {
        "an XML document".into()
    } else if head
        .iter()
        .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
    {
        "plain text".into()
    } else {
        "of an unknown type".into()
    }
}

/// Sniffs the first bytes and names what they are when they are not allowed.
pub fn sniff_allowed(head: &[u8]) -> Result<Sniffed, IngestError> {
    sniff(head).map_err(|found| IngestError::Unsupported {
        // Text formats are named by their content (an SVG often looks like generic XML).
        detected: match describe_unknown(head) {
            named if found == "unknown" || (found.starts_with("text/") && named.contains('(')) => {
                named
            }
            _ => found,
        },
    })
}

/// The early check on an upload's first bytes, for [`super::Staging::append`]: `Err`
/// names what the bytes are.
pub fn gate(head: &[u8]) -> Result<(), String> {
    match sniff_allowed(head) {
        Ok(_) => Ok(()),
        Err(IngestError::Unsupported { detected }) => Err(detected),
        Err(other) => Err(other.to_string()),
    }
}

/// A file name as shown to curators: a single name without path separators or control
/// characters, at most 200 characters.
pub fn clean_file_name(name: &str) -> Result<String, IngestError> {
    let name = name.trim();
    if name.is_empty() {
        return Ok("upload".into());
    }
    if name.contains(['/', '\\']) || name == "." || name.contains("..") {
        return Err(IngestError::BadName(format!(
            "{:?} must be a plain file name, not a path",
            truncate(name)
        )));
    }
    // Control characters, and direction overrides that disguise extensions ("gpj.exe").
    let hidden = |c: char| {
        c.is_control()
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if name.chars().any(hidden) {
        return Err(IngestError::BadName(
            "the name contains invisible control characters".into(),
        ));
    }
    Ok(name.chars().take(200).collect())
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Reads the last `n` bytes of a file.
async fn tail(path: &std::path::Path, n: u64) -> anyhow::Result<Vec<u8>> {
    let mut f = tokio::fs::File::open(path).await?;
    let len = f.metadata().await?.len();
    f.seek(std::io::SeekFrom::Start(len.saturating_sub(n)))
        .await?;
    let mut out = Vec::new();
    f.read_to_end(&mut out).await?;
    Ok(out)
}

/// Checks a finished upload and describes it as a media file. Reads only headers and the
/// end of the file, never decodes the whole image.
pub async fn check(staged: &Staged, limits: &Limits) -> Result<MediaFile, IngestError> {
    if staged.bytes == 0 {
        return Err(IngestError::Empty);
    }
    let mut head = vec![0; HEAD_BYTES];
    let mut file = tokio::fs::File::open(&staged.path)
        .await
        .map_err(anyhow::Error::from)?;
    let mut filled = 0;
    while filled < head.len() {
        let n = file
            .read(&mut head[filled..])
            .await
            .map_err(anyhow::Error::from)?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    head.truncate(filled);
    let sniffed = sniff_allowed(&head)?;
    let limit = limits.bytes_for(sniffed.kind);
    if staged.bytes > limit {
        return Err(IngestError::TooLarge {
            kind: sniffed.kind,
            limit,
        });
    }
    let (mut width, mut height, mut duration_ms, mut codecs) = (None, None, None, Vec::new());
    match sniffed.kind {
        MediaKind::Image => {
            let path = staged.path.clone();
            // Header only: refusing a bomb needs its claimed size, and reading it allocates
            // nothing in proportion to it.
            let dims = tokio::task::spawn_blocking(move || imagesize::size(path).ok())
                .await
                .map_err(anyhow::Error::from)?
                .and_then(|d| Some((u32::try_from(d.width).ok()?, u32::try_from(d.height).ok()?)));
            let Some((w, h)) = dims else {
                return Err(IngestError::Damaged(
                    "its image header cannot be read".into(),
                ));
            };
            if u64::from(w) * u64::from(h) > limits.max_pixels
                || w > limits.max_side
                || h > limits.max_side
            {
                return Err(IngestError::TooManyPixels {
                    width: w,
                    height: h,
                    max_megapixels: limits.max_pixels / 1_000_000,
                    max_side: limits.max_side,
                });
            }
            check_complete(&staged.path, sniffed.mime).await?;
            // Pages reserve space for the picture as it is shown, after its EXIF rotation.
            let (w, h) = upright_size(&staged.path).await.unwrap_or((w, h));
            (width, height) = (i32::try_from(w).ok(), i32::try_from(h).ok());
        }
        MediaKind::Audio | MediaKind::Video => {
            let path = staged.path.clone();
            let probed = tokio::task::spawn_blocking(move || super::probe::probe(&path))
                .await
                .map_err(anyhow::Error::from)?;
            match probed {
                Ok(p) => {
                    (width, height, duration_ms, codecs) =
                        (p.width, p.height, p.duration_ms, p.codecs)
                }
                Err(e) => return Err(IngestError::Damaged(e)),
            }
        }
        MediaKind::Document => {}
    }
    Ok(MediaFile {
        sha256: staged.sha256.clone(),
        kind: sniffed.kind,
        mime: sniffed.mime.to_owned(),
        bytes: staged.bytes as i64,
        width,
        height,
        duration_ms,
        codecs: (!codecs.is_empty()).then(|| codecs.join(", ")),
    })
}

/// The displayed size of an image (after EXIF orientation), read from its first megabyte;
/// `None` when the header lies beyond it or cannot be read.
async fn upright_size(path: &Path) -> Option<(u32, u32)> {
    let mut head = vec![0u8; 1 << 20];
    let mut file = tokio::fs::File::open(path).await.ok()?;
    let mut filled = 0;
    while filled < head.len() {
        let n = file.read(&mut head[filled..]).await.ok()?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    head.truncate(filled);
    super::derive::probe(&head)
        .ok()
        .map(|info| (info.width, info.height))
}

/// Catches the commonest damage, an interrupted copy: JPEG and PNG end with known markers.
async fn check_complete(path: &std::path::Path, mime: &str) -> Result<(), IngestError> {
    let end = tail(path, 16).await?;
    let complete = match mime {
        // Some cameras pad after the end-of-image marker; look near the end.
        "image/jpeg" => end.windows(2).any(|w| w == [0xFF, 0xD9]),
        "image/png" => end.windows(4).any(|w| w == b"IEND"),
        _ => true,
    };
    if complete {
        Ok(())
    } else {
        Err(IngestError::Damaged(
            "it is truncated (the end of the image is missing); upload it again".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_formats_are_named_when_refused() {
        let err = sniff_allowed(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
            .unwrap_err()
            .to_string();
        assert!(err.contains("SVG"), "{err}");
        let err = sniff_allowed(b"<!DOCTYPE html><html><script>alert(1)</script>")
            .unwrap_err()
            .to_string();
        assert!(err.to_lowercase().contains("html"), "{err}");
        let err = sniff_allowed(b"PK\x03\x04\x14\0\0\0\x08\0")
            .unwrap_err()
            .to_string();
        assert!(err.contains("application/zip"), "{err}");
    }

    #[test]
    fn file_names_are_names_not_paths() {
        assert_eq!(clean_file_name("马鞍 正面.JPG").unwrap(), "马鞍 正面.JPG");
        for bad in [
            "../../etc/passwd",
            "a/b.jpg",
            "a\\b.jpg",
            "x\0.jpg",
            "..",
            "evil\u{202e}gpj.exe",
        ] {
            assert!(clean_file_name(bad).is_err(), "{bad:?}");
        }
    }
}
