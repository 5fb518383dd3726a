//! An image request's path parts — `{region}/{size}/{rotation}/{quality}.{format}` — parsed
//! into checked values ([`ImageRequest::parse`]), then resolved against one image's size and
//! the server's limits into exact pixel numbers ([`ImageRequest::resolve`]): the arithmetic
//! of the IIIF Image API 3.0, §4. Every failure is a typed [`RequestError`]: malformed or
//! impossible requests are 400s, valid requests for features we do not offer are 501s.

use std::fmt;

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

/// The largest image this server produces, announced in `info.json` (`maxWidth`,
/// `maxHeight`, `maxArea`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Widest output.
    pub max_width: u32,
    /// Tallest output.
    pub max_height: u32,
    /// Most pixels in one output.
    pub max_area: u64,
}

/// A rectangle in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rect {
    /// Left.
    pub x: u32,
    /// Top.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// A request resolved against one image: exact pixels, all checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Resolved {
    /// The region, inside the image, never empty.
    pub region: Rect,
    /// The scaled width (before rotation), at least 1, within the limits.
    pub width: u32,
    /// The scaled height (before rotation), at least 1, within the limits.
    pub height: u32,
    /// Whether the scaled size is what `max` gives (for the canonical form).
    pub is_max: bool,
    /// Mirroring and turning.
    pub rotation: Rotation,
    /// Tone.
    pub quality: Quality,
    /// Encoding.
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

    /// Resolves the request for an image of `width` × `height` (both at least 1).
    pub fn resolve(
        &self,
        width: u32,
        height: u32,
        limits: &Limits,
    ) -> Result<Resolved, RequestError> {
        let region = resolve_region(self.region, width.max(1), height.max(1))?;
        let (w, h, is_max) = resolve_size(self.size, region, limits)?;
        Ok(Resolved {
            region,
            width: w,
            height: h,
            is_max,
            rotation: self.rotation,
            quality: self.quality,
            format: self.format,
        })
    }
}

