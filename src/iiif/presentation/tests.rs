use super::*;
use crate::catalogue::model::{
    ExhibitionSummary, ItemFields, ItemSummary, MediaFields, Stop, TrackKind,
};
use crate::catalogue::types::{Accession, Category, Level, Slug, Status};
use chrono::Utc;

const BASE: &str = "https://edu.example";

fn text(zh: &str, mn: Option<&str>, en: Option<&str>) -> LocalizedText {
    LocalizedText::new(Some(zh.into()), mn.map(Into::into), en.map(Into::into))
}

fn media(kind: MediaKind, sha: char, rights: &str) -> Media {
    Media {
        id: 1,
        sha256: sha.to_string().repeat(64),
        kind,
        mime: match kind {
            MediaKind::Image => "image/jpeg",
            MediaKind::Audio => "audio/wav",
            MediaKind::Video => "video/mp4",
            MediaKind::Document => "application/pdf",
        }
        .into(),
        bytes: 1000,
        width: matches!(kind, MediaKind::Image | MediaKind::Video).then_some(1000),
        height: matches!(kind, MediaKind::Image | MediaKind::Video).then_some(750),
        duration_ms: matches!(kind, MediaKind::Audio | MediaKind::Video).then_some(61_500),
        codecs: None,
        tracks: Vec::new(),
        fields: MediaFields {
            original_name: "file".into(),
            alt: text("马头琴", None, Some("A morin khuur")),
            caption: LocalizedText::default(),
            credit: "Suragch".into(),
            rights: rights.into(),
            source: None,
        },
    }
}

fn base() -> BaseRef {
    BaseRef {
        slug: Slug::parse("banner-hall").unwrap(),
        name: text("旗非遗馆", None, Some("Banner Heritage Hall")),
    }
}

