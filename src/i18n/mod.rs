//! Languages (zh, mn, en), localized text, message bundles and language negotiation.

mod audience;
mod messages;
mod text;
pub mod translation_sheet;
pub mod translations;

pub use audience::Audience;
pub use messages::{Messages, Tr};
pub use text::LocalizedText;

use std::fmt;
use std::str::FromStr;

/// True when `text` holds letters of traditional Mongolian script (the Unicode block).
pub fn has_mongolian(text: &str) -> bool {
    text.chars().any(|c| ('\u{1800}'..='\u{18AF}').contains(&c))
}

/// True when `text` holds Chinese characters (CJK Unified Ideographs and Extension A).
pub fn has_han(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'))
}

/// The language tag of a box a student writes in, when it is to be set vertically for
/// traditional Mongolian: it holds Mongolian, or it holds no Chinese on a Mongolian page
/// (a student there most likely writes Mongolian). `static/js/writing.js` keeps the same
/// rule as the student types.
pub fn writing_lang(page: Lang, text: &str) -> Option<&'static str> {
    (has_mongolian(text) || (page == Lang::Mn && !has_han(text))).then_some(Lang::Mn.bcp47())
}

/// A language the site is written in. Chinese is the source language: every record has it,
/// and every other language falls back to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Simplified Chinese.
    Zh,
    /// Mongolian in traditional (Uyghurjin) script, set vertically.
    Mn,
    /// English.
    En,
}

impl Lang {
    /// All languages, in the order the language switch shows them.
    pub const ALL: [Lang; 3] = [Lang::Zh, Lang::Mn, Lang::En];

    /// The short code used in URLs (`?lang=`), cookies and JSON language maps.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::Mn => "mn",
            Lang::En => "en",
        }
    }

    /// The BCP 47 tag for `<html lang>` and `hreflang`; the script subtag matters for
    /// fonts and screen readers.
    pub fn bcp47(self) -> &'static str {
        match self {
            Lang::Zh => "zh-Hans",
            Lang::Mn => "mn-Mong",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, as the language switch shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Zh => "中文",
            Lang::Mn => "ᠮᠣᠩᠭᠣᠯ",
            Lang::En => "English",
        }
    }

    /// Picks the language for a request: an explicit choice (`?lang=`), then the remembered
    /// one (cookie), then the browser's `Accept-Language`, then Chinese.
    pub fn negotiate(explicit: Option<Lang>, cookie: Option<&str>, accept: Option<&str>) -> Lang {
        explicit
            .or_else(|| cookie.and_then(|c| c.parse().ok()))
            .or_else(|| accept.and_then(from_accept_language))
            .unwrap_or(Lang::Zh)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The error for a language code we do not serve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported language {0:?}: use zh, mn or en")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" => Ok(Lang::Zh),
            "mn" | "mn-mong" | "mn-cn" => Ok(Lang::Mn),
            "en" => Ok(Lang::En),
            _ => Err(UnknownLang(s.chars().take(32).collect())),
        }
    }
}

/// The best of our languages in an `Accept-Language` header, honouring q-values.
/// Cyrillic Mongolian (`mn`, `mn-MN`) readers are served traditional script only when
/// they ask for it explicitly (`mn-Mong`), since they may not read it.
fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, usize, Lang)> = None;
    for (index, part) in header.split(',').enumerate() {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        let lang = if tag == "zh" || tag.starts_with("zh-") {
            Lang::Zh
        } else if tag.starts_with("mn-mong") {
            Lang::Mn
        } else if tag == "en" || tag.starts_with("en-") {
            Lang::En
        } else {
            continue;
        };
        if q <= 0.0 {
            continue;
        }
        // Higher q wins; on a tie the earlier tag wins.
        if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && index < bi)) {
            best = Some((q, index, lang));
        }
    }
    best.map(|(_, _, lang)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_choice_beats_cookie_and_header() {
        assert_eq!(
            Lang::negotiate(Some(Lang::En), Some("zh"), Some("zh-CN")),
            Lang::En
        );
        assert_eq!(Lang::negotiate(None, Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(
            Lang::negotiate(None, Some("garbage"), Some("en-GB,en;q=0.9")),
            Lang::En
        );
        assert_eq!(Lang::negotiate(None, None, None), Lang::Zh);
    }

    #[test]
    fn accept_language_honours_quality_values() {
        assert_eq!(
            from_accept_language("fr-FR,en;q=0.5,zh;q=0.8"),
            Some(Lang::Zh)
        );
        assert_eq!(from_accept_language("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(from_accept_language("mn-MN"), None);
        assert_eq!(from_accept_language("mn-Mong-CN,zh;q=0.5"), Some(Lang::Mn));
        assert_eq!(from_accept_language("zh;q=0,en;q=0.1"), Some(Lang::En));
        assert_eq!(from_accept_language(""), None);
    }

    #[test]
    fn unknown_language_codes_are_refused_with_the_valid_ones_named() {
        let err = "fr".parse::<Lang>().unwrap_err();
        assert!(err.to_string().contains("zh, mn or en"));
    }
}
