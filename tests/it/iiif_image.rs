//! `/iiif/3/{sha256}/…`: the IIIF Image API as a viewer uses it — info.json, regions,
//! sizes, rotations, qualities and formats decoded back to pixels — and every error the
//! spec names, with CORS on all of them. The images are the validator's test grid
//! (`tests/fixtures/iiif`) and pictures made here, imported like any catalogue.

use crate::helpers::{TestApp, TestResponse};
use axum::http::StatusCode;
use std::path::Path;

const GRID: &str =
    "tests/fixtures/iiif/items/iiif-validator-test-image/67352ccc-d1b0-11e1-89ae-279075081939.png";

fn sha256(bytes: &[u8]) -> String {
    edubase::store::Sha256Hex::of(bytes).as_str().to_owned()
}

/// The samples (for their base) plus the validator's grid, and the grid's address.
async fn app_with_grid() -> (TestApp, String) {
    let app = TestApp::with_samples().await;
    let report = app.import(Path::new("tests/fixtures/iiif")).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    (app, sha256(&std::fs::read(GRID).unwrap()))
}

/// Imports one item holding `file` with `status`; returns the file's address.
async fn publish(app: &TestApp, slug: &str, name: &str, file: &[u8], status: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let item = dir.path().join("items").join(slug);
    std::fs::create_dir_all(&item).unwrap();
    std::fs::write(item.join(name), file).unwrap();
    std::fs::write(
        item.join("item.toml"),
        format!(
            "accession = \"T-{slug}\"\ncategory = \"traditional_art\"\nbase = \"banner-heritage-hall\"\n\
             rights = \"https://creativecommons.org/publicdomain/zero/1.0/\"\nstatus = \"{status}\"\n\
             [title]\nzh = \"测试\"\n[[media]]\nfile = \"{name}\"\ncredit = \"test\"\n\
             rights = \"https://creativecommons.org/publicdomain/zero/1.0/\"\n\
             [media.alt]\nzh = \"测试图\"\n"
        ),
    )
    .unwrap();
    let report = app.import(dir.path()).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    sha256(file)
}

async fn fetch(app: &TestApp, url: String) -> TestResponse {
    app.get(&url).await
}

async fn image_at(app: &TestApp, sha: &str, path: String) -> image::DynamicImage {
    decode(&app.get(&format!("/iiif/3/{sha}/{path}")).await)
}

fn decode(r: &TestResponse) -> image::DynamicImage {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    image::load_from_memory(&r.bytes).unwrap_or_else(|e| panic!("not an image: {e}"))
}

/// The colour in the middle of square (column, row) of the grid itself.
fn grid_colour(column: u32, row: u32) -> [u8; 3] {
    let grid = image::open(GRID).unwrap().into_rgb8();
    grid.get_pixel(column * 100 + 50, row * 100 + 50).0
}

fn near(a: [u8; 3], b: [u8; 3], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tolerance)
}

fn cors(r: &TestResponse) {
    assert_eq!(
        r.header("access-control-allow-origin"),
        "*",
        "CORS on {}",
        r.status
    );
    assert_eq!(
        r.header("x-content-type-options"),
        "nosniff",
        "on {}",
        r.status
    );
}

