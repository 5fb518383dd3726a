//! IIIF Presentation API 3.0: the Manifest of an item and the Collection of an exhibition,
//! built from catalogue records. Pure: no HTTP, no database; the web layer serves the JSON.
//!
//! Language maps use the same BCP 47 tags as `<html lang>` on our pages (`zh-Hans`,
//! `mn-Mong`, `en`), so a viewer and a screen reader see one tag per language, and
//! Mongolian is marked as traditional script rather than the Cyrillic plain `mn` implies.

use crate::catalogue::model::{BaseRef, Exhibition, Item, Media, MediaTrack, Picture};
use crate::catalogue::types::MediaKind;
use crate::i18n::{Lang, LocalizedText, Messages};
use serde_json::{Map, Value, json};

/// The JSON-LD context of every document we publish.
pub const CONTEXT: &str = "http://iiif.io/api/presentation/3/context.json";

/// The media type of manifests and collections, with the profile the spec asks for.
pub const CONTENT_TYPE: &str =
    "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\"";

/// Width of the derivative used as a thumbnail (`/media/{sha}/w400.jpg`).
const THUMBNAIL_WIDTH: u32 = 400;

/// Absolute URLs of everything a manifest points at, under one public base URL.
#[derive(Debug, Clone, Copy)]
pub struct Urls<'a>(pub &'a str);

impl Urls<'_> {
    /// The Manifest of the item with this slug.
    pub fn manifest(&self, item_slug: &str) -> String {
        format!("{}/iiif/3/items/{item_slug}/manifest", self.0)
    }

    /// The Collection of the exhibition with this slug.
    pub fn collection(&self, exhibition_slug: &str) -> String {
        format!("{}/iiif/3/exhibitions/{exhibition_slug}/collection", self.0)
    }

    /// The IIIF Image API service of an image (its `info.json` is beneath it).
    pub fn image_service(&self, sha256: &str) -> String {
        format!("{}/iiif/3/{sha256}", self.0)
    }

    fn page(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }
}

/// The rights URI as IIIF wants it, or `None` when it is not one IIIF accepts. The spec
/// requires the `http://` form of Creative Commons and RightsStatements.org URIs (our
/// records keep Creative Commons' own `https://` form), and RightsStatements' `/vocab/`
/// identifiers rather than its `/page/` ones.
pub fn iiif_rights(uri: &str) -> Option<String> {
    let rest = uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"))?;
    let rest = match rest.strip_prefix("rightsstatements.org/page/") {
        Some(statement) => format!("rightsstatements.org/vocab/{statement}"),
        None => rest.to_owned(),
    };
    let known = [
        "creativecommons.org/licenses/",
        "creativecommons.org/publicdomain/",
    ]
    .iter()
    .chain(&["rightsstatements.org/vocab/"])
    .any(|prefix| rest.starts_with(prefix));
    let clean = !rest.contains(|c: char| c.is_whitespace() || c == '"' || c == '<');
    (known && clean).then(|| format!("http://{rest}"))
}

/// A language map of text in our three languages, keeping only languages that have text.
pub fn lang_map(text: &LocalizedText) -> Option<Value> {
    let map: Map<String, Value> = Lang::ALL
        .into_iter()
        .filter_map(|l| Some((l.bcp47().to_owned(), json!([text.exact(l)?]))))
        .collect();
    (!map.is_empty()).then_some(Value::Object(map))
}

/// A language map of several texts (inheritors, subjects): a language is listed when every
/// text has it, so no list silently drops a person; when none has them all, each language
/// lists what it has.
fn list_map(texts: &[LocalizedText]) -> Option<Value> {
    let per_lang = |l: Lang| -> Vec<&str> { texts.iter().filter_map(|t| t.exact(l)).collect() };
    let complete: Map<String, Value> = Lang::ALL
        .into_iter()
        .filter(|l| per_lang(*l).len() == texts.len())
        .map(|l| (l.bcp47().to_owned(), json!(per_lang(l))))
        .collect();
    let map = if complete.is_empty() {
        Lang::ALL
            .into_iter()
            .filter(|l| !per_lang(*l).is_empty())
            .map(|l| (l.bcp47().to_owned(), json!(per_lang(l))))
            .collect()
    } else {
        complete
    };
    (!texts.is_empty() && !map.is_empty()).then_some(Value::Object(map))
}

