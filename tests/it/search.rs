//! Search over the sample exhibits: every analysis path (Chinese words and characters,
//! pinyin, initials, English with stemming and typos, Mongolian with and without variation
//! selectors, Menksoft input, accession numbers, inheritors), nothing-found pages, and
//! unpublished items never shown.

use crate::helpers::TestApp;
use axum::http::StatusCode;
use edubase::catalogue::model::Item;
use edubase::catalogue::types::{Slug, Status};
use edubase::i18n::LocalizedText;
use edubase::repo::Actor;

/// Test fixtures, not catalogue content: the samples carry no Mongolian text and no
/// inheritors yet, so the tests add a Mongolian title to two items (ᠮᠣᠷᠢᠨ ᠬᠤᠭᠤᠷ
/// "morin quγur"; ᠣᠪᠣᠭ᠎ᠠ "oboγ-a", written with the vowel separator) and an invented
/// inheritor's name to one.
async fn app_with_fixtures() -> TestApp {
    let app = TestApp::with_samples().await;
    edit(&app, "morin-khuur-music", |f| {
        f.title.mn = Some("ᠮᠣᠷᠢᠨ ᠬᠤᠭᠤᠷ".into());
    })
    .await;
    edit(&app, "ovoo", |f| f.title.mn = Some("ᠣᠪᠣᠭ\u{180E}ᠠ".into())).await;
    edit(&app, "urliger", |f| {
        f.inheritors = vec![LocalizedText {
            zh: Some("宝音德力格尔".into()),
            mn: None,
            en: Some("Buyandelger".into()),
        }];
    })
    .await;
    app
}

/// An item of the catalogue, published or not.
pub async fn item(app: &TestApp, slug: &str) -> Item {
    app.item(slug).await.unwrap()
}

pub async fn edit(
    app: &TestApp,
    slug: &str,
    change: impl FnOnce(&mut edubase::catalogue::model::ItemFields),
) {
    let item = item(app, slug).await;
    let mut fields = item.fields.clone();
    change(&mut fields);
    app.state
        .editor
        .update_item(
            item.id,
            item.revision,
            &fields,
            &item.base.slug,
            &Actor::system("test"),
        )
        .await
        .unwrap()
        .unwrap();
}

/// The slugs of the first three hits.
pub async fn top3(app: &TestApp, q: &str) -> Vec<String> {
    let mut s = form_urlencoded::Serializer::new(String::new());
    s.append_pair("q", q);
    s.append_pair("limit", "3");
    let r = app.get(&format!("/api/v1/search?{}", s.finish())).await;
    assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.text());
    r.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["slug"].as_str().unwrap().to_owned())
        .collect()
}

