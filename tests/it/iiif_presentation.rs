//! IIIF Presentation 3.0: an item's Manifest with image, sound and video canvases and its
//! WebVTT tracks as supplementing annotations; an exhibition's Collection in stop order;
//! nothing for what is not public; discovery links on the pages and in the API.

use crate::helpers::{TestApp, TestResponse};
use crate::uploads::{multipart, wav};
use axum::http::StatusCode;
use edubase::accounts::types::Role;
use serde_json::{Value, json};

const PROFILE: &str =
    "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\"";
const SITE: &str = "http://edubase.test";
/// Kept by the banner hall, with one photograph (960 × 540).
const ITEM: &str = "morin-khuur-music";
/// A 2-second 320 × 180 H.264/AAC film of ffmpeg's test pattern (made with `ffmpeg -f lavfi
/// -i testsrc=size=320x180:rate=10:duration=2 -f lavfi -i sine … -c:v libx264 -c:a aac`).
const CLIP: &[u8] = include_bytes!("../iiif/clip.mp4");

/// A curator of the banner hall adds a film and a recording to the item, with WebVTT tracks
/// (Chinese and Mongolian captions and English subtitles on the film, Chinese captions on
/// the recording).
/// Returns the films' and the recording's SHA-256.
async fn add_film_and_recording(app: &TestApp) -> (String, String) {
    app.add_user("curator", Role::Curator, &["banner-heritage-hall"])
        .await;
    let cookie = app.sign_in("curator").await;
    let csrf = app.csrf(&cookie).await;
    let mut stored = Vec::new();
    for (name, bytes) in [("clip.mp4", CLIP.to_vec()), ("tale.wav", wav(3))] {
        let (content_type, body) = multipart(name, &bytes, &[("alt_zh", "测试")]);
        let r = app
            .send(
                "POST",
                &format!("/api/v1/items/{ITEM}/media"),
                &[
                    ("cookie", &cookie),
                    ("x-csrf-token", &csrf),
                    ("content-type", &content_type),
                ],
                body,
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{name}: {}", r.text());
        stored.push(r.json()["media"][0].clone());
    }
    let tracks = [
        (0, "zh", "captions", "很久很久以前"),
        (0, "en", "subtitles", "Long, long ago"),
        (0, "mn", "captions", "ᠮᠣᠩᠭᠣᠯ"),
        (1, "zh", "captions", "草原上"),
    ];
    for (index, lang, kind, words) in tracks {
        let id = stored[index]["id"].as_i64().unwrap();
        let r = app
            .send(
                "PUT",
                &format!("/api/v1/media/{id}/tracks/{lang}/{kind}"),
                &[
                    ("cookie", &cookie),
                    ("x-csrf-token", &csrf),
                    ("content-type", "text/vtt"),
                ],
                format!("WEBVTT\n\n00:00.000 --> 00:01.000\n{words}").into_bytes(),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let sha = |i: usize| stored[i]["sha256"].as_str().unwrap().to_owned();
    (sha(0), sha(1))
}

fn painting_body(canvas: &Value) -> &Value {
    &canvas["items"][0]["items"][0]["body"]
}

/// (language, body URL) of a canvas's supplementing annotations.
fn supplements(canvas: &Value) -> Vec<(String, String)> {
    canvas["annotations"][0]["items"]
        .as_array()
        .map(|notes| {
            notes
                .iter()
                .inspect(|n| {
                    assert_eq!(n["motivation"], "supplementing");
                    assert_eq!(n["target"], canvas["id"]);
                    assert_eq!(n["body"]["type"], "Text");
                    assert_eq!(n["body"]["format"], "text/vtt");
                })
                .map(|n| {
                    let body = &n["body"];
                    (
                        body["language"].as_str().unwrap().to_owned(),
                        body["id"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn assert_iiif_headers(r: &TestResponse) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("content-type"), PROFILE);
    assert_eq!(r.header("access-control-allow-origin"), "*");
    assert!(
        r.header("cache-control").contains("max-age="),
        "short cache"
    );
    assert!(r.header("etag").starts_with("W/\""), "{}", r.header("etag"));
}

#[tokio::test]
async fn an_items_manifest_has_a_canvas_per_image_recording_and_film_with_their_tracks() {
    let app = TestApp::with_samples().await;
    let (film, recording) = add_film_and_recording(&app).await;
    let url = format!("/iiif/3/items/{ITEM}/manifest");
    let r = app.get(&url).await;
    assert_iiif_headers(&r);
    let m = r.json();
    let id = format!("{SITE}{url}");
    assert_eq!(
        m["@context"],
        "http://iiif.io/api/presentation/3/context.json"
    );
    assert_eq!((&m["id"], &m["type"]), (&json!(id), &json!("Manifest")));
    assert_eq!(
        m["label"],
        json!({ "zh-Hans": ["马头琴音乐"], "en": ["Morin khuur music"] }),
        "a language map with only the languages that have a title"
    );
    assert!(
        m["summary"]["zh-Hans"][0]
            .as_str()
            .unwrap()
            .contains("马头琴")
    );
    let metadata = m["metadata"].as_array().unwrap();
    assert!(metadata.contains(&json!({
        "label": { "zh-Hans": ["馆藏号"], "en": ["Accession number"] },
        "value": { "none": ["KZH-0005"] },
    })));
    assert!(metadata.contains(&json!({
        "label": { "zh-Hans": ["保护级别"], "en": ["Protection level"] },
        "value": { "zh-Hans": ["国家级"], "en": ["National"] },
    })));
    assert_eq!(
        m["rights"],
        "http://creativecommons.org/publicdomain/zero/1.0/"
    );
    assert!(
        m["requiredStatement"]["value"]["none"][0]
            .as_str()
            .unwrap()
            .contains("Suragch / studymongolian.net")
    );
    assert_eq!(
        m["provider"][0]["homepage"][0]["id"],
        format!("{SITE}/bases/banner-heritage-hall")
    );
    assert_eq!(m["homepage"][0]["id"], format!("{SITE}/items/{ITEM}"));
    assert_eq!(m["seeAlso"][0]["id"], format!("{SITE}/api/v1/items/{ITEM}"));
    let thumb = &m["thumbnail"][0];
    assert_eq!(
        (thumb["width"].as_i64(), thumb["height"].as_i64()),
        (Some(400), Some(225))
    );
    let thumb_path = thumb["id"].as_str().unwrap().strip_prefix(SITE).unwrap();
    assert_eq!(
        app.get(thumb_path).await.status,
        StatusCode::OK,
        "the thumbnail exists"
    );

    let canvases = m["items"].as_array().unwrap();
    let kinds: Vec<&Value> = canvases.iter().map(|c| &painting_body(c)["type"]).collect();
    assert_eq!(
        kinds,
        ["Image", "Video", "Sound"],
        "one canvas per file, in order"
    );
    let image = &canvases[0];
    assert_eq!(
        (image["width"].as_i64(), image["height"].as_i64()),
        (Some(960), Some(540))
    );
    let service = &painting_body(image)["service"][0];
    let sha = service["id"].as_str().unwrap().rsplit('/').next().unwrap();
    assert_eq!(sha.len(), 64);
    assert_eq!(
        service,
        &json!({ "id": format!("{SITE}/iiif/3/{sha}"), "type": "ImageService3", "profile": "level2" })
    );
    assert!(supplements(image).is_empty());

    let video = &canvases[1];
    assert_eq!(
        video["duration"], 2.046,
        "the container's duration, in seconds"
    );
    assert_eq!(
        (video["width"].as_i64(), video["height"].as_i64()),
        (Some(320), Some(180))
    );
    let body = painting_body(video);
    assert_eq!(
        (&body["format"], &body["width"]),
        (&json!("video/mp4"), &json!(320))
    );
    assert_eq!(body["id"], format!("{SITE}/media/{film}/original"));
    let mut tracks = supplements(video);
    tracks.sort();
    assert_eq!(
        tracks,
        [
            ("en".into(), format!("{SITE}/media/{film}/subtitles.en.vtt")),
            (
                "mn-Mong".into(),
                format!("{SITE}/media/{film}/captions.mn.vtt")
            ),
            (
                "zh-Hans".into(),
                format!("{SITE}/media/{film}/captions.zh.vtt")
            ),
        ]
    );
    // Players draw Mongolian captions in columns; the others as they were written.
    let mn = app
        .get(&format!("/media/{film}/captions.mn.vtt"))
        .await
        .text();
    assert!(mn.contains("00:01.000 vertical:lr\nᠮᠣᠩᠭᠣᠯ"), "{mn}");
    let zh = app
        .get(&format!("/media/{film}/captions.zh.vtt"))
        .await
        .text();
    assert!(!zh.contains("vertical"), "{zh}");

    let sound = &canvases[2];
    assert_eq!(sound["duration"], 3.0);
    assert!(
        sound.get("width").is_none(),
        "a recording has no picture size"
    );
    assert_eq!(painting_body(sound)["format"], "audio/wav");
    let notes = supplements(sound);
    assert_eq!(
        notes,
        [(
            "zh-Hans".to_owned(),
            format!("{SITE}/media/{recording}/captions.zh.vtt")
        )]
    );
    let vtt = app.get(notes[0].1.strip_prefix(SITE).unwrap()).await;
    assert_eq!(vtt.status, StatusCode::OK);
    assert!(
        vtt.text().contains("草原上"),
        "the annotation's body is the track itself"
    );

    // Unchanged, the manifest is not sent again; a change gives a new ETag.
    let etag = r.header("etag").to_owned();
    let again = app.get_with(&url, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(again.header("access-control-allow-origin"), "*");
    assert!(again.bytes.is_empty());
    let other = app
        .get_with("/iiif/3/items/ovoo/manifest", &[("if-none-match", &etag)])
        .await;
    assert_eq!(
        other.status,
        StatusCode::OK,
        "another item's manifest is not this one"
    );
}

#[tokio::test]
async fn drafts_archived_and_unknown_records_have_no_iiif_documents() {
    let app = TestApp::with_samples().await;
    let dir = tempfile::tempdir().unwrap();
    crate::import::write_draft_item(dir.path());
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "items/old-saddle/item.toml",
        "accession = \"OLD-1\"\nstatus = \"archived\"\ncategory = \"traditional_craft\"\n\
         base = \"test-hall\"\nrights = \"https://creativecommons.org/publicdomain/zero/1.0/\"\n\
         [title]\nzh = \"旧马鞍\"\n",
    );
    write(
        "exhibitions/draft-show.toml",
        "base = \"banner-heritage-hall\"\nstatus = \"draft\"\n[title]\nzh = \"草稿展览\"\n\
         [[stops]]\nitem = \"ovoo\"\n",
    );
    let report = app.import(dir.path()).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    for path in [
        "/iiif/3/items/draft-saddle/manifest",
        "/iiif/3/items/old-saddle/manifest",
        "/iiif/3/items/no-such-item/manifest",
        "/iiif/3/items/Not..A..Slug/manifest",
        "/iiif/3/exhibitions/draft-show/collection",
        "/iiif/3/exhibitions/no-such-show/collection",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            r.header("access-control-allow-origin"),
            "*",
            "{path}: CORS on the 404"
        );
        assert_eq!(r.json()["code"], "not_found", "{path}");
    }
    // The published records beside them do have documents.
    assert_eq!(
        app.get("/iiif/3/items/ovoo/manifest").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_exhibitions_collection_lists_its_stops_manifests_in_order() {
    let app = TestApp::with_samples().await;
    let url = "/iiif/3/exhibitions/voices-of-horqin/collection";
    let r = app.get(url).await;
    assert_iiif_headers(&r);
    let c = r.json();
    assert_eq!(
        (&c["id"], &c["type"]),
        (&json!(format!("{SITE}{url}")), &json!("Collection"))
    );
    assert_eq!(
        c["label"]["en"],
        json!(["Voices of Horqin: storytelling, epic and song"])
    );
    assert_eq!(c["provider"][0]["type"], "Agent");
    let stops = app.get("/api/v1/exhibitions/voices-of-horqin").await.json()["stops"].clone();
    let expected: Vec<String> = stops
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{SITE}/iiif/3/items/{}/manifest",
                s["item"]["slug"].as_str().unwrap()
            )
        })
        .collect();
    let members = c["items"].as_array().unwrap();
    let ids: Vec<&str> = members.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids, expected);
    assert_eq!(ids.len(), 7);
    assert!(
        ids[0].ends_with("/items/urliger/manifest"),
        "the path begins with the storyteller"
    );
    for m in members {
        assert_eq!(m["type"], "Manifest");
        assert!(m["label"]["zh-Hans"][0].is_string());
        let manifest = app
            .get(m["id"].as_str().unwrap().strip_prefix(SITE).unwrap())
            .await;
        assert_eq!(manifest.status, StatusCode::OK, "{}", m["id"]);
        assert_eq!(
            manifest.json()["label"],
            m["label"],
            "the member is labelled as its manifest"
        );
    }
}

#[tokio::test]
async fn pages_and_the_api_point_iiif_viewers_to_the_documents() {
    let app = TestApp::with_samples().await;
    let manifest = format!("{SITE}/iiif/3/items/{ITEM}/manifest");
    let page = app.page(&format!("/items/{ITEM}")).await;
    assert!(
        page.contains(&format!(
            "<link rel=\"alternate\" type=\"application/ld+json;profile=&quot;http://iiif.io/api/presentation/3/context.json&quot;\" href=\"{manifest}\">"
        )),
        "discoverable from the item page's head"
    );
    assert!(
        page.contains(&format!("href=\"{manifest}?manifest={manifest}\"")),
        "the IIIF drag-and-drop link"
    );
    assert!(
        page.contains(&format!("value=\"{manifest}\"")),
        "a copyable manifest address"
    );
    assert!(page.contains("在 IIIF 查看器中打开"));
    let en = app.page(&format!("/items/{ITEM}?lang=en")).await;
    assert!(en.contains("View in a IIIF viewer"));

    // The zoom opens our own info.json, root-relative; OpenSeadragon is only named, not
    // loaded, so the first visit stays light.
    let m = app.get(&format!("/api/v1/items/{ITEM}")).await.json();
    assert_eq!(m["iiif_manifest"], manifest);
    let sha = m["media"][0]["sha256"].as_str().unwrap();
    assert!(page.contains(&format!("data-zoom=\"/iiif/3/{sha}/info.json\"")));
    assert!(page.contains("class=\"zoom-open\" aria-expanded=\"false\" hidden>放大查看</button>"));
    assert!(page.contains("js/viewer.js"));
    assert!(!page.contains("<script src=\"/static/vendor/openseadragon"));
    let osd = page
        .split("data-osd=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&#x3d;", "=")
        .replace("&#61;", "=");
    let script = app.get(&osd).await;
    assert_eq!(script.status, StatusCode::OK, "{osd}");
    assert!(script.text().starts_with("//! openseadragon 5."));
    let licence = app.get("/static/vendor/openseadragon/LICENSE.txt").await;
    assert!(licence.text().contains("Redistribution and use"));

    let exhibition = app.page("/exhibitions/voices-of-horqin").await;
    assert!(exhibition.contains(&format!(
        "type=\"application/ld+json;profile=&quot;http://iiif.io/api/presentation/3/context.json&quot;\" href=\"{SITE}/iiif/3/exhibitions/voices-of-horqin/collection\">"
    )));
}
