//! Query parameters turned into checked values, with a precise 400 for anything unusable.
//! Unknown parameters are ignored (links pasted from chat apps carry tracking parameters).

use crate::catalogue::types::{Category, Gap, Level, MediaKind, Slug, Status};
use crate::error::AppError;
use crate::repo::Cursor;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The decoded query string of a request.
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Params::parse(parts.uri.query().unwrap_or("")))
    }
}

impl Params {
    /// Decodes a query string (`a=1&b=2`); invalid UTF-8 is replaced, never fatal.
    pub fn parse(query: &str) -> Params {
        Params(
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// Pairs already decoded (a submitted form).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Params {
        Params(pairs)
    }

    /// Every non-blank value of `name` (repeated fields such as check boxes), trimmed.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
            .collect()
    }

    /// The non-blank values (trimmed) of the fields named `prefix` + something, with that
    /// something: one per row of a sheet (`mn:{slug}:{revision}`).
    pub fn prefixed(&self, prefix: &str) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(prefix)?, v.trim())))
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    /// The first value of `name` exactly as sent (passwords), or "".
    pub fn raw(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The first non-blank value of `name`, trimmed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    /// `category=`: one of the ten ICH category codes.
    pub fn category(&self) -> Result<Option<Category>, AppError> {
        self.vocabulary(
            "category",
            Category::parse,
            Category::ALL.iter().map(|c| c.code()),
        )
    }

    /// An editorial status (draft, in_review, published, archived), by parameter name.
    pub fn status(&self, name: &'static str) -> Result<Option<Status>, AppError> {
        self.vocabulary(name, Status::parse, Status::ALL.iter().map(|s| s.code()))
    }

    /// `lacks=`: what an item's record still lacks (mn_title, media).
    pub fn gap(&self) -> Result<Option<Gap>, AppError> {
        self.vocabulary("lacks", Gap::parse, Gap::ALL.iter().map(|g| g.code()))
    }

    /// `media=`: image, audio, video or document.
    pub fn media_kind(&self) -> Result<Option<MediaKind>, AppError> {
        self.vocabulary(
            "media",
            MediaKind::parse,
            MediaKind::ALL.iter().map(|c| c.code()),
        )
    }

    /// `level=`: a protection level (national, region, city, banner).
    pub fn level(&self) -> Result<Option<Level>, AppError> {
        self.vocabulary("level", Level::parse, Level::ALL.iter().map(|l| l.code()))
    }

    /// `period=`: a century of the item's year, as the search facets give it (19 for
    /// 1801–1900, -1 for 100–1 BC).
    pub fn period(&self) -> Result<Option<i32>, AppError> {
        match self.get("period") {
            None => Ok(None),
            Some(v) => match v.parse::<i32>() {
                Ok(n) if n != 0 && (-99..=99).contains(&n) => Ok(Some(n)),
                _ => Err(AppError::bad_param(
                    "period",
                    v,
                    Some("a century such as 19 (1801–1900) or -1 (100–1 BC)".into()),
                )),
            },
        }
    }

    fn vocabulary<T, E>(
        &self,
        name: &'static str,
        parse: impl Fn(&str) -> Result<T, E>,
        codes: impl Iterator<Item = &'static str>,
    ) -> Result<Option<T>, AppError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => parse(v).map(Some).map_err(|_| {
                AppError::bad_param(name, v, Some(codes.collect::<Vec<_>>().join(", ")))
            }),
        }
    }

    /// A slug-valued parameter such as `base=`.
    pub fn slug(&self, name: &'static str) -> Result<Option<Slug>, AppError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => Slug::parse(v)
                .map(Some)
                .map_err(|_| AppError::bad_param(name, v, None)),
        }
    }

    /// `q=`: free text, at most 100 characters.
    pub fn text(&self, name: &'static str) -> Result<Option<String>, AppError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if v.chars().count() > 100 || v.chars().any(char::is_control) => Err(
                AppError::bad_param(name, v, Some("text of at most 100 characters".into())),
            ),
            Some(v) => Ok(Some(v.to_owned())),
        }
    }

    /// `page=`: a page token from a previous page.
    pub fn cursor(&self) -> Result<Option<Cursor>, AppError> {
        match self.get("page") {
            None => Ok(None),
            Some(v) => Cursor::decode(v)
                .map(Some)
                .map_err(|_| AppError::bad_param("page", v, None)),
        }
    }

    /// `page=` for lists ordered by id: the token must hold a number.
    pub fn id_cursor(&self) -> Result<Option<Cursor>, AppError> {
        let cursor = self.cursor()?;
        if let Some(c) = &cursor
            && c.id().is_err()
        {
            return Err(AppError::bad_param("page", &c.encode(), None));
        }
        Ok(cursor)
    }

    /// `limit=`: a page size between 1 and `max`, `default` when absent.
    pub fn limit(&self, default: u32, max: u32) -> Result<u32, AppError> {
        match self.get("limit") {
            None => Ok(default),
            Some(v) => match v.parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(AppError::bad_param(
                    "limit",
                    v,
                    Some(format!("a whole number from 1 to {max}")),
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_parameters_become_checked_values() {
        let p = Params::parse("category=quyi&base=banner-heritage-hall&limit=5&utm_source=wechat");
        assert_eq!(p.category().unwrap(), Some(Category::Quyi));
        assert_eq!(
            p.slug("base").unwrap().unwrap().as_str(),
            "banner-heritage-hall"
        );
        assert_eq!(p.limit(20, 100).unwrap(), 5);
    }

    #[test]
    fn unusable_values_name_the_parameter_and_the_choices() {
        let p = Params::parse("category=dance&limit=0&page=%%%");
        let err = p.category().unwrap_err().to_string();
        assert!(
            err.contains("category") && err.contains("traditional_dance"),
            "{err}"
        );
        assert!(
            p.limit(20, 100)
                .unwrap_err()
                .to_string()
                .contains("1 to 100")
        );
        assert!(p.cursor().is_err());
    }

    #[test]
    fn blank_values_count_as_absent() {
        let p = Params::parse("category=&q=%20");
        assert_eq!(p.category().unwrap(), None);
        assert_eq!(p.text("q").unwrap(), None);
    }
}