/// (query, expected item in the top 3, what the case covers)
const CASES: &[(&str, &str, &str)] = &[
    ("安代舞", "andai-dance", "Chinese word"),
    ("安代", "andai-dance", "part of a word"),
    (
        "马具",
        "mongolian-horse-gear-craft",
        "two-character word inside a title",
    ),
    ("史诗", "horqin-chuur-epic", "two-character word"),
    ("呼麦", "khoomei", "two-character word"),
    ("乌力格尔", "urliger", "dictionary term"),
    ("好来宝", "holboo", "dictionary term, variant spelling"),
    ("好力保", "holboo", "dictionary term"),
    ("马头琴", "morin-khuur-music", "dictionary term"),
    ("潮尔", "horqin-chuur-epic", "dictionary term"),
    ("蒙医整骨", "mongolian-bone-setting", "dictionary term"),
    ("整骨", "mongolian-bone-setting", "word inside a title"),
    ("敖包", "ovoo", "Chinese word"),
    ("鼻烟壶", "snuff-bottles", "Chinese word"),
    ("蒙古包", "mongolian-ger", "Chinese word"),
    ("搏克", "boke-wrestling", "Chinese word"),
    ("嘎拉哈", "shagai-ankle-bone-games", "Chinese word"),
    ("头饰", "womens-headdresses", "Chinese word"),
    ("蒙古族 马具", "mongolian-horse-gear-craft", "two words"),
    ("琴", "morin-khuur-music", "single character"),
    ("袍", "mongolian-deel", "single character"),
    ("andaiwu", "andai-dance", "full pinyin"),
    ("wuligeer", "urliger", "full pinyin"),
    ("matouqin", "morin-khuur-music", "full pinyin"),
    ("humai", "khoomei", "full pinyin"),
    ("aobao", "ovoo", "full pinyin"),
    ("adw", "andai-dance", "pinyin initials"),
    ("wlge", "urliger", "pinyin initials"),
    ("mtq", "morin-khuur-music", "pinyin initials"),
    ("Andai", "andai-dance", "English, case"),
    ("wrestlers", "boke-wrestling", "English stemming"),
    ("calligraphy", "mongolian-calligraphy", "English"),
    ("headdress", "womens-headdresses", "English stemming"),
    ("throat singing", "khoomei", "English, two words"),
    ("BÖKH", "boke-wrestling", "accent and case folding"),
    ("bokh", "boke-wrestling", "accent folding"),
    (
        "calligrapy",
        "mongolian-calligraphy",
        "typo: missing letter",
    ),
    ("wrestlnig", "boke-wrestling", "typo: swapped letters"),
    ("khoomie", "khoomei", "typo"),
    ("snuf", "snuff-bottles", "typo in a short word"),
    ("ᠮᠣᠷᠢᠨ", "morin-khuur-music", "Mongolian word"),
    ("ᠮᠣᠷᠢᠨ ᠬᠤᠭᠤᠷ", "morin-khuur-music", "Mongolian words"),
    (
        "ᠮᠣᠷᠢᠨ\u{180B}",
        "morin-khuur-music",
        "Mongolian with a free variation selector",
    ),
    ("ᠣᠪᠣᠭᠠ", "ovoo", "Mongolian without the vowel separator"),
    (
        "ᠣᠪᠣᠭ\u{180E}ᠠ",
        "ovoo",
        "Mongolian with the vowel separator",
    ),
    (
        "\u{E2F2}\u{E289}\u{E327}\u{E27E}\u{E2B5}",
        "morin-khuur-music",
        "Menksoft private-use input",
    ),
    ("KZH-0010", "andai-dance", "accession number"),
    ("kzh0008", "urliger", "accession number, compact"),
    ("GQK-0003", "ovoo", "accession number"),
    ("宝音德力格尔", "urliger", "inheritor, Chinese"),
    ("Buyandelger", "urliger", "inheritor, Latin"),
];

