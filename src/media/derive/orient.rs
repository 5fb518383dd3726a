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

#[cfg(test)]
mod tests {
    use super::*;

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
