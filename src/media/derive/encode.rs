//! Encoding the derivative: a fresh file holding pixels only, so no metadata of the original
//! (EXIF, GPS, XMP, the ICC profile it no longer needs) can travel with it.

use super::{DeriveError, Encoding, Format, Pixels};
use jpeg_encoder::{ChromaSubsamplingMethod, ColorType, Encoder, SamplingFactor};

/// libjpeg's and libvips' usual web quality: visually clean, a third of quality 95's size.
const JPEG_QUALITY: u8 = 82;
/// libwebp's default: about JPEG 82's look at roughly two thirds of its bytes.
const WEBP_QUALITY: f32 = 80.0;

/// `pixels` as a file of `format`.
pub(super) fn encode(pixels: &Pixels, format: Format) -> Result<Vec<u8>, DeriveError> {
    match format {
        Format::Jpeg => jpeg(pixels),
        Format::Webp => webp(pixels),
    }
}

/// `pixels` as a file of a view's `encoding`. With `grey` (all three colour channels equal),
/// JPEG and PNG files hold one channel, as greyscale files should.
pub(super) fn encode_view(
    pixels: &Pixels,
    encoding: Encoding,
    grey: bool,
) -> Result<Vec<u8>, DeriveError> {
    match (encoding, grey) {
        (Encoding::Jpeg, false) => jpeg(pixels),
        (Encoding::Jpeg, true) => grey_jpeg(pixels),
        (Encoding::Png, _) => png(pixels, grey),
        (Encoding::Webp, _) => webp(pixels),
    }
}

fn grey_jpeg(pixels: &Pixels) -> Result<Vec<u8>, DeriveError> {
    let too_large = || DeriveError::Internal("a JPEG side is at most 65,535 pixels".into());
    let width = u16::try_from(pixels.width).map_err(|_| too_large())?;
    let height = u16::try_from(pixels.height).map_err(|_| too_large())?;
    let luma: Vec<u8> = if pixels.alpha {
        on_white(&pixels.data)
            .chunks_exact(3)
            .map(|p| p[0])
            .collect()
    } else {
        pixels.data.chunks_exact(3).map(|p| p[0]).collect()
    };
    let mut out = Vec::with_capacity(luma.len() / 8);
    Encoder::new(&mut out, JPEG_QUALITY)
        .encode(&luma, width, height, ColorType::Luma)
        .map_err(|e| DeriveError::Internal(format!("JPEG encoding: {e}")))?;
    Ok(out)
}

/// Lossless PNG, compressed fast: tiles are made on request, and PNG's best compression costs
/// several times the time for a few percent.
fn png(pixels: &Pixels, grey: bool) -> Result<Vec<u8>, DeriveError> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::{ExtendedColorType, ImageEncoder};
    let n = pixels.channels();
    let (data, colour) = match (grey, pixels.alpha) {
        (false, false) => (pixels.data.clone(), ExtendedColorType::Rgb8),
        (false, true) => (pixels.data.clone(), ExtendedColorType::Rgba8),
        (true, false) => (
            pixels.data.chunks_exact(n).map(|p| p[0]).collect(),
            ExtendedColorType::L8,
        ),
        (true, true) => (
            pixels
                .data
                .chunks_exact(n)
                .flat_map(|p| [p[0], p[3]])
                .collect(),
            ExtendedColorType::La8,
        ),
    };
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(&data, pixels.width, pixels.height, colour)
        .map_err(|e| DeriveError::Internal(format!("PNG encoding: {e}")))?;
    Ok(out)
}

