//! What every HTML page knows: its language, its URL, and the helpers templates call
//! (translations, image URLs, labels for codes; text set as HTML is `page_text.rs`). Pages
//! are askama templates sharing `base.html`; all text they print is escaped.

use crate::app::AppState;
use crate::catalogue::model::Picture;
use crate::catalogue::rights::rights_label;
use crate::catalogue::types::{BaseKind, Category, Level, MediaKind};
use crate::error::AppError;
use crate::i18n::{Lang, LocalizedText, Tr};
use crate::media::Variant;
use crate::web::assets;
use crate::web::lang::ReqLang;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};

/// The languages the staff's pages (the admin, the classroom) offer: their interface
/// strings are set horizontally, which Mongolian cannot be.
pub const STAFF_LANGS: [Lang; 2] = [Lang::Zh, Lang::En];

/// The languages the public pages offer in their switch, alternates and sitemaps.
pub fn offered_langs() -> Vec<Lang> {
    crate::i18n::Messages::global().offered().to_vec()
}

/// The request as templates see it.
#[derive(Debug, Clone)]
pub struct PageCtx {
    /// The visitor's language.
    pub lang: Lang,
    /// Translator for UI strings.
    pub tr: Tr,
    /// Request path.
    pub path: String,
    /// Query parameters other than `lang`.
    query: Vec<(String, String)>,
    /// Public base URL, for absolute links.
    pub public_url: String,
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ReqLang(lang) = ReqLang::from_request_parts(parts, state).await?;
        Ok(PageCtx::new(
            lang,
            parts.uri.path(),
            parts.uri.query(),
            &state.config.public_url,
        ))
    }
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tr({})", self.lang)
    }
}

/// A link of the language switch.
pub struct LangLink {
    /// Target language.
    pub lang: Lang,
    /// This page in that language.
    pub href: String,
    /// True for the language being shown.
    pub current: bool,
}

impl PageCtx {
    /// A page context for `path?query` in `lang`.
    pub fn new(lang: Lang, path: &str, query: Option<&str>, public_url: &str) -> PageCtx {
        let query = form_urlencoded::parse(query.unwrap_or("").as_bytes())
            .into_owned()
            .filter(|(k, _)| k != "lang")
            .collect();
        PageCtx {
            lang,
            tr: Tr::new(lang),
            path: path.to_owned(),
            query,
            public_url: public_url.to_owned(),
        }
    }

    /// A UI string.
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// A UI string with a count.
    pub fn n(&self, key: &str, n: &i64) -> String {
        self.tr.n(key, *n)
    }

    /// A UI string with one named text argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.tr.t1(key, name, value.to_owned())
    }

    /// The best text for the visitor.
    pub fn txt<'a>(&self, text: &'a LocalizedText) -> &'a str {
        text.get(self.lang)
    }

    /// The BCP 47 tag of the text [`txt`](Self::txt) shows (it may be a fallback).
    pub fn tl(&self, text: &LocalizedText) -> &'static str {
        text.lang_of(self.lang).bcp47()
    }

    /// Paragraphs of the best text.
    pub fn paras<'a>(&self, text: &'a LocalizedText) -> Vec<&'a str> {
        text.paragraphs(self.lang)
    }

    /// `<html lang>`.
    pub fn html_lang(&self) -> &'static str {
        self.lang.bcp47()
    }

    /// The top-level section this page belongs to, for the navigation.
    pub fn section(&self) -> &'static str {
        ["/bases", "/items", "/exhibitions"]
            .into_iter()
            .find(|p| self.path == *p || self.path.starts_with(&format!("{p}/")))
            .map(|p| &p[1..])
            .unwrap_or(if self.path == "/" { "home" } else { "" })
    }

    fn query_string(&self, lang: Option<Lang>) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.query {
            s.append_pair(k, v);
        }
        if let Some(lang) = lang {
            s.append_pair("lang", lang.code());
        }
        let q = s.finish();
        if q.is_empty() { q } else { format!("?{q}") }
    }

    /// This page in another language.
    pub fn url_in(&self, lang: &Lang) -> String {
        format!("{}{}", self.path, self.query_string(Some(*lang)))
    }

    /// The language switch of the public pages (see [`offered_langs`]).
    pub fn lang_links(&self) -> Vec<LangLink> {
        self.links_to(offered_langs())
    }

    /// The language choice of a class visit's printed handout: the students read it.
    pub fn handout_lang_links(&self) -> Vec<LangLink> {
        self.links_to(
            crate::i18n::Messages::global()
                .offered_to_students()
                .to_vec(),
        )
    }

    /// The language switch of the staff's pages.
    pub fn staff_lang_links(&self) -> Vec<LangLink> {
        self.links_to(STAFF_LANGS.to_vec())
    }

    fn links_to(&self, langs: Vec<Lang>) -> Vec<LangLink> {
        langs
            .into_iter()
            .map(|lang| LangLink {
                lang,
                href: self.url_in(&lang),
                current: lang == self.lang,
            })
            .collect()
    }

    /// Absolute URL of this page in `lang`, for `hreflang` alternates and share cards.
    pub fn absolute_in(&self, lang: &Lang) -> String {
        format!("{}{}", self.public_url, self.url_in(lang))
    }

    /// Absolute URL of this page without a language, the canonical address.
    pub fn canonical(&self) -> String {
        format!(
            "{}{}{}",
            self.public_url,
            self.path,
            self.query_string(None)
        )
    }

    /// A URL of a bundled static file, versioned by its content.
    pub fn asset(&self, path: &str) -> String {
        assets::url(path)
    }

    /// The URL of a JPEG derivative (the `src` every browser can show).
    pub fn img(&self, pic: &Picture, width: u32) -> String {
        let variant = Variant::JPEG
            .into_iter()
            .find(|v| v.max_width() >= width)
            .unwrap_or(Variant::W1600Jpg);
        format!("/media/{}/{}", pic.sha256, variant.name())
    }

    /// Absolute URL of a share-card image.
    pub fn img_abs(&self, pic: &Picture) -> String {
        format!("{}{}", self.public_url, self.img(pic, 800))
    }

    /// A `srcset` listing every JPEG derivative that is not larger than the original.
    pub fn srcset(&self, pic: &Picture) -> String {
        srcset_of(pic, Variant::JPEG)
    }

    /// The same as [`srcset`](Self::srcset) in WebP, for a `<source type="image/webp">`.
    pub fn webp_srcset(&self, pic: &Picture) -> String {
        srcset_of(pic, Variant::WEBP)
    }

    /// Displayed height for an image shown `width` pixels wide (to reserve its space).
    pub fn height_for(&self, pic: &Picture, width: u32) -> u32 {
        match (pic.width, pic.height) {
            (Some(w), Some(h)) if w > 0 => (u64::from(width) * h as u64 / w as u64) as u32,
            _ => width * 3 / 4,
        }
    }

    /// The name of an ICH category.
    pub fn category(&self, c: &Category) -> String {
        self.t(&format!("category-{}", c.code()))
    }

    /// The name of a protection or designation level.
    pub fn level(&self, l: &Level) -> String {
        self.t(&format!("level-{}", l.code()))
    }

    /// The name of a kind of base.
    pub fn base_kind(&self, k: &BaseKind) -> String {
        self.t(&format!("base-kind-{}", k.code()))
    }

    /// The name of a kind of media.
    pub fn media_kind(&self, k: &MediaKind) -> String {
        self.t(&format!("media-kind-{}", k.code()))
    }

    /// A short label for a rights URI.
    pub fn rights(&self, uri: &str) -> String {
        rights_label(uri)
    }

    /// A web address for a media file's `source`: URLs as they are, and repository paths
    /// (`github:owner/repo@commit:path`) as the file's page on GitHub. `None` for other text.
    pub fn source_url(&self, source: &str) -> Option<String> {
        if source.starts_with("https://") || source.starts_with("http://") {
            return Some(source.to_owned());
        }
        let rest = source.strip_prefix("github:")?;
        let (repo, rest) = rest.split_once('@')?;
        let (commit, path) = rest.split_once(':')?;
        let safe = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._/".contains(c))
        };
        (safe(repo) && safe(commit) && safe(path) && !path.contains(".."))
            .then(|| format!("https://github.com/{repo}/blob/{commit}/{path}"))
    }

    /// A link to the item list with one filter set.
    pub fn items_url(&self, name: &str, value: &str) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair(name, value);
        format!("/items?{}", s.finish())
    }
}

