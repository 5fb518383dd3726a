//! JPEG originals. The header is read by walking the markers ourselves (no libjpeg, nothing
//! allocated but the ICC profile); the pixels are decoded by libjpeg (`mozjpeg`) with DCT
//! scaling, which is where the engine's speed comes from.

use super::decode::Header;
use super::{DeriveError, Pixels, SourceFormat};
use image::metadata::Orientation;
use mozjpeg::Decompress;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Reads size, orientation and ICC profile from the markers before the first scan, and
/// checks that the file is complete (it ends with the end-of-image marker).
pub(super) fn read_header(input: &[u8]) -> Result<Header, DeriveError> {
    let mut pos = 2; // after SOI
    let mut size = None;
    let mut exif: Option<&[u8]> = None;
    let mut icc_chunks: Vec<(u8, &[u8])> = Vec::new();
    loop {
        // Like libjpeg, skip stray bytes and fill bytes before a marker.
        while input.get(pos).is_some_and(|&b| b != 0xFF) {
            pos += 1;
        }
        while input.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *input.get(pos).ok_or(DeriveError::Truncated)?;
        pos += 1;
        match marker {
            // Markers without a length.
            0x01 | 0xD0..=0xD8 => continue,
            0xD9 => return Err(damaged("the file ends before any image data")),
            _ => {}
        }
        let len = input
            .get(pos..pos + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
            .ok_or(DeriveError::Truncated)?;
        if len < 2 {
            return Err(damaged("a marker has an impossible length"));
        }
        let body = input
            .get(pos + 2..pos + len)
            .ok_or(DeriveError::Truncated)?;
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                size = Some(frame_size(marker, body)?);
            }
            0xE1 if exif.is_none() && body.starts_with(b"Exif\0\0") => exif = Some(&body[6..]),
            0xE2 if body.len() > 14 && body.starts_with(b"ICC_PROFILE\0") => {
                icc_chunks.push((body[12], &body[14..]));
            }
            0xDA => {
                let (width, height) = size.ok_or_else(|| damaged("no frame header"))?;
                ensure_complete(&input[pos..])?;
                return Ok(Header {
                    format: SourceFormat::Jpeg,
                    width,
                    height,
                    orientation: exif
                        .and_then(Orientation::from_exif_chunk)
                        .unwrap_or(Orientation::NoTransforms),
                    icc: assemble_icc(icc_chunks),
                });
            }
            _ => {}
        }
        pos += len;
    }
}

/// Size from a start-of-frame segment, refusing what our libjpeg build cannot decode.
fn frame_size(marker: u8, body: &[u8]) -> Result<(u32, u32), DeriveError> {
    let unsupported = |what: &str| Err(DeriveError::UnsupportedFeature(what.to_owned()));
    if body.len() < 6 {
        return Err(damaged("the frame header is too short"));
    }
    if matches!(marker, 0xC3 | 0xC7 | 0xCB | 0xCF) {
        return unsupported("lossless JPEG");
    }
    if matches!(marker, 0xC5 | 0xC6 | 0xCD | 0xCE) {
        return unsupported("hierarchical JPEG");
    }
    if marker >= 0xC9 {
        return unsupported("arithmetic-coded JPEG");
    }
    if body[0] != 8 {
        return unsupported("JPEG with more than 8 bits per sample");
    }
    let height = u32::from(u16::from_be_bytes([body[1], body[2]]));
    let width = u32::from(u16::from_be_bytes([body[3], body[4]]));
    match body[5] {
        1 | 3 => {}
        4 => return unsupported("CMYK JPEG"),
        _ => return Err(damaged("an unexpected number of colour components")),
    }
    if width == 0 || height == 0 {
        return unsupported("JPEG whose height is given after the image data");
    }
    Ok((width, height))
}

/// A complete JPEG ends with EOI. Entropy-coded data cannot contain FF D9 (an FF there is
/// always followed by 00 or a restart number), so any FF D9 after the first scan starts is
/// the real end. libjpeg itself pads a cut file with grey and only warns, which would cache a
/// half-grey derivative forever.
fn ensure_complete(from_first_scan: &[u8]) -> Result<(), DeriveError> {
    if from_first_scan.windows(2).rev().any(|w| w == [0xFF, 0xD9]) {
        Ok(())
    } else {
        Err(DeriveError::Truncated)
    }
}

/// Joins the APP2 chunks of a profile in their sequence order (ICC.1, Annex B.4).
fn assemble_icc(mut chunks: Vec<(u8, &[u8])>) -> Option<Vec<u8>> {
    if chunks.is_empty() {
        return None;
    }
    chunks.sort_by_key(|(seq, _)| *seq);
    Some(
        chunks
            .into_iter()
            .flat_map(|(_, data)| data)
            .copied()
            .collect(),
    )
}

/// The smallest `n` (of libjpeg's `n/8` scales) whose output is at least `target`, which
/// libjpeg rounds up: `ceil(size × n / 8)`.
pub(super) fn scale_eighths(width: u32, height: u32, target: (u32, u32)) -> u8 {
    let scaled = |size: u32, n: u32| (u64::from(size) * u64::from(n)).div_ceil(8);
    (1..=8u8)
        .find(|&n| {
            scaled(width, n.into()) >= u64::from(target.0)
                && scaled(height, n.into()) >= u64::from(target.1)
        })
        .unwrap_or(8)
}

