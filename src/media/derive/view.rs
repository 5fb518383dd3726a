//! Views: one rectangle of an original at one size, mirrored, turned, toned and encoded —
//! what an IIIF image request asks of the engine. The same steps as a derivative, with one
//! more shortcut in front: a JPEG is decoded only in the window the rectangle needs, at the
//! smallest DCT scale that still covers the output ([`Plan::Window`]). Views that need the
//! JPEG at 1/8 or less, and every view of a PNG, WebP or TIFF (which cannot be decoded in
//! part), are cut from a whole decode ([`Decoded`]) that the caller keeps for the next tile
//! ([`Plan::Whole`]).

use super::decode::{self, Header};
use super::{DeriveError, Derived, Limits, Pixels, SourceFormat, colour, jpeg, orient, resize};
use image::metadata::Orientation;

/// A rectangle in pixels: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Crop {
    /// Left.
    pub x: u32,
    /// Top.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// Colour, grey or black and white.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    /// As the original (in sRGB).
    Colour,
    /// Luma only.
    Grey,
    /// Every pixel black or white.
    Bitonal,
}

/// The file format of a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Baseline JPEG, quality 82 (greyscale views as one-channel JPEGs).
    Jpeg,
    /// Lossless PNG.
    Png,
    /// Lossy WebP, quality 80.
    Webp,
}

/// What to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct View {
    /// The rectangle of the upright image (as displayed, after EXIF orientation); inside it.
    pub region: Crop,
    /// The width it is scaled to, before turning.
    pub width: u32,
    /// The height it is scaled to, before turning.
    pub height: u32,
    /// Mirror left to right, before turning.
    pub mirror: bool,
    /// Clockwise quarter turns, 0 to 3.
    pub quarter_turns: u8,
    /// Tone.
    pub tone: Tone,
    /// File format.
    pub encoding: Encoding,
}

/// An original decoded whole, at full size or at a JPEG's reduced DCT scale, in stored
/// orientation and colour space: kept by the caller to cut many views from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    header: Header,
    pixels: Pixels,
}

impl Decoded {
    /// Bytes held, for a cache's weight.
    pub fn weight(&self) -> usize {
        self.pixels.data.len()
    }
}

/// Where a view's pixels come from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// The original file: decode the window a view needs (JPEG only).
    File(&'a [u8]),
    /// A whole decode made earlier by [`decode_whole`].
    Decoded(&'a Decoded),
}

/// How a view of an original is best made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Decode only the window it needs from the file.
    Window,
    /// Cut it from the whole original decoded at this many eighths of full size.
    Whole(u8),
}

/// How to make `view` of `input`, decided from the header alone.
pub fn plan(input: &[u8], view: &View) -> Result<Plan, DeriveError> {
    let header = decode::read_header(input)?;
    if header.format != SourceFormat::Jpeg {
        return Ok(Plan::Whole(8));
    }
    let (_, _, sw, sh) = stored_region(&header, view);
    let eighths = jpeg::scale_eighths(sw, sh, stored_target(&header, view));
    // At 1/8 a whole decode costs about what one window does, and serves every later view
    // at this zoom level from memory.
    Ok(if eighths == 1 {
        Plan::Whole(1)
    } else {
        Plan::Window
    })
}

/// Decodes `input` whole at `eighths / 8` of full size (JPEG; other formats always at full
/// size), refusing what `limits` do not allow.
pub fn decode_whole(input: &[u8], eighths: u8, limits: &Limits) -> Result<Decoded, DeriveError> {
    let header = decode::read_header(input)?;
    limits.check(&header.info())?;
    let target = if header.format == SourceFormat::Jpeg {
        jpeg_window::scaled_size(header.width, header.height, eighths.clamp(1, 8))
    } else {
        (header.width, header.height)
    };
    let pixels = decode::pixels(input, &header, target, limits)?;
    Ok(Decoded { header, pixels })
}

/// Makes `view` from `source`.
pub fn render(source: Source<'_>, view: &View, limits: &Limits) -> Result<Derived, DeriveError> {
    let (header, pixels) = match source {
        Source::Decoded(d) => {
            let (x, y, w, h) = stored_region(&d.header, view);
            check(&d.header, view)?;
            let fx = f64::from(d.pixels.width) / f64::from(d.header.width);
            let fy = f64::from(d.pixels.height) / f64::from(d.header.height);
            let crop = (
                f64::from(x) * fx,
                f64::from(y) * fy,
                f64::from(w) * fx,
                f64::from(h) * fy,
            );
            let (tw, th) = stored_target(&d.header, view);
            (&d.header, resize::resize_part(&d.pixels, crop, tw, th)?)
        }
        Source::File(input) => {
            let header = decode::read_header(input)?;
            if header.format != SourceFormat::Jpeg {
                return Err(DeriveError::Internal(
                    "only JPEGs are decoded in windows".into(),
                ));
            }
            limits.check(&header.info())?;
            check(&header, view)?;
            let pixels = window(input, &header, view)?;
            return finish(pixels, &header, view);
        }
    };
    finish(pixels, header, view)
}