#[tokio::test]
async fn info_json_describes_a_level_2_service_with_its_tiles_and_limits() {
    let (app, sha) = app_with_grid().await;
    let r = app.get(&format!("/iiif/3/{sha}/info.json")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        "application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\""
    );
    cors(&r);
    assert!(
        r.header("link")
            .contains("<http://iiif.io/api/image/3/level2.json>;rel=\"profile\"")
    );
    let info = r.json();
    assert_eq!(info["@context"], "http://iiif.io/api/image/3/context.json");
    assert_eq!(info["id"], format!("http://edubase.test/iiif/3/{sha}"));
    assert_eq!(info["type"], "ImageService3");
    assert_eq!(info["protocol"], "http://iiif.io/api/image");
    assert_eq!(info["profile"], "level2");
    assert_eq!(
        (info["width"].as_u64(), info["height"].as_u64()),
        (Some(1000), Some(1000))
    );
    assert_eq!(info["tiles"][0]["width"], 512);
    assert_eq!(info["tiles"][0]["scaleFactors"], serde_json::json!([1, 2]));
    assert_eq!(info["extraFormats"], serde_json::json!(["webp"]));
    assert!(info["maxArea"].as_u64().unwrap() >= 1_000_000);
    assert!(
        info["sizes"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"width": 1000, "height": 1000}))
    );
    let plain = app
        .get_with(
            &format!("/iiif/3/{sha}/info.json"),
            &[("accept", "application/json")],
        )
        .await;
    assert_eq!(plain.header("content-type"), "application/json");
    let etag = r.header("etag").to_owned();
    let again = app
        .get_with(
            &format!("/iiif/3/{sha}/info.json"),
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let head = app
        .send(
            "HEAD",
            &format!("/iiif/3/{sha}/info.json"),
            &[],
            vec![],
            None,
        )
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.bytes.is_empty());
}

