//! Orientation: turning the (already small) pixels upright as the EXIF tag says, so that the
//! derivative needs no tag and looks right everywhere.

use super::Pixels;
use image::metadata::Orientation;

/// True for the four orientations that exchange width and height.
pub(super) fn swaps_axes(orientation: Orientation) -> bool {
    orientation.to_exif() >= 5
}

/// The pixels as they are meant to be seen.
pub(super) fn upright(pixels: Pixels, orientation: Orientation) -> Pixels {
    let exif = orientation.to_exif();
    if exif == 1 {
        return pixels;
    }
    let (w, h) = (pixels.width as usize, pixels.height as usize);
    let (out_w, out_h) = if swaps_axes(orientation) {
        (h, w)
    } else {
        (w, h)
    };
    let n = pixels.channels();
    let mut data = Vec::with_capacity(pixels.data.len());
    for oy in 0..out_h {
        for ox in 0..out_w {
            // Where the output pixel (ox, oy) is in the stored image.
            let (sx, sy) = match exif {
                2 => (w - 1 - ox, oy),
                3 => (w - 1 - ox, h - 1 - oy),
                4 => (ox, h - 1 - oy),
                5 => (oy, ox),
                6 => (oy, h - 1 - ox),
                7 => (w - 1 - oy, h - 1 - ox),
                _ => (w - 1 - oy, ox),
            };
            let at = (sy * w + sx) * n;
            data.extend_from_slice(&pixels.data[at..at + n]);
        }
    }
    Pixels {
        data,
        width: out_w as u32,
        height: out_h as u32,
        alpha: pixels.alpha,
    }
}

/// Where a rectangle of the upright image (`x, y, width, height`) lies in the stored pixels,
/// whose size is `stored_w` × `stored_h`: the inverse of [`upright`] for a crop, so that only
/// the stored part is decoded.
pub(super) fn stored_rect(
    orientation: Orientation,
    (x, y, w, h): (u32, u32, u32, u32),
    stored_w: u32,
    stored_h: u32,
) -> (u32, u32, u32, u32) {
    // Upright (ox, oy) comes from stored (sx, sy) as in `upright`; the rectangle's corners
    // map to corners, so the stored rectangle follows from the same formulas.
    let right = |a: u32, len: u32| stored_w.saturating_sub(a.saturating_add(len));
    let bottom = |a: u32, len: u32| stored_h.saturating_sub(a.saturating_add(len));
    match orientation.to_exif() {
        2 => (right(x, w), y, w, h),
        3 => (right(x, w), bottom(y, h), w, h),
        4 => (x, bottom(y, h), w, h),
        5 => (y, x, h, w),
        6 => (y, bottom(x, w), h, w),
        7 => (right(y, h), bottom(x, w), h, w),
        8 => (right(y, h), x, h, w),
        _ => (x, y, w, h),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cropping_the_stored_rectangle_then_turning_equals_turning_then_cropping() {
        // A 5×3 image numbered row by row, so every pixel is distinguishable.
        let stored = Pixels {
            data: (1..=15).flat_map(|i| [i, 0, 0]).collect(),
            width: 5,
            height: 3,
            alpha: false,
        };
        let crop = |p: &Pixels, (x, y, w, h): (u32, u32, u32, u32)| -> Vec<u8> {
            (y..y + h)
                .flat_map(|row| (x..x + w).map(move |col| (row * p.width + col) as usize))
                .map(|i| p.data[i * 3])
                .collect()
        };
        for exif in 1..=8 {
            let o = Orientation::from_exif(exif).unwrap();
            let upright_all = upright(stored.clone(), o);
            for rect in [(0, 0, 1, 1), (1, 0, 2, 3), (0, 1, 2, 2), (1, 1, 1, 2)] {
                let (uw, uh) = (upright_all.width, upright_all.height);
                if rect.0 + rect.2 > uw || rect.1 + rect.3 > uh {
                    continue;
                }
                let s = stored_rect(o, rect, 5, 3);
                let part = Pixels {
                    data: crop(&stored, s).iter().flat_map(|&r| [r, 0, 0]).collect(),
                    width: s.2,
                    height: s.3,
                    alpha: false,
                };
                let turned: Vec<u8> = upright(part, o).data.chunks(3).map(|c| c[0]).collect();
                assert_eq!(
                    turned,
                    crop(&upright_all, rect),
                    "orientation {exif}, {rect:?}"
                );
            }
        }
    }

    /// A 3×2 image whose red channel numbers the pixels row by row (1 2 3 / 4 5 6).
    fn numbered() -> Pixels {
        Pixels {
            data: (1..=6).flat_map(|i| [i, 0, 0]).collect(),
            width: 3,
            height: 2,
            alpha: false,
        }
    }

    fn reds(p: &Pixels) -> Vec<u8> {
        p.data.chunks(3).map(|c| c[0]).collect()
    }

    #[test]
    fn each_exif_orientation_is_undone() {
        let cases = [
            (1, 3, vec![1, 2, 3, 4, 5, 6]),
            (2, 3, vec![3, 2, 1, 6, 5, 4]),
            (3, 3, vec![6, 5, 4, 3, 2, 1]),
            (4, 3, vec![4, 5, 6, 1, 2, 3]),
            (5, 2, vec![1, 4, 2, 5, 3, 6]),
            (6, 2, vec![4, 1, 5, 2, 6, 3]),
            (7, 2, vec![6, 3, 5, 2, 4, 1]),
            (8, 2, vec![3, 6, 2, 5, 1, 4]),
        ];
        for (exif, width, expected) in cases {
            let out = upright(numbered(), Orientation::from_exif(exif).unwrap());
            assert_eq!(out.width, width, "orientation {exif}");
            assert_eq!(reds(&out), expected, "orientation {exif}");
        }
    }
}
