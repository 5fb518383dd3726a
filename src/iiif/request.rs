//! An image request's path parts — `{region}/{size}/{rotation}/{quality}.{format}` — parsed
//! into checked values ([`ImageRequest::parse`]), then resolved against one image's size and
//! the server's limits into exact pixel numbers ([`ImageRequest::resolve`], in `resolve.rs`):
//! the arithmetic of the IIIF Image API 3.0, §4. Every failure is a typed [`RequestError`]:
//! malformed or impossible requests are 400s, valid requests for features we do not offer
//! are 501s.

use std::fmt;

mod resolve;

pub use resolve::{Limits, Rect, Resolved};

/// Which part of the request a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// `{region}`.
    Region,
    /// `{size}`.
    Size,
    /// `{rotation}`.
    Rotation,
    /// `{quality}`.
    Quality,
    /// `{format}`.
    Format,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Region => "region",
            Part::Size => "size",
            Part::Rotation => "rotation",
            Part::Quality => "quality",
            Part::Format => "format",
        })
    }
}

/// Why a request cannot be answered with an image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// A part does not follow the syntax (HTTP 400).
    #[error("the {part} {value:?} is not valid: {why}")]
    Malformed {
        /// The part.
        part: Part,
        /// What was sent, shortened.
        value: String,
        /// What the syntax expects.
        why: &'static str,
    },
    /// Well-formed, but impossible for this image: a region outside it, a size of no pixels,
    /// beyond the limits, or larger than the region without `^` (HTTP 400).
    #[error("{0}")]
    Impossible(String),
    /// A valid IIIF request for a feature this server does not offer (HTTP 501).
    #[error("{0}")]
    Unsupported(String),
}

fn malformed(part: Part, value: &str, why: &'static str) -> RequestError {
    RequestError::Malformed {
        part,
        value: value.chars().take(40).collect(),
        why,
    }
}

/// `{region}`: which part of the full image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Region {
    /// `full`.
    Full,
    /// `square`: the largest centred square.
    Square,
    /// `x,y,w,h` in pixels.
    Pixels {
        /// Left.
        x: u32,
        /// Top.
        y: u32,
        /// Width.
        w: u32,
        /// Height.
        h: u32,
    },
    /// `pct:x,y,w,h` in percent of the full image.
    Percent {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
    },
}

/// `{size}` without its `^`: how large to scale the region.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SizeForm {
    /// `max`: as large as available (or allowed).
    Max,
    /// `w,`: this width, the height by the aspect ratio.
    Width(u32),
    /// `,h`: this height, the width by the aspect ratio.
    Height(u32),
    /// `pct:n`: n percent of the region.
    Percent(f64),
    /// `w,h`: exactly this, distorting if need be.
    Exact(u32, u32),
    /// `!w,h`: the largest that fits inside w×h, keeping the aspect ratio.
    Confined(u32, u32),
}

/// `{size}`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    /// `^`: the region may be enlarged.
    pub upscale: bool,
    /// The form.
    pub form: SizeForm,
}

/// `{rotation}` as this server supports it: mirroring and quarter turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rotation {
    /// `!`: mirror left to right, before turning.
    pub mirror: bool,
    /// Clockwise quarter turns, 0 to 3.
    pub quarter_turns: u8,
}

/// `{quality}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quality {
    /// `default`: as the image is (colour).
    Default,
    /// `color`.
    Color,
    /// `gray`.
    Gray,
    /// `bitonal`: black and white only.
    Bitonal,
}

impl Quality {
    /// The name in URLs.
    pub fn name(self) -> &'static str {
        match self {
            Quality::Default => "default",
            Quality::Color => "color",
            Quality::Gray => "gray",
            Quality::Bitonal => "bitonal",
        }
    }
}

/// `{format}`: the formats this server encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `jpg`.
    Jpg,
    /// `png`.
    Png,
    /// `webp`.
    Webp,
}

impl Format {
    /// The extension in URLs.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    /// The MIME type to serve it with.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }
}

/// A parsed image request, not yet related to any image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageRequest {
    /// Which part.
    pub region: Region,
    /// How large.
    pub size: Size,
    /// Mirrored and turned how.
    pub rotation: Rotation,
    /// In colour, grey or black and white.
    pub quality: Quality,
    /// Encoded as.
    pub format: Format,
}

impl ImageRequest {
    /// Parses the four path segments after the identifier.
    pub fn parse(
        region: &str,
        size: &str,
        rotation: &str,
        quality_format: &str,
    ) -> Result<ImageRequest, RequestError> {
        let (quality, format) = quality_format
            .rsplit_once('.')
            .ok_or_else(|| malformed(Part::Format, quality_format, "expected quality.format"))?;
        Ok(ImageRequest {
            region: parse_region(region)?,
            size: parse_size(size)?,
            rotation: parse_rotation(rotation)?,
            quality: parse_quality(quality)?,
            format: parse_format(format)?,
        })
    }
}

