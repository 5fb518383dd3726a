//! The public gallery, page by page, as a visitor's browser sees it.

use crate::helpers::{TestApp, item_slugs, links, next_link};
use axum::http::StatusCode;
use edubase::catalogue::repo::ItemQuery;
use edubase::repo::Visibility;

#[tokio::test]
async fn the_home_page_shows_featured_exhibitions_categories_and_bases() {
    let app = TestApp::with_samples().await;
    let html = app.page("/").await;
    assert!(
        html.contains("<html lang=\"zh-Hans\">"),
        "Chinese by default"
    );
    assert!(html.contains("科尔沁之声"), "featured exhibition");
    assert!(
        html.contains("/stops/1\">开始参观"),
        "one obvious next step: start the visit"
    );
    assert!(html.contains("/items?category=quyi"), "category links");
    assert!(html.contains("科左后旗非遗展示馆"), "bases");
    assert!(html.contains("srcset=\"/media/"), "responsive images");
    for link in links(&html) {
        if link.starts_with('/') && !link.starts_with("/static/") {
            let r = app.get(&link).await;
            assert!(
                r.status.is_success() || r.status.is_redirection(),
                "{link} from the home page is {}",
                r.status
            );
        }
    }
}

#[tokio::test]
async fn every_public_page_renders_for_published_data() {
    let app = TestApp::with_samples().await;
    for uri in [
        "/bases",
        "/bases/banner-heritage-hall",
        "/bases/ganjig-school-culture-room",
        "/items",
        "/exhibitions",
    ] {
        app.page(uri).await;
    }
    let all = app
        .state
        .catalogue
        .list_items(&ItemQuery::all(Visibility::Public, 100))
        .await
        .unwrap();
    assert!(all.items.len() >= 14, "the samples hold at least 14 items");
    for item in &all.items {
        let html = app.page(&format!("/items/{}", item.slug)).await;
        assert!(
            html.contains(item.title.zh.as_deref().unwrap()),
            "{} shows its title",
            item.slug
        );
        assert!(
            html.contains(item.accession.as_str()),
            "{} shows its accession number",
            item.slug
        );
        assert!(
            html.contains("application/ld+json"),
            "{} has JSON-LD",
            item.slug
        );
        if item.cover.is_some() {
            assert!(
                html.contains("Suragch"),
                "{}: every photo shows its credit",
                item.slug
            );
            assert!(html.contains("CC0 1.0"), "{}: and its licence", item.slug);
        } else {
            assert!(
                html.contains("placeholder cat-"),
                "{}: no photo means a category placeholder",
                item.slug
            );
        }
    }
    for slug in [
        "voices-of-horqin",
        "life-on-the-steppe",
        "naadam-and-the-horse",
    ] {
        let html = app.page(&format!("/exhibitions/{slug}")).await;
        let stops = links(&html)
            .iter()
            .filter(|l| l.starts_with(&format!("/exhibitions/{slug}/stops/")))
            .count();
        assert!(stops >= 5, "{slug} has {stops} stop links");
    }
}

#[tokio::test]
async fn the_guided_visit_walks_stops_with_previous_and_next() {
    let app = TestApp::with_samples().await;
    let first = app.page("/exhibitions/voices-of-horqin/stops/1").await;
    assert!(first.contains("第 1 站，共 7 站"), "progress label");
    assert!(
        first.contains("<progress max=\"7\" value=\"1\""),
        "progress bar"
    );
    assert!(first.contains("rel=\"next\" href=\"/exhibitions/voices-of-horqin/stops/2\""));
    assert!(
        !first.contains("rel=\"prev\""),
        "no previous stop at the start"
    );
    assert!(
        first.contains("js/visit.js"),
        "keyboard and swipe enhancement"
    );
    let last = app.page("/exhibitions/voices-of-horqin/stops/7").await;
    assert!(last.contains("rel=\"prev\" href=\"/exhibitions/voices-of-horqin/stops/6\""));
    assert!(
        last.contains("完成参观"),
        "the last stop finishes the visit"
    );
    for bad in ["0", "8", "x", "-1", "99999999999999999999"] {
        let r = app
            .get(&format!("/exhibitions/voices-of-horqin/stops/{bad}"))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "stop {bad}");
    }
}

