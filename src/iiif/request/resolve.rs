//! Resolving a parsed request against one image: the region in pixels (cropped to the
//! image, §4.1), the scaled size (§4.2, within the server's limits), and the canonical form
//! of the result (§4.8).

use super::{Format, Quality, Rotation};
use super::{ImageRequest, Region, RequestError, Size, SizeForm};

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