/// A `srcset` of `variants` (one format, smallest first), stopping at the original's width.
fn srcset_of(pic: &Picture, variants: [Variant; 3]) -> String {
    let original = pic.width.map(|w| w.max(1) as u32).unwrap_or(u32::MAX);
    let mut parts = Vec::new();
    for v in variants {
        let w = v.max_width().min(original);
        parts.push(format!("/media/{}/{} {w}w", pic.sha256, v.name()));
        if v.max_width() >= original {
            break;
        }
    }
    parts.join(", ")
}

/// Renders a template into an HTML response.
pub fn render(template: &impl askama::Template) -> Result<Response, AppError> {
    let html = template
        .render()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template failed: {e}")))?;
    Ok(Html(html).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(path: &str, query: Option<&str>) -> PageCtx {
        PageCtx::new(Lang::Zh, path, query, "https://edu.example")
    }

    #[test]
    fn language_links_keep_the_other_parameters() {
        let c = ctx("/items", Some("category=quyi&lang=zh"));
        assert_eq!(c.url_in(&Lang::En), "/items?category=quyi&lang=en");
        assert_eq!(c.canonical(), "https://edu.example/items?category=quyi");
        assert_eq!(c.section(), "items");
        assert_eq!(ctx("/", None).section(), "home");
    }

    #[test]
    fn sources_become_links_only_when_they_are_addresses() {
        let c = ctx("/", None);
        assert_eq!(
            c.source_url("github:suragch/studymongolian.net@af70:src/a b.jpg"),
            None,
            "spaces are not part of a safe path"
        );
        assert_eq!(
            c.source_url("github:suragch/studymongolian.net@af70:src/images/yurt.jpg")
                .as_deref(),
            Some("https://github.com/suragch/studymongolian.net/blob/af70/src/images/yurt.jpg")
        );
        assert_eq!(c.source_url("javascript:alert(1)"), None);
        assert_eq!(c.source_url("a museum archive"), None);
    }

    #[test]
    fn srcsets_stop_at_the_original_width() {
        let pic = Picture {
            sha256: "ab".into(),
            width: Some(960),
            height: Some(540),
            alt: LocalizedText::default(),
        };
        let c = ctx("/", None);
        assert_eq!(
            c.srcset(&pic),
            "/media/ab/w400.jpg 400w, /media/ab/w800.jpg 800w, /media/ab/w1600.jpg 960w"
        );
        assert_eq!(
            c.webp_srcset(&pic),
            "/media/ab/w400.webp 400w, /media/ab/w800.webp 800w, /media/ab/w1600.webp 960w"
        );
        assert_eq!(c.height_for(&pic, 400), 225);
    }
}
