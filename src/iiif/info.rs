//! The image information document (`info.json`, Image API 3.0 §5): what a viewer needs to
//! ask for tiles — the full size, the tile size and scale factors, the preferred sizes, the
//! limits, and what we offer beyond level 2.

use super::request::Limits;
use serde_json::{Value, json};

/// The JSON-LD context of the Image API 3.
pub const CONTEXT: &str = "http://iiif.io/api/image/3/context.json";
/// The level-2 profile document, for `Link: <…>;rel="profile"`.
pub const PROFILE_URI: &str = "http://iiif.io/api/image/3/level2.json";
/// The side of our square tiles, in output pixels.
pub const TILE: u32 = 512;
/// Preferred sizes are listed down to this longer side.
const SMALLEST_SIZE: u32 = 64;

/// The document for the image service at `id` (its absolute base URI) of an image `width`
/// × `height` pixels as displayed.
pub fn info_json(id: &str, width: u32, height: u32, limits: &Limits) -> Value {
    json!({
        "@context": CONTEXT,
        "id": id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level2",
        "width": width,
        "height": height,
        "maxWidth": limits.max_width,
        "maxHeight": limits.max_height,
        "maxArea": limits.max_area,
        "sizes": sizes(width, height, limits)
            .into_iter()
            .map(|(w, h)| json!({ "width": w, "height": h }))
            .collect::<Vec<_>>(),
        "tiles": [{ "width": TILE, "height": TILE, "scaleFactors": scale_factors(width, height) }],
        "extraFormats": ["webp"],
        "extraQualities": ["color", "gray", "bitonal"],
        "extraFeatures": ["canonicalLinkHeader", "mirroring", "profileLinkHeader", "sizeUpscaling"],
    })
}

/// Powers of two from 1 up to the first at which the whole image fits in one tile.
pub fn scale_factors(width: u32, height: u32) -> Vec<u32> {
    let longest = width.max(height).max(1);
    let mut factors = vec![1u32];
    while longest.div_ceil(*factors.last().unwrap_or(&1)) > TILE {
        let next = factors.last().copied().unwrap_or(1).saturating_mul(2);
        factors.push(next);
        if next == u32::MAX {
            break;
        }
    }
    factors
}

/// The full image halved again and again (sizes a static server would also have), smallest
/// first, down to about [`SMALLEST_SIZE`] and only within the limits.
pub fn sizes(width: u32, height: u32, limits: &Limits) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut factor = 1u32;
    loop {
        let (w, h) = (width.div_ceil(factor), height.div_ceil(factor));
        let within = w <= limits.max_width
            && h <= limits.max_height
            && u64::from(w) * u64::from(h) <= limits.max_area;
        if within {
            out.push((w, h));
        }
        if w.max(h) <= SMALLEST_SIZE || factor >= 1 << 30 {
            break;
        }
        factor *= 2;
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_width: 16_383,
        max_height: 16_383,
        max_area: 25_000_000,
    };

    #[test]
    fn the_document_has_every_required_field_and_our_extras() {
        let info = info_json("https://example.org/iiif/3/abc", 12_000, 8_000, &LIMITS);
        assert_eq!(info["@context"], CONTEXT);
        assert_eq!(info["id"], "https://example.org/iiif/3/abc");
        assert_eq!(info["type"], "ImageService3");
        assert_eq!(info["protocol"], "http://iiif.io/api/image");
        assert_eq!(info["profile"], "level2");
        assert_eq!(
            (info["width"].as_u64(), info["height"].as_u64()),
            (Some(12_000), Some(8_000))
        );
        assert_eq!(info["maxArea"], 25_000_000);
        assert_eq!(info["extraFormats"], json!(["webp"]));
        let tiles = &info["tiles"][0];
        assert_eq!(tiles["width"], 512);
        assert_eq!(tiles["scaleFactors"], json!([1, 2, 4, 8, 16, 32]));
        let first_key = serde_json::to_string(&info).unwrap();
        assert!(
            first_key.starts_with("{\"@context\""),
            "the context comes first"
        );
    }

    #[test]
    fn scale_factors_stop_when_one_tile_holds_the_image() {
        assert_eq!(scale_factors(512, 100), vec![1]);
        assert_eq!(scale_factors(513, 100), vec![1, 2]);
        assert_eq!(scale_factors(1000, 1000), vec![1, 2]);
        assert_eq!(scale_factors(1, 1), vec![1]);
        assert_eq!(scale_factors(65_535, 3), vec![1, 2, 4, 8, 16, 32, 64, 128]);
    }

    #[test]
    fn sizes_halve_down_to_a_thumbnail_and_respect_the_limits() {
        assert_eq!(
            sizes(1000, 600, &LIMITS),
            vec![(63, 38), (125, 75), (250, 150), (500, 300), (1000, 600)]
        );
        let big = sizes(12_000, 8_000, &LIMITS);
        assert_eq!(
            big.last(),
            Some(&(6000, 4000)),
            "96 MP is over the area limit"
        );
        assert!(
            big.iter()
                .all(|&(w, h)| u64::from(w) * u64::from(h) <= LIMITS.max_area)
        );
        assert_eq!(sizes(10, 10, &LIMITS), vec![(10, 10)]);
    }
}
