//! Colour: pixels described by an embedded ICC profile become sRGB, the space browsers assume
//! for untagged images (our derivatives carry no profile). Done with `qcms`, Firefox's CMS,
//! in pure Rust.

use super::Pixels;
use qcms::{DataType, Intent, Profile, Transform};

/// Converts `pixels` from the space of `icc` to sRGB. Nothing happens without a profile, with
/// one that behaves as sRGB, or with one `qcms` cannot use (greyscale, CMYK, broken): such
/// images are shown as stored, as browsers show them.
pub(super) fn to_srgb(pixels: &mut Pixels, icc: Option<&[u8]>) {
    let Some(icc) = icc else { return };
    let Some(input) = Profile::new_from_slice(icc, false) else {
        tracing::debug!("unreadable ICC profile ignored");
        return;
    };
    let mut srgb = Profile::new_sRGB();
    srgb.precache_output_transform();
    let ty = if pixels.alpha {
        DataType::RGBA8
    } else {
        DataType::RGB8
    };
    let Some(transform) = Transform::new(&input, &srgb, ty, Intent::Perceptual) else {
        tracing::debug!("ICC profile without an RGB transform ignored");
        return;
    };
    if !behaves_as_srgb(&transform, pixels.channels()) {
        transform.apply(&mut pixels.data);
    }
}

/// True if the transform moves no colour of a 6×6×6 grid by more than one step: the profile
/// is sRGB under another name (most cameras and phones embed one), so the whole-image pass
/// can be skipped without any visible difference.
fn behaves_as_srgb(transform: &Transform, channels: usize) -> bool {
    let levels = [0u8, 51, 102, 153, 204, 255];
    let mut grid = Vec::with_capacity(levels.len().pow(3) * channels);
    for r in levels {
        for g in levels {
            for b in levels {
                grid.extend_from_slice(&[r, g, b, 255][..channels]);
            }
        }
    }
    let before = grid.clone();
    transform.apply(&mut grid);
    grid.iter().zip(&before).all(|(a, b)| a.abs_diff(*b) <= 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::derive::fixtures::{self, Trc};

    fn solid(rgb: [u8; 3]) -> Pixels {
        Pixels {
            data: rgb.repeat(4),
            width: 2,
            height: 2,
            alpha: false,
        }
    }

    #[test]
    fn adobe_rgb_becomes_more_saturated_srgb_and_greys_stay_grey() {
        let icc = fixtures::icc_profile(fixtures::ADOBE_RGB_D50, Trc::Gamma22);
        let mut red = solid([200, 60, 60]);
        to_srgb(&mut red, Some(&icc));
        let [r, g, b] = [red.data[0], red.data[1], red.data[2]];
        // By hand: Adobe RGB (200, 60, 60) is sRGB (231, 57, 57); its red is more saturated
        // than any sRGB red the input numbers would mean.
        assert!(
            r >= 226 && (52..=62).contains(&g) && (52..=62).contains(&b),
            "{r},{g},{b}"
        );
        let mut grey = solid([128, 128, 128]);
        to_srgb(&mut grey, Some(&icc));
        for c in &grey.data[..3] {
            assert!(
                c.abs_diff(128) <= 3,
                "grey stays grey: {:?}",
                &grey.data[..3]
            );
        }
    }

    #[test]
    fn an_srgb_profile_under_another_name_leaves_pixels_alone() {
        let icc = fixtures::icc_profile(fixtures::SRGB_D50, Trc::Srgb);
        let mut p = solid([200, 60, 60]);
        to_srgb(&mut p, Some(&icc));
        assert_eq!(p, solid([200, 60, 60]));
    }

    #[test]
    fn unreadable_profiles_are_ignored() {
        let mut p = solid([1, 2, 3]);
        to_srgb(&mut p, Some(b"not a profile"));
        assert_eq!(p, solid([1, 2, 3]));
    }
}