/// Decodes RGB pixels at the smallest DCT scale that still covers `target`.
pub(super) fn decode(
    input: &[u8],
    header: &Header,
    target: (u32, u32),
) -> Result<Pixels, DeriveError> {
    let eighths = scale_eighths(header.width, header.height, target);
    // mozjpeg reports libjpeg's fatal errors by unwinding out of the C code (it is built
    // for that); they end here as a damaged image, not a crashed worker.
    let decoded = catch_unwind(AssertUnwindSafe(|| -> std::io::Result<Pixels> {
        let mut jpeg = Decompress::new_mem(input)?;
        jpeg.scale(eighths);
        let mut started = jpeg.rgb()?;
        let (width, height) = (started.width(), started.height());
        let data: Vec<u8> = started.read_scanlines()?;
        started.finish()?;
        Ok(Pixels {
            data,
            width: u32::try_from(width).unwrap_or(0),
            height: u32::try_from(height).unwrap_or(0),
            alpha: false,
        })
    }));
    match decoded {
        Ok(Ok(pixels)) => Ok(pixels),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(DeriveError::Truncated),
        Ok(Err(e)) => Err(DeriveError::Damaged(e.to_string())),
        Err(payload) => Err(DeriveError::Damaged(
            payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("libjpeg failed")
                .to_owned(),
        )),
    }
}

/// Decodes the part `(x, y, width, height)` of the stored image at `eighths / 8`, in scaled
/// pixels: rows above it are skipped without their inverse DCT, columns beside it are not
/// transformed, and decoding stops below it (see the `jpeg-window` crate).
pub(super) fn decode_window(
    input: &[u8],
    eighths: u8,
    (x, y, width, height): (u32, u32, u32, u32),
) -> Result<Pixels, DeriveError> {
    let window = jpeg_window::Window {
        x,
        y,
        width,
        height,
    };
    match jpeg_window::decode_window(input, eighths, window) {
        Ok(rgb) => Ok(Pixels {
            data: rgb.data,
            width: rgb.width,
            height: rgb.height,
            alpha: false,
        }),
        Err(jpeg_window::Error::Truncated) => Err(DeriveError::Truncated),
        Err(e @ jpeg_window::Error::Libjpeg(_)) => Err(DeriveError::Damaged(e.to_string())),
        Err(e) => Err(DeriveError::Internal(e.to_string())),
    }
}

fn damaged(why: &str) -> DeriveError {
    DeriveError::Damaged(why.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::derive::fixtures;

    #[test]
    fn the_dct_scale_is_the_smallest_still_covering_the_target() {
        assert_eq!(scale_eighths(6000, 4000, (400, 267)), 1, "750×500");
        assert_eq!(scale_eighths(6000, 4000, (1600, 1067)), 3, "2250×1500");
        assert_eq!(scale_eighths(12000, 8000, (1600, 1067)), 2, "3000×2000");
        assert_eq!(scale_eighths(300, 200, (300, 200)), 8, "no shrinking");
        assert_eq!(scale_eighths(4000, 6000, (267, 400)), 1, "portrait");
    }

    #[test]
    fn truncated_jpegs_are_refused_as_truncated_not_decoded_half_grey() {
        let whole = fixtures::jpeg(&fixtures::photo(64, 48), 64, 48, &[]);
        let cut = &whole[..whole.len() * 2 / 3];
        assert_eq!(read_header(cut), Err(DeriveError::Truncated));
        let header_only = &whole[..20];
        assert_eq!(read_header(header_only), Err(DeriveError::Truncated));
    }

    #[test]
    fn the_header_gives_size_orientation_and_the_profile_in_order() {
        let icc: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
        let jpeg = fixtures::jpeg(
            &fixtures::photo(20, 10),
            20,
            10,
            &[
                fixtures::Segment::Exif(fixtures::exif(6)),
                fixtures::Segment::Icc(icc.clone()),
            ],
        );
        let header = read_header(&jpeg).unwrap();
        assert_eq!((header.width, header.height), (20, 10));
        assert_eq!(header.orientation, Orientation::Rotate90);
        assert_eq!(
            header.icc,
            Some(icc),
            "a profile split over two APP2 segments"
        );
    }

    #[test]
    fn cmyk_jpegs_are_refused_by_name() {
        // SOI, then a SOF0 for 8-bit, 2×2, four components.
        let sof = [
            0xFF, 0xD8, 0xFF, 0xC0, 0, 20, 8, 0, 2, 0, 2, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4,
            0x11, 0,
        ];
        assert_eq!(
            read_header(&sof),
            Err(DeriveError::UnsupportedFeature("CMYK JPEG".into()))
        );
    }

    #[test]
    fn libjpeg_errors_become_damaged_images_not_panics() {
        let mut jpeg = fixtures::jpeg(&fixtures::photo(64, 48), 64, 48, &[]);
        // Point the first component at a quantisation table that was never defined: a
        // fatal error inside libjpeg.
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        jpeg[sof + 4 + 8] = 3;
        let header = read_header(&jpeg).unwrap();
        let err = decode(&jpeg, &header, (64, 48)).unwrap_err();
        assert!(matches!(err, DeriveError::Damaged(_)), "{err:?}");
    }
}