/// A UI string in every language whose own bundle has it (Mongolian only once a Mongolian
/// reader has written it; we never label Chinese text as Mongolian).
fn message_map(key: &str, decorate: impl Fn(String) -> String) -> Value {
    let messages = Messages::global();
    let map: Map<String, Value> = Lang::ALL
        .into_iter()
        .filter(|l| messages.has(*l, key))
        .map(|l| {
            let text = decorate(messages.format(l, key, &[]));
            (l.bcp47().to_owned(), json!([text]))
        })
        .collect();
    Value::Object(map)
}

fn label(key: &str) -> Value {
    message_map(key, |s| s)
}

/// Text without a language (accession numbers, names as credited).
fn none(text: &str) -> Value {
    json!({ "none": [text] })
}

/// A `label`/`value` pair of `metadata`, when there is a value.
fn entry(key: &str, value: Option<Value>) -> Option<Value> {
    value.map(|value| json!({ "label": label(key), "value": value }))
}

/// The base as an IIIF Agent: its page is its homepage, its API record its `seeAlso`.
fn provider(base: &BaseRef, urls: &Urls) -> Value {
    let page = urls.page(&format!("/bases/{}", base.slug));
    let mut agent = json!({
        "id": format!("{page}#agent"),
        "type": "Agent",
        "label": lang_map(&base.name).unwrap_or_else(|| none(base.slug.as_str())),
        "homepage": [{ "id": page, "type": "Text", "format": "text/html" }],
        "seeAlso": [{
            "id": urls.page(&format!("/api/v1/bases/{}", base.slug)),
            "type": "Dataset",
            "format": "application/json",
        }],
    });
    if let Some(name) = lang_map(&base.name) {
        agent["homepage"][0]["label"] = name;
    }
    json!([agent])
}

/// A web page (`homepage`) with its title.
fn homepage(url: String, title: &LocalizedText) -> Value {
    let mut page = json!({ "id": url, "type": "Text", "format": "text/html" });
    if let Some(label) = lang_map(title) {
        page["label"] = label;
    }
    json!([page])
}

/// A JSON API record (`seeAlso`).
fn dataset(url: String) -> Value {
    json!([{ "id": url, "type": "Dataset", "format": "application/json" }])
}

/// The image service of an image: our own Image API, level 2.
fn image_service(sha256: &str, urls: &Urls) -> Value {
    json!([{
        "id": urls.image_service(sha256),
        "type": "ImageService3",
        "profile": "level2",
    }])
}

/// The card-size JPEG derivative of a picture, with its size when the original's is known.
pub fn thumbnail(pic: &Picture, urls: &Urls) -> Value {
    let mut thumb = json!({
        "id": urls.page(&format!("/media/{}/w{THUMBNAIL_WIDTH}.jpg", pic.sha256)),
        "type": "Image",
        "format": "image/jpeg",
        "service": image_service(&pic.sha256, urls),
    });
    if let (Some(w), Some(h)) = (pic.width, pic.height)
        && w > 0
        && h > 0
    {
        // The derivative's own rounding: fit the width, keep the ratio, never enlarge.
        let (w, h) = (w as u64, h as u64);
        let tw = w.min(u64::from(THUMBNAIL_WIDTH));
        thumb["width"] = json!(tw);
        thumb["height"] = json!(((h * tw + w / 2) / w).max(1));
    }
    json!([thumb])
}

