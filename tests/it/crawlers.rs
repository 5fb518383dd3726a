//! What search engines and feed readers fetch, fetched as they do: robots.txt pointing to
//! the sitemap index, every public page in the sitemaps (and nothing private), and the
//! Atom feed, newest change first, in the reader's language.

use crate::helpers::{HALL, TestApp};
use crate::oai::well_formed;
use axum::http::StatusCode;
use edubase::catalogue::repo::ItemQuery;
use edubase::catalogue::types::{Accession, Slug, Status};
use edubase::repo::{Actor, Visibility};

fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap().to_owned())
        .collect()
}

async fn xml(app: &TestApp, uri: &str, content_type: &str) -> String {
    let r = app.get(uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}");
    assert_eq!(r.header("content-type"), content_type, "{uri}");
    let text = r.text();
    well_formed(&text);
    text
}

#[tokio::test]
async fn robots_and_sitemaps_list_every_public_page_and_nothing_else() {
    let app = TestApp::with_samples().await;
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, StatusCode::OK);
    assert_eq!(robots.header("content-type"), "text/plain; charset=utf-8");
    let text = robots.text();
    assert!(text.contains("Disallow: /admin/") && text.contains("Disallow: /visit/"));
    assert!(text.contains("Sitemap: http://edubase.test/sitemap.xml"));

    // A draft must not be announced to search engines.
    let model = app.item("urliger").await.unwrap();
    let mut draft = model.fields.clone();
    draft.accession = Accession::parse("DRAFT-1").unwrap();
    draft.slug = Slug::parse("secret-draft").unwrap();
    draft.status = Status::Draft;
    app.state
        .editor
        .create_item(&draft, &model.base.slug, &Actor::system("test"))
        .await
        .unwrap();

    let index = xml(&app, "/sitemap.xml", "application/xml; charset=utf-8").await;
    let sitemaps = locs(&index);
    assert_eq!(
        sitemaps,
        [
            "http://edubase.test/sitemaps/pages",
            "http://edubase.test/sitemaps/items/0"
        ]
    );
    let mut pages = Vec::new();
    for sitemap in &sitemaps {
        let path = sitemap.strip_prefix("http://edubase.test").unwrap();
        let set = xml(&app, path, "application/xml; charset=utf-8").await;
        assert_eq!(
            set.matches("hreflang=\"x-default\"").count(),
            locs(&set).len(),
            "each address with its language alternates"
        );
        pages.extend(locs(&set));
    }
    let published = app
        .state
        .catalogue
        .list_items(&ItemQuery::all(Visibility::Public, 1000))
        .await
        .unwrap()
        .items;
    for item in &published {
        let url = format!("http://edubase.test/items/{}", item.slug);
        assert!(pages.contains(&url), "{url}");
    }
    assert_eq!(
        pages.iter().filter(|p| p.contains("/items/")).count(),
        published.len()
    );
    assert!(!pages.iter().any(|p| p.contains("secret-draft")));
    assert!(pages.contains(&format!("http://edubase.test/bases/{HALL}")));
    assert!(pages.contains(&"http://edubase.test/exhibitions/voices-of-horqin".to_owned()));
    let stops = app
        .state
        .catalogue
        .exhibition(
            &edubase::catalogue::types::Slug::parse("voices-of-horqin").unwrap(),
            Visibility::Public,
        )
        .await
        .unwrap()
        .unwrap()
        .stops
        .len();
    for n in 1..=stops {
        let stop = format!("http://edubase.test/exhibitions/voices-of-horqin/stops/{n}");
        assert!(pages.contains(&stop), "{stop}");
    }
    let beyond = format!(
        "http://edubase.test/exhibitions/voices-of-horqin/stops/{}",
        stops + 1
    );
    assert!(!pages.contains(&beyond));
    assert!(pages.contains(&"http://edubase.test/".to_owned()));
    assert!(
        !pages
            .iter()
            .any(|p| p.contains("/admin") || p.contains("/visit"))
    );
    let en = "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"http://edubase.test/items/urliger?lang=en\"/>";
    let items0 = xml(&app, "/sitemaps/items/0", "application/xml; charset=utf-8").await;
    assert!(items0.contains(en), "{items0}");

    for missing in [
        "/sitemaps/items/1",
        "/sitemaps/items/-1",
        "/sitemaps/items/x",
    ] {
        assert_eq!(
            app.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

#[tokio::test]
async fn the_feed_starts_with_the_newest_change_in_the_readers_language() {
    let app = TestApp::with_samples().await;
    crate::search::edit(&app, "mongolian-ger", |f| {
        f.summary.en = Some("Updated just now.".into());
    })
    .await;
    let zh = xml(&app, "/feed.atom", "application/atom+xml; charset=utf-8").await;
    assert!(zh.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-Hans\">"));
    assert!(zh.contains("<link rel=\"self\" href=\"http://edubase.test/feed.atom\"/>"));
    let first = zh.split("<entry>").nth(1).expect("entries");
    assert!(first.contains("<title>蒙古包</title>"), "{first}");
    let ger = app.item("mongolian-ger").await.unwrap();
    assert!(first.contains(&format!(
        "<id>http://edubase.test/q/{}</id>",
        ger.fields.accession
    )));
    assert!(first.contains("rel=\"enclosure\" type=\"image/jpeg\""));
    let entries = zh.matches("<entry>").count();
    let published = app
        .state
        .catalogue
        .list_items(&ItemQuery::all(Visibility::Public, 1000))
        .await
        .unwrap()
        .items
        .len();
    assert_eq!(entries, published.min(30));
    let updated: Vec<&str> = zh
        .split("<entry>")
        .skip(1)
        .map(|e| {
            e.split("<updated>")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
        })
        .collect();
    let mut sorted = updated.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, sorted, "newest first");

    let home = app.page("/?lang=en").await;
    assert!(
        home.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Digital Education Base\" href=\"/feed.atom?lang=en\">"),
        "pages lead feed readers to the feed"
    );
    let en = xml(
        &app,
        "/feed.atom?lang=en",
        "application/atom+xml; charset=utf-8",
    )
    .await;
    let first = en.split("<entry>").nth(1).unwrap();
    assert!(
        first.contains("<summary>Updated just now.</summary>"),
        "{first}"
    );
    assert!(en.contains("xml:lang=\"en\""));
}
