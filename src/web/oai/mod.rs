//! OAI-PMH 2.0 at `/oai`, so that national and regional aggregators can harvest the
//! catalogue: all six verbs, unqualified Dublin Core, sets by base and by category,
//! selective harvesting by datestamp, and resumption tokens that carry the list's key.
//! Published items are records; withdrawn (archived) items are reported as deleted.
//! Protocol errors are answered, as §3.6 requires, with status 200 and an `error` element.

mod records;
mod request;

use crate::app::AppState;
use crate::catalogue::harvest::{ChangeQuery, ItemChange};
use crate::catalogue::repo::ListQuery;
use crate::catalogue::types::{Category, Status};
use crate::error::AppError;
use crate::i18n::{Lang, Messages};
use crate::iiif::presentation::Urls;
use crate::repo::Visibility;
use crate::web::xml::XmlDoc;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use records::{Identifiers, datestamp};
use request::{ListArgs, OAI_DC, OaiError, Set, Verb};
use std::io;

/// Records on one page of `ListRecords`.
const RECORDS_PER_PAGE: u32 = 100;
/// Headers on one page of `ListIdentifiers`.
const HEADERS_PER_PAGE: u32 = 500;

const CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// The OAI-PMH route: GET with a query string, or POST with a form body (§3.1.1).
pub fn router() -> Router<AppState> {
    Router::new().route("/oai", get(by_get).post(by_post))
}

fn pairs(text: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(text).into_owned().collect()
}

async fn by_get(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    answer(&state, &pairs(query.unwrap_or_default().as_bytes())).await
}

async fn by_post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "OAI-PMH requests by POST must be application/x-www-form-urlencoded\n",
        )
            .into_response();
    }
    answer(&state, &pairs(&body)).await
}

/// What one request is answered with.
async fn answer(state: &AppState, args: &[(String, String)]) -> Response {
    match respond(state, args).await {
        Ok(doc) => doc.respond(CONTENT_TYPE),
        Err(e) => e.into_response(),
    }
}

