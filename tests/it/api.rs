//! The JSON API, read side.

use crate::helpers::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn items_list_with_stable_fields_and_next_links() {
    let app = TestApp::with_samples().await;
    let r = app
        .get("/api/v1/items?limit=5&category=traditional_music")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/json");
    let body = r.json();
    let data = body["data"].as_array().unwrap();
    assert!(!data.is_empty() && data.len() <= 5);
    let first = &data[0];
    for field in [
        "slug",
        "accession",
        "title",
        "summary",
        "category",
        "base",
        "url",
        "api_url",
    ] {
        assert!(first.get(field).is_some(), "missing {field}: {first}");
    }
    assert!(data.iter().all(|i| i["category"] == "traditional_music"));
    assert!(first["title"]["zh"].is_string() && first["title"]["en"].is_string());
    assert!(
        first["url"]
            .as_str()
            .unwrap()
            .starts_with("http://edubase.test/items/"),
        "absolute URLs"
    );
}

#[tokio::test]
async fn one_item_carries_media_credits_and_exhibitions() {
    let app = TestApp::with_samples().await;
    let item = app.get("/api/v1/items/morin-khuur-music").await.json();
    assert_eq!(item["category"], "traditional_music");
    assert_eq!(item["protection_level"], "national");
    let media = &item["media"][0];
    assert_eq!(media["kind"], "image");
    assert_eq!(media["mime"], "image/jpeg");
    assert_eq!(media["rights_label"], "CC0 1.0");
    assert!(media["credit"].as_str().unwrap().contains("Suragch"));
    assert!(
        media["urls"]["w400"]
            .as_str()
            .unwrap()
            .ends_with("/w400.jpg")
    );
    assert!(media["alt"]["zh"].is_string());
    assert!(
        item["exhibitions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["slug"] == "voices-of-horqin")
    );
}

#[tokio::test]
async fn bases_and_exhibitions_are_listed_and_shown() {
    let app = TestApp::with_samples().await;
    let bases = app.get("/api/v1/bases").await.json();
    assert!(bases["data"].as_array().unwrap().len() >= 2);
    let base = app.get("/api/v1/bases/banner-heritage-hall").await.json();
    assert_eq!(base["kind"], "museum");
    let list = app.get("/api/v1/exhibitions?limit=1").await.json();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert!(list["next"].as_str().unwrap().contains("page="));
    let ex = app.get("/api/v1/exhibitions/voices-of-horqin").await.json();
    let stops = ex["stops"].as_array().unwrap();
    assert_eq!(stops.len(), 7);
    assert_eq!(stops[0]["number"], 1);
    assert!(stops[0]["narrative"]["zh"].is_string());
    assert_eq!(ex["stop_count"], 7);
}

#[tokio::test]
async fn api_errors_are_json_with_a_stable_code() {
    let app = TestApp::with_samples().await;
    for (uri, status, code) in [
        ("/api/v1/items/nope", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/nothing-here", StatusCode::NOT_FOUND, "not_found"),
        (
            "/api/v1/items?limit=0",
            StatusCode::BAD_REQUEST,
            "bad_param",
        ),
        (
            "/api/v1/items?limit=abc",
            StatusCode::BAD_REQUEST,
            "bad_param",
        ),
        (
            "/api/v1/items?limit=101",
            StatusCode::BAD_REQUEST,
            "bad_param",
        ),
        (
            "/api/v1/items?category=x",
            StatusCode::BAD_REQUEST,
            "bad_param",
        ),
        (
            "/api/v1/items?page=%%%",
            StatusCode::BAD_REQUEST,
            "bad_param",
        ),
        (
            "/api/v1/exhibitions?page=YWJj",
            StatusCode::BAD_REQUEST,
            "bad_param",
        ),
    ] {
        let r = app.get(uri).await;
        assert_eq!(r.status, status, "{uri}");
        let body = r.json();
        assert_eq!(body["code"], code, "{uri}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{uri}"
        );
    }
    let r = app.get("/api/v1/items?limit=500").await.json();
    assert_eq!(r["param"], "limit");
    assert!(r["message"].as_str().unwrap().contains("1 to 100"));
}