/// A non-negative integer: ASCII digits only. Values beyond `u32` saturate (they are "larger
/// than any image" either way, and are then cropped or refused by size).
fn integer(part: Part, s: &str) -> Result<u32, RequestError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed(part, s, "expected a whole number of pixels"));
    }
    Ok(s.parse::<u32>().unwrap_or(u32::MAX))
}

/// A non-negative decimal as §4.7 allows it: digits and at most one `.` — no sign, exponent,
/// `inf` or `NaN` — and finite.
fn decimal(part: Part, s: &str) -> Result<f64, RequestError> {
    let dots = s.bytes().filter(|&b| b == b'.').count();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    if digits == 0 || dots > 1 || digits + dots != s.len() {
        return Err(malformed(part, s, "expected a decimal number such as 12.5"));
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(malformed(part, s, "the number is too large")),
    }
}

fn four(part: Part, s: &str) -> Result<[&str; 4], RequestError> {
    let mut it = s.split(',');
    let parts = [it.next(), it.next(), it.next(), it.next()];
    match (parts, it.next()) {
        ([Some(a), Some(b), Some(c), Some(d)], None) => Ok([a, b, c, d]),
        _ => Err(malformed(part, s, "expected four numbers x,y,w,h")),
    }
}

fn parse_region(s: &str) -> Result<Region, RequestError> {
    match s {
        "full" => return Ok(Region::Full),
        "square" => return Ok(Region::Square),
        _ => {}
    }
    if let Some(pct) = s.strip_prefix("pct:") {
        let [x, y, w, h] = four(Part::Region, pct)?;
        let n = |v| decimal(Part::Region, v);
        return Ok(Region::Percent {
            x: n(x)?,
            y: n(y)?,
            w: n(w)?,
            h: n(h)?,
        });
    }
    let [x, y, w, h] = four(Part::Region, s)?;
    let n = |v| integer(Part::Region, v);
    Ok(Region::Pixels {
        x: n(x)?,
        y: n(y)?,
        w: n(w)?,
        h: n(h)?,
    })
}

fn parse_size(s: &str) -> Result<Size, RequestError> {
    let (upscale, rest) = match s.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let form = if rest == "max" {
        SizeForm::Max
    } else if let Some(n) = rest.strip_prefix("pct:") {
        SizeForm::Percent(decimal(Part::Size, n)?)
    } else {
        let (confined, wh) = match rest.strip_prefix('!') {
            Some(wh) => (true, wh),
            None => (false, rest),
        };
        let (w, h) = wh.split_once(',').ok_or_else(|| {
            malformed(
                Part::Size,
                s,
                "expected max, pct:n, w, ,h, w,h or !w,h (with an optional ^)",
            )
        })?;
        match (w.is_empty(), h.is_empty(), confined) {
            (false, false, true) => {
                SizeForm::Confined(integer(Part::Size, w)?, integer(Part::Size, h)?)
            }
            (false, false, false) => {
                SizeForm::Exact(integer(Part::Size, w)?, integer(Part::Size, h)?)
            }
            (false, true, false) => SizeForm::Width(integer(Part::Size, w)?),
            (true, false, false) => SizeForm::Height(integer(Part::Size, h)?),
            _ => {
                return Err(malformed(
                    Part::Size,
                    s,
                    "expected a width, a height or both",
                ));
            }
        }
    };
    Ok(Size { upscale, form })
}

fn parse_rotation(s: &str) -> Result<Rotation, RequestError> {
    let (mirror, degrees) = match s.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let degrees = decimal(Part::Rotation, degrees)?;
    if degrees > 360.0 {
        return Err(malformed(Part::Rotation, s, "degrees go from 0 to 360"));
    }
    if degrees % 90.0 != 0.0 {
        return Err(RequestError::Unsupported(format!(
            "rotation by {degrees}° is not offered; rotate by 0, 90, 180 or 270"
        )));
    }
    Ok(Rotation {
        mirror,
        quarter_turns: ((degrees / 90.0) as u8) % 4,
    })
}

fn parse_quality(s: &str) -> Result<Quality, RequestError> {
    match s {
        "default" => Ok(Quality::Default),
        "color" => Ok(Quality::Color),
        "gray" => Ok(Quality::Gray),
        "bitonal" => Ok(Quality::Bitonal),
        _ => Err(malformed(
            Part::Quality,
            s,
            "expected default, color, gray or bitonal",
        )),
    }
}

fn parse_format(s: &str) -> Result<Format, RequestError> {
    match s {
        "jpg" => Ok(Format::Jpg),
        "png" => Ok(Format::Png),
        "webp" => Ok(Format::Webp),
        // Formats the Image API names that we do not encode: valid requests, not offered.
        "tif" | "gif" | "jp2" | "pdf" => Err(RequestError::Unsupported(format!(
            "the format {s} is not offered; use jpg, png or webp"
        ))),
        _ => Err(malformed(Part::Format, s, "expected jpg, png or webp")),
    }
}

#[cfg(test)]
mod tests;
