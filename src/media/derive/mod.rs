//! The image derivative engine: one original in, one smaller JPEG or lossy WebP out, upright,
//! in sRGB, without metadata. The server's cache and the `derive` command share [`derive()`].
//!
//! The path, cheapest step first:
//!
//! 1. **Header** ([`probe`]): format, size, EXIF orientation and ICC profile, read without
//!    decoding a pixel. [`Limits`] are checked here, so a 50000×50000 "bomb" is refused
//!    before any pixel buffer exists.
//! 2. **Decode** at a reduced size where the format allows it. A JPEG is decoded by libjpeg
//!    (the `mozjpeg` crate, built by `cc` without nasm) with DCT scaling: the smallest
//!    `n/8` scale whose output is still at least the target size, so a 24 MP photo becomes
//!    750×500 inside the decoder for a 400 px thumbnail and is never held at full size.
//!    PNG, WebP and TIFF have no such shortcut and are decoded whole by the `image` crate.
//! 3. **Resize** the rest of the way with `fast_image_resize` (Lanczos3, SIMD), in the
//!    stored orientation; alpha is premultiplied while filtering.
//! 4. **Colour**: an embedded ICC profile that is not sRGB is converted to sRGB with
//!    `qcms` (pure Rust, Firefox's CMS), after resizing, where there are fewest pixels.
//! 5. **Orient** per EXIF, a copy of the small image.
//! 6. **Encode** a fresh file, so nothing of the original's metadata (EXIF, GPS, XMP)
//!    travels with it: baseline JPEG quality 82, 4:2:0 (`jpeg-encoder`, pure Rust with
//!    AVX2), or lossy WebP quality 80 (libwebp through the `webp` crate, built by `cc`; the
//!    `image` crate's WebP encoder is lossless only).
//!
//! Why these crates, measured on this project's 2-core machine with a 24 MP (6000×4000,
//! 8.4 MB) baseline JPEG, CPU seconds (see `benches/derive.sh`):
//!
//! - Decoding dominates, and almost all of it is Huffman decoding, which no DCT scale
//!   avoids. libjpeg at scale 1/8: 0.09–0.10 s; `jpeg-decoder`'s `scale` at 1/8:
//!   0.17–0.18 s; `zune-jpeg` (no scaling) full size: 0.22 s. libjpeg's SIMD (nasm) would
//!   only speed up the IDCT and colour conversion, which scaling already shrinks: the
//!   system libjpeg-turbo with SIMD took the same 0.10 s at 1/8.
//! - Any `n/8` scale, not only 1/2, 1/4, 1/8: for 1600 px from 6000 px, 3/8 (2250 px) was
//!   faster than 4/8 (3000 px) and leaves less to resize.
//! - Encoding 1600×1067: `jpeg-encoder` 17 ms; mozjpeg's encoder (no SIMD, fastest
//!   settings, optimised Huffman tables) 45–55 ms for a file 2 % smaller. `jpeg-encoder`'s
//!   own optimised tables are off for the reason given in `encode.rs`.
//! - Single-threaded throughout: the benchmark counts CPU seconds, and the server already
//!   runs one derivative per core.
//!
//! The same engine makes IIIF views ([`view`]): a rectangle of the original at any size,
//! mirrored, turned, grey or bitonal, as JPEG, PNG or WebP. Their one extra shortcut is that
//! a JPEG is decoded only in the window a view needs (libjpeg's row skipping and column
//! cropping, through the `jpeg-window` crate), so a tile of a 96 MP photo never decodes the
//! whole photo.
//!
//! Result (`benches/derive.sh`, against `vipsthumbnail` of libvips 8.14, machine under
//! load): 400 px of 24 MP in 0.11 s, 0.47× libvips' CPU; 1600 px in 0.18 s, 0.42×;
//! 400 px of 96 MP in 0.48 s, 0.85×, peaking at 42 MiB (33 MiB of it the file itself).

mod colour;
mod decode;
mod encode;
mod error;
mod jpeg;
mod orient;
mod resize;
pub mod view;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;

pub use error::DeriveError;
pub use view::{Crop, Decoded, Encoding, Plan, Source, Tone, View};

use anyhow::Context;
use std::path::Path;

/// The format of a derivative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Baseline JPEG, quality 82.
    Jpeg,
    /// Lossy WebP, quality 80.
    Webp,
}

impl Format {
    /// The MIME type to serve it with.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Webp => "image/webp",
        }
    }
}

/// What to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// The widest the derivative may be; narrower originals keep their width.
    pub max_width: u32,
    /// Output format.
    pub format: Format,
}

