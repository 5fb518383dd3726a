//! Every parameter form of §4, the spec's own examples, hostile input, and two properties:
//! parsing never panics, and whatever resolves lies inside the image and the limits.

use super::*;
use proptest::prelude::*;

const LIMITS: Limits = Limits {
    max_width: 4000,
    max_height: 4000,
    max_area: 4_000_000,
};

fn parse(path: &str) -> Result<ImageRequest, RequestError> {
    let p: Vec<&str> = path.split('/').collect();
    assert_eq!(p.len(), 4, "{path}");
    ImageRequest::parse(p[0], p[1], p[2], p[3])
}

fn resolve(path: &str, w: u32, h: u32) -> Result<Resolved, RequestError> {
    parse(path)?.resolve(w, h, &LIMITS)
}

/// `(x, y, w, h)` of the region and the output size.
fn sizes(path: &str, w: u32, h: u32) -> ((u32, u32, u32, u32), (u32, u32)) {
    let r = resolve(path, w, h).unwrap_or_else(|e| panic!("{path}: {e}"));
    let g = r.region;
    ((g.x, g.y, g.width, g.height), r.output_size())
}

fn is_400(r: Result<impl std::fmt::Debug, RequestError>) -> bool {
    matches!(
        r,
        Err(RequestError::Malformed { .. } | RequestError::Impossible(_))
    )
}

#[test]
fn the_specs_region_examples_give_its_numbers() {
    // §4.1, on its 300×200 example image.
    assert_eq!(
        sizes("full/max/0/default.jpg", 300, 200).0,
        (0, 0, 300, 200)
    );
    assert_eq!(
        sizes("square/max/0/default.jpg", 300, 200).0,
        (50, 0, 200, 200)
    );
    assert_eq!(
        sizes("125,15,120,140/max/0/default.jpg", 300, 200).0,
        (125, 15, 120, 140)
    );
    assert_eq!(
        sizes("pct:41.6,7.5,40,70/max/0/default.jpg", 300, 200).0,
        (125, 15, 120, 140)
    );
    // Beyond the edge: cropped, "returned image is 175,185 px".
    assert_eq!(
        sizes("125,15,200,200/max/0/default.jpg", 300, 200).1,
        (175, 185)
    );
    assert_eq!(
        sizes("pct:41.6,7.5,66.6,100/max/0/default.jpg", 300, 200).1,
        (175, 185)
    );
}

#[test]
fn the_specs_size_examples_give_its_numbers() {
    // §4.2, on the 300×200 image.
    assert_eq!(sizes("full/150,/0/default.jpg", 300, 200).1, (150, 100));
    assert_eq!(sizes("full/,150/0/default.jpg", 300, 200).1, (225, 150));
    assert_eq!(sizes("full/pct:50/0/default.jpg", 300, 200).1, (150, 100));
    assert_eq!(sizes("full/225,100/0/default.jpg", 300, 200).1, (225, 100));
    assert_eq!(sizes("full/!225,100/0/default.jpg", 300, 200).1, (150, 100));
    assert_eq!(
        sizes("full/^!360,360/0/default.jpg", 300, 200).1,
        (360, 240)
    );
    assert_eq!(sizes("full/^360,/0/default.jpg", 300, 200).1, (360, 240));
    assert_eq!(sizes("full/^,240/0/default.jpg", 300, 200).1, (360, 240));
    assert_eq!(sizes("full/^pct:120/0/default.jpg", 300, 200).1, (360, 240));
    assert_eq!(sizes("full/^360,360/0/default.jpg", 300, 200).1, (360, 360));
    assert_eq!(sizes("full/max/0/default.jpg", 300, 200).1, (300, 200));
}

#[test]
fn max_obeys_the_limits_and_caret_max_grows_to_them() {
    // 12000×8000 is 96 MP; the limits allow 4 MP.
    let (_, (w, h)) = sizes("full/max/0/default.jpg", 12000, 8000);
    assert!(
        u64::from(w) * u64::from(h) <= LIMITS.max_area && w <= 4000,
        "{w}×{h}"
    );
    assert!(w >= 2440 && h >= 1626, "as large as allowed: {w}×{h}");
    let (_, (w, h)) = sizes("full/^max/0/default.jpg", 100, 50);
    assert_eq!(w, 2828, "the area limit binds: {w}×{h}");
    assert!(u64::from(w) * u64::from(h) <= LIMITS.max_area);
    assert_eq!(sizes("full/^max/0/default.jpg", 1000, 1000).1, (2000, 2000));
}

