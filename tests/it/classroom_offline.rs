//! The offline visit, through HTTP: what a phone downloads when a student saves a visit
//! for a poor connection. The start page lists every page of the visit; each of them, and
//! every style sheet, script, font and image they name, answers for that student; the
//! service worker is served so that it can control `/visit/` and is always revalidated.
//! The browser side (the worker serving the saved copy, the outbox sent when the network
//! returns) is driven in headless Chromium by tests/browser/offline.mjs.

use crate::classroom::{Device, join, set_visit, submit};
use crate::helpers::{TestApp, session};
use axum::http::StatusCode;
use edubase::accounts::types::Role;

/// The `data-pages` of the offline card, if the page has one.
fn offline_pages(page: &str) -> Option<Vec<String>> {
    let start = page.find("data-pages=\"")? + 12;
    let end = start + page[start..].find('"')?;
    Some(page[start..end].split(' ').map(str::to_owned).collect())
}

/// What visit-offline.js follows from a page or style sheet at `base`: `src`, `href` and
/// `url(…)` that lead to /static or /media, resolved against `base`.
fn references(text: &str, base: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (marker, ends) in [
        ("src=\"", &['"'][..]),
        ("href=\"", &['"']),
        ("url(", &[')']),
    ] {
        for (at, _) in text.match_indices(marker) {
            let rest = &text[at + marker.len()..];
            let end = rest.find(ends).unwrap_or(rest.len());
            let raw = rest[..end]
                .trim()
                .trim_matches(['"', '\''])
                .replace("&amp;", "&");
            let url = if raw.starts_with('/') {
                raw
            } else {
                // Relative to the directory of `base` (only style sheets use this).
                let mut dir: Vec<&str> = base.split('/').collect();
                dir.pop();
                for part in raw.split('/') {
                    match part {
                        ".." => {
                            dir.pop();
                        }
                        "." => {}
                        p => dir.push(p),
                    }
                }
                dir.join("/")
            };
            if url.starts_with("/static/") || url.starts_with("/media/") {
                found.push(url);
            }
        }
    }
    found
}

#[tokio::test]
async fn everything_a_saved_visit_needs_answers_for_the_student() {
    let app = TestApp::with_samples().await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    let (mut d, _) = join(&app, &a, "其木格").await;

    let start = d.get(&app, &format!("/visit/{}", a.code)).await.text();
    assert!(
        start.contains("id=\"offline-save\""),
        "the offline card is there"
    );
    let pages = offline_pages(&start).expect("the card lists the pages");
    assert!(
        !start.contains("语音导览"),
        "no audio guides, no word of them"
    );
    let mut expected = vec![format!("/visit/{}", a.code)];
    expected.extend((1..=8).map(|n| format!("/visit/{}/stops/{n}", a.code)));
    expected.push(format!("/visit/{}/essay", a.code));
    assert_eq!(pages, expected);

    let mut files = Vec::new();
    for url in &pages {
        let r = app
            .get_with(url, &[("cookie", &d.cookie), ("x-offline-copy", "1")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
        let html = r.text();
        if url.contains("/stops/") || url.ends_with("/essay") {
            // The worker shows this note, word for word, when it serves the saved copy.
            assert!(html.contains(" data-offline-note hidden>"), "{url}");
            assert!(html.contains("js/visit-offline.js"), "{url}");
        }
        files.extend(references(&html, url));
    }
    let visit = d.get(&app, &format!("/visit/{}", a.code)).await.text();
    assert!(
        visit.contains("已参观 0 / 8 站"),
        "saving the stops is not seeing them"
    );
    files.sort();
    files.dedup();
    assert!(
        files.iter().any(|f| f.starts_with("/media/")),
        "stop images"
    );
    assert!(files.iter().any(|f| f.contains("css/site.css")));
    let mut fonts = Vec::new();
    for url in &files {
        let r = app.get(url).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
        if url.contains(".css") {
            fonts.extend(references(&r.text(), url));
        }
    }
    assert!(
        fonts.iter().any(|f| f.contains("noto-sans-mongolian")),
        "the Mongolian font, named in the style sheet, is followed: {fonts:?}"
    );
    for url in &fonts {
        assert_eq!(app.get(url).await.status, StatusCode::OK, "{url}");
    }

    // Handed in: nothing left to do offline, so no card.
    let r = submit(
        &app,
        &mut d,
        &a,
        "我参观了草原上的蒙古包，知道了牧民怎样生活。",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let start = d.get(&app, &format!("/visit/{}", a.code)).await.text();
    assert!(offline_pages(&start).is_none());
    // Nor before joining.
    let stranger = Device::default();
    let page = stranger
        .get(&app, &format!("/visit/{}", a.code))
        .await
        .text();
    assert!(offline_pages(&page).is_none());
}

#[tokio::test]
async fn the_service_worker_is_served_from_the_root_and_always_revalidated() {
    let app = TestApp::with_samples().await;
    let r = app.get("/visit-sw.js").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "text/javascript; charset=utf-8");
    assert_eq!(r.header("cache-control"), "no-cache");
    assert!(r.text().contains("edubase-visit-"));
    // The page script registers it with scope /visit/, which a worker at the root may
    // control without a Service-Worker-Allowed header.
    let page = app.get("/static/js/visit-offline.js").await.text();
    assert!(page.contains("register(\"/visit-sw.js\", { scope: \"/visit/\" })"));
}

#[tokio::test]
async fn a_stops_audio_guide_plays_in_the_visit_and_is_saved_with_it() {
    let app = TestApp::with_samples().await;
    let dir = tempfile::tempdir().unwrap();
    let sha =
        crate::export::add_audio_guide(&app, dir.path(), "life-on-the-steppe", "mongolian-ger")
            .await;
    let teacher = session(&app, "teacher.bao", Role::Teacher, &[]).await;
    let a = set_visit(&app, &teacher, "甘旗卡第二中学", "七年级").await;
    let (d, _) = join(&app, &a, "其木格").await;
    let start = d.get(&app, &format!("/visit/{}", a.code)).await.text();
    let bytes = app.get(&format!("/media/{sha}/original")).await.bytes.len();
    let size = if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    };
    assert!(
        start.contains(&format!("其中包括 1 段语音导览，共 {size}。")),
        "the offline card says what the recordings add: {start}"
    );

    let first = format!("/visit/{}/stops/1", a.code);
    let stop = d.get(&app, &first).await.text();
    let recording = format!("/media/{sha}/original");
    assert!(
        stop.contains(&format!(
            "<audio controls preload=\"none\" src=\"{recording}\""
        )),
        "the audio guide plays at the stop"
    );
    assert!(stop.contains("说书开始"), "with its transcript");
    assert!(stop.contains("js/player.js"), "which follows the recording");
    let saved = references(&stop, &first);
    assert!(
        saved.contains(&recording),
        "the offline copy takes the recording"
    );
    let track = format!("/media/{sha}/captions.zh.vtt");
    assert!(saved.contains(&track), "and its transcript: {saved:?}");
    for url in [&recording, &track] {
        assert_eq!(d.get(&app, url).await.status, StatusCode::OK, "{url}");
    }
    let second = d
        .get(&app, &format!("/visit/{}/stops/2", a.code))
        .await
        .text();
    assert!(
        !second.contains("<audio"),
        "a stop without a guide has no player"
    );
}
