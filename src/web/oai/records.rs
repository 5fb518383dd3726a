//! An item as OAI-PMH shows it: its header (identifier, datestamp, sets; `deleted` once
//! withdrawn) and its record in unqualified Dublin Core, every text in each language it
//! has, tagged with `xml:lang`.

use super::request::Set;
use crate::catalogue::harvest::ItemChange;
use crate::catalogue::model::Item;
use crate::catalogue::types::{Accession, MediaKind, Status};
use crate::i18n::Messages;
use crate::i18n::{Lang, LocalizedText};
use crate::iiif::presentation::Urls;
use crate::web::xml::XmlDoc;
use chrono::{DateTime, SecondsFormat, Utc};
use std::io;

/// How this repository names its items: `oai:{domain}:{accession}`.
pub struct Identifiers {
    prefix: String,
}

impl Identifiers {
    /// Identifiers under the public URL's host (with its port, if any).
    pub fn new(public_url: &str) -> Identifiers {
        Identifiers {
            prefix: format!("oai:{}:", host(public_url)),
        }
    }

    /// The identifier of an item.
    pub fn of(&self, accession: &Accession) -> String {
        format!("{}{}", self.prefix, accession.as_str())
    }

    /// The accession number an identifier names, if it is one of ours.
    pub fn accession(&self, identifier: &str) -> Option<Accession> {
        identifier
            .strip_prefix(&self.prefix)
            .and_then(|a| Accession::parse(a).ok())
    }
}

/// The host (and port) of a URL like `https://museum.example.org`.
pub fn host(public_url: &str) -> &str {
    let rest = public_url.split_once("://").map_or(public_url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// A domain name as the oai-identifier scheme defines one: labels starting with a letter,
/// of letters, digits and hyphens, at least two of them.
pub fn is_domain_name(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            l.starts_with(|c: char| c.is_ascii_alphabetic())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// An OAI datestamp: UTC to the second.
pub fn datestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Writes a record's header.
pub fn header(doc: &mut XmlDoc, ids: &Identifiers, change: &ItemChange) -> io::Result<()> {
    if change.status == Status::Published {
        doc.open("header", &[])?;
    } else {
        doc.open("header", &[("status", "deleted")])?;
    }
    doc.text("identifier", &[], &ids.of(&change.accession))?;
    doc.text("datestamp", &[], &datestamp(change.updated_at))?;
    doc.text("setSpec", &[], &Set::Base(change.base.clone()).spec())?;
    doc.text("setSpec", &[], &Set::Category(change.category).spec())?;
    doc.close("header")
}

/// Writes a whole record: the header and, unless the item was withdrawn, its metadata.
pub fn record(
    doc: &mut XmlDoc,
    ids: &Identifiers,
    urls: &Urls,
    change: &ItemChange,
    item: Option<&Item>,
) -> io::Result<()> {
    doc.open("record", &[])?;
    header(doc, ids, change)?;
    if let Some(item) = item.filter(|_| change.status == Status::Published) {
        doc.open("metadata", &[])?;
        dublin_core(doc, urls, item)?;
        doc.close("metadata")?;
    }
    doc.close("record")
}

/// Each language's text as one element, tagged with its language.
fn texts(doc: &mut XmlDoc, name: &str, text: &LocalizedText) -> io::Result<()> {
    for lang in Lang::ALL {
        if let Some(t) = text.exact(lang).filter(|t| !t.trim().is_empty()) {
            doc.text(name, &[("xml:lang", lang.bcp47())], t)?;
        }
    }
    Ok(())
}

/// A message in every language that has it (the category's name, say).
fn message(doc: &mut XmlDoc, name: &str, key: &str) -> io::Result<()> {
    let messages = Messages::global();
    for lang in Lang::ALL {
        if messages.has(lang, key) {
            doc.text(
                name,
                &[("xml:lang", lang.bcp47())],
                &messages.format(lang, key, &[]),
            )?;
        }
    }
    Ok(())
}

/// The DCMI Type of a kind of media.
fn dcmi_type(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "StillImage",
        MediaKind::Audio => "Sound",
        MediaKind::Video => "MovingImage",
        MediaKind::Document => "Text",
    }
}

fn dublin_core(doc: &mut XmlDoc, urls: &Urls, item: &Item) -> io::Result<()> {
    let f = &item.fields;
    doc.open(
        "oai_dc:dc",
        &[
            ("xmlns:oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            (
                "xsi:schemaLocation",
                "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            ),
        ],
    )?;
    texts(doc, "dc:title", &f.title)?;
    for inheritor in &f.inheritors {
        texts(doc, "dc:contributor", inheritor)?;
    }
    message(
        doc,
        "dc:subject",
        &format!("category-{}", f.category.code()),
    )?;
    for subject in &f.subjects {
        texts(doc, "dc:subject", subject)?;
    }
    texts(doc, "dc:description", &f.summary)?;
    texts(doc, "dc:description", &f.description)?;
    texts(doc, "dc:publisher", &item.base.name)?;
    if let Some(year) = f.year {
        doc.text("dc:date", &[], &format!("{year:04}"))?;
    }
    let mut kinds: Vec<MediaKind> = item.media.iter().map(|m| m.kind).collect();
    kinds.sort_by_key(|k| k.code());
    kinds.dedup();
    for kind in kinds {
        doc.text("dc:type", &[], dcmi_type(kind))?;
    }
    let mut formats: Vec<&str> = item.media.iter().map(|m| m.mime.as_str()).collect();
    formats.sort_unstable();
    formats.dedup();
    for mime in formats {
        doc.text("dc:format", &[], mime)?;
    }
    doc.text(
        "dc:identifier",
        &[],
        &format!("{}/items/{}", urls.0, f.slug),
    )?;
    doc.text("dc:identifier", &[], f.accession.as_str())?;
    doc.text("dc:relation", &[], &urls.manifest(f.slug.as_str()))?;
    texts(doc, "dc:coverage", &f.place)?;
    texts(doc, "dc:coverage", &f.period)?;
    doc.text("dc:rights", &[], &f.rights)?;
    doc.close("oai_dc:dc")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_name_accessions_under_the_host() {
        let ids = Identifiers::new("https://heritage.example.org");
        let a = Accession::parse("KZ-2025/01").unwrap();
        assert_eq!(ids.of(&a), "oai:heritage.example.org:KZ-2025/01");
        assert_eq!(
            ids.accession("oai:heritage.example.org:KZ-2025/01"),
            Some(a)
        );
        assert_eq!(ids.accession("oai:elsewhere.org:KZ-2025/01"), None);
        assert_eq!(ids.accession("oai:heritage.example.org:../x y"), None);
        assert_eq!(host("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert!(is_domain_name("heritage.example.org"));
        assert!(!is_domain_name("127.0.0.1:8080"));
        assert!(!is_domain_name("localhost"));
    }
}