fn jpeg(pixels: &Pixels) -> Result<Vec<u8>, DeriveError> {
    let too_large = || DeriveError::Internal("a JPEG side is at most 65,535 pixels".into());
    let width = u16::try_from(pixels.width).map_err(|_| too_large())?;
    let height = u16::try_from(pixels.height).map_err(|_| too_large())?;
    let flattened;
    let rgb = if pixels.alpha {
        flattened = on_white(&pixels.data);
        &flattened
    } else {
        &pixels.data
    };
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = Encoder::new(&mut out, JPEG_QUALITY);
    encoder.set_sampling_factor(SamplingFactor::F_2_2);
    // Its default keeps one chroma sample in four and aliases; libjpeg averages them.
    encoder.set_chroma_subsampling_method(ChromaSubsamplingMethod::Average);
    // Standard Huffman tables, deliberately: with optimised ones jpeg-encoder writes one
    // scan per component, a rare layout that some decoders (zune-jpeg, inside the `image`
    // crate) decode with wrong colours. They would save 2–4 % of bytes and cost twice the
    // encoding time.
    encoder
        .encode(rgb, width, height, ColorType::Rgb)
        .map_err(|e| DeriveError::Internal(format!("JPEG encoding: {e}")))?;
    Ok(out)
}

/// JPEG has no transparency: transparent parts become white, like the page behind them.
fn on_white(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| {
            let a = u16::from(p[3]);
            let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
            [mix(p[0]), mix(p[1]), mix(p[2])]
        })
        .collect()
}

fn webp(pixels: &Pixels) -> Result<Vec<u8>, DeriveError> {
    let encoder = if pixels.alpha {
        webp::Encoder::from_rgba(&pixels.data, pixels.width, pixels.height)
    } else {
        webp::Encoder::from_rgb(&pixels.data, pixels.width, pixels.height)
    };
    let memory = encoder
        .encode_simple(false, WEBP_QUALITY)
        .map_err(|e| DeriveError::Internal(format!("WebP encoding: {e:?}")))?;
    Ok(memory.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpegs_are_one_interleaved_scan_and_decode_to_their_colours() {
        let pixels = Pixels {
            data: [230, 20, 20].repeat(40 * 80),
            width: 40,
            height: 80,
            alpha: false,
        };
        let out = encode(&pixels, Format::Jpeg).unwrap();
        let scans = out.windows(2).filter(|w| w == &[0xFF, 0xDA]).count();
        assert_eq!(scans, 1);
        let img = image::load_from_memory(&out).unwrap().into_rgb8();
        let p = img.get_pixel(20, 40);
        assert!(p[0].abs_diff(230) <= 3 && p[1] < 30 && p[2] < 30, "{p:?}");
    }

    #[test]
    fn grey_views_are_one_channel_files_and_pngs_are_lossless() {
        let grey = Pixels {
            data: [90, 90, 90, 200, 200, 200].repeat(16),
            width: 4,
            height: 8,
            alpha: false,
        };
        let jpeg = encode_view(&grey, Encoding::Jpeg, true).unwrap();
        assert_eq!(
            image::load_from_memory(&jpeg).unwrap().color(),
            image::ColorType::L8
        );
        let png = encode_view(&grey, Encoding::Png, true).unwrap();
        let back = image::load_from_memory(&png).unwrap();
        assert_eq!(back.color(), image::ColorType::L8);
        assert_eq!(back.to_luma8().into_raw(), [90, 200].repeat(16));
        let colour = encode_view(&grey, Encoding::Png, false).unwrap();
        assert_eq!(
            image::load_from_memory(&colour)
                .unwrap()
                .to_rgb8()
                .into_raw(),
            grey.data
        );
    }

    #[test]
    fn transparency_becomes_white_in_a_jpeg() {
        assert_eq!(
            on_white(&[0, 0, 0, 0, 0, 0, 0, 255, 200, 100, 0, 128]),
            vec![255, 255, 255, 0, 0, 0, 227, 177, 127]
        );
    }

    #[test]
    fn translucent_images_keep_their_alpha_in_a_webp() {
        let pixels = Pixels {
            data: [0, 0, 0, 0, 250, 10, 10, 255].repeat(32),
            width: 8,
            height: 8,
            alpha: true,
        };
        let out = encode(&pixels, Format::Webp).unwrap();
        let img = image::load_from_memory(&out).unwrap();
        assert!(img.color().has_alpha());
    }
}
