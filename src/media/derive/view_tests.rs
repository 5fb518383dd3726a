//! Views of test images whose content is known: four coloured quadrants, so that cropping,
//! EXIF orientation, mirroring and turning each show where every part went.

use super::*;
use crate::media::derive::fixtures;

const RED: [u8; 3] = [220, 30, 30];
const GREEN: [u8; 3] = [30, 200, 40];
const BLUE: [u8; 3] = [30, 40, 210];
const WHITE: [u8; 3] = [250, 250, 250];

/// `width × height` pixels: red top left, green top right, blue bottom left, white bottom
/// right.
fn quadrants(width: u32, height: u32) -> Vec<u8> {
    (0..height)
        .flat_map(|y| {
            (0..width).flat_map(move |x| match (x < width / 2, y < height / 2) {
                (true, true) => RED,
                (false, true) => GREEN,
                (true, false) => BLUE,
                (false, false) => WHITE,
            })
        })
        .collect()
}

fn png(rgb: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_raw(width, height, rgb.to_vec())
        .unwrap()
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

fn view(region: (u32, u32, u32, u32), size: (u32, u32)) -> View {
    View {
        region: Crop {
            x: region.0,
            y: region.1,
            width: region.2,
            height: region.3,
        },
        width: size.0,
        height: size.1,
        mirror: false,
        quarter_turns: 0,
        tone: Tone::Colour,
        encoding: Encoding::Png,
    }
}

fn make(input: &[u8], v: &View) -> image::RgbImage {
    let limits = Limits::default();
    let out = match plan(input, v).unwrap() {
        Plan::Window => render(Source::File(input), v, &limits),
        Plan::Whole(n) => render(
            Source::Decoded(&decode_whole(input, n, &limits).unwrap()),
            v,
            &limits,
        ),
    }
    .unwrap();
    let img = image::load_from_memory(&out.bytes).unwrap().into_rgb8();
    assert_eq!((img.width(), img.height()), (out.width, out.height));
    img
}

fn near(p: &image::Rgb<u8>, c: [u8; 3]) -> bool {
    p.0.iter().zip(c).all(|(a, b)| a.abs_diff(b) <= 12)
}

#[test]
fn a_jpeg_window_is_what_the_whole_decode_shows_there() {
    let (w, h) = (640, 480);
    let file = fixtures::jpeg(&fixtures::photo(w, h), w, h, &[]);
    let whole = decode_whole(&file, 8, &Limits::default()).unwrap();
    for (region, size) in [
        ((0, 0, 640, 480), (640, 480)),
        ((100, 50, 300, 200), (300, 200)),
        ((101, 53, 301, 203), (150, 101)),
        ((600, 400, 40, 80), (10, 20)),
        ((512, 0, 128, 480), (64, 240)),
    ] {
        let v = view(region, size);
        assert_eq!(plan(&file, &v).unwrap(), Plan::Window, "{region:?}");
        let from_window = render(Source::File(&file), &v, &Limits::default()).unwrap();
        let from_whole = render(Source::Decoded(&whole), &v, &Limits::default()).unwrap();
        let a = image::load_from_memory(&from_window.bytes)
            .unwrap()
            .into_rgb8();
        let b = image::load_from_memory(&from_whole.bytes)
            .unwrap()
            .into_rgb8();
        assert_eq!(a.dimensions(), b.dimensions());
        let worst = a.iter().zip(b.iter()).map(|(x, y)| x.abs_diff(*y)).max();
        assert!(worst <= Some(12), "{region:?} → {size:?}: off by {worst:?}");
    }
}

#[test]
fn small_views_of_a_jpeg_come_from_a_whole_eighth_and_pngs_from_a_whole_decode() {
    let file = fixtures::jpeg(&fixtures::photo(640, 480), 640, 480, &[]);
    assert_eq!(
        plan(&file, &view((0, 0, 640, 480), (80, 60))).unwrap(),
        Plan::Whole(1)
    );
    assert_eq!(
        plan(&file, &view((0, 0, 640, 480), (81, 61))).unwrap(),
        Plan::Window
    );
    let p = png(&quadrants(8, 8), 8, 8);
    assert_eq!(
        plan(&p, &view((0, 0, 8, 8), (8, 8))).unwrap(),
        Plan::Whole(8)
    );
}

#[test]
fn regions_of_a_png_are_cut_exactly() {
    let p = png(&quadrants(100, 60), 100, 60);
    let top_right = make(&p, &view((50, 0, 50, 30), (50, 30)));
    assert!(top_right.pixels().all(|px| px.0 == GREEN));
    let bottom = make(&p, &view((0, 30, 100, 30), (20, 6)));
    assert!(near(bottom.get_pixel(2, 3), BLUE) && near(bottom.get_pixel(17, 3), WHITE));
}

#[test]
fn regions_are_taken_from_the_upright_image_whatever_the_exif_orientation() {
    // Stored 80×40; EXIF 6 shows it turned clockwise: 40 wide, 80 tall, with the stored
    // bottom-left (blue) at the top left.
    let file = fixtures::jpeg(
        &quadrants(80, 40),
        80,
        40,
        &[fixtures::Segment::Exif(fixtures::exif(6))],
    );
    let all = make(&file, &view((0, 0, 40, 80), (40, 80)));
    assert!(near(all.get_pixel(5, 5), BLUE), "{:?}", all.get_pixel(5, 5));
    assert!(near(all.get_pixel(35, 5), RED));
    assert!(near(all.get_pixel(5, 75), WHITE));
    assert!(near(all.get_pixel(35, 75), GREEN));
    let top_left = make(&file, &view((0, 0, 20, 40), (20, 40)));
    assert!(top_left.pixels().filter(|p| near(p, BLUE)).count() > 700);
}

#[test]
fn mirroring_comes_before_turning_and_tones_are_grey_or_black_and_white() {
    let p = png(&quadrants(100, 60), 100, 60);
    let mut v = view((0, 0, 100, 60), (100, 60));
    v.mirror = true;
    let mirrored = make(&p, &v);
    assert_eq!(mirrored.get_pixel(0, 0).0, GREEN);
    v.quarter_turns = 1;
    // Mirrored (green top left, red top right), then turned clockwise: 60 wide, and the
    // bottom-left (white) comes to the top left.
    let turned = make(&p, &v);
    assert_eq!(turned.dimensions(), (60, 100));
    assert_eq!(turned.get_pixel(0, 0).0, WHITE);
    assert_eq!(turned.get_pixel(59, 0).0, GREEN);
    let mut g = view((0, 0, 100, 60), (100, 60));
    g.tone = Tone::Grey;
    assert!(
        make(&p, &g)
            .pixels()
            .all(|px| px[0] == px[1] && px[1] == px[2])
    );
    g.tone = Tone::Bitonal;
    let bw = make(&p, &g);
    assert!(bw.pixels().all(|px| px.0 == [0; 3] || px.0 == [255; 3]));
    assert_eq!(bw.get_pixel(99, 59).0, [255; 3], "white stays white");
    assert_eq!(bw.get_pixel(0, 59).0, [0; 3], "blue is dark");
}

#[test]
fn enlarging_and_every_encoding_work() {
    let p = png(&quadrants(10, 10), 10, 10);
    for encoding in [Encoding::Jpeg, Encoding::Png, Encoding::Webp] {
        let mut v = view((0, 0, 10, 10), (40, 40));
        v.encoding = encoding;
        let img = make(&p, &v);
        assert_eq!(img.dimensions(), (40, 40), "{encoding:?}");
        assert!(near(img.get_pixel(3, 3), RED), "{encoding:?}");
    }
}

#[test]
fn a_view_outside_the_image_is_an_error_not_a_panic() {
    let file = fixtures::jpeg(&fixtures::photo(64, 48), 64, 48, &[]);
    let v = view((60, 0, 10, 10), (10, 10));
    assert!(render(Source::File(&file), &v, &Limits::default()).is_err());
    let whole = decode_whole(&file, 8, &Limits::default()).unwrap();
    assert!(render(Source::Decoded(&whole), &v, &Limits::default()).is_err());
}