fn item(media: Vec<Media>) -> Item {
    Item {
        id: 7,
        fields: ItemFields {
            accession: Accession::parse("KZH-0005").unwrap(),
            slug: Slug::parse("morin-khuur").unwrap(),
            status: Status::Published,
            category: Category::TraditionalMusic,
            protection_level: Some(Level::National),
            title: text("马头琴音乐", Some("ᠮᠣᠷᠢᠨ ᠬᠣᠭᠣᠷ"), Some("Morin khuur music")),
            summary: text("草原的声音。", None, Some("The voice of the grassland.")),
            description: LocalizedText::default(),
            place: text("科左后旗", None, None),
            period: LocalizedText::default(),
            year: None,
            inheritors: vec![text("甲", None, Some("A")), text("乙", None, None)],
            subjects: vec![text("马头琴", None, Some("Morin khuur"))],
            rights: "https://creativecommons.org/licenses/by/4.0/".into(),
        },
        base: base(),
        media,
        revision: 1,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

fn track(lang: Lang, kind: TrackKind) -> MediaTrack {
    MediaTrack {
        lang,
        kind,
        vtt: "WEBVTT\n\n00:00.000 --> 00:01.000\nhi".into(),
    }
}

#[test]
fn language_maps_use_our_bcp47_tags_and_only_languages_that_have_text() {
    let map = lang_map(&text("马头琴", Some("ᠮᠣᠷᠢᠨ"), None)).unwrap();
    assert_eq!(map, json!({ "zh-Hans": ["马头琴"], "mn-Mong": ["ᠮᠣᠷᠢᠨ"] }));
    assert_eq!(lang_map(&LocalizedText::default()), None);
    for l in Lang::ALL {
        assert_eq!(
            l.bcp47(),
            crate::web::page::PageCtx::new(l, "/", None, BASE).html_lang(),
            "the same tag as <html lang>"
        );
    }
}

#[test]
fn lists_name_a_language_only_when_every_entry_has_it() {
    let people = [text("甲", None, Some("A")), text("乙", None, None)];
    assert_eq!(
        list_map(&people).unwrap(),
        json!({ "zh-Hans": ["甲", "乙"] })
    );
    let scattered = [
        LocalizedText::new(None, None, Some("A".into())),
        LocalizedText::new(None, Some("ᠪ".into()), None),
    ];
    assert_eq!(
        list_map(&scattered).unwrap(),
        json!({ "mn-Mong": ["ᠪ"], "en": ["A"] })
    );
    assert_eq!(list_map(&[]), None);
}

#[test]
fn rights_become_the_http_uris_iiif_requires() {
    assert_eq!(
        iiif_rights("https://creativecommons.org/licenses/by-sa/4.0/").as_deref(),
        Some("http://creativecommons.org/licenses/by-sa/4.0/")
    );
    assert_eq!(
        iiif_rights("https://creativecommons.org/publicdomain/zero/1.0/").as_deref(),
        Some("http://creativecommons.org/publicdomain/zero/1.0/")
    );
    assert_eq!(
        iiif_rights("https://rightsstatements.org/page/InC-EDU/1.0/").as_deref(),
        Some("http://rightsstatements.org/vocab/InC-EDU/1.0/")
    );
    for choice in crate::catalogue::rights::CHOICES {
        let uri = iiif_rights(choice).unwrap_or_else(|| panic!("{choice} is dropped"));
        assert!(uri.starts_with("http://"), "{uri}");
    }
    for bad in ["CC0", "https://example.com/licence", "javascript:alert(1)"] {
        assert_eq!(iiif_rights(bad), None, "{bad}");
    }
}

#[test]
fn a_manifest_describes_the_item_in_every_language_it_has() {
    let m = manifest(
        &item(vec![media(
            MediaKind::Image,
            'a',
            "https://creativecommons.org/publicdomain/zero/1.0/",
        )]),
        &Urls(BASE),
    );
    assert_eq!(m["@context"], CONTEXT);
    assert_eq!(
        m["id"],
        "https://edu.example/iiif/3/items/morin-khuur/manifest"
    );
    assert_eq!(m["type"], "Manifest");
    assert_eq!(
        m["label"],
        json!({ "zh-Hans": ["马头琴音乐"], "mn-Mong": ["ᠮᠣᠷᠢᠨ ᠬᠣᠭᠣᠷ"], "en": ["Morin khuur music"] })
    );
    assert_eq!(m["summary"]["en"], json!(["The voice of the grassland."]));
    let metadata = m["metadata"].as_array().unwrap();
    assert_eq!(
        metadata[0]["label"],
        json!({ "zh-Hans": ["馆藏号"], "en": ["Accession number"] })
    );
    assert_eq!(metadata[0]["value"], json!({ "none": ["KZH-0005"] }));
    let labels: Vec<&Value> = metadata.iter().map(|e| &e["label"]["en"][0]).collect();
    assert_eq!(
        labels,
        [
            "Accession number",
            "Category",
            "Protection level",
            "Bearers of the tradition",
            "Place",
            "Kept by",
            "Subjects"
        ]
    );
    assert_eq!(metadata[1]["value"]["en"], json!(["Traditional music"]));
    assert_eq!(metadata[2]["value"]["en"], json!(["National"]));
    assert!(
        metadata.iter().all(|e| e["label"].get("mn-Mong").is_none()),
        "no Mongolian label until one is written"
    );
    // Every media file here is CC0, so that is what a viewer shows; the record's text licence
    // stays in the record.
    assert_eq!(
        m["rights"],
        "http://creativecommons.org/publicdomain/zero/1.0/"
    );
    assert_eq!(
        m["requiredStatement"]["value"],
        json!({ "none": ["Suragch"] })
    );
    assert_eq!(m["requiredStatement"]["label"]["en"], json!(["Credit"]));
    let provider = &m["provider"][0];
    assert_eq!(provider["type"], "Agent");
    assert_eq!(
        provider["homepage"][0]["id"],
        "https://edu.example/bases/banner-hall"
    );
    assert_eq!(provider["label"]["en"], json!(["Banner Heritage Hall"]));
    assert_eq!(
        m["homepage"][0]["id"],
        "https://edu.example/items/morin-khuur"
    );
    assert_eq!(
        m["seeAlso"][0]["id"],
        "https://edu.example/api/v1/items/morin-khuur"
    );
    let thumb = &m["thumbnail"][0];
    assert_eq!(
        thumb["id"],
        format!("{BASE}/media/{}/w400.jpg", "a".repeat(64))
    );
    assert_eq!(
        (thumb["width"].as_u64(), thumb["height"].as_u64()),
        (Some(400), Some(300))
    );
}

#[test]
fn each_image_recording_and_film_is_a_canvas_of_its_kind_in_order() {
    let mut audio = media(
        MediaKind::Audio,
        'b',
        "https://creativecommons.org/licenses/by/4.0/",
    );
    audio.tracks = vec![
        track(Lang::Zh, TrackKind::Captions),
        track(Lang::En, TrackKind::Subtitles),
    ];
    let mut video = media(
        MediaKind::Video,
        'c',
        "http://rightsstatements.org/vocab/InC-EDU/1.0/",
    );
    video.tracks = vec![track(Lang::Mn, TrackKind::Captions)];
    let pdf = media(
        MediaKind::Document,
        'd',
        "https://creativecommons.org/licenses/by/4.0/",
    );
    let mut image = media(
        MediaKind::Image,
        'a',
        "https://creativecommons.org/licenses/by/4.0/",
    );
    image.fields.caption = text("彩绘马头琴", None, None);
    let m = manifest(&item(vec![image, audio, pdf, video]), &Urls(BASE));
    let canvases = m["items"].as_array().unwrap();
    assert_eq!(canvases.len(), 3, "the PDF is a rendering, not a canvas");
    let id = "https://edu.example/iiif/3/items/morin-khuur/manifest";
    let body = |c: &Value| c["items"][0]["items"][0]["body"].clone();

    let image = &canvases[0];
    assert_eq!(image["id"], format!("{id}/canvas/1"));
    assert_eq!(
        (image["width"].as_i64(), image["height"].as_i64()),
        (Some(1000), Some(750))
    );
    assert_eq!(image["label"], json!({ "zh-Hans": ["彩绘马头琴"] }));
    assert_eq!(image["summary"]["en"], json!(["A morin khuur"]), "alt text");
    assert_eq!(image["items"][0]["items"][0]["motivation"], "painting");
    assert_eq!(
        image["items"][0]["items"][0]["target"],
        format!("{id}/canvas/1")
    );
    let service = format!("{BASE}/iiif/3/{}", "a".repeat(64));
    assert_eq!(body(image)["type"], "Image");
    assert_eq!(
        body(image)["id"],
        format!("{service}/full/max/0/default.jpg")
    );
    assert_eq!(
        body(image)["service"],
        json!([{ "id": service, "type": "ImageService3", "profile": "level2" }])
    );
    assert!(image.get("annotations").is_none());

    let audio = &canvases[1];
    assert_eq!(audio["id"], format!("{id}/canvas/2"));
    assert_eq!(audio["duration"], 61.5);
    assert!(audio.get("width").is_none());
    assert_eq!(audio["label"], json!({ "none": ["2"] }));
    assert_eq!(body(audio)["type"], "Sound");
    assert_eq!(body(audio)["format"], "audio/wav");
    assert_eq!(body(audio)["duration"], 61.5);
    assert_eq!(
        audio["rights"],
        "http://creativecommons.org/licenses/by/4.0/"
    );
    let notes = audio["annotations"][0]["items"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["motivation"], "supplementing");
    assert_eq!(notes[0]["target"], format!("{id}/canvas/2"));
    let sha = "b".repeat(64);
    assert_eq!(
        notes[0]["body"]["id"],
        format!("{BASE}/media/{sha}/captions.zh.vtt")
    );
    assert_eq!(notes[0]["body"]["type"], "Text");
    assert_eq!(notes[0]["body"]["format"], "text/vtt");
    assert_eq!(notes[0]["body"]["language"], "zh-Hans");
    assert_eq!(notes[1]["body"]["language"], "en");
    assert_eq!(
        notes[1]["body"]["label"]["en"],
        json!(["Subtitles · English"])
    );

    let video = &canvases[2];
    assert_eq!(
        video["id"],
        format!("{id}/canvas/4"),
        "ids follow the media's position"
    );
    assert_eq!(
        (video["width"].as_i64(), video["duration"].as_f64()),
        (Some(1000), Some(61.5))
    );
    assert_eq!(body(video)["type"], "Video");
    assert_eq!(body(video)["height"], 750);
    assert_eq!(
        video["annotations"][0]["items"][0]["body"]["language"],
        "mn-Mong"
    );
    assert_eq!(
        video["rights"],
        "http://rightsstatements.org/vocab/InC-EDU/1.0/"
    );

    assert_eq!(m["rendering"][0]["format"], "application/pdf");
    assert_eq!(m["rendering"][0]["type"], "Text");
    // The media disagree, so the manifest states the record's licence.
    assert_eq!(m["rights"], "http://creativecommons.org/licenses/by/4.0/");
    let mut ids: Vec<String> = Vec::new();
    collect_ids(&m, &mut ids);
    // Canvases, annotation pages and annotations are named under the manifest, once each.
    ids.retain(|i| i.starts_with(&format!("{id}/")));
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:#?}");
    assert_eq!(
        ids.len(),
        3 * 3 + 2 + 3,
        "canvas, page, painting; 2 supplementing pages, 3 notes"
    );
}

/// Every `id` in a document.
fn collect_ids(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(id)) = map.get("id") {
                out.push(id.clone());
            }
            map.values().for_each(|v| collect_ids(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_ids(v, out)),
        _ => {}
    }
}

#[test]
fn media_without_an_extent_are_offered_as_files_not_canvases() {
    let mut audio = media(
        MediaKind::Audio,
        'b',
        "https://creativecommons.org/licenses/by/4.0/",
    );
    audio.duration_ms = None;
    let mut image = media(
        MediaKind::Image,
        'a',
        "https://creativecommons.org/licenses/by/4.0/",
    );
    image.width = None;
    let m = manifest(&item(vec![audio, image]), &Urls(BASE));
    assert_eq!(m["items"], json!([]));
    assert_eq!(m["rendering"].as_array().unwrap().len(), 2);
    assert_eq!(m["rendering"][0]["type"], "Sound");
}

#[test]
fn credit_falls_back_to_the_base_when_no_media_is_credited() {
    let m = manifest(&item(Vec::new()), &Urls(BASE));
    assert_eq!(
        m["requiredStatement"]["value"]["en"],
        json!(["Banner Heritage Hall"])
    );
    assert_eq!(m["rights"], "http://creativecommons.org/licenses/by/4.0/");
    assert!(m.get("thumbnail").is_none());
    assert_eq!(m["items"], json!([]));
}

#[test]
fn thumbnails_have_the_size_the_derivative_will_have() {
    let pic = |w, h| Picture {
        sha256: "a".repeat(64),
        width: Some(w),
        height: Some(h),
        alt: LocalizedText::default(),
    };
    let size = |p: Picture| {
        let t = thumbnail(&p, &Urls(BASE));
        (
            t[0]["width"].as_u64().unwrap(),
            t[0]["height"].as_u64().unwrap(),
        )
    };
    assert_eq!(size(pic(1000, 750)), (400, 300));
    assert_eq!(size(pic(300, 200)), (300, 200), "never enlarged");
    assert_eq!(size(pic(3000, 1001)), (400, 133));
    assert_eq!(size(pic(10_000, 1)), (400, 1));
}

#[test]
fn a_collection_lists_the_stops_manifests_in_order() {
    let summary = |slug: &str, title: &str| ItemSummary {
        id: 1,
        accession: Accession::parse("KZH-1").unwrap(),
        slug: Slug::parse(slug).unwrap(),
        title: text(title, None, None),
        summary: LocalizedText::default(),
        category: Category::Quyi,
        protection_level: None,
        status: Status::Published,
        revision: 1,
        base: base(),
        cover: None,
    };
    let stop = |n, item| Stop {
        number: n,
        item,
        focus: None,
        narrative: LocalizedText::default(),
        audio: None,
    };
    let ex = Exhibition {
        summary: ExhibitionSummary {
            id: 1,
            slug: Slug::parse("voices").unwrap(),
            status: Status::Published,
            featured: false,
            title: text("科尔沁之声", None, Some("Voices of Horqin")),
            subtitle: text("七项非遗", None, None),
            base: base(),
            cover: None,
            stop_count: 2,
            updated_at: Utc::now(),
        },
        introduction: LocalizedText::default(),
        stops: vec![
            stop(1, summary("urliger", "乌力格尔")),
            stop(2, summary("holboo", "好力保")),
        ],
    };
    let c = collection(&ex, &Urls(BASE));
    assert_eq!(c["type"], "Collection");
    assert_eq!(
        c["id"],
        "https://edu.example/iiif/3/exhibitions/voices/collection"
    );
    assert_eq!(c["label"]["en"], json!(["Voices of Horqin"]));
    assert_eq!(c["summary"], json!({ "zh-Hans": ["七项非遗"] }));
    let members: Vec<(&Value, &Value)> = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (&m["id"], &m["label"]["zh-Hans"][0]))
        .collect();
    assert_eq!(
        members,
        [
            (
                &json!(format!("{BASE}/iiif/3/items/urliger/manifest")),
                &json!("乌力格尔")
            ),
            (
                &json!(format!("{BASE}/iiif/3/items/holboo/manifest")),
                &json!("好力保")
            ),
        ]
    );
    assert!(
        c["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["type"] == "Manifest")
    );
    assert_eq!(
        c["homepage"][0]["id"],
        "https://edu.example/exhibitions/voices"
    );
}
