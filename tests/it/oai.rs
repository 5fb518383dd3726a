//! OAI-PMH at `/oai`, harvested the way an aggregator does: Identify, formats and sets,
//! a full harvest page by page with resumption tokens, selective harvesting by date and
//! set, a withdrawn item reported as deleted, and every protocol error as §3.6 names it.

use crate::helpers::{HALL, TestApp, TestResponse};
use axum::http::StatusCode;
use edubase::catalogue::types::{Accession, Slug, Status};
use edubase::repo::Actor;
use quick_xml::Reader;
use quick_xml::events::Event;

async fn oai(app: &TestApp, query: &str) -> String {
    let r = app.get(&format!("/oai?{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{query}");
    assert_eq!(r.header("content-type"), "text/xml; charset=utf-8");
    let xml = r.text();
    well_formed(&xml);
    xml
}

/// Parses the whole document; panics on any XML error.
pub(crate) fn well_formed(xml: &str) {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML: {e}\n{xml}"),
        }
    }
    assert_eq!(depth, 0, "every element is closed");
}

/// The text of every `<name>` element.
fn all(xml: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}>");
    xml.split(&open)
        .skip(1)
        .map(|s| s.split(&format!("</{name}>")).next().unwrap().to_owned())
        .collect()
}

fn error_code(xml: &str) -> Option<String> {
    let start = xml.find("<error code=\"")? + 13;
    Some(xml[start..start + xml[start..].find('"')?].to_owned())
}

fn token(xml: &str) -> Option<String> {
    let start = xml.find("<resumptionToken")?;
    let rest = &xml[start..];
    let close = rest.find('>')?;
    if rest[..close].ends_with('/') {
        return None;
    }
    Some(rest[close + 1..rest.find("</resumptionToken>")?].to_owned())
}