/// How large an original we agree to decode, checked on the header alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most pixels (width × height).
    pub max_pixels: u64,
    /// Widest image.
    pub max_width: u32,
    /// Tallest image.
    pub max_height: u32,
}

impl Limits {
    /// At most `max_pixels`, and no side longer than a JPEG's longest (65,535).
    pub fn with_max_pixels(max_pixels: u64) -> Limits {
        Limits {
            max_pixels,
            max_width: 65_535,
            max_height: 65_535,
        }
    }

    /// Refuses an image whose header announces more than these limits.
    pub fn check(&self, info: &ImageInfo) -> Result<(), DeriveError> {
        let (width, height) = (info.width, info.height);
        if width > self.max_width || height > self.max_height {
            return Err(DeriveError::TooLarge {
                width,
                height,
                max_width: self.max_width,
                max_height: self.max_height,
            });
        }
        if u64::from(width) * u64::from(height) > self.max_pixels {
            return Err(DeriveError::TooManyPixels {
                width,
                height,
                max_pixels: self.max_pixels,
            });
        }
        Ok(())
    }
}

impl Default for Limits {
    /// The server's default: 150 megapixels.
    fn default() -> Limits {
        Limits::with_max_pixels(150_000_000)
    }
}

/// The formats we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// JPEG (baseline or progressive, 8-bit, greyscale or colour).
    Jpeg,
    /// PNG.
    Png,
    /// WebP, lossy or lossless.
    Webp,
    /// TIFF.
    Tiff,
}

/// What an image's header says, read without decoding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// Container format.
    pub format: SourceFormat,
    /// Width as displayed, after the EXIF orientation.
    pub width: u32,
    /// Height as displayed, after the EXIF orientation.
    pub height: u32,
    /// True if an ICC colour profile is embedded.
    pub has_icc_profile: bool,
}

/// A finished derivative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    /// The encoded file.
    pub bytes: Vec<u8>,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
}

/// Reads an image's header only: cheap, and safe on any input, however large it claims to be.
pub fn probe(input: &[u8]) -> Result<ImageInfo, DeriveError> {
    decode::read_header(input).map(|h| h.info())
}

/// Makes one derivative of `input`: refused if larger than `limits`, never enlarged.
pub fn derive(input: &[u8], spec: &Spec, limits: &Limits) -> Result<Derived, DeriveError> {
    let header = decode::read_header(input)?;
    limits.check(&header.info())?;
    let (upright_w, upright_h) = header.upright_size();
    let (w, h) = fit(upright_w, upright_h, spec.max_width);
    // Decoding and resizing happen in the stored orientation; turning comes last.
    let (w, h) = if orient::swaps_axes(header.orientation) {
        (h, w)
    } else {
        (w, h)
    };
    let decoded = decode::pixels(input, &header, (w, h), limits)?;
    let mut pixels = resize::resize(decoded, w, h)?;
    colour::to_srgb(&mut pixels, header.icc.as_deref());
    let pixels = orient::upright(pixels, header.orientation);
    let bytes = encode::encode(&pixels, spec.format)?;
    Ok(Derived {
        bytes,
        width: pixels.width,
        height: pixels.height,
    })
}

/// [`derive()`] from one file to another with the default [`Limits`], for the command line.
pub fn derive_file(input: &Path, spec: &Spec, out: &Path) -> anyhow::Result<Derived> {
    let bytes =
        std::fs::read(input).with_context(|| format!("Failed to read {}", input.display()))?;
    let derived = derive(&bytes, spec, &Limits::default())
        .with_context(|| format!("Failed to derive an image from {}", input.display()))?;
    std::fs::write(out, &derived.bytes)
        .with_context(|| format!("Failed to write {}", out.display()))?;
    Ok(derived)
}

/// The size that fits `max_width`, keeping the aspect ratio and never enlarging.
fn fit(width: u32, height: u32, max_width: u32) -> (u32, u32) {
    let max_width = max_width.max(1);
    if width <= max_width {
        return (width, height);
    }
    let h = (u64::from(height) * u64::from(max_width) + u64::from(width) / 2) / u64::from(width);
    (max_width, u32::try_from(h.max(1)).unwrap_or(u32::MAX))
}

/// Decoded 8-bit pixels, rows packed, RGB or (with `alpha`) RGBA, not premultiplied.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pixels {
    data: Vec<u8>,
    width: u32,
    height: u32,
    alpha: bool,
}

impl Pixels {
    /// Bytes per pixel.
    fn channels(&self) -> usize {
        if self.alpha { 4 } else { 3 }
    }
}
