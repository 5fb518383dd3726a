//! Which language a visitor reads: `?lang=`, then the `lang` cookie, then
//! `Accept-Language`. An explicit choice is remembered in a cookie.

use crate::i18n::Lang;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};

/// The negotiated language of this request (inserted by the page layer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReqLang(pub Lang);

/// The outcome of negotiation for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiated {
    /// The language to show.
    pub lang: Lang,
    /// A valid `?lang=` choice, to remember.
    pub chosen: Option<Lang>,
    /// An unusable `?lang=` value, to refuse.
    pub invalid: Option<String>,
    /// The language remembered in the cookie.
    remembered: Option<String>,
}

/// Negotiates the language from a request's query and headers.
pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> Negotiated {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let remembered = cookie(headers, "lang");
    let (chosen, invalid) = match explicit(query) {
        Some(code) => match code.parse::<Lang>() {
            Ok(lang) => (Some(lang), None),
            Err(_) => (None, Some(code.to_owned())),
        },
        None => (None, None),
    };
    Negotiated {
        lang: Lang::negotiate(chosen, remembered, accept),
        chosen,
        invalid,
        remembered: remembered.map(str::to_owned),
    }
}

impl Negotiated {
    /// Adds `Vary` and, for a new explicit choice, the cookie that remembers it.
    pub fn apply(&self, headers: &mut HeaderMap) {
        headers.append(
            header::VARY,
            HeaderValue::from_static("Cookie, Accept-Language"),
        );
        if let Some(lang) = self.chosen
            && self.remembered.as_deref() != Some(lang.code())
        {
            let value = format!(
                "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.code()
            );
            headers.append(
                header::SET_COOKIE,
                HeaderValue::from_str(&value).expect("ASCII cookie"),
            );
        }
    }
}

/// The `lang` query parameter, if present.
fn explicit(query: Option<&str>) -> Option<&str> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('='))
}

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<ReqLang>()
            .copied()
            .unwrap_or_else(|| ReqLang(negotiate(parts.uri.query(), &parts.headers).lang)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lang_parameter_is_found_among_others() {
        assert_eq!(explicit(Some("category=quyi&lang=en")), Some("en"));
        assert_eq!(explicit(Some("language=en")), None);
        assert_eq!(explicit(None), None);
    }

    #[test]
    fn cookies_are_read_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("xlang=mn; lang=en; other=1"),
        );
        assert_eq!(cookie(&h, "lang"), Some("en"));
        assert_eq!(negotiate(None, &h).lang, Lang::En);
    }

    #[test]
    fn an_explicit_choice_is_remembered_once() {
        let n = negotiate(Some("lang=en"), &HeaderMap::new());
        let mut out = HeaderMap::new();
        n.apply(&mut out);
        assert!(out.get(header::SET_COOKIE).is_some());
        let bad = negotiate(Some("lang=xx"), &HeaderMap::new());
        assert_eq!(bad.invalid.as_deref(), Some("xx"));
        assert_eq!(bad.lang, Lang::Zh);
    }
}