#[test]
fn enlarging_without_a_caret_is_refused() {
    for size in [
        "1001,",
        ",1001",
        "pct:100.1",
        "1001,10",
        "!2000,3000",
        "1100,1100",
    ] {
        let path = format!("full/{size}/0/default.jpg");
        assert!(
            matches!(resolve(&path, 1000, 1000), Err(RequestError::Impossible(_))),
            "{path}"
        );
    }
    // The validator's upscaling cases, with ^.
    assert_eq!(
        sizes("full/^!2000,500/0/default.jpg", 1000, 1000).1,
        (500, 500)
    );
    assert_eq!(
        sizes("full/^!2000,3000/0/default.jpg", 1000, 1000).1,
        (2000, 2000)
    );
    assert_eq!(
        sizes("full/^pct:200/0/default.jpg", 1000, 1000).1,
        (2000, 2000)
    );
    // Smaller than the region is fine without a caret.
    assert_eq!(
        sizes("full/!500,300/0/default.jpg", 1000, 1000).1,
        (300, 300)
    );
}

#[test]
fn empty_outside_and_oversized_requests_are_impossible() {
    for path in [
        "0,0,0,10/max/0/default.jpg",
        "0,0,10,0/max/0/default.jpg",
        "1000,0,10,10/max/0/default.jpg",
        "0,1000,10,10/max/0/default.jpg",
        "pct:100,0,10,10/max/0/default.jpg",
        "pct:0,0,0,10/max/0/default.jpg",
        "full/0,/0/default.jpg",
        "full/,0/0/default.jpg",
        "full/pct:0/0/default.jpg",
        "full/pct:0.01/0/default.jpg",
        "full/^5000,10/0/default.jpg",
        "full/^3000,3000/0/default.jpg",
        "full/^99999999999999999999,/0/default.jpg",
        "99999999999999999999,0,1,1/max/0/default.jpg",
    ] {
        assert!(
            matches!(resolve(path, 1000, 1000), Err(RequestError::Impossible(_))),
            "{path}: {:?}",
            resolve(path, 1000, 1000)
        );
    }
    // A huge width is just "to the edge".
    assert_eq!(
        sizes(
            "10,10,99999999999999999999,20/max/0/default.jpg",
            1000,
            1000
        )
        .0,
        (10, 10, 990, 20)
    );
    // A tiny but non-zero percentage is at least one pixel.
    assert_eq!(
        sizes("pct:0,0,0.01,0.01/max/0/default.jpg", 1000, 1000).0,
        (0, 0, 1, 1)
    );
}

#[test]
fn rotations_by_quarter_turns_and_mirroring_are_understood() {
    let rot = |s| parse(&format!("full/max/{s}/default.jpg")).map(|r| r.rotation);
    let turn = |mirror, quarter_turns| {
        Ok(Rotation {
            mirror,
            quarter_turns,
        })
    };
    assert_eq!(rot("0"), turn(false, 0));
    assert_eq!(rot("90"), turn(false, 1));
    assert_eq!(rot("180.0"), turn(false, 2));
    assert_eq!(rot("270"), turn(false, 3));
    assert_eq!(rot("360"), turn(false, 0));
    assert_eq!(rot("!0"), turn(true, 0));
    assert_eq!(rot("!270"), turn(true, 3));
    assert_eq!(sizes("full/max/90/default.jpg", 300, 200).1, (200, 300));
    for arbitrary in ["45", "22.5", "!1", "359.9"] {
        assert!(
            matches!(rot(arbitrary), Err(RequestError::Unsupported(_))),
            "{arbitrary}"
        );
    }
    for bad in [
        "-90", "361", "-0", "+90", "1e2", "NaN", "inf", "", "!", "!!90", "90!", "9 0",
    ] {
        assert!(
            matches!(rot(bad), Err(RequestError::Malformed { .. })),
            "{bad:?}"
        );
    }
}

#[test]
fn qualities_and_formats_are_a_closed_list() {
    for (q, quality) in [
        ("default", Quality::Default),
        ("color", Quality::Color),
        ("gray", Quality::Gray),
        ("bitonal", Quality::Bitonal),
    ] {
        assert_eq!(
            parse(&format!("full/max/0/{q}.png")).unwrap().quality,
            quality
        );
    }
    for (f, format) in [
        ("jpg", Format::Jpg),
        ("png", Format::Png),
        ("webp", Format::Webp),
    ] {
        assert_eq!(
            parse(&format!("full/max/0/default.{f}")).unwrap().format,
            format
        );
    }
    for bad in [
        "grey.jpg",
        "Default.jpg",
        "default.JPG",
        "default",
        "default.",
        ".jpg",
        "default.jpeg",
        "gray.jpg.png",
        "color.exe",
    ] {
        assert!(is_400(parse(&format!("full/max/0/{bad}"))), "{bad}");
    }
    for offered_elsewhere in ["tif", "gif", "jp2", "pdf"] {
        assert!(matches!(
            parse(&format!("full/max/0/default.{offered_elsewhere}")),
            Err(RequestError::Unsupported(_))
        ));
    }
}