#[tokio::test]
async fn drafts_are_invisible_to_the_public() {
    let app = TestApp::with_samples().await;
    let dir = tempfile::tempdir().unwrap();
    crate::import::write_draft_item(dir.path());
    let report = app.import(dir.path()).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let slug = edubase::catalogue::types::Slug::parse("draft-saddle").unwrap();
    assert!(
        app.state
            .catalogue
            .item(&slug, Visibility::All)
            .await
            .unwrap()
            .is_some(),
        "the draft exists"
    );

    assert_eq!(
        app.get("/items/draft-saddle").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/q/DRAFT-1").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/items/draft-saddle").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!app.page("/items?q=draft").await.contains("draft-saddle"));
    assert!(
        !app.get("/api/v1/items?limit=100")
            .await
            .text()
            .contains("draft-saddle")
    );
    let sha = edubase::store::Sha256Hex::of(
        &std::fs::read(dir.path().join("items/draft-saddle/photo.jpg")).unwrap(),
    );
    assert_eq!(
        app.get(&format!("/media/{sha}/original")).await.status,
        StatusCode::NOT_FOUND,
        "a draft's media"
    );
}

#[tokio::test]
async fn item_pages_follow_next_links_without_gaps_or_repeats() {
    let app = TestApp::with_samples().await;
    let expected: Vec<String> = app
        .state
        .catalogue
        .list_items(&ItemQuery::all(Visibility::Public, 1000))
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.slug.to_string())
        .collect();
    // Page through with a small page size via the API's links, and through the HTML pager.
    let mut seen = Vec::new();
    let mut url = "/api/v1/items?limit=3".to_owned();
    loop {
        let page = app.get(&url).await.json();
        seen.extend(
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["slug"].as_str().unwrap().to_owned()),
        );
        match page["next"].as_str() {
            Some(next) => url = next.trim_start_matches("http://edubase.test").to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, expected);

    let mut html_seen = Vec::new();
    let mut url = "/items".to_owned();
    let mut pages = 0;
    loop {
        let html = app.page(&url).await;
        let on_page: Vec<String> = item_slugs(&html);
        html_seen.extend(on_page);
        pages += 1;
        match next_link(&html) {
            Some(next) => url = next,
            None => break,
        }
    }
    html_seen.dedup();
    assert_eq!(html_seen, expected, "over {pages} HTML pages");
}

#[tokio::test]
async fn filters_narrow_the_item_list_and_keep_each_other() {
    let app = TestApp::with_samples().await;
    let quyi = app.page("/items?category=quyi").await;
    let slugs = item_slugs(&quyi);
    assert!(
        slugs.contains(&"urliger".to_owned()) && slugs.contains(&"holboo".to_owned()),
        "{slugs:?}"
    );
    assert!(!slugs.contains(&"andai-dance".to_owned()));
    assert!(
        quyi.contains("<option value=\"quyi\" selected>"),
        "the filter stays selected"
    );
    let school = item_slugs(
        &app.page("/items?base=ganjig-school-culture-room&media=image")
            .await,
    );
    assert!(
        !school.is_empty() && !school.contains(&"urliger".to_owned()),
        "{school:?}"
    );
    let found = item_slugs(&app.page("/items?q=%E9%A9%AC%E5%A4%B4%E7%90%B4").await);
    assert!(
        found.contains(&"morin-khuur-music".to_owned()),
        "马头琴 finds the morin khuur: {found:?}"
    );
    let none = app.page("/items?q=zzzz-nothing").await;
    assert!(
        none.contains("没有找到符合条件的藏品") && none.contains("清除筛选条件"),
        "empty state says what to do"
    );
    let tracked = app.get("/items?utm_source=wechat&from=singlemessage").await;
    assert_eq!(
        tracked.status,
        StatusCode::OK,
        "unknown parameters from chat apps are ignored"
    );
}

