//! Why an image could not be made into a derivative, worded for the person who uploaded it.

/// A derivative could not be made. Every variant but [`Internal`](DeriveError::Internal)
/// names something the uploader can fix by sending another file.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum DeriveError {
    /// The bytes are not a JPEG, PNG, WebP or TIFF image.
    #[error("this file is not a JPEG, PNG, WebP or TIFF image")]
    UnsupportedFormat,
    /// A known format, but a variant of it we do not read (CMYK or 12-bit JPEG, an exotic
    /// TIFF compression…).
    #[error(
        "this image uses something we cannot read ({0}); save it as an 8-bit RGB JPEG, PNG or TIFF"
    )]
    UnsupportedFeature(String),
    /// The file ends before the image does: an interrupted upload or copy.
    #[error("the image file is cut short; upload the complete file again")]
    Truncated,
    /// The file is damaged: its structure or compressed data is invalid.
    #[error("the image file is damaged and cannot be read ({0})")]
    Damaged(String),
    /// The header announces more pixels than we decode: refused before any pixel buffer is
    /// allocated, which is what stops decompression bombs.
    #[error(
        "the image is {width}×{height} pixels, more than the {max_pixels} pixels allowed; reduce its size"
    )]
    TooManyPixels {
        /// Announced width.
        width: u32,
        /// Announced height.
        height: u32,
        /// The limit.
        max_pixels: u64,
    },
    /// One side is longer than we accept, whatever the pixel count.
    #[error(
        "the image is {width}×{height} pixels; at most {max_width}×{max_height} is accepted; reduce its size"
    )]
    TooLarge {
        /// Announced width.
        width: u32,
        /// Announced height.
        height: u32,
        /// Widest accepted.
        max_width: u32,
        /// Tallest accepted.
        max_height: u32,
    },
    /// Our side failed (resizing or encoding); not the uploader's to fix.
    #[error("the derivative could not be made: {0}")]
    Internal(String),
}

impl From<image::ImageError> for DeriveError {
    /// Decoder errors of the `image` crate, sorted by what the uploader can do about them.
    /// Size limits are checked before decoding, so they are not expected here.
    fn from(e: image::ImageError) -> DeriveError {
        use image::ImageError;
        match e {
            ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                DeriveError::Truncated
            }
            ImageError::Unsupported(u) => DeriveError::UnsupportedFeature(u.to_string()),
            ImageError::Limits(l) => {
                DeriveError::Damaged(format!("the image needs too much memory: {l}"))
            }
            other => DeriveError::Damaged(other.to_string()),
        }
    }
}