#[test]
fn hostile_parameters_are_malformed_not_panics() {
    for region in [
        "",
        "ful",
        "FULL",
        "1,2,3",
        "1,2,3,4,5",
        "-1,0,10,10",
        "1.5,0,10,10",
        "pct:1e309,0,1,1",
        "pct:-0,0,1,1",
        "pct:NaN,0,1,1",
        "pct:inf,0,1,1",
        "pct:,,,",
        "pct:1..2,0,1,1",
        "..",
        "%2e%2e",
        "0,0,10,10 ",
        "0x10,0,1,1",
        "pct:0,0,1,1,",
        "１,2,3,4",
    ] {
        assert!(
            is_400(parse(&format!("{region}/max/0/default.jpg"))),
            "{region:?}"
        );
    }
    for size in [
        "",
        "full",
        "Max",
        "^",
        "^^max",
        ",",
        "!,",
        "!10,",
        "!,10",
        "pct:",
        "pct:-5",
        "pct:1e3",
        "10,10,10",
        "^!",
        "!^10,10",
        "-10,",
        "10.5,",
        "pct:1e309",
    ] {
        assert!(
            is_400(parse(&format!("full/{size}/0/default.jpg"))),
            "{size:?}"
        );
    }
    // Digits beyond any float still parse as finite numbers, or are refused.
    let huge = format!("pct:{}", "9".repeat(400));
    assert!(is_400(parse(&format!("full/{huge}/0/default.jpg"))));
    assert!(is_400(parse(&format!("{huge},0,1,1/max/0/default.jpg"))));
}

#[test]
fn the_canonical_form_is_the_specs() {
    let canonical = |path: &str| resolve(path, 300, 200).unwrap().canonical(300, 200);
    assert_eq!(
        canonical("full/max/0/default.jpg"),
        "full/max/0/default.jpg"
    );
    assert_eq!(
        canonical("pct:0,0,100,100/300,200/0/default.jpg"),
        "full/max/0/default.jpg"
    );
    assert_eq!(
        canonical("square/pct:50/!90/gray.png"),
        "50,0,200,200/100,100/!90/gray.png"
    );
    assert_eq!(
        canonical("full/^600,/0/color.webp"),
        "full/^600,400/0/color.webp"
    );
    assert_eq!(
        canonical("full/^max/0/default.jpg"),
        "full/^max/0/default.jpg"
    );
}

fn limits_strategy() -> impl Strategy<Value = Limits> {
    (1u32..5000, 1u32..5000, 1u64..30_000_000).prop_map(|(w, h, a)| Limits {
        max_width: w,
        max_height: h,
        max_area: a,
    })
}

proptest! {
    #[test]
    fn parsing_never_panics(region in ".{0,40}", size in ".{0,30}", rotation in ".{0,12}",
                            qf in ".{0,16}") {
        let _ = ImageRequest::parse(&region, &size, &rotation, &qf);
    }

    #[test]
    fn parsing_plausible_parts_never_panics(
        region in "(full|square|(pct:)?[0-9.]{0,25},[0-9.]{0,25},[0-9.]{0,25},[0-9.]{0,25})",
        size in "\\^?(max|pct:[0-9.]{0,30}|!?[0-9]{0,25},[0-9]{0,25})",
        rotation in "!?[0-9.]{0,12}",
    ) {
        let _ = ImageRequest::parse(&region, &size, &rotation, "default.jpg");
    }

    #[test]
    fn whatever_resolves_is_inside_the_image_and_the_limits(
        region in "(full|square|(pct:)?[0-9]{1,4}(\\.[0-9])?,[0-9]{1,4},[0-9]{1,5},[0-9]{1,5})",
        size in "\\^?(max|pct:[0-9]{1,3}(\\.[0-9]{1,2})?|!?[0-9]{1,5},[0-9]{1,5}|[0-9]{1,5},|,[0-9]{1,5})",
        turns in 0u8..4,
        width in 1u32..20_000, height in 1u32..20_000,
        limits in limits_strategy(),
    ) {
        let Ok(request) = ImageRequest::parse(&region, &size, &format!("{}", u32::from(turns) * 90), "default.jpg") else {
            return Ok(());
        };
        if let Ok(r) = request.resolve(width, height, &limits) {
            let g = r.region;
            prop_assert!(g.width >= 1 && g.height >= 1);
            prop_assert!(u64::from(g.x) + u64::from(g.width) <= u64::from(width));
            prop_assert!(u64::from(g.y) + u64::from(g.height) <= u64::from(height));
            prop_assert!(r.width >= 1 && r.height >= 1);
            prop_assert!(r.width <= limits.max_width && r.height <= limits.max_height);
            prop_assert!(u64::from(r.width) * u64::from(r.height) <= limits.max_area);
            if !request.size.upscale {
                prop_assert!(r.width <= g.width && r.height <= g.height);
            }
        }
    }
}