/// The stored-orientation window of a JPEG, decoded at the smallest DCT scale that covers
/// the view and resized to it.
fn window(input: &[u8], header: &Header, view: &View) -> Result<Pixels, DeriveError> {
    let (x, y, w, h) = stored_region(header, view);
    let target = stored_target(header, view);
    let eighths = jpeg::scale_eighths(w, h, target);
    let (scaled_w, scaled_h) = jpeg_window::scaled_size(header.width, header.height, eighths);
    let n = f64::from(eighths) / 8.0;
    // The exact (fractional) rectangle at this scale, and the whole pixels around it.
    let exact = (
        f64::from(x) * n,
        f64::from(y) * n,
        f64::from(w) * n,
        f64::from(h) * n,
    );
    let x0 = (exact.0.floor() as u32).min(scaled_w - 1);
    let y0 = (exact.1.floor() as u32).min(scaled_h - 1);
    let x1 = ((exact.0 + exact.2).ceil() as u32).clamp(x0 + 1, scaled_w);
    let y1 = ((exact.1 + exact.3).ceil() as u32).clamp(y0 + 1, scaled_h);
    let pixels = jpeg::decode_window(input, eighths, (x0, y0, x1 - x0, y1 - y0))?;
    let (left, top) = (exact.0 - f64::from(x0), exact.1 - f64::from(y0));
    let crop = (
        left,
        top,
        exact.2.min(f64::from(x1 - x0) - left),
        exact.3.min(f64::from(y1 - y0) - top),
    );
    resize::resize_part(&pixels, crop, target.0, target.1)
}

/// The steps after resizing: colour to sRGB, upright, mirrored and turned, toned, encoded.
fn finish(mut pixels: Pixels, header: &Header, view: &View) -> Result<Derived, DeriveError> {
    colour::to_srgb(&mut pixels, header.icc.as_deref());
    let pixels = orient::upright(pixels, header.orientation);
    let mut pixels = orient::upright(pixels, turn(view.mirror, view.quarter_turns));
    let grey = tone(&mut pixels, view.tone);
    let bytes = super::encode::encode_view(&pixels, view.encoding, grey)?;
    Ok(Derived {
        bytes,
        width: pixels.width,
        height: pixels.height,
    })
}

/// The view's region must lie inside the upright image.
fn check(header: &Header, view: &View) -> Result<(), DeriveError> {
    let (uw, uh) = header.upright_size();
    let r = view.region;
    let inside = r.width > 0
        && r.height > 0
        && view.width > 0
        && view.height > 0
        && u64::from(r.x) + u64::from(r.width) <= u64::from(uw)
        && u64::from(r.y) + u64::from(r.height) <= u64::from(uh);
    if inside {
        Ok(())
    } else {
        Err(DeriveError::Internal(format!(
            "the view {r:?} is not inside the {uw}×{uh} image"
        )))
    }
}

/// The view's region in stored pixels.
fn stored_region(header: &Header, view: &View) -> (u32, u32, u32, u32) {
    let r = view.region;
    orient::stored_rect(
        header.orientation,
        (r.x, r.y, r.width, r.height),
        header.width,
        header.height,
    )
}

/// The view's scaled size in stored orientation.
fn stored_target(header: &Header, view: &View) -> (u32, u32) {
    if orient::swaps_axes(header.orientation) {
        (view.height, view.width)
    } else {
        (view.width, view.height)
    }
}

/// Mirroring then turning clockwise, as the EXIF orientation that does the same.
fn turn(mirror: bool, quarter_turns: u8) -> Orientation {
    let exif = match (mirror, quarter_turns % 4) {
        (false, 0) => 1,
        (false, 1) => 6,
        (false, 2) => 3,
        (false, 3) => 8,
        (true, 0) => 2,
        (true, 1) => 7,
        (true, 2) => 4,
        _ => 5,
    };
    Orientation::from_exif(exif).unwrap_or(Orientation::NoTransforms)
}

/// Applies the tone; true if the pixels are now grey (all three channels equal).
fn tone(pixels: &mut Pixels, tone: Tone) -> bool {
    if tone == Tone::Colour {
        return false;
    }
    let n = pixels.channels();
    for p in pixels.data.chunks_exact_mut(n) {
        // Rec. 601 luma, as JPEG and most viewers define grey.
        let y = ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8)
            as u8;
        let y = match tone {
            Tone::Bitonal if y >= 128 => 255,
            Tone::Bitonal => 0,
            _ => y,
        };
        p[..3].fill(y);
    }
    true
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
