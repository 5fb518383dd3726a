//! Reading originals: which format the bytes are, what their header says, and their pixels.
//! JPEG goes to [`super::jpeg`] for scaled decoding; PNG, WebP and TIFF to the `image` crate.

use super::jpeg;
use super::{DeriveError, ImageInfo, Limits, Pixels, SourceFormat};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;

/// An original's header: everything the pipeline needs before touching a pixel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Header {
    /// Container format.
    pub format: SourceFormat,
    /// Stored width (before orientation).
    pub width: u32,
    /// Stored height (before orientation).
    pub height: u32,
    /// How to turn the stored pixels upright.
    pub orientation: Orientation,
    /// The embedded ICC profile, if any.
    pub icc: Option<Vec<u8>>,
}

impl Header {
    /// The size as displayed.
    pub fn upright_size(&self) -> (u32, u32) {
        if super::orient::swaps_axes(self.orientation) {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }

    /// The public summary.
    pub fn info(&self) -> ImageInfo {
        let (width, height) = self.upright_size();
        ImageInfo {
            format: self.format,
            width,
            height,
            has_icc_profile: self.icc.is_some(),
        }
    }
}

/// The format, from the first bytes (never from a name or a client's claim).
fn sniff(input: &[u8]) -> Result<SourceFormat, DeriveError> {
    let tiff = [b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"];
    if input.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(SourceFormat::Jpeg)
    } else if input.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(SourceFormat::Png)
    } else if input.len() >= 12 && input.starts_with(b"RIFF") && &input[8..12] == b"WEBP" {
        Ok(SourceFormat::Webp)
    } else if tiff.iter().any(|magic| input.starts_with(*magic)) {
        Ok(SourceFormat::Tiff)
    } else {
        Err(DeriveError::UnsupportedFormat)
    }
}

/// Reads the header of any supported format. Allocates nothing in proportion to the size
/// the header announces.
pub(super) fn read_header(input: &[u8]) -> Result<Header, DeriveError> {
    let format = sniff(input)?;
    if format == SourceFormat::Jpeg {
        return jpeg::read_header(input);
    }
    // No limits yet: the header must be readable so that the caller can say how large the
    // image claims to be. Pixels are decoded only after `Limits::check`.
    let mut decoder = open(input, format, image::Limits::no_limits())?;
    let (width, height) = decoder.dimensions();
    // A broken EXIF block does not make the picture unreadable: show it as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    Ok(Header {
        format,
        width,
        height,
        orientation,
        icc,
    })
}

/// Decodes the pixels, at no less than `target` (stored orientation) where the format can
/// decode smaller; the caller resizes the rest of the way.
pub(super) fn pixels(
    input: &[u8],
    header: &Header,
    target: (u32, u32),
    limits: &Limits,
) -> Result<Pixels, DeriveError> {
    if header.format == SourceFormat::Jpeg {
        return jpeg::decode(input, header, target);
    }
    let mut image_limits = image::Limits::default();
    image_limits.max_image_width = Some(limits.max_width);
    image_limits.max_image_height = Some(limits.max_height);
    // 16-bit RGBA is the widest pixel the `image` crate produces: 8 bytes.
    image_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8));
    let decoder = open(input, header.format, image_limits)?;
    let image = DynamicImage::from_decoder(decoder)?;
    let (width, height) = (image.width(), image.height());
    let mut pixels = if image.color().has_alpha() {
        Pixels {
            data: image.into_rgba8().into_raw(),
            width,
            height,
            alpha: true,
        }
    } else {
        Pixels {
            data: image.into_rgb8().into_raw(),
            width,
            height,
            alpha: false,
        }
    };
    drop_opaque_alpha(&mut pixels);
    Ok(pixels)
}

fn open(
    input: &[u8],
    format: SourceFormat,
    limits: image::Limits,
) -> Result<impl ImageDecoder + '_, DeriveError> {
    let format = match format {
        SourceFormat::Jpeg => ImageFormat::Jpeg,
        SourceFormat::Png => ImageFormat::Png,
        SourceFormat::Webp => ImageFormat::WebP,
        SourceFormat::Tiff => ImageFormat::Tiff,
    };
    let mut reader = ImageReader::with_format(Cursor::new(input), format);
    reader.limits(limits);
    Ok(reader.into_decoder()?)
}

/// An alpha channel that is opaque everywhere (common in PNGs) is dropped: it would only
/// cost time in every later step and bytes in a WebP.
fn drop_opaque_alpha(pixels: &mut Pixels) {
    if !pixels.alpha || pixels.data.chunks_exact(4).any(|p| p[3] != 255) {
        return;
    }
    let mut write = 0;
    for read in (0..pixels.data.len()).step_by(4) {
        pixels.data.copy_within(read..read + 3, write);
        write += 3;
    }
    pixels.data.truncate(write);
    pixels.alpha = false;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_their_magic_bytes_only() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0"), Ok(SourceFormat::Jpeg));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Ok(SourceFormat::Webp));
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), Ok(SourceFormat::Tiff));
        assert_eq!(sniff(b"GIF89a"), Err(DeriveError::UnsupportedFormat));
        assert_eq!(sniff(b""), Err(DeriveError::UnsupportedFormat));
    }

    #[test]
    fn an_alpha_channel_that_is_opaque_everywhere_is_dropped() {
        let mut p = Pixels {
            data: vec![1, 2, 3, 255, 4, 5, 6, 255],
            width: 2,
            height: 1,
            alpha: true,
        };
        drop_opaque_alpha(&mut p);
        assert_eq!((p.data, p.alpha), (vec![1, 2, 3, 4, 5, 6], false));
        let mut translucent = Pixels {
            data: vec![1, 2, 3, 255, 4, 5, 6, 7],
            width: 2,
            height: 1,
            alpha: true,
        };
        drop_opaque_alpha(&mut translucent);
        assert!(translucent.alpha);
    }
}
