//! Text as HTML for the places templates put it, each in its language and script: interface
//! strings (`ctx.ui`), text someone typed (`ctx.as_written`), language names. On a
//! Mongolian page, interface text still in Chinese is marked as Chinese; anywhere, text in
//! traditional Mongolian stands upright in a column of its own (`.mn-ui`), never lying on
//! its side as a horizontal line would set it. Everything is escaped.

use crate::catalogue::types::{BaseKind, Category, Level, MediaKind};
use crate::i18n::Lang;
use crate::web::page::PageCtx;

impl PageCtx {
    /// A UI string as HTML, for a place where text goes (never an attribute, `<title>`,
    /// `<option>` or `<textarea>`; templates write `{{ ctx.ui("key")|safe }}`), marked as
    /// [`ui_text`](Self::ui_text) marks it.
    pub fn ui(&self, key: &str) -> String {
        self.ui_text(&self.t(key))
    }

    /// [`ui`](Self::ui) with a count.
    pub fn ui_n(&self, key: &str, n: &i64) -> String {
        self.ui_text(&self.n(key, n))
    }

    /// [`ui`](Self::ui) with one named text argument.
    pub fn ui1(&self, key: &str, name: &str, value: &str) -> String {
        self.ui_text(&self.t1(key, name, value))
    }

    /// Interface text (a UI string, or a message built from them, or a facet's label) as
    /// HTML for a place where text goes. Text written in Mongolian is set in its own
    /// vertical column (`.mn-ui`), never rotated as a horizontal line would have it (on a
    /// page in another language marked `lang="mn-Mong"` too); on a Mongolian page, text
    /// still in Chinese (the fallback) is marked `lang="zh-Hans"`, so that screen readers
    /// and fonts take it as Chinese. Otherwise the text. Always escaped.
    pub fn ui_text(&self, text: &str) -> String {
        let escaped = escape_html(text);
        if crate::i18n::has_mongolian(text) {
            match self.lang {
                Lang::Mn => format!("<span class=\"mn-ui\">{escaped}</span>"),
                _ => column(&escaped),
            }
        } else if self.lang == Lang::Mn {
            format!("<span lang=\"{}\">{escaped}</span>", Lang::Zh.bcp47())
        } else {
            escaped
        }
    }

    /// Text someone typed (a student's nickname, a teacher's question, an exhibition's
    /// title in a link back) as HTML for an inline place, on a page in any language: in
    /// traditional Mongolian, it stands in its own vertical column; marked with its
    /// language where the page's would be wrong (see [`lang_of_text`](Self::lang_of_text)).
    /// Always escaped.
    pub fn as_written(&self, text: &str) -> String {
        let escaped = escape_html(text);
        match self.lang_of_text(text) {
            Some(lang) if lang == Lang::Mn.bcp47() => column(&escaped),
            Some(lang) => format!("<span lang=\"{lang}\">{escaped}</span>"),
            None => escaped,
        }
    }

    /// Message `key` as HTML where argument `typed` is text someone typed (a student's
    /// name in a sentence): the message escaped, that argument set as
    /// [`as_written`](Self::as_written) sets it (upright, if it is Mongolian).
    pub fn with_typed(&self, key: &str, args: &[(&str, &str)], typed: &str) -> String {
        const HOLE: &str = "\u{E000}";
        let value = args
            .iter()
            .find(|(name, _)| *name == typed)
            .map(|(_, v)| *v);
        let held: Vec<(&str, &str)> = args
            .iter()
            .map(|(name, v)| (*name, if *name == typed { HOLE } else { *v }))
            .collect();
        let text = escape_html(&self.tr.with(key, &held));
        match value {
            Some(v) => text.replace(HOLE, &self.as_written(v)),
            None => text,
        }
    }