#[tokio::test]
async fn bad_query_parameters_get_a_clear_400_page() {
    let app = TestApp::with_samples().await;
    let cases = [
        ("/items?category=dance", "category", "traditional_dance"),
        (
            "/items?media=hologram",
            "media",
            "image, audio, video, document",
        ),
        ("/items?page=not-a-token!", "page", ""),
        ("/items?base=Not+A+Slug", "base", ""),
        ("/bases?page=YWJj", "page", ""),
        ("/exhibitions?page=%FF%FE", "page", ""),
        ("/?lang=fr", "lang", "zh, mn, en"),
    ];
    for (uri, param, allowed) in cases {
        let r = app.get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(r.header("content-type").starts_with("text/html"), "{uri}");
        let html = r.text();
        assert!(
            html.contains("这个链接有问题"),
            "{uri}: a page in the visitor's language"
        );
        assert!(
            html.contains(&format!("参数 {param} 的值")),
            "{uri}: names the parameter: {html}"
        );
        assert!(html.contains(allowed), "{uri}: names the valid values");
    }
    let long = format!("/items?q={}", "长".repeat(101));
    assert_eq!(app.get(&long).await.status, StatusCode::BAD_REQUEST);
    let en = app
        .get_with(
            "/items?category=dance",
            &[("accept-language", "en-US,en;q=0.9")],
        )
        .await;
    assert!(
        en.text().contains("Something is wrong with this link"),
        "in English for English readers"
    );
}

