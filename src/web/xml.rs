//! Writing the XML documents machines read (OAI-PMH, sitemaps, the Atom feed) with
//! quick-xml, which escapes text and attributes. Catalogue text may hold characters XML 1.0
//! forbids (a control character pasted from a word processor); they are dropped here, so
//! one record can never make a whole document unreadable.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::borrow::Cow;
use std::io;

/// An XML document being written into memory.
pub struct XmlDoc {
    writer: Writer<Vec<u8>>,
}

/// `s` without the characters XML 1.0 does not allow.
pub fn clean(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    };
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|c| allowed(*c)).collect())
    }
}

fn start<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
    let mut element = BytesStart::new(name);
    for (k, v) in attrs {
        element.push_attribute((*k, clean(v).as_ref()));
    }
    element
}

impl XmlDoc {
    /// A document with its XML declaration.
    pub fn new() -> io::Result<XmlDoc> {
        let mut writer = Writer::new(Vec::with_capacity(16 * 1024));
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        writer.get_mut().push(b'\n');
        Ok(XmlDoc { writer })
    }

    /// A part of a document, to be appended to one once it is complete.
    pub fn fragment() -> XmlDoc {
        XmlDoc {
            writer: Writer::new(Vec::new()),
        }
    }

    /// Appends a fragment.
    pub fn append(&mut self, fragment: XmlDoc) {
        self.writer
            .get_mut()
            .extend_from_slice(&fragment.writer.into_inner());
    }

    /// Opens an element.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.writer.write_event(Event::Start(start(name, attrs)))
    }

    /// Closes an element.
    pub fn close(&mut self, name: &str) -> io::Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// An element holding text.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        self.writer.write_event(Event::Start(start(name, attrs)))?;
        self.writer
            .write_event(Event::Text(BytesText::new(&clean(text))))?;
        self.close(name)
    }

    /// An empty element.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.writer.write_event(Event::Empty(start(name, attrs)))
    }

    /// The document, answered with `content_type`.
    pub fn respond(self, content_type: &'static str) -> Response {
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
            self.writer.into_inner(),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_forbidden_characters_dropped() {
        let mut doc = XmlDoc::new().unwrap();
        doc.open("a", &[("title", "\"马\" & <弓>\u{1}")]).unwrap();
        doc.text("b", &[], "草原 < 天空 & \u{0}\u{FFFE}ᠮᠣᠩᠭᠣᠯ")
            .unwrap();
        doc.empty("c", &[]).unwrap();
        doc.close("a").unwrap();
        let xml = String::from_utf8(doc.writer.into_inner()).unwrap();
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <a title=\"&quot;马&quot; &amp; &lt;弓&gt;\"><b>草原 &lt; 天空 &amp; ᠮᠣᠩᠭᠣᠯ</b><c/></a>"
        );
    }
}