impl Resolved {
    /// The size of the image sent, after turning.
    pub fn output_size(&self) -> (u32, u32) {
        if self.rotation.quarter_turns % 2 == 1 {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }

    /// The canonical form (§4.8) of this request for an image of `width` × `height`:
    /// `{region}/{size}/{rotation}/{quality}.{format}`.
    pub fn canonical(&self, width: u32, height: u32) -> String {
        let r = self.region;
        let region = if (r.x, r.y, r.width, r.height) == (0, 0, width, height) {
            "full".to_owned()
        } else {
            format!("{},{},{},{}", r.x, r.y, r.width, r.height)
        };
        let size = if self.is_max {
            let enlarged = self.width > r.width || self.height > r.height;
            if enlarged { "^max" } else { "max" }.to_owned()
        } else if self.width > r.width || self.height > r.height {
            format!("^{},{}", self.width, self.height)
        } else {
            format!("{},{}", self.width, self.height)
        };
        let rotation = format!(
            "{}{}",
            if self.rotation.mirror { "!" } else { "" },
            u32::from(self.rotation.quarter_turns) * 90
        );
        format!(
            "{region}/{size}/{rotation}/{}.{}",
            self.quality.name(),
            self.format.extension()
        )
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

/// `part × num / den`, rounded to nearest, saturating.
fn scale(part: u64, num: u64, den: u64) -> u64 {
    let den = u128::from(den.max(1));
    let v = (u128::from(part) * u128::from(num) * 2 + den) / (2 * den);
    u64::try_from(v).unwrap_or(u64::MAX)
}

/// A float pixel position, rounded and saturated into `u64` (NaN cannot occur: inputs are
/// finite and non-negative).
fn round_px(v: f64) -> u64 {
    v.round() as u64
}

fn resolve_region(region: Region, width: u32, height: u32) -> Result<Rect, RequestError> {
    let (iw, ih) = (u64::from(width), u64::from(height));
    let (x, y, w, h) = match region {
        Region::Full => {
            return Ok(Rect {
                x: 0,
                y: 0,
                width,
                height,
            });
        }
        Region::Square => {
            let side = width.min(height);
            let x = (width - side) / 2;
            let y = (height - side) / 2;
            return Ok(Rect {
                x,
                y,
                width: side,
                height: side,
            });
        }
        Region::Pixels { x, y, w, h } => (x.into(), y.into(), w.into(), h.into()),
        Region::Percent { x, y, w, h } => {
            let fx = |p: f64| p * iw as f64 / 100.0;
            let fy = |p: f64| p * ih as f64 / 100.0;
            let (x0, y0) = (round_px(fx(x)), round_px(fy(y)));
            // A region of some percent is never empty because of rounding alone.
            let wpx = (round_px(fx(x + w)).saturating_sub(x0)).max(u64::from(w > 0.0));
            let hpx = (round_px(fy(y + h)).saturating_sub(y0)).max(u64::from(h > 0.0));
            (x0, y0, wpx, hpx)
        }
    };
    if w == 0 || h == 0 {
        return Err(RequestError::Impossible(
            "the region is empty: its width and height must be at least 1".into(),
        ));
    }
    if x >= iw || y >= ih {
        return Err(RequestError::Impossible(format!(
            "the region starts outside the {width}×{height} image"
        )));
    }
    // Past the edges, the region is cropped to the image (§4.1).
    let w = w.min(iw - x);
    let h = h.min(ih - y);
    let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(Rect {
        x: n(x),
        y: n(y),
        width: n(w),
        height: n(h),
    })
}

/// The size `max` (or `^max`) gives: the region, shrunk to the limits if need be (and with
/// `upscale`, grown to them).
fn max_size(rw: u64, rh: u64, upscale: bool, limits: &Limits) -> (u64, u64) {
    let (mw, mh, ma) = (
        f64::from(limits.max_width),
        f64::from(limits.max_height),
        limits.max_area as f64,
    );
    let (fw, fh) = (rw as f64, rh as f64);
    let mut s = (mw / fw).min(mh / fh).min((ma / (fw * fh)).sqrt());
    if !upscale {
        s = s.min(1.0);
    }
    if s == 1.0 {
        return (rw, rh);
    }
    let mut w = ((fw * s).floor() as u64).clamp(1, limits.max_width.into());
    let mut h = ((fh * s).floor() as u64).clamp(1, limits.max_height.into());
    // Floating point may land one pixel over the area.
    while w * h > limits.max_area && (w > 1 || h > 1) {
        if w >= h { w -= 1 } else { h -= 1 }
    }
    (w, h)
}

fn resolve_size(size: Size, r: Rect, limits: &Limits) -> Result<(u32, u32, bool), RequestError> {
    let (rw, rh) = (u64::from(r.width), u64::from(r.height));
    let (w, h) = match size.form {
        SizeForm::Max => {
            let (w, h) = max_size(rw, rh, size.upscale, limits);
            let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
            return Ok((n(w), n(h), true));
        }
        SizeForm::Width(w) => (u64::from(w), scale(rh, w.into(), rw)),
        SizeForm::Height(h) => (scale(rw, h.into(), rh), u64::from(h)),
        SizeForm::Percent(p) => (
            round_px(rw as f64 * p / 100.0),
            round_px(rh as f64 * p / 100.0),
        ),
        SizeForm::Exact(w, h) => (w.into(), h.into()),
        SizeForm::Confined(w, h) => {
            let (w, h) = (u64::from(w), u64::from(h));
            if u128::from(w) * u128::from(rh) <= u128::from(h) * u128::from(rw) {
                (w, scale(rh, w, rw).min(h))
            } else {
                (scale(rw, h, rh).min(w), h)
            }
        }
    };
    if w == 0 || h == 0 {
        return Err(RequestError::Impossible(format!(
            "the size {w}×{h} has no pixels; the image must be at least 1×1"
        )));
    }
    if !size.upscale && (w > rw || h > rh) {
        return Err(RequestError::Impossible(format!(
            "the size {w}×{h} is larger than the {rw}×{rh} region; prefix the size with ^ to enlarge"
        )));
    }
    if w > limits.max_width.into()
        || h > limits.max_height.into()
        || w.saturating_mul(h) > limits.max_area
    {
        return Err(RequestError::Impossible(format!(
            "the size {w}×{h} is over this server's limits ({}×{}, {} pixels)",
            limits.max_width, limits.max_height, limits.max_area
        )));
    }
    Ok((
        w as u32,
        h as u32,
        (w, h) == max_size(rw, rh, false, limits),
    ))
}

#[cfg(test)]
mod tests;
