//! The engine end to end: what a visitor and an uploader can observe of a derivative.

use super::fixtures::{self, Segment, Trc};
use super::*;
use image::{DynamicImage, GenericImageView, ImageFormat};
use std::io::Cursor;

const JPEG_400: Spec = Spec {
    max_width: 400,
    format: Format::Jpeg,
};
const WEBP_400: Spec = Spec {
    max_width: 400,
    format: Format::Webp,
};

fn photo_jpeg(width: u32, height: u32, segments: &[Segment]) -> Vec<u8> {
    fixtures::jpeg(&fixtures::photo(width, height), width, height, segments)
}

fn decoded(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).unwrap()
}

/// The same pixels written by the `image` crate in another format.
fn reencoded(rgb: Vec<u8>, width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let img = DynamicImage::ImageRgb8(image::RgbImage::from_raw(width, height, rgb).unwrap());
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

#[test]
fn derivatives_shrink_to_the_width_and_keep_the_aspect_ratio() {
    let out = derive(&photo_jpeg(1000, 500, &[]), &JPEG_400, &Limits::default()).unwrap();
    assert_eq!((out.width, out.height), (400, 200));
    assert_eq!(decoded(&out.bytes).dimensions(), (400, 200));
    let odd = derive(&photo_jpeg(999, 601, &[]), &JPEG_400, &Limits::default()).unwrap();
    assert_eq!(
        (odd.width, odd.height),
        (400, 241),
        "601 × 400 / 999 = 240.6"
    );
}

#[test]
fn small_originals_are_never_enlarged() {
    let out = derive(&photo_jpeg(300, 200, &[]), &JPEG_400, &Limits::default()).unwrap();
    assert_eq!(decoded(&out.bytes).dimensions(), (300, 200));
}

#[test]
fn exif_orientation_6_turns_the_picture_upright() {
    // Stored 80×40: left half red, right half blue. Orientation 6 means "turn 90° clockwise
    // to view", so the viewer sees 40×80 with red on top.
    let rgb: Vec<u8> = (0..80 * 40)
        .flat_map(|i| {
            if i % 80 < 40 {
                [230, 20, 20]
            } else {
                [20, 20, 230]
            }
        })
        .collect();
    let jpeg = fixtures::jpeg(&rgb, 80, 40, &[Segment::Exif(fixtures::exif(6))]);
    assert_eq!(
        (probe(&jpeg).unwrap().width, probe(&jpeg).unwrap().height),
        (40, 80)
    );
    let out = derive(&jpeg, &JPEG_400, &Limits::default()).unwrap();
    let img = decoded(&out.bytes).into_rgb8();
    assert_eq!(img.dimensions(), (40, 80));
    let top = img.get_pixel(20, 10);
    let bottom = img.get_pixel(20, 70);
    assert!(top[0] > 180 && top[2] < 80, "red on top: {top:?}");
    assert!(bottom[2] > 180 && bottom[0] < 80, "blue below: {bottom:?}");
}

#[test]
fn rotated_originals_are_fitted_by_their_upright_width() {
    let jpeg = photo_jpeg(1200, 800, &[Segment::Exif(fixtures::exif(8))]);
    let out = derive(&jpeg, &JPEG_400, &Limits::default()).unwrap();
    assert_eq!((out.width, out.height), (400, 600));
}

#[test]
fn exif_and_gps_never_reach_a_derivative() {
    let jpeg = photo_jpeg(640, 480, &[Segment::Exif(fixtures::exif(1))]);
    assert!(
        fixtures::has_app1(&jpeg),
        "the original carries EXIF with GPS"
    );
    let out = derive(&jpeg, &JPEG_400, &Limits::default()).unwrap();
    assert!(
        !fixtures::has_app1(&out.bytes),
        "no APP1 segment in the derivative"
    );
    let webp = derive(&jpeg, &WEBP_400, &Limits::default()).unwrap();
    assert!(
        !webp.bytes.windows(4).any(|w| w == b"EXIF" || w == b"XMP "),
        "no EXIF or XMP chunk in the WebP"
    );
}

#[test]
fn an_adobe_rgb_original_is_converted_to_srgb() {
    let icc = fixtures::icc_profile(fixtures::ADOBE_RGB_D50, Trc::Gamma22);
    let rgb = [200u8, 60, 60].repeat(64 * 64);
    let tagged = fixtures::jpeg(&rgb, 64, 64, &[Segment::Icc(icc)]);
    let untagged = fixtures::jpeg(&rgb, 64, 64, &[]);
    assert!(probe(&tagged).unwrap().has_icc_profile);
    let spec = Spec {
        max_width: 32,
        format: Format::Jpeg,
    };
    let pixel = |jpeg: &[u8]| {
        let out = derive(jpeg, &spec, &Limits::default()).unwrap();
        *decoded(&out.bytes).into_rgb8().get_pixel(16, 16)
    };
    let (plain, converted) = (pixel(&untagged), pixel(&tagged));
    // Adobe RGB (200, 60, 60) is about sRGB (231, 57, 57).
    assert!(
        plain[0].abs_diff(200) <= 4,
        "untagged is taken as sRGB: {plain:?}"
    );
    assert!(
        converted[0] >= 224,
        "the profile was applied: {converted:?}"
    );
    assert!(converted[1] < 64 && converted[2] < 64, "{converted:?}");
}

#[test]
fn truncated_jpegs_are_an_error_not_a_panic() {
    let whole = photo_jpeg(300, 200, &[]);
    for len in [whole.len() / 2, whole.len() - 2, 100, 3] {
        let err = derive(&whole[..len], &JPEG_400, &Limits::default()).unwrap_err();
        assert!(
            matches!(err, DeriveError::Truncated | DeriveError::Damaged(_)),
            "{len}: {err:?}"
        );
    }
    assert_eq!(
        derive(&whole[..whole.len() / 2], &JPEG_400, &Limits::default()),
        Err(DeriveError::Truncated)
    );
}

#[test]
fn a_png_header_claiming_50000_by_50000_is_refused_before_decoding() {
    // The file holds no pixel data: any attempt to decode it would fail as damaged, so the
    // variant shows that the refusal came from the header alone.
    let bomb = fixtures::png_header(50_000, 50_000);
    let info = probe(&bomb).unwrap();
    assert_eq!(
        (info.format, info.width, info.height),
        (SourceFormat::Png, 50_000, 50_000)
    );
    let limits = Limits::with_max_pixels(150_000_000);
    let refused = DeriveError::TooManyPixels {
        width: 50_000,
        height: 50_000,
        max_pixels: 150_000_000,
    };
    assert_eq!(limits.check(&info), Err(refused.clone()));
    assert_eq!(derive(&bomb, &JPEG_400, &limits), Err(refused));
    assert!(matches!(
        derive(&fixtures::png_header(70_000, 10), &JPEG_400, &limits),
        Err(DeriveError::TooLarge { .. })
    ));
}

#[test]
fn webp_derivatives_decode_and_are_lossy_sized() {
    let jpeg = photo_jpeg(800, 600, &[]);
    let out = derive(&jpeg, &WEBP_400, &Limits::default()).unwrap();
    assert_eq!(&out.bytes[12..16], b"VP8 ", "the lossy codec, not VP8L");
    let img = decoded(&out.bytes);
    assert_eq!(img.dimensions(), (400, 300));
    let lossless = reencoded(img.into_rgb8().into_raw(), 400, 300, ImageFormat::WebP);
    assert!(
        out.bytes.len() * 2 < lossless.len(),
        "lossy {} bytes, lossless {} bytes",
        out.bytes.len(),
        lossless.len()
    );
}

#[test]
fn png_webp_and_tiff_originals_are_read_too() {
    let (w, h) = (500, 250);
    for format in [ImageFormat::Png, ImageFormat::WebP, ImageFormat::Tiff] {
        let original = reencoded(fixtures::photo(w, h), w, h, format);
        let info = probe(&original).unwrap();
        assert_eq!((info.width, info.height), (w, h), "{format:?}");
        let out = derive(&original, &JPEG_400, &Limits::default()).unwrap();
        assert_eq!(decoded(&out.bytes).dimensions(), (400, 200), "{format:?}");
    }
}

#[test]
fn files_that_are_not_images_are_named_unsupported() {
    assert_eq!(
        derive(b"GIF89a\x01\0\x01\0", &JPEG_400, &Limits::default()),
        Err(DeriveError::UnsupportedFormat)
    );
    assert_eq!(probe(b"<svg/>"), Err(DeriveError::UnsupportedFormat));
}

#[test]
fn derive_file_writes_what_derive_returns() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in.jpg"), dir.path().join("out.webp"));
    std::fs::write(&input, photo_jpeg(640, 480, &[])).unwrap();
    let derived = derive_file(&input, &WEBP_400, &out).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), derived.bytes);
    assert_eq!((derived.width, derived.height), (400, 300));
    let missing = derive_file(&dir.path().join("nope.jpg"), &WEBP_400, &out);
    assert!(format!("{:#}", missing.unwrap_err()).contains("nope.jpg"));
}
