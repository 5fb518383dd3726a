//! Text written in several languages, with the fallback rule every page uses.

use super::Lang;
use serde::{Deserialize, Serialize};

/// One piece of text in up to three languages. Chinese is the source and normally present;
/// a missing language falls back to Chinese, then English, then Mongolian.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalizedText {
    /// Chinese (Simplified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
    /// Mongolian, traditional script.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mn: Option<String>,
    /// English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LocalizedText {
    /// Text from its three variants; blank strings count as missing.
    pub fn new(zh: Option<String>, mn: Option<String>, en: Option<String>) -> Self {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        LocalizedText {
            zh: clean(zh),
            mn: clean(mn),
            en: clean(en),
        }
    }

    /// Text that exists only in Chinese.
    pub fn zh(text: impl Into<String>) -> Self {
        Self::new(Some(text.into()), None, None)
    }

    /// The variant written in exactly this language, if any.
    pub fn exact(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Zh => self.zh.as_deref(),
            Lang::Mn => self.mn.as_deref(),
            Lang::En => self.en.as_deref(),
        }
    }

    /// The best variant for a reader of `lang`, and the language it is actually in (so the
    /// page can mark fallback text with its own `lang` attribute).
    pub fn pick(&self, lang: Lang) -> Option<(Lang, &str)> {
        std::iter::once(lang)
            .chain([Lang::Zh, Lang::En, Lang::Mn])
            .find_map(|l| self.exact(l).map(|t| (l, t)))
    }

    /// The best variant for a reader of `lang`, or "" when there is no text at all.
    pub fn get(&self, lang: Lang) -> &str {
        self.pick(lang).map(|(_, t)| t).unwrap_or("")
    }

    /// The language [`get`](Self::get) returns text in (`lang` itself when nothing exists).
    pub fn lang_of(&self, lang: Lang) -> Lang {
        self.pick(lang).map(|(l, _)| l).unwrap_or(lang)
    }

    /// True when no language has any text.
    pub fn is_empty(&self) -> bool {
        self.zh.is_none() && self.mn.is_none() && self.en.is_none()
    }

    /// The text for `lang` split into paragraphs at blank lines.
    pub fn paragraphs(&self, lang: Lang) -> Vec<&str> {
        self.get(lang)
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_languages_fall_back_to_chinese_and_say_so() {
        let t = LocalizedText::new(Some("马头琴".into()), None, Some("Morin khuur".into()));
        assert_eq!(t.get(Lang::En), "Morin khuur");
        assert_eq!(t.get(Lang::Mn), "马头琴");
        assert_eq!(t.lang_of(Lang::Mn), Lang::Zh);
        assert_eq!(t.lang_of(Lang::En), Lang::En);
    }

    #[test]
    fn blank_variants_count_as_missing() {
        let t = LocalizedText::new(Some("  ".into()), None, Some("x".into()));
        assert_eq!(t.zh, None);
        assert_eq!(t.get(Lang::Zh), "x");
        assert!(LocalizedText::default().is_empty());
        assert_eq!(LocalizedText::default().get(Lang::Zh), "");
    }

    #[test]
    fn paragraphs_split_at_blank_lines() {
        let t = LocalizedText::zh("一\n\n\n二\n续\n\n");
        assert_eq!(t.paragraphs(Lang::Zh), vec!["一", "二\n续"]);
    }
}