/// The envelope: response date, the request echoed, then the verb's answer or the error.
async fn respond(state: &AppState, args: &[(String, String)]) -> Result<XmlDoc, AppError> {
    let base_url = format!("{}/oai", state.config.public_url);
    let mut doc = XmlDoc::new().map_err(xml_failed)?;
    doc.open(
        "OAI-PMH",
        &[
            ("xmlns", "http://www.openarchives.org/OAI/2.0/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
            ),
        ],
    )
    .map_err(xml_failed)?;
    doc.text("responseDate", &[], &datestamp(Utc::now()))
        .map_err(xml_failed)?;
    let verb = request::parse(args);
    // After badVerb or badArgument the request is echoed without its arguments (§3.2).
    let echoed: Vec<(&str, &str)> = match &verb {
        Err(e) if e.code == "badVerb" || e.code == "badArgument" => Vec::new(),
        _ => args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
    };
    doc.text("request", &echoed, &base_url)
        .map_err(xml_failed)?;
    let outcome = match verb {
        Ok(verb) => {
            let mut body = XmlDoc::fragment();
            match write_verb(state, &mut body, &verb).await? {
                Ok(()) => {
                    doc.open(verb.name(), &[]).map_err(xml_failed)?;
                    doc.append(body);
                    doc.close(verb.name()).map_err(xml_failed)?;
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    };
    if let Err(e) = outcome {
        doc.text("error", &[("code", e.code)], &e.message)
            .map_err(xml_failed)?;
    }
    doc.close("OAI-PMH").map_err(xml_failed)?;
    Ok(doc)
}

fn xml_failed(e: io::Error) -> AppError {
    AppError::Internal(anyhow::Error::new(e).context("writing an OAI-PMH response"))
}

/// Writes the answer to a checked verb into `doc`, or says which protocol error it is.
async fn write_verb(
    state: &AppState,
    doc: &mut XmlDoc,
    verb: &Verb,
) -> Result<Result<(), OaiError>, AppError> {
    let ids = Identifiers::new(&state.config.public_url);
    let urls = Urls(&state.config.public_url);
    match verb {
        Verb::Identify => identify(state, doc, &ids).await.map(Ok),
        Verb::ListMetadataFormats(identifier) => {
            if let Some(identifier) = identifier {
                let known = match ids.accession(identifier) {
                    Some(a) => state.harvest.item_change(&a).await?.is_some(),
                    None => false,
                };
                if !known {
                    return Ok(Err(unknown(identifier)));
                }
            }
            doc.open("metadataFormat", &[]).map_err(xml_failed)?;
            doc.text("metadataPrefix", &[], OAI_DC)
                .map_err(xml_failed)?;
            doc.text(
                "schema",
                &[],
                "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            )
            .map_err(xml_failed)?;
            doc.text(
                "metadataNamespace",
                &[],
                "http://www.openarchives.org/OAI/2.0/oai_dc/",
            )
            .map_err(xml_failed)?;
            doc.close("metadataFormat").map_err(xml_failed)?;
            Ok(Ok(()))
        }
        Verb::ListSets => list_sets(state, doc).await.map(Ok),
        Verb::GetRecord(identifier) => {
            let change = match ids.accession(identifier) {
                Some(a) => state.harvest.item_change(&a).await?,
                None => None,
            };
            let Some(change) = change else {
                return Ok(Err(unknown(identifier)));
            };
            let item = published_item(state, &change).await?;
            records::record(doc, &ids, &urls, &change, item.as_ref()).map_err(xml_failed)?;
            Ok(Ok(()))
        }
        Verb::ListIdentifiers(list) => list_items(state, doc, &ids, &urls, list, false).await,
        Verb::ListRecords(list) => list_items(state, doc, &ids, &urls, list, true).await,
    }
}

fn unknown(identifier: &str) -> OaiError {
    OaiError::new(
        "idDoesNotExist",
        format!(
            "there is no item {:?} in this repository",
            identifier.chars().take(80).collect::<String>()
        ),
    )
}

/// The item behind a change, when it is published.
async fn published_item(
    state: &AppState,
    change: &ItemChange,
) -> Result<Option<crate::catalogue::model::Item>, AppError> {
    if change.status != Status::Published {
        return Ok(None);
    }
    Ok(state
        .catalogue
        .item(&change.slug, Visibility::Public)
        .await?)
}

async fn identify(state: &AppState, doc: &mut XmlDoc, ids: &Identifiers) -> Result<(), AppError> {
    let earliest = state
        .harvest
        .item_changes(&ChangeQuery {
            withdrawn: true,
            limit: 1,
            ..ChangeQuery::default()
        })
        .await?
        .first()
        .map_or_else(
            || "1970-01-01T00:00:00Z".to_owned(),
            |c| datestamp(c.updated_at),
        );
    let messages = Messages::global();
    let name = format!(
        "{} · {}",
        messages.format(Lang::Zh, "site-name", &[]),
        messages.format(Lang::Zh, "site-region", &[])
    );
    let host = records::host(&state.config.public_url);
    let admin = state
        .config
        .contact_email
        .clone()
        .unwrap_or_else(|| format!("webmaster@{}", host.split(':').next().unwrap_or(host)));
    doc.text("repositoryName", &[], &name).map_err(xml_failed)?;
    doc.text("baseURL", &[], &format!("{}/oai", state.config.public_url))
        .map_err(xml_failed)?;
    doc.text("protocolVersion", &[], "2.0")
        .map_err(xml_failed)?;
    doc.text("adminEmail", &[], &admin).map_err(xml_failed)?;
    doc.text("earliestDatestamp", &[], &earliest)
        .map_err(xml_failed)?;
    // Withdrawn items are reported as deleted, but one that went back to draft is not.
    doc.text("deletedRecord", &[], "transient")
        .map_err(xml_failed)?;
    doc.text("granularity", &[], "YYYY-MM-DDThh:mm:ssZ")
        .map_err(xml_failed)?;
    // The oai-identifier scheme needs a domain name; an address like 127.0.0.1:8080 (a
    // server not yet given its public URL) names no scheme rather than break it.
    if !records::is_domain_name(host) {
        return Ok(());
    }
    doc.open("description", &[]).map_err(xml_failed)?;
    doc.open(
        "oai-identifier",
        &[
            ("xmlns", "http://www.openarchives.org/OAI/2.0/oai-identifier"),
            (
                "xsi:schemaLocation",
                "http://www.openarchives.org/OAI/2.0/oai-identifier http://www.openarchives.org/OAI/2.0/oai-identifier.xsd",
            ),
        ],
    )
    .map_err(xml_failed)?;
    doc.text("scheme", &[], "oai").map_err(xml_failed)?;
    doc.text("repositoryIdentifier", &[], host)
        .map_err(xml_failed)?;
    doc.text("delimiter", &[], ":").map_err(xml_failed)?;
    let sample = crate::catalogue::types::Accession::parse("KZH-0001").expect("a valid sample");
    doc.text("sampleIdentifier", &[], &ids.of(&sample))
        .map_err(xml_failed)?;
    doc.close("oai-identifier").map_err(xml_failed)?;
    doc.close("description").map_err(xml_failed)
}

async fn list_sets(state: &AppState, doc: &mut XmlDoc) -> Result<(), AppError> {
    let mut query = ListQuery::all(Visibility::Public, 100);
    loop {
        let page = state.catalogue.list_bases(&query).await?;
        for base in &page.items {
            doc.open("set", &[]).map_err(xml_failed)?;
            doc.text("setSpec", &[], &Set::Base(base.fields.slug.clone()).spec())
                .map_err(xml_failed)?;
            doc.text("setName", &[], base.fields.name.get(Lang::Zh))
                .map_err(xml_failed)?;
            doc.close("set").map_err(xml_failed)?;
        }
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    let messages = Messages::global();
    for &category in Category::ALL {
        doc.open("set", &[]).map_err(xml_failed)?;
        doc.text("setSpec", &[], &Set::Category(category).spec())
            .map_err(xml_failed)?;
        let key = format!("category-{}", category.code());
        doc.text("setName", &[], &messages.format(Lang::Zh, &key, &[]))
            .map_err(xml_failed)?;
        doc.close("set").map_err(xml_failed)?;
    }
    Ok(())
}

async fn list_items(
    state: &AppState,
    doc: &mut XmlDoc,
    ids: &Identifiers,
    urls: &Urls<'_>,
    list: &ListArgs,
    with_records: bool,
) -> Result<Result<(), OaiError>, AppError> {
    let per_page = if with_records {
        RECORDS_PER_PAGE
    } else {
        HEADERS_PER_PAGE
    };
    let (base, category) = match &list.set {
        Some(Set::Base(slug)) => (Some(slug.clone()), None),
        Some(Set::Category(c)) => (None, Some(*c)),
        None => (None, None),
    };
    let mut changes = state
        .harvest
        .item_changes(&ChangeQuery {
            from: list.from.map(|d| d.at),
            before: list.before(),
            base,
            category,
            ids: None,
            withdrawn: true,
            after: list.after,
            newest_first: false,
            limit: per_page + 1,
        })
        .await?;
    let more = changes.len() > per_page as usize;
    changes.truncate(per_page as usize);
    if changes.is_empty() {
        return Ok(Err(OaiError::new(
            "noRecordsMatch",
            "no items match these arguments",
        )));
    }
    // The page's published items in two queries, not three per record.
    let items: std::collections::HashMap<_, _> = if with_records {
        let published: Vec<_> = changes
            .iter()
            .filter(|c| c.status == Status::Published)
            .map(|c| c.id)
            .collect();
        state
            .harvest
            .items_by_id(&published, crate::repo::Visibility::Public)
            .await?
            .into_iter()
            .map(|item| (item.id, item))
            .collect()
    } else {
        Default::default()
    };
    for change in &changes {
        if with_records {
            records::record(doc, ids, urls, change, items.get(&change.id)).map_err(xml_failed)?;
        } else {
            records::header(doc, ids, change).map_err(xml_failed)?;
        }
    }
    let cursor = list.cursor.to_string();
    if more {
        let last = changes.last().expect("a page is never empty here");
        let token = list.next_token((last.updated_at, last.id), changes.len() as u64);
        doc.text("resumptionToken", &[("cursor", &cursor)], &token)
            .map_err(xml_failed)?;
    } else if list.resumed {
        // The last page of a list that was resumed ends it with an empty token.
        doc.empty("resumptionToken", &[("cursor", &cursor)])
            .map_err(xml_failed)?;
    }
    Ok(Ok(()))
}