    /// The language to mark text someone typed with, where the page's own would be wrong
    /// for screen readers and fonts: Mongolian for text in traditional script (on any page,
    /// and the stylesheet then sets it in columns), Chinese for Chinese on a Mongolian page.
    pub fn lang_of_text(&self, text: &str) -> Option<&'static str> {
        if crate::i18n::has_mongolian(text) {
            Some(Lang::Mn.bcp47())
        } else if self.lang == Lang::Mn && crate::i18n::has_han(text) {
            Some(Lang::Zh.bcp47())
        } else {
            None
        }
    }

    /// A language's own name as HTML: Mongolian's in a column of its own, upright.
    pub fn lang_name(&self, lang: &Lang) -> String {
        match lang {
            Lang::Mn => format!("<span class=\"mn-ui\">{}</span>", lang.native_name()),
            _ => lang.native_name().to_owned(),
        }
    }

    /// [`category`](Self::category) as HTML for text, like [`ui`](Self::ui).
    pub fn ui_category(&self, c: &Category) -> String {
        self.ui_text(&self.category(c))
    }

    /// [`level`](Self::level) as HTML for text, like [`ui`](Self::ui).
    pub fn ui_level(&self, l: &Level) -> String {
        self.ui_text(&self.level(l))
    }

    /// [`base_kind`](Self::base_kind) as HTML for text, like [`ui`](Self::ui).
    pub fn ui_base_kind(&self, k: &BaseKind) -> String {
        self.ui_text(&self.base_kind(k))
    }

    /// [`media_kind`](Self::media_kind) as HTML for text, like [`ui`](Self::ui).
    pub fn ui_media_kind(&self, k: &MediaKind) -> String {
        self.ui_text(&self.media_kind(k))
    }
}

/// Escaped Mongolian text in a vertical column of its own, marked as Mongolian.
fn column(escaped: &str) -> String {
    format!(
        "<span class=\"mn-ui\" lang=\"{}\">{escaped}</span>",
        Lang::Mn.bcp47()
    )
}

/// `text` escaped for HTML text and attributes.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_text_is_escaped_and_marked_with_its_language_on_mongolian_pages() {
        let zh = PageCtx::new(Lang::Zh, "/", None, "https://edu.example");
        assert_eq!(zh.ui("nav-home"), "首页");
        assert_eq!(
            zh.ui_text("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        let mn = PageCtx::new(Lang::Mn, "/", None, "https://edu.example");
        assert_eq!(
            mn.ui_text("ᠨᠢᠭᠤᠷ <1>"),
            "<span class=\"mn-ui\">ᠨᠢᠭᠤᠷ &lt;1&gt;</span>"
        );
        assert_eq!(mn.ui_text("首页"), "<span lang=\"zh-Hans\">首页</span>");
        assert_eq!(
            zh.as_written("ᠰᠠᠷᠠᠨ<"),
            "<span class=\"mn-ui\" lang=\"mn-Mong\">ᠰᠠᠷᠠᠨ&lt;</span>"
        );
        assert_eq!(
            mn.as_written("其木格"),
            "<span lang=\"zh-Hans\">其木格</span>"
        );
        assert_eq!(zh.as_written("其木格"), "其木格");
        assert_eq!(mn.lang_of_text("Saran"), None);
        assert_eq!(
            zh.with_typed("overlap-open-classmate", &[("name", "ᠰᠠᠷᠠᠨ<")], "name"),
            "打开<span class=\"mn-ui\" lang=\"mn-Mong\">ᠰᠠᠷᠠᠨ&lt;</span>的作文"
        );
        assert_eq!(
            zh.ui_text("ᠮᠣᠩᠭᠣᠯ"),
            "<span class=\"mn-ui\" lang=\"mn-Mong\">ᠮᠣᠩᠭᠣᠯ</span>",
            "a Mongolian name among Chinese ones stands upright too"
        );
        let count = mn.ui_n("items-count", &3);
        assert!(
            count.starts_with("<span ") && count.contains('3'),
            "{count}"
        );
    }
}