#[tokio::test]
async fn the_base_uri_redirects_to_info_json() {
    let (app, sha) = app_with_grid().await;
    let r = app.get(&format!("/iiif/3/{sha}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), format!("{sha}/info.json"));
    cors(&r);
    let slash = app.get(&format!("/iiif/3/{sha}/")).await;
    assert_eq!(slash.status, StatusCode::SEE_OTHER);
    assert_eq!(slash.header("location"), "info.json");
}

#[tokio::test]
async fn regions_and_sizes_return_the_right_part_at_the_right_size() {
    let (app, sha) = app_with_grid().await;
    let get = |path: String| image_at(&app, &sha, path);
    let full = get("full/max/0/default.jpg".into()).await;
    assert_eq!((full.width(), full.height()), (1000, 1000));
    // Square (column 3, row 7), by pixels and by percent, scaled down.
    for region in ["300,700,100,100", "pct:30,70,10,10"] {
        let part = get(format!("{region}/50,/0/default.png")).await.into_rgb8();
        assert_eq!(part.dimensions(), (50, 50));
        assert!(
            near(part.get_pixel(25, 25).0, grid_colour(3, 7), 2),
            "{region}"
        );
    }
    // Past the edge: cropped to the image.
    let edge = get("950,950,200,200/max/0/default.png".into()).await;
    assert_eq!((edge.width(), edge.height()), (50, 50));
    for (size, expected) in [
        (",250", (250, 250)),
        ("pct:25", (250, 250)),
        ("300,200", (300, 200)),
        ("!300,200", (200, 200)),
        ("^1200,", (1200, 1200)),
        ("^!2000,500", (500, 500)),
    ] {
        let img = get(format!("full/{size}/0/default.jpg")).await;
        assert_eq!((img.width(), img.height()), expected, "{size}");
    }
}

#[tokio::test]
async fn mirroring_rotation_and_qualities_change_the_pixels_as_asked() {
    let (app, sha) = app_with_grid().await;
    let get = |path: &str| fetch(&app, format!("/iiif/3/{sha}/{path}"));
    let top_left = |r: &TestResponse| decode(r).into_rgb8().get_pixel(5, 5).0;
    // 100 px wide: every square is 10 px.
    let mirrored = get("full/100,/!0/default.png").await;
    assert!(near(top_left(&mirrored), grid_colour(9, 0), 3));
    let turned = get("full/100,/90/default.png").await;
    assert!(near(top_left(&turned), grid_colour(0, 9), 3), "clockwise");
    let turned = get("full/100,/!90/default.png").await;
    assert!(
        near(top_left(&turned), grid_colour(9, 9), 3),
        "mirrored, then clockwise"
    );
    let rect = decode(&get("0,0,200,100/max/270/default.png").await);
    assert_eq!((rect.width(), rect.height()), (100, 200));
    let grey = get("full/200,/0/gray.jpg").await;
    assert_eq!(decode(&grey).color(), image::ColorType::L8);
    let grey = decode(&get("full/200,/0/gray.png").await).into_rgb8();
    assert!(grey.pixels().all(|p| p[0] == p[1] && p[1] == p[2]));
    let bitonal = decode(&get("full/200,/0/bitonal.png").await).into_rgb8();
    assert!(bitonal.pixels().all(|p| p.0 == [0; 3] || p.0 == [255; 3]));
    let colour = decode(&get("full/200,/0/color.png").await);
    assert_eq!(colour.color(), image::ColorType::Rgb8);
    let webp = get("full/200,/0/default.webp").await;
    assert_eq!(webp.header("content-type"), "image/webp");
    assert_eq!(decode(&webp).width(), 200);
    assert_eq!(
        get("full/200,/0/default.png").await.header("content-type"),
        "image/png"
    );
}

#[tokio::test]
async fn images_are_immutable_with_etag_links_and_cors() {
    let (app, sha) = app_with_grid().await;
    let url = format!("/iiif/3/{sha}/pct:0,0,100,100/1000,1000/0/default.jpg");
    let r = app.get(&url).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "image/jpeg");
    assert_eq!(
        r.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    cors(&r);
    let link = r.header("link");
    assert!(link.contains("level2.json>;rel=\"profile\""), "{link}");
    assert!(
        link.contains(&format!(
            "<http://edubase.test/iiif/3/{sha}/full/max/0/default.jpg>;rel=\"canonical\""
        )),
        "{link}"
    );
    let etag = r.header("etag").to_owned();
    let again = app.get_with(&url, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.bytes.is_empty());
    cors(&again);
    // Another spelling of the same request is the same entity.
    let same = app
        .get(&format!("/iiif/3/{sha}/full/max/0/default.jpg"))
        .await;
    assert_eq!(same.header("etag"), etag);
    assert_eq!(same.bytes, r.bytes);
    let preflight = app
        .send(
            "OPTIONS",
            &url,
            &[("origin", "https://viewer.example")],
            vec![],
            None,
        )
        .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    cors(&preflight);
}

#[tokio::test]
async fn bad_requests_are_400_and_unoffered_features_501_and_escapes_are_decoded() {
    let (app, sha) = app_with_grid().await;
    for (path, status) in [
        ("nonsense/max/0/default.jpg", 400),
        ("0,0,0,10/max/0/default.jpg", 400),
        ("1000,0,10,10/max/0/default.jpg", 400),
        ("pct:1e309,0,1,1/max/0/default.jpg", 400),
        ("pct:-0,0,1,1/max/0/default.jpg", 400),
        ("full/full/0/default.jpg", 400),
        ("full/1001,/0/default.jpg", 400),
        ("full/pct:101/0/default.jpg", 400),
        ("full/!2000,3000/0/default.jpg", 400),
        ("full/0,/0/default.jpg", 400),
        ("full/^99999999999999999999,/0/default.jpg", 400),
        ("full/^20000,20000/0/default.jpg", 400),
        ("full/max/-90/default.jpg", 400),
        ("full/max/361/default.jpg", 400),
        ("full/max/NaN/default.jpg", 400),
        ("full/max/0/grey.jpg", 400),
        ("full/max/0/default.exe", 400),
        ("full/max/0/default", 400),
        ("full/max/%FF/default.jpg", 400),
        ("%2e%2e/max/0/default.jpg", 400),
        ("..%2F..%2Fetc%2Fpasswd/max/0/default.jpg", 400),
        ("full/max/0/default.jpg%00", 400),
        ("full/%5Emax/0/default.jpg", 200),
        ("pct%3A0,0,50,50/max/0/default.jpg", 200),
        ("full/max/45/default.jpg", 501),
        ("full/max/0/default.tif", 501),
    ] {
        let r = app.get(&format!("/iiif/3/{sha}/{path}")).await;
        assert_eq!(r.status.as_u16(), status, "{path}: {}", r.text());
        cors(&r);
        if status != 200 {
            assert!(
                r.json()["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn unknown_non_image_and_unpublished_media_are_404() {
    let (app, sha) = app_with_grid().await;
    let draft_png = {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(40, 30, image::Rgb([10, 20, 30]))
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap();
        out.into_inner()
    };
    let draft = publish(&app, "iiif-draft", "draft.png", &draft_png, "draft").await;
    // A published recording: public media, but no image.
    let audio = publish(
        &app,
        "iiif-audio",
        "voice.wav",
        &crate::uploads::wav(1),
        "published",
    )
    .await;
    let ids = vec![
        "0".repeat(64),
        sha.to_uppercase(),
        "not-a-hash".to_owned(),
        "[frob]".to_owned(),
        draft,
        audio,
    ];
    for id in &ids {
        for path in [
            format!("/iiif/3/{id}/info.json"),
            format!("/iiif/3/{id}/full/max/0/default.jpg"),
            format!("/iiif/3/{id}"),
        ] {
            let r = app.get(&path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
            cors(&r);
        }
    }
    // An identifier with a slash in it is no identifier of ours.
    let r = app.get("/iiif/3/a/b/full/max/0/default.jpg").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// A JPEG whose EXIF orientation (6: turn clockwise) makes it display 40 wide and 80 tall:
/// red on the stored left half, blue on the right.
fn turned_jpeg() -> Vec<u8> {
    let (w, h) = (80u32, 40u32);
    let rgb: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            if i % w < w / 2 {
                [220, 20, 20]
            } else {
                [20, 20, 220]
            }
        })
        .collect();
    // Little-endian TIFF with one IFD entry: Orientation = 6.
    let mut exif = b"II\x2A\x00\x08\x00\x00\x00\x01\x00".to_vec();
    exif.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
    exif.extend_from_slice(&[0; 4]);
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder.add_exif_metadata(&exif).unwrap();
    encoder
        .encode(&rgb, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

#[tokio::test]
async fn sizes_and_regions_are_of_the_upright_image_whatever_its_exif_orientation() {
    let app = TestApp::with_samples().await;
    let sha = publish(
        &app,
        "iiif-turned",
        "turned.jpg",
        &turned_jpeg(),
        "published",
    )
    .await;
    let info = app.get(&format!("/iiif/3/{sha}/info.json")).await.json();
    assert_eq!(
        (info["width"].as_u64(), info["height"].as_u64()),
        (Some(40), Some(80))
    );
    // Turned clockwise, the stored left half (red) is the upright top half.
    let top = decode(
        &app.get(&format!("/iiif/3/{sha}/0,0,40,40/max/0/default.png"))
            .await,
    )
    .into_rgb8();
    assert_eq!(top.dimensions(), (40, 40));
    assert!(
        near(top.get_pixel(20, 20).0, [220, 20, 20], 12),
        "{:?}",
        top.get_pixel(20, 20)
    );
    let bottom = decode(
        &app.get(&format!("/iiif/3/{sha}/0,40,40,40/10,/0/default.png"))
            .await,
    )
    .into_rgb8();
    assert!(
        near(bottom.get_pixel(5, 5).0, [20, 20, 220], 12),
        "{:?}",
        bottom.get_pixel(5, 5)
    );
}

#[tokio::test]
async fn a_damaged_original_is_a_clear_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::at(dir.path()).await;
    app.import(Path::new("exhibits")).await;
    let good = turned_jpeg();
    let sha = publish(&app, "iiif-fine", "fine.jpg", &good, "published").await;
    // The file on disk is damaged behind the server's back: it no longer ends.
    let file = crate::helpers::original_file(dir.path(), &sha);
    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&file, perms).unwrap();
    std::fs::write(&file, &good[..good.len() / 2]).unwrap();
    let r = app
        .get(&format!("/iiif/3/{sha}/full/max/0/default.jpg"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    cors(&r);
    assert!(r.text().contains("cut short"), "{}", r.text());
}