#[tokio::test]
async fn unknown_addresses_get_a_404_page_in_the_visitors_language() {
    let app = TestApp::with_samples().await;
    for uri in [
        "/items/no-such-item",
        "/items/NOT..A..SLUG",
        "/bases/nowhere",
        "/exhibitions/none",
        "/q/NOPE-1",
        "/no/such/page",
    ] {
        let zh = app.get(uri).await;
        assert_eq!(zh.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(zh.text().contains("找不到这个页面"), "{uri}");
        assert!(
            zh.text().contains("href=\"/exhibitions\""),
            "{uri}: the 404 suggests where to go"
        );
        let en = app.get(&format!("{uri}?lang=en")).await;
        assert!(en.text().contains("Page not found"), "{uri}");
        let cookie = app.get_with(uri, &[("cookie", "lang=en")]).await;
        assert!(
            cookie.text().contains("<html lang=\"en\">"),
            "{uri}: the remembered language"
        );
    }
}

#[tokio::test]
async fn the_language_switch_is_remembered_and_announced() {
    let app = TestApp::with_samples().await;
    let r = app.get("/items/andai-dance?lang=en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.header("set-cookie").starts_with("lang=en;"),
        "remembered in a cookie"
    );
    assert!(r.header("vary").contains("Accept-Language"));
    let html = r.text();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Andai"), "English text");
    assert!(
        html.contains("hreflang=\"zh-Hans\""),
        "alternates for search engines"
    );
    assert!(
        html.contains("href=\"/items/andai-dance?lang=zh\""),
        "a way back to Chinese"
    );
    assert!(
        html.contains("lang=\"zh-Hans\">安代舞"),
        "the Chinese title is kept beside the English one"
    );
    let zh = app.page("/items/andai-dance").await;
    assert!(
        zh.contains("lang=\"en\">Andai"),
        "the record is bilingual in Chinese too"
    );
}

#[tokio::test]
async fn accession_short_links_open_the_item() {
    let app = TestApp::with_samples().await;
    let r = app.get("/q/KZH-0010").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/items/andai-dance");
}

#[tokio::test]
async fn pages_carry_security_headers_and_no_inline_script() {
    let app = TestApp::with_samples().await;
    let r = app.get("/items/morin-khuur-music").await;
    assert!(
        r.header("content-security-policy")
            .contains("script-src 'self'")
    );
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert!(!r.header("referrer-policy").is_empty());
    let html = r.text();
    let inline_scripts = html.matches("<script").count()
        - html
            .matches("<script type=\"application/ld+json\">")
            .count()
        - html.matches("<script src=").count();
    assert_eq!(inline_scripts, 0, "no inline script");
}

#[tokio::test]
async fn static_files_are_versioned_and_cached() {
    let app = TestApp::empty().await;
    let html = app.page("/").await;
    let css = links(&html)
        .into_iter()
        .find(|l| l.contains("site.css"))
        .expect("stylesheet link");
    assert!(css.contains("?v="), "{css}");
    let r = app.get(&css).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "text/css; charset=utf-8");
    assert!(r.header("cache-control").contains("immutable"));
    let etag = r.header("etag").to_owned();
    assert_eq!(
        app.get_with(&css, &[("if-none-match", &etag)]).await.status,
        StatusCode::NOT_MODIFIED
    );
    assert_eq!(
        app.get("/static/../Cargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_empty_catalogue_says_so() {
    let app = TestApp::empty().await;
    let html = app.page("/").await;
    assert!(html.contains("这里还没有公开的内容"));
    app.page("/items").await;
    app.page("/exhibitions").await;
    app.page("/bases").await;
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::empty().await;
    let r = app.get("/healthz").await;
    assert_eq!((r.status, r.text().as_str()), (StatusCode::OK, "ok\n"));
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.json()["database"]["backend"], app.state.backend);
    let store = match std::env::var("EDUBASE_TEST_S3_URL") {
        Ok(_) => "s3",
        Err(_) => "memory",
    };
    assert_eq!(ready.json()["media"]["store"], store);
    let metrics = app.get("/metrics").await;
    assert!(
        metrics
            .header("content-type")
            .starts_with("text/plain; version=0.0.4")
    );
    let text = metrics.text();
    assert!(
        text.contains("edubase_database_up 1\n") && text.contains("edubase_jobs_queued 0\n"),
        "{text}"
    );
}

#[tokio::test]
async fn an_exhibition_prints_bilingual_labels_with_qr_codes_for_the_base() {
    let app = TestApp::with_samples().await;
    // A Mongolian title, as a curator would add it (test fixture: ᠮᠣᠷᠢᠨ ᠬᠤᠭᠤᠷ "morin quγur").
    crate::search::edit(&app, "morin-khuur-music", |f| {
        f.title.mn = Some("ᠮᠣᠷᠢᠨ ᠬᠤᠭᠤᠷ".into());
    })
    .await;
    let show = app.page("/exhibitions/voices-of-horqin").await;
    assert!(show.contains("href=\"/exhibitions/voices-of-horqin/labels\""));

    let r = app.get("/exhibitions/voices-of-horqin/labels").await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert_eq!(
        html.matches("<li class=\"label\">").count(),
        7,
        "one label per stop"
    );
    assert_eq!(html.matches("<svg").count(), 7, "each with its QR code");
    let item = app.item("urliger").await.unwrap();
    let accession = item.fields.accession.to_string();
    assert!(
        html.contains(&format!("/q/{accession}</p>")),
        "the QR code's address is printed"
    );
    assert!(html.contains("乌力格尔"), "Chinese title");
    assert!(
        html.contains("class=\"label-mongol mongol-vertical\" lang=\"mn-Mong\">ᠮᠣᠷᠢᠨ ᠬᠤᠭᠤᠷ<"),
        "the Mongolian title is set vertically in its own strip"
    );
    assert!(html.contains("css/labels.css"), "A4 print styles");
    let short = app.get(&format!("/q/{accession}")).await;
    assert_eq!(short.status, StatusCode::SEE_OTHER);
    assert_eq!(short.header("location"), "/items/urliger");

    assert_eq!(
        app.get("/exhibitions/no-such-exhibition/labels")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
