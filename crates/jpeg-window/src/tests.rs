//! Every window must equal the same rectangle cut from a whole decode at the same scale
//! (libjpeg's ordinary path, through the `mozjpeg` crate), for baseline and progressive
//! files, 4:2:0, 4:4:4 and greyscale, at every scale; and broken files are errors.

use super::*;
use proptest::prelude::*;

/// Photo-like pixels with fine grain, so that a misplaced row or column shows.
fn pixels(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let grain = (x.wrapping_mul(73_856_093) ^ y.wrapping_mul(19_349_663)) % 40;
            out.extend_from_slice(&[
                (x * 200 / width + grain) as u8,
                (y * 200 / height + grain) as u8,
                ((x + y) % 97 + grain) as u8,
            ]);
        }
    }
    out
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Baseline420,
    Baseline444,
    Progressive420,
    Grey,
}

fn jpeg(width: u32, height: u32, kind: Kind) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    let rgb = pixels(width, height);
    let grey: Vec<u8>;
    let (data, colour) = match kind {
        Kind::Grey => {
            grey = rgb.chunks(3).map(|p| p[1]).collect();
            (&grey[..], jpeg_encoder::ColorType::Luma)
        }
        _ => (&rgb[..], jpeg_encoder::ColorType::Rgb),
    };
    match kind {
        Kind::Baseline444 => encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1),
        Kind::Progressive420 => {
            encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
            encoder.set_progressive(true);
        }
        _ => encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2),
    }
    encoder
        .encode(data, width as u16, height as u16, colour)
        .unwrap();
    out
}

/// The whole image at `eighths / 8`, decoded the ordinary way.
fn whole(file: &[u8], eighths: u8) -> Rgb {
    let mut d = mozjpeg::Decompress::new_mem(file).unwrap();
    d.scale(eighths);
    let mut started = d.rgb().unwrap();
    let (width, height) = (started.width() as u32, started.height() as u32);
    let data: Vec<u8> = started.read_scanlines().unwrap();
    started.finish().unwrap();
    Rgb {
        data,
        width,
        height,
    }
}

fn cut(image: &Rgb, w: Window) -> Vec<u8> {
    let mut out = Vec::new();
    for y in w.y..w.y + w.height {
        let start = ((y * image.width + w.x) * 3) as usize;
        out.extend_from_slice(&image.data[start..start + (w.width * 3) as usize]);
    }
    out
}

/// The largest difference of one sample between the window and the cut-out.
fn worst(a: &[u8], b: &[u8]) -> u8 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| x.abs_diff(*y))
        .max()
        .unwrap_or(0)
}

#[test]
fn the_scaled_size_rounds_up_as_libjpeg_does() {
    assert_eq!(scaled_size(6000, 4000, 1), (750, 500));
    assert_eq!(scaled_size(1001, 999, 3), (376, 375));
    assert_eq!(scaled_size(7, 5, 8), (7, 5));
    let file = jpeg(301, 203, Kind::Baseline420);
    for n in 1..=8 {
        let w = whole(&file, n);
        assert_eq!((w.width, w.height), scaled_size(301, 203, n), "{n}/8");
    }
}

#[test]
fn a_window_is_the_same_rectangle_of_a_whole_decode() {
    for kind in [
        Kind::Baseline420,
        Kind::Baseline444,
        Kind::Progressive420,
        Kind::Grey,
    ] {
        let file = jpeg(301, 203, kind);
        for eighths in [1, 2, 3, 4, 5, 8] {
            let full = whole(&file, eighths);
            let (w, h) = (full.width, full.height);
            for window in [
                Window {
                    x: 0,
                    y: 0,
                    width: w,
                    height: h,
                },
                Window {
                    x: w / 3,
                    y: h / 2,
                    width: w / 2,
                    height: h / 3,
                },
                Window {
                    x: w - 1,
                    y: h - 1,
                    width: 1,
                    height: 1,
                },
                Window {
                    x: 1,
                    y: 17,
                    width: w - 2,
                    height: 5,
                },
            ] {
                if window.width == 0 || window.height == 0 {
                    continue;
                }
                let got = decode_window(&file, eighths, window).unwrap();
                assert_eq!((got.width, got.height), (window.width, window.height));
                let diff = worst(&got.data, &cut(&full, window));
                assert!(diff == 0, "{kind:?} {eighths}/8 {window:?}: off by {diff}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_window_at_any_scale_matches(
        eighths in 1u8..=8,
        fx in 0.0f64..1.0, fy in 0.0f64..1.0, fw in 0.0f64..1.0, fh in 0.0f64..1.0,
    ) {
        thread_local! {
            static FILE: Vec<u8> = jpeg(517, 389, Kind::Baseline420);
        }
        FILE.with(|file| {
            let full = whole(file, eighths);
            let x = (fx * f64::from(full.width)) as u32;
            let y = (fy * f64::from(full.height)) as u32;
            let width = ((fw * f64::from(full.width - x)) as u32).max(1);
            let height = ((fh * f64::from(full.height - y)) as u32).max(1);
            let window = Window { x, y, width, height };
            let got = decode_window(file, eighths, window).unwrap();
            let diff = worst(&got.data, &cut(&full, window));
            prop_assert!(diff == 0, "{eighths}/8 {window:?}: off by {diff}");
            Ok(())
        })?;
    }
}

#[test]
fn windows_outside_the_image_and_bad_scales_are_refused() {
    let file = jpeg(64, 48, Kind::Baseline420);
    let outside = Window {
        x: 60,
        y: 0,
        width: 5,
        height: 1,
    };
    assert_eq!(
        decode_window(&file, 8, outside),
        Err(Error::OutOfBounds(outside, 64, 48))
    );
    let empty = Window {
        x: 0,
        y: 0,
        width: 0,
        height: 1,
    };
    assert!(matches!(
        decode_window(&file, 8, empty),
        Err(Error::OutOfBounds(..))
    ));
    let whole = Window {
        x: 0,
        y: 0,
        width: 8,
        height: 6,
    };
    assert_eq!(decode_window(&file, 0, whole), Err(Error::Scale(0)));
    assert_eq!(decode_window(&file, 9, whole), Err(Error::Scale(9)));
}

#[test]
fn garbage_and_damaged_files_are_errors_not_crashes() {
    let window = Window {
        x: 0,
        y: 0,
        width: 8,
        height: 8,
    };
    let err = decode_window(b"not a jpeg at all", 8, window).unwrap_err();
    assert!(
        matches!(err, Error::Libjpeg(ref m) if m.starts_with("libjpeg: ")),
        "{err:?}"
    );
    assert!(decode_window(&[], 8, window).is_err());
    let mut file = jpeg(64, 48, Kind::Baseline420);
    // A quantisation table that was never defined: fatal inside libjpeg.
    let sof = file.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    file[sof + 4 + 8] = 3;
    assert!(matches!(
        decode_window(&file, 8, window),
        Err(Error::Libjpeg(_))
    ));
    // Cut anywhere: an error or grey padding (libjpeg's choice), never a crash.
    let file = jpeg(64, 48, Kind::Progressive420);
    for len in (0..file.len()).step_by(7) {
        let _ = decode_window(&file[..len], 4, window);
    }
}
