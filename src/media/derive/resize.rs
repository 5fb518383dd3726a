//! Resizing: the last stretch from the decoded size to the derivative's, with
//! `fast_image_resize` (SIMD convolution). After a JPEG's DCT scaling the remaining factor is
//! below 2, so Lanczos3 — sharp, little ringing — costs a few milliseconds.

use super::{DeriveError, Pixels};
use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

/// `pixels` resized to exactly `width` × `height`. Alpha is premultiplied while filtering,
/// so transparent pixels lend no colour to their neighbours.
pub(super) fn resize(pixels: Pixels, width: u32, height: u32) -> Result<Pixels, DeriveError> {
    if (pixels.width, pixels.height) == (width, height) {
        return Ok(pixels);
    }
    let internal = |e: &dyn std::fmt::Display| DeriveError::Internal(format!("resizing: {e}"));
    let pixel_type = if pixels.alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    let src = Image::from_vec_u8(pixels.width, pixels.height, pixels.data, pixel_type)
        .map_err(|e| internal(&e))?;
    let mut dst = Image::new(width, height, pixel_type);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| internal(&e))?;
    Ok(Pixels {
        data: dst.into_vec(),
        width,
        height,
        alpha: pixels.alpha,
    })
}

/// The part `crop` (left, top, width, height, in `pixels`' coordinates, fractions allowed)
/// of `pixels`, resized to `width` × `height`. A crop at whole pixels and the same size is a
/// plain copy.
pub(super) fn resize_part(
    pixels: &Pixels,
    crop: (f64, f64, f64, f64),
    width: u32,
    height: u32,
) -> Result<Pixels, DeriveError> {
    let (left, top, w, h) = crop;
    let n = pixels.channels();
    let whole = |v: f64| v.fract() == 0.0 && v >= 0.0;
    if whole(left) && whole(top) && (w, h) == (f64::from(width), f64::from(height)) {
        let (left, top) = (left as usize, top as usize);
        let (src_w, width_px) = (pixels.width as usize, width as usize);
        if left + width_px <= src_w && top + height as usize <= pixels.height as usize {
            let mut data = Vec::with_capacity(width_px * height as usize * n);
            for row in top..top + height as usize {
                let start = (row * src_w + left) * n;
                data.extend_from_slice(&pixels.data[start..start + width_px * n]);
            }
            return Ok(Pixels {
                data,
                width,
                height,
                alpha: pixels.alpha,
            });
        }
    }
    let internal = |e: &dyn std::fmt::Display| DeriveError::Internal(format!("resizing: {e}"));
    let pixel_type = if pixels.alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    let src = fast_image_resize::images::ImageRef::new(
        pixels.width,
        pixels.height,
        &pixels.data,
        pixel_type,
    )
    .map_err(|e| internal(&e))?;
    let mut dst = Image::new(width, height, pixel_type);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .crop(left, top, w, h);
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| internal(&e))?;
    Ok(Pixels {
        data: dst.into_vec(),
        width,
        height,
        alpha: pixels.alpha,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_colour_stays_that_colour_at_any_size() {
        let flat = Pixels {
            data: [10, 200, 30].repeat(100 * 60),
            width: 100,
            height: 60,
            alpha: false,
        };
        let out = resize(flat, 37, 22).unwrap();
        assert_eq!(out.data.len(), 37 * 22 * 3);
        assert!(out.data.chunks(3).all(|p| p == [10, 200, 30]));
    }

    #[test]
    fn a_part_is_cut_exactly_or_resized_from_its_fractional_box() {
        // Left half red, right half blue.
        let data = (0..8 * 4)
            .flat_map(|i| if i % 8 < 4 { [200, 0, 0] } else { [0, 0, 200] })
            .collect();
        let p = Pixels {
            data,
            width: 8,
            height: 4,
            alpha: false,
        };
        let right = resize_part(&p, (4.0, 1.0, 4.0, 2.0), 4, 2).unwrap();
        assert!(right.data.chunks(3).all(|px| px == [0, 0, 200]));
        let left = resize_part(&p, (0.5, 0.0, 3.0, 4.0), 2, 2).unwrap();
        assert!(
            left.data.chunks(3).all(|px| px[0] > 190 && px[2] < 10),
            "{:?}",
            left.data
        );
    }

    #[test]
    fn transparent_pixels_lend_no_colour_to_their_neighbours() {
        // Left half opaque white, right half fully transparent black.
        let data = (0..64 * 8)
            .flat_map(|i| if i % 64 < 32 { [255; 4] } else { [0; 4] })
            .collect();
        let p = Pixels {
            data,
            width: 64,
            height: 8,
            alpha: true,
        };
        let out = resize(p, 16, 2).unwrap();
        for px in out.data.chunks(4).filter(|px| px[3] > 0) {
            assert!(px[..3].iter().all(|&c| c >= 250), "no dark fringe: {px:?}");
        }
    }
}