#[tokio::test]
async fn the_search_table_finds_each_expected_item_in_the_top_three() {
    assert!(CASES.len() >= 40);
    let app = app_with_fixtures().await;
    let mut failures = Vec::new();
    for (q, slug, what) in CASES {
        let got = top3(&app, q).await;
        if !got.iter().any(|s| s == slug) {
            failures.push(format!("{q:?} ({what}): wanted {slug}, got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn titles_rank_above_descriptions() {
    let app = TestApp::with_samples().await;
    // 马头琴 is the title of one item and appears in the text of others.
    assert_eq!(top3(&app, "马头琴").await[0], "morin-khuur-music");
    assert_eq!(top3(&app, "呼麦").await[0], "khoomei");
}

#[tokio::test]
async fn results_page_highlights_matches_and_counts_facets() {
    let app = TestApp::with_samples().await;
    let html = app.page("/items?q=%E5%AE%89%E4%BB%A3").await;
    assert!(html.contains("<mark>安代</mark>"), "highlighted title");
    assert!(html.contains("class=\"facets\""), "facets shown");
    assert!(html.contains("/items/andai-dance"));
    let api = app.get("/api/v1/search?q=%E8%92%99%E5%8F%A4").await.json();
    let total = api["total"].as_i64().unwrap();
    let by_category: i64 = api["facets"]["category"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_i64().unwrap())
        .sum();
    assert!(total > 1);
    assert_eq!(by_category, total, "facets count the same hits");
    // A filter narrows both the hits and the counts.
    let craft = app
        .get("/api/v1/search?q=%E8%92%99%E5%8F%A4&category=traditional_craft")
        .await
        .json();
    assert!(craft["total"].as_i64().unwrap() < total);
    assert_eq!(
        craft["facets"]["category"].as_object().unwrap().len(),
        1,
        "{craft}"
    );
}

#[tokio::test]
async fn highlights_are_escaped() {
    let app = TestApp::with_samples().await;
    let html = app.page("/items?q=%3Cscript%3Eandai").await;
    assert!(!html.contains("<script>andai"), "query text is escaped");
    let api = app.get("/api/v1/search?q=%3Cb%3E").await;
    assert_eq!(api.status, StatusCode::OK);
}

#[tokio::test]
async fn nothing_found_says_so_and_helps() {
    let app = TestApp::with_samples().await;
    let html = app.page("/items?q=xyzzyqq").await;
    assert!(html.contains("没有找到符合条件的藏品") && html.contains("andaiwu"));
    assert!(
        html.contains("/items?category="),
        "offers the categories to browse"
    );
    let html = app
        .page("/items?q=%E9%A9%AC%E5%A4%B4%E7%90%B4&category=folk_custom")
        .await;
    assert!(html.contains("没有找到符合条件的藏品") && html.contains("andaiwu"));
    assert!(
        html.contains("href=\"/items?q=%E9%A9%AC%E5%A4%B4%E7%90%B4\""),
        "offers the same search without filters"
    );
    let api = app.get("/api/v1/search?q=xyzzyqq").await.json();
    assert_eq!(api["total"], 0);
    assert_eq!(api["data"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn drafts_and_archived_items_never_appear() {
    let app = TestApp::with_samples().await;
    let andai = item(&app, "andai-dance").await;
    let mut draft = andai.fields.clone();
    draft.accession = edubase::catalogue::types::Accession::parse("TEST-0001").unwrap();
    draft.slug = Slug::parse("secret-draft").unwrap();
    draft.status = Status::Draft;
    draft.title.en = Some("Zanzibarian draft".into());
    app.state
        .editor
        .create_item(&draft, &andai.base.slug, &Actor::system("test"))
        .await
        .unwrap();
    app.state
        .editor
        .set_item_status(
            andai.id,
            andai.revision,
            Status::Archived,
            &Actor::system("test"),
        )
        .await
        .unwrap()
        .unwrap();
    for q in ["zanzibarian", "安代舞", "andaiwu", "TEST-0001", "KZH-0010"] {
        let hits = top3(&app, q).await;
        assert!(hits.is_empty(), "{q}: {hits:?}");
        let html = app.page(&format!("/items?q={}", urlencode(q))).await;
        assert!(!html.contains("secret-draft") && !html.contains("/items/andai-dance"));
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn a_second_server_on_the_same_database_finds_what_the_first_published() {
    // On PostgreSQL when the suite runs there (CI), else on one SQLite file.
    let (first, second) = TestApp::pair().await;
    first.import(std::path::Path::new("exhibits")).await;
    assert_eq!(top3(&second, "andaiwu").await, ["andai-dance"]);
    // What the second server has answered (and may keep) must not hide the change.
    assert!(top3(&second, "quetzalcoatl").await.is_empty());
    assert!(
        top3(&second, "khoomei")
            .await
            .contains(&"khoomei".to_owned())
    );
    let item = item(&first, "khoomei").await;
    let mut f = item.fields.clone();
    f.title.en = Some("Khoomei, the Quetzalcoatl song".into());
    first
        .state
        .editor
        .update_item(
            item.id,
            item.revision,
            &f,
            &item.base.slug,
            &Actor::system("t"),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(top3(&second, "quetzalcoatl").await, ["khoomei"]);
    // A draft is not found; once the first server publishes it, the second finds it.
    let mut draft = f.clone();
    draft.accession = edubase::catalogue::types::Accession::parse("TEST-0002").unwrap();
    draft.slug = Slug::parse("xylophonic-newcomer").unwrap();
    draft.status = Status::Draft;
    draft.title.en = Some("Xylophonic newcomer".into());
    let id = first
        .state
        .editor
        .create_item(&draft, &item.base.slug, &Actor::system("t"))
        .await
        .unwrap();
    assert!(top3(&second, "xylophonic").await.is_empty());
    first
        .state
        .editor
        .set_item_status(id, 1, Status::Published, &Actor::system("t"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(top3(&second, "xylophonic").await, ["xylophonic-newcomer"]);
}

#[tokio::test]
async fn pages_of_hits_follow_each_other_without_repeats() {
    let app = TestApp::with_samples().await;
    let mut seen = Vec::new();
    let mut url = "/api/v1/search?q=%E8%92%99&limit=2".to_owned();
    loop {
        let page = app.get(&url).await.json();
        for hit in page["data"].as_array().unwrap() {
            seen.push(hit["slug"].as_str().unwrap().to_owned());
        }
        match page["next"].as_str() {
            Some(next) => url = next.trim_start_matches("http://edubase.test").to_owned(),
            None => break,
        }
    }
    let total = app.get("/api/v1/search?q=%E8%92%99").await.json()["total"]
        .as_i64()
        .unwrap();
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no repeats: {seen:?}");
    assert_eq!(seen.len() as i64, total);
}

#[tokio::test]
async fn reindex_rebuilds_every_items_tokens() {
    let app = TestApp::with_samples().await;
    let mut calls = 0;
    let n = edubase::app::reindex(&app.state, true, &mut |_, _| calls += 1)
        .await
        .unwrap();
    assert_eq!(n, 20);
    assert!(calls >= 1);
    assert_eq!(app.state.search.index_counts().await.unwrap(), (20, 20));
    assert_eq!(top3(&app, "adw").await[0], "andai-dance");
}

#[tokio::test]
async fn the_period_facet_counts_centuries_and_filters_by_them() {
    let app = TestApp::with_samples().await;
    edit(&app, "andai-dance", |f| f.year = Some(1850)).await;
    edit(&app, "urliger", |f| f.year = Some(1900)).await;
    edit(&app, "ovoo", |f| f.year = Some(1901)).await;
    let q = "/api/v1/search?q=%E8%92%99&limit=50";
    let all = app.get(q).await.json();
    let periods = all["facets"]["period"].as_object().unwrap();
    assert_eq!(periods["19"], 2, "{periods:?}");
    assert_eq!(periods["20"], 1, "{periods:?}");
    let nineteenth = app.get(&format!("{q}&period=19")).await.json();
    assert_eq!(nineteenth["total"], 2);
    let mut slugs: Vec<&str> = nineteenth["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["slug"].as_str().unwrap())
        .collect();
    slugs.sort();
    assert_eq!(slugs, ["andai-dance", "urliger"]);
    assert_eq!(
        nineteenth["facets"]["category"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_i64().unwrap())
            .sum::<i64>(),
        2,
        "the other facets count the filtered hits"
    );
    let html = app.page("/items?q=%E8%92%99").await;
    assert!(html.contains("1801–1900年"), "period facet shown");
    assert!(html.contains("period=19"), "and links to its filter");
    let html = app.page("/items?q=%E8%92%99&period=19").await;
    assert!(html.contains("/items/andai-dance") && !html.contains("/items/ovoo\""));
    assert_eq!(
        app.get("/api/v1/search?q=a&period=1800").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_media_facet_follows_the_items_media() {
    let app = TestApp::with_samples().await;
    let q = "/api/v1/search?q=%E8%92%99&limit=50";
    let all = app.get(q).await.json();
    let images = all["facets"]["media"]["image"].as_i64().unwrap();
    assert!(images > 0 && images < all["total"].as_i64().unwrap());
    let with_images = app.get(&format!("{q}&media=image")).await.json();
    assert_eq!(with_images["total"].as_i64().unwrap(), images);
    assert_eq!(with_images["data"].as_array().unwrap().len() as i64, images);
    for hit in with_images["data"].as_array().unwrap() {
        let slug = hit["slug"].as_str().unwrap();
        let item = item(&app, slug).await;
        assert!(
            item.media
                .iter()
                .any(|m| m.kind == edubase::catalogue::types::MediaKind::Image),
            "{slug} has an image"
        );
    }
    // Removing an item's images takes it out of the image facet at once.
    let slug = with_images["data"][0]["slug"].as_str().unwrap();
    let item = item(&app, slug).await;
    for m in &item.media {
        app.state
            .editor
            .remove_media(item.id, m.id, &Actor::system("test"))
            .await
            .unwrap();
    }
    let after = app.get(&format!("{q}&media=image")).await.json();
    assert_eq!(after["total"].as_i64().unwrap(), images - 1);
    assert!(!after.to_string().contains(&format!("\"slug\":\"{slug}\"")));
}