/// Adds `n` published copies of an item, so lists need more than one page.
async fn add_items(app: &TestApp, n: usize) {
    let model = app.item("urliger").await.unwrap();
    for i in 0..n {
        let mut fields = model.fields.clone();
        fields.accession = Accession::parse(&format!("OAI-{i:04}")).unwrap();
        fields.slug = Slug::parse(&format!("oai-item-{i}")).unwrap();
        fields.status = Status::Published;
        app.state
            .editor
            .create_item(&fields, &model.base.slug, &Actor::system("test"))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn identify_formats_and_sets_describe_the_repository() {
    let app = TestApp::with_samples().await;
    let xml = oai(&app, "verb=Identify").await;
    assert!(xml.contains("<request verb=\"Identify\">http://edubase.test/oai</request>"));
    assert_eq!(all(&xml, "baseURL"), ["http://edubase.test/oai"]);
    assert_eq!(all(&xml, "protocolVersion"), ["2.0"]);
    assert_eq!(all(&xml, "adminEmail"), ["webmaster@edubase.test"]);
    assert_eq!(all(&xml, "deletedRecord"), ["transient"]);
    assert_eq!(all(&xml, "granularity"), ["YYYY-MM-DDThh:mm:ssZ"]);
    assert_eq!(all(&xml, "repositoryIdentifier"), ["edubase.test"]);
    let earliest = &all(&xml, "earliestDatestamp")[0];
    assert!(
        earliest.len() == 20 && earliest.ends_with('Z') && earliest.starts_with("20"),
        "{earliest}"
    );

    let formats = oai(&app, "verb=ListMetadataFormats").await;
    assert_eq!(all(&formats, "metadataPrefix"), ["oai_dc"]);
    let for_item = oai(
        &app,
        "verb=ListMetadataFormats&identifier=oai:edubase.test:KZH-0001",
    )
    .await;
    assert_eq!(error_code(&for_item), None, "{for_item}");
    let unknown = oai(
        &app,
        "verb=ListMetadataFormats&identifier=oai:edubase.test:NO-1",
    )
    .await;
    assert_eq!(error_code(&unknown).as_deref(), Some("idDoesNotExist"));

    let sets = oai(&app, "verb=ListSets").await;
    let specs = all(&sets, "setSpec");
    assert!(specs.contains(&format!("base:{HALL}")), "{specs:?}");
    assert!(specs.contains(&"category:quyi".to_owned()));
    assert!(all(&sets, "setName").contains(&"曲艺".to_owned()));
}

#[tokio::test]
async fn a_full_harvest_pages_with_tokens_and_sees_every_item_once() {
    let app = TestApp::with_samples().await;
    add_items(&app, 110).await;
    let published = app
        .state
        .catalogue
        .list_items(&edubase::catalogue::repo::ItemQuery::all(
            edubase::repo::Visibility::Public,
            1000,
        ))
        .await
        .unwrap()
        .items
        .len();
    assert!(published > 110);

    let mut seen = Vec::new();
    let mut pages = 0;
    let mut xml = oai(&app, "verb=ListRecords&metadataPrefix=oai_dc").await;
    loop {
        pages += 1;
        assert_eq!(error_code(&xml), None, "{xml}");
        let cursor = format!("cursor=\"{}\"", seen.len());
        seen.extend(all(&xml, "identifier"));
        assert_eq!(
            xml.matches("<oai_dc:dc ").count(),
            all(&xml, "identifier").len(),
            "every published record has its metadata"
        );
        match token(&xml) {
            Some(t) => {
                assert!(xml.contains(&cursor), "the token counts what came before");
                xml = oai(&app, &format!("verb=ListRecords&resumptionToken={t}")).await;
            }
            None => {
                if pages > 1 {
                    assert!(
                        xml.contains("<resumptionToken cursor=\"100\"/>"),
                        "the last page ends the list"
                    );
                }
                break;
            }
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(seen.len(), published);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no record twice");
    assert!(seen.contains(&"oai:edubase.test:OAI-0109".to_owned()));

    // Headers come 500 to a page, so the same list is one page of headers.
    let ids = oai(&app, "verb=ListIdentifiers&metadataPrefix=oai_dc").await;
    assert_eq!(all(&ids, "identifier").len(), published);
    assert_eq!(token(&ids), None);
    assert!(!ids.contains("<metadata>"));
}

#[tokio::test]
async fn records_are_dublin_core_in_every_language_and_withdrawn_items_are_deleted() {
    let app = TestApp::with_samples().await;
    let item = app.item("urliger").await.unwrap();
    let id = format!("oai:edubase.test:{}", item.fields.accession);
    let xml = oai(
        &app,
        &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={id}"),
    )
    .await;
    assert!(
        xml.contains("<dc:title xml:lang=\"zh-Hans\">乌力格尔</dc:title>"),
        "{xml}"
    );
    assert!(xml.contains("<dc:subject xml:lang=\"zh-Hans\">曲艺</dc:subject>"));
    assert!(
        xml.contains("<dc:subject xml:lang=\"en\">Storytelling and ballad singing</dc:subject>")
    );
    assert!(xml.contains("<dc:identifier>http://edubase.test/items/urliger</dc:identifier>"));
    assert!(
        xml.contains(
            "<dc:relation>http://edubase.test/iiif/3/items/urliger/manifest</dc:relation>"
        )
    );
    assert!(xml.contains(&format!("<dc:rights>{}</dc:rights>", item.fields.rights)));
    assert!(xml.contains(&format!("<setSpec>base:{}</setSpec>", item.base.slug)));
    assert!(xml.contains("<setSpec>category:quyi</setSpec>"));

    // Withdrawn: still listed, as deleted, without metadata.
    app.state
        .editor
        .set_item_status(
            item.id,
            item.revision,
            Status::Archived,
            &Actor::system("test"),
        )
        .await
        .unwrap()
        .unwrap();
    let gone = oai(
        &app,
        &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={id}"),
    )
    .await;
    assert!(gone.contains("<header status=\"deleted\">"), "{gone}");
    assert!(!gone.contains("<metadata>"));
    let list = oai(&app, "verb=ListIdentifiers&metadataPrefix=oai_dc").await;
    assert!(list.contains(&format!(
        "<header status=\"deleted\"><identifier>{id}</identifier>"
    )));

    // A draft is not in the repository at all.
    let mut draft = item.fields.clone();
    draft.accession = Accession::parse("OAI-DRAFT").unwrap();
    draft.slug = Slug::parse("oai-draft").unwrap();
    draft.status = Status::Draft;
    app.state
        .editor
        .create_item(&draft, &item.base.slug, &Actor::system("test"))
        .await
        .unwrap();
    assert!(app.item("oai-draft").await.is_some());
    let r = oai(
        &app,
        "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:edubase.test:OAI-DRAFT",
    )
    .await;
    assert_eq!(error_code(&r).as_deref(), Some("idDoesNotExist"));
    let list = oai(&app, "verb=ListIdentifiers&metadataPrefix=oai_dc").await;
    assert!(!list.contains("OAI-DRAFT"));
}

#[tokio::test]
async fn selective_harvesting_by_date_and_set() {
    let app = TestApp::with_samples().await;
    let everything = all(
        &oai(&app, "verb=ListIdentifiers&metadataPrefix=oai_dc").await,
        "identifier",
    )
    .len();
    let future = oai(
        &app,
        "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2999-01-01",
    )
    .await;
    assert_eq!(error_code(&future).as_deref(), Some("noRecordsMatch"));
    let past = oai(
        &app,
        "verb=ListIdentifiers&metadataPrefix=oai_dc&until=2000-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(error_code(&past).as_deref(), Some("noRecordsMatch"));
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let through_today = oai(
        &app,
        &format!("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2000-01-01&until={today}"),
    )
    .await;
    assert_eq!(
        all(&through_today, "identifier").len(),
        everything,
        "until is inclusive"
    );
    let quyi = oai(
        &app,
        "verb=ListIdentifiers&metadataPrefix=oai_dc&set=category:quyi",
    )
    .await;
    let in_set = all(&quyi, "identifier").len();
    assert!(in_set > 0 && in_set < everything);
    assert_eq!(
        quyi.matches("<setSpec>category:quyi</setSpec>").count(),
        in_set
    );
    let hall = oai(
        &app,
        &format!("verb=ListIdentifiers&metadataPrefix=oai_dc&set=base:{HALL}"),
    )
    .await;
    assert_eq!(
        hall.matches(&format!("<setSpec>base:{HALL}</setSpec>"))
            .count(),
        all(&hall, "identifier").len()
    );
}

#[tokio::test]
async fn protocol_errors_are_named_and_bad_requests_echo_no_arguments() {
    let app = TestApp::with_samples().await;
    let cases = [
        ("", "badVerb"),
        ("verb=Dance", "badVerb"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=Identify&extra=1", "badArgument"),
        ("verb=ListRecords", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2026-02-01&until=2026-01-01",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=marc21",
            "cannotDisseminateFormat",
        ),
        (
            "verb=ListRecords&resumptionToken=forged",
            "badResumptionToken",
        ),
        ("verb=ListSets&resumptionToken=x", "badResumptionToken"),
        (
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.org:KZH-0001",
            "idDoesNotExist",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&set=base:no-such-base",
            "noRecordsMatch",
        ),
    ];
    for (query, code) in cases {
        let xml = oai(&app, query).await;
        assert_eq!(error_code(&xml).as_deref(), Some(code), "{query}: {xml}");
        if code == "badVerb" || code == "badArgument" {
            assert!(
                xml.contains("<request>http://edubase.test/oai</request>"),
                "{query}: no attributes after {code}"
            );
        }
    }
    // Hostile bytes in an argument are escaped, never echoed raw.
    let xml = oai(
        &app,
        "verb=ListMetadataFormats&identifier=%3Cscript%3E%26%01",
    )
    .await;
    assert!(xml.contains("identifier=\"&lt;script&gt;&amp;\""), "{xml}");
}

#[tokio::test]
async fn requests_may_be_posted_as_forms_only() {
    let app = TestApp::with_samples().await;
    let form: TestResponse = app
        .send(
            "POST",
            "/oai",
            &[("content-type", "application/x-www-form-urlencoded")],
            b"verb=ListMetadataFormats".to_vec(),
            None,
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text()
            .contains("<metadataPrefix>oai_dc</metadataPrefix>")
    );
    let json = app
        .send(
            "POST",
            "/oai",
            &[("content-type", "application/json")],
            b"{\"verb\":\"Identify\"}".to_vec(),
            None,
        )
        .await;
    assert_eq!(json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_listed_record_is_the_record_get_record_gives() {
    let app = TestApp::with_samples().await;
    let list = oai(&app, "verb=ListRecords&metadataPrefix=oai_dc").await;
    let metadata = |xml: &str, id: &str| -> String {
        let at = xml.find(&format!("<identifier>{id}</identifier>")).unwrap();
        let rest = &xml[at..];
        let start = rest.find("<metadata>").unwrap();
        let end = rest.find("</metadata>").unwrap();
        rest[start..end].to_owned()
    };
    // Items with photographs, recordings and none: the batch read of ListRecords must
    // describe each exactly as the single read of GetRecord does.
    for slug in ["urliger", "morin-khuur-music", "andai-dance", "khoomei"] {
        let item = app.item(slug).await.unwrap();
        let id = format!("oai:edubase.test:{}", item.fields.accession);
        let one = oai(
            &app,
            &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier={id}"),
        )
        .await;
        let listed = metadata(&list, &id);
        assert!(
            listed.contains("<dc:format>") || item.media.is_empty(),
            "{slug}: {listed}"
        );
        assert_eq!(listed, metadata(&one, &id), "{slug}");
    }
}