/// The Manifest of a published item: one Canvas per image, recording and film, in order.
pub fn manifest(item: &Item, urls: &Urls) -> Value {
    let f = &item.fields;
    let id = urls.manifest(f.slug.as_str());
    let mut canvases = Vec::new();
    let mut renderings = Vec::new();
    for (index, m) in item.media.iter().enumerate() {
        match canvas(m, &format!("{id}/canvas/{}", index + 1), index + 1, urls) {
            Some(c) => canvases.push(c),
            None => renderings.push(rendering(m, urls)),
        }
    }
    let metadata: Vec<Value> = [
        entry("field-accession", Some(none(f.accession.as_str()))),
        entry(
            "field-category",
            Some(label(&format!("category-{}", f.category.code()))),
        ),
        entry(
            "field-protection-level",
            f.protection_level
                .map(|l| label(&format!("level-{}", l.code()))),
        ),
        entry("field-inheritors", list_map(&f.inheritors)),
        entry("field-place", lang_map(&f.place)),
        entry("field-period", lang_map(&f.period)),
        entry("field-base", lang_map(&item.base.name)),
        entry("field-subjects", list_map(&f.subjects)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut doc = json!({
        "@context": CONTEXT,
        "id": id,
        "type": "Manifest",
        "label": lang_map(&f.title).unwrap_or_else(|| none(f.accession.as_str())),
        "metadata": metadata,
        "requiredStatement": {
            "label": label("credit"),
            "value": credit(item),
        },
        "provider": provider(&item.base, urls),
        "homepage": homepage(urls.page(&format!("/items/{}", f.slug)), &f.title),
        "seeAlso": dataset(urls.page(&format!("/api/v1/items/{}", f.slug))),
        "items": canvases,
    });
    if let Some(summary) = lang_map(&f.summary) {
        doc["summary"] = summary;
    }
    if let Some(rights) = manifest_rights(item) {
        doc["rights"] = json!(rights);
    }
    if let Some(first) = item.media.iter().find(|m| m.kind == MediaKind::Image) {
        doc["thumbnail"] = thumbnail(&first.picture(), urls);
    }
    if !renderings.is_empty() {
        doc["rendering"] = json!(renderings);
    }
    doc
}

/// Who to credit: the people credited for the media, or else the base that keeps the item.
fn credit(item: &Item) -> Value {
    let mut credits: Vec<&str> = Vec::new();
    for m in &item.media {
        let c = m.fields.credit.trim();
        if !c.is_empty() && !credits.contains(&c) {
            credits.push(c);
        }
    }
    if credits.is_empty() {
        lang_map(&item.base.name).unwrap_or_else(|| none(item.base.slug.as_str()))
    } else {
        none(&credits.join("; "))
    }
}

/// What a viewer shows as the licence of what it shows: the media's rights when they all
/// agree (each canvas also states its own), otherwise the rights of the record.
fn manifest_rights(item: &Item) -> Option<String> {
    let first = item.media.first().map(|m| m.fields.rights.as_str());
    let shared = first.filter(|r| item.media.iter().all(|m| m.fields.rights == *r));
    shared
        .and_then(iiif_rights)
        .or_else(|| iiif_rights(&item.fields.rights))
}

/// The file itself, for media no Canvas can show (documents, recordings of unknown length).
fn rendering(m: &Media, urls: &Urls) -> Value {
    let kind = match m.kind {
        MediaKind::Image => "Image",
        MediaKind::Audio => "Sound",
        MediaKind::Video => "Video",
        MediaKind::Document => "Text",
    };
    let label = lang_map(&m.fields.caption).unwrap_or_else(|| none(&m.fields.original_name));
    json!({
        "id": urls.page(&format!("/media/{}/original", m.sha256)),
        "type": kind,
        "label": label,
        "format": m.mime,
    })
}

/// Seconds, as IIIF durations are.
fn seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// A positive pixel size, when both sides are known.
fn size(m: &Media) -> Option<(i32, i32)> {
    match (m.width, m.height) {
        (Some(w), Some(h)) if w > 0 && h > 0 => Some((w, h)),
        _ => None,
    }
}

/// The Canvas of one media file, or `None` when it has no extent a Canvas could have.
fn canvas(m: &Media, id: &str, position: usize, urls: &Urls) -> Option<Value> {
    let duration = m.duration_ms.filter(|ms| *ms > 0).map(seconds);
    let original = urls.page(&format!("/media/{}/original", m.sha256));
    let (mut canvas, body) = match m.kind {
        MediaKind::Image => {
            let (w, h) = size(m)?;
            let body = json!({
                "id": format!("{}/full/max/0/default.jpg", urls.image_service(&m.sha256)),
                "type": "Image",
                "format": "image/jpeg",
                "width": w,
                "height": h,
                "service": image_service(&m.sha256, urls),
            });
            let mut canvas = json!({ "width": w, "height": h });
            canvas["thumbnail"] = thumbnail(&m.picture(), urls);
            (canvas, body)
        }
        MediaKind::Audio => {
            let d = duration?;
            let body = json!({ "id": original, "type": "Sound", "format": m.mime, "duration": d });
            (json!({ "duration": d }), body)
        }
        MediaKind::Video => {
            let d = duration?;
            let mut body =
                json!({ "id": original, "type": "Video", "format": m.mime, "duration": d });
            let mut canvas = json!({ "duration": d });
            if let Some((w, h)) = size(m) {
                for v in [&mut body, &mut canvas] {
                    v["width"] = json!(w);
                    v["height"] = json!(h);
                }
            }
            (canvas, body)
        }
        MediaKind::Document => return None,
    };
    canvas["id"] = json!(id);
    canvas["type"] = json!("Canvas");
    canvas["label"] = lang_map(&m.fields.caption).unwrap_or_else(|| none(&position.to_string()));
    if let Some(alt) = lang_map(&m.fields.alt) {
        canvas["summary"] = alt;
    }
    if let Some(rights) = iiif_rights(&m.fields.rights) {
        canvas["rights"] = json!(rights);
    }
    if !m.fields.credit.trim().is_empty() {
        canvas["requiredStatement"] = json!({
            "label": label("credit"),
            "value": none(m.fields.credit.trim()),
        });
    }
    canvas["items"] = json!([{
        "id": format!("{id}/page"),
        "type": "AnnotationPage",
        "items": [{
            "id": format!("{id}/page/painting"),
            "type": "Annotation",
            "motivation": "painting",
            "body": body,
            "target": id,
        }],
    }]);
    if !m.tracks.is_empty() {
        let annotations: Vec<Value> = m
            .tracks
            .iter()
            .map(|t| supplementing(t, &m.sha256, id, urls))
            .collect();
        canvas["annotations"] = json!([{
            "id": format!("{id}/supplementing"),
            "type": "AnnotationPage",
            "items": annotations,
        }]);
    }
    Some(canvas)
}

/// A WebVTT track as a `supplementing` annotation: the text that goes with the sound.
fn supplementing(t: &MediaTrack, sha256: &str, canvas: &str, urls: &Urls) -> Value {
    let (kind, lang) = (t.kind.code(), t.lang);
    json!({
        "id": format!("{canvas}/supplementing/{kind}-{}", lang.code()),
        "type": "Annotation",
        "motivation": "supplementing",
        "body": {
            "id": urls.page(&format!("/media/{sha256}/{kind}.{}.vtt", lang.code())),
            "type": "Text",
            "format": "text/vtt",
            "language": lang.bcp47(),
            "label": message_map(&format!("track-{kind}"), |k| format!("{k} · {}", lang.native_name())),
        },
        "target": canvas,
    })
}

/// The Collection of a published exhibition: its stops' item manifests, in stop order.
pub fn collection(ex: &Exhibition, urls: &Urls) -> Value {
    let s = &ex.summary;
    let members: Vec<Value> = ex
        .stops
        .iter()
        .map(|stop| {
            let item = &stop.item;
            let mut member = json!({
                "id": urls.manifest(item.slug.as_str()),
                "type": "Manifest",
                "label": lang_map(&item.title).unwrap_or_else(|| none(item.accession.as_str())),
            });
            if let Some(pic) = stop.focus.as_ref().or(item.cover.as_ref()) {
                member["thumbnail"] = thumbnail(pic, urls);
            }
            member
        })
        .collect();
    let mut doc = json!({
        "@context": CONTEXT,
        "id": urls.collection(s.slug.as_str()),
        "type": "Collection",
        "label": lang_map(&s.title).unwrap_or_else(|| none(s.slug.as_str())),
        "provider": provider(&s.base, urls),
        "homepage": homepage(urls.page(&format!("/exhibitions/{}", s.slug)), &s.title),
        "seeAlso": dataset(urls.page(&format!("/api/v1/exhibitions/{}", s.slug))),
        "items": members,
    });
    if let Some(summary) = lang_map(&s.subtitle) {
        doc["summary"] = summary;
    }
    if let Some(pic) = &s.cover {
        doc["thumbnail"] = thumbnail(pic, urls);
    }
    doc
}

#[cfg(test)]
mod tests;
