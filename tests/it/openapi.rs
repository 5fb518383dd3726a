//! `/api/v1/openapi.json`, checked against the API itself: every path it names answers,
//! and every answer of the API validates against the schema the document gives for it
//! (JSON Schema 2020-12, with no undocumented field at the top level).

use crate::helpers::TestApp;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// Checks `instance` against the component schema `name` of `doc`.
fn check(doc: &Value, name: &str, instance: &Value, what: &str) {
    let schema = json!({
        "$ref": format!("#/components/schemas/{name}"),
        "unevaluatedProperties": false,
        "components": doc["components"],
    });
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match {name}: {errors:#?}"
    );
}

/// The component a path's 200 answer is described by.
fn answer_schema(doc: &Value, path: &str) -> String {
    let r = &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        ["$ref"];
    r.as_str()
        .unwrap_or_else(|| panic!("{path} has a 200 schema"))
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_description_matches_what_the_api_answers() {
    let app = TestApp::with_samples().await;
    crate::panoramas::hall_panorama(&app).await;
    let r = app.get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/json");
    assert_eq!(r.header("access-control-allow-origin"), "*");
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(doc["servers"][0]["url"], "http://edubase.test");

    let examples = [
        ("/api/v1/items", "/api/v1/items?limit=5"),
        ("/api/v1/items/{slug}", "/api/v1/items/urliger"),
        ("/api/v1/search", "/api/v1/search?q=马头琴"),
        ("/api/v1/bases", "/api/v1/bases"),
        ("/api/v1/bases/{slug}", "/api/v1/bases/banner-heritage-hall"),
        ("/api/v1/exhibitions", "/api/v1/exhibitions"),
        (
            "/api/v1/exhibitions/{slug}",
            "/api/v1/exhibitions/voices-of-horqin",
        ),
    ];
    let documented: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(
        documented.len(),
        examples.len(),
        "every documented path has an example here: {documented:?}"
    );
    for (path, example) in examples {
        assert!(
            documented.iter().any(|p| *p == path),
            "{path} is documented"
        );
        let answer = app.get(example).await;
        assert_eq!(answer.status, StatusCode::OK, "{example}");
        check(&doc, &answer_schema(&doc, path), &answer.json(), example);
    }

    let hall = app.get("/api/v1/bases/banner-heritage-hall").await.json();
    let spot = &hall["panoramas"][0]["spots"][0];
    assert_eq!(spot["x"], 0.25, "the hall panorama was checked too: {hall}");
    assert!(
        spot["api_url"]
            .as_str()
            .unwrap()
            .ends_with("/api/v1/items/urliger")
    );
    assert!(
        hall["panoramas"][0]["urls"]["w4096"]
            .as_str()
            .unwrap()
            .ends_with("/w4096.jpg")
    );

    // Errors have their documented shape too.
    let bad = app.get("/api/v1/items?limit=0").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    check(&doc, "ErrorDto", &bad.json(), "a bad limit");
    let missing = app.get("/api/v1/items/no-such-item").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    check(&doc, "ErrorDto", &missing.json(), "a missing item");

    // The check can fail: an undocumented field is caught.
    let mut item = app.get("/api/v1/items/urliger").await.json();
    item["surprise"] = json!(1);
    let schema = json!({
        "$ref": "#/components/schemas/ItemDto",
        "unevaluatedProperties": false,
        "components": doc["components"],
    });
    assert!(!jsonschema::is_valid(&schema, &item));
}
