//! The base form as administrators and curators fill it in, and its checking: like the item
//! form, every problem is reported against its field and nothing typed is lost.

use super::form::FieldError;
use super::model::BaseFields;
use super::types::{BaseKind, Level, Slug, Status};
use crate::i18n::LocalizedText;
use serde::{Deserialize, Serialize};

/// A field that differs between two versions: (field, one value, the other value).
pub type FieldChange = (String, String, String);

/// The base form, exactly as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct BaseForm {
    pub slug: String,
    pub kind: String,
    pub level: String,
    pub status: String,
    pub name_zh: String,
    pub name_mn: String,
    pub name_en: String,
    pub town_zh: String,
    pub town_mn: String,
    pub town_en: String,
    pub address_zh: String,
    pub address_mn: String,
    pub address_en: String,
    pub opening_hours_zh: String,
    pub opening_hours_mn: String,
    pub opening_hours_en: String,
    pub description_zh: String,
    pub description_mn: String,
    pub description_en: String,
    pub contact: String,
    pub website: String,
    pub latitude: String,
    pub longitude: String,
    /// The revision the form was opened at (optimistic locking).
    pub revision: String,
}

fn text(zh: &str, mn: &str, en: &str) -> LocalizedText {
    LocalizedText::new(
        Some(zh.trim().to_owned()),
        Some(mn.trim().to_owned()),
        Some(en.trim().to_owned()),
    )
}

fn parts(t: &LocalizedText) -> [String; 3] {
    [&t.zh, &t.mn, &t.en].map(|v| v.clone().unwrap_or_default())
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// A coordinate in `range`, or nothing when blank.
fn coordinate(s: &str, range: std::ops::RangeInclusive<f64>) -> Result<Option<f64>, ()> {
    match s.trim() {
        "" => Ok(None),
        v => match v.parse::<f64>() {
            Ok(x) if x.is_finite() && range.contains(&x) => Ok(Some(x)),
            _ => Err(()),
        },
    }
}

impl BaseForm {
    /// The form filled in from a base (to edit it).
    pub fn of(f: &BaseFields, revision: i64) -> BaseForm {
        let [name_zh, name_mn, name_en] = parts(&f.name);
        let [town_zh, town_mn, town_en] = parts(&f.town);
        let [address_zh, address_mn, address_en] = parts(&f.address);
        let [opening_hours_zh, opening_hours_mn, opening_hours_en] = parts(&f.opening_hours);
        let [description_zh, description_mn, description_en] = parts(&f.description);
        let (latitude, longitude) = match f.coordinates {
            Some((lat, lon)) => (lat.to_string(), lon.to_string()),
            None => (String::new(), String::new()),
        };
        BaseForm {
            slug: f.slug.to_string(),
            kind: f.kind.code().to_owned(),
            level: f.level.map(|l| l.code().to_owned()).unwrap_or_default(),
            status: f.status.code().to_owned(),
            name_zh,
            name_mn,
            name_en,
            town_zh,
            town_mn,
            town_en,
            address_zh,
            address_mn,
            address_en,
            opening_hours_zh,
            opening_hours_mn,
            opening_hours_en,
            description_zh,
            description_mn,
            description_en,
            contact: f.contact.clone().unwrap_or_default(),
            website: f.website.clone().unwrap_or_default(),
            latitude,
            longitude,
            revision: revision.to_string(),
        }
    }

    /// The fields where `self` and `other` differ: (field, self's value, other's value).
    pub fn differences(&self, other: &BaseForm) -> Vec<FieldChange> {
        let as_map = |f: &BaseForm| match serde_json::to_value(f) {
            Ok(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        let (mine, theirs) = (as_map(self), as_map(other));
        let value = |v: Option<&serde_json::Value>| {
            v.and_then(|v| v.as_str())
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        mine.keys()
            .filter(|k| *k != "revision")
            .filter_map(|k| {
                let (a, b) = (value(mine.get(k)), value(theirs.get(k)));
                (a != b).then(|| (k.clone(), a, b))
            })
            .collect()
    }

    /// The revision the form was opened at, if it carries a valid one.
    pub fn revision(&self) -> Option<i64> {
        self.revision.trim().parse().ok()
    }

    /// Checks the form.
    pub fn check(&self) -> Result<BaseFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail =
            |field: &'static str, key: &'static str| errors.push(FieldError { field, key });
        let slug = Slug::parse(self.slug.trim());
        if slug.is_err() {
            fail(
                "slug",
                if self.slug.trim().is_empty() {
                    "form-required"
                } else {
                    "form-bad-slug"
                },
            );
        }
        let kind = BaseKind::parse(self.kind.trim());
        if kind.is_err() {
            fail("kind", "form-choose-kind");
        }
        let level = match self.level.trim() {
            "" => Ok(None),
            code => Level::parse(code).map(Some),
        };
        if level.is_err() {
            fail("level", "form-choose-level");
        }
        let status = Status::parse(self.status.trim());
        if status.is_err() {
            fail("status", "form-choose-status");
        }
        if self.name_zh.trim().is_empty() {
            fail("name_zh", "form-name-zh-required");
        }
        for (field, value) in [
            ("name_zh", &self.name_zh),
            ("name_mn", &self.name_mn),
            ("name_en", &self.name_en),
            ("contact", &self.contact),
        ] {
            if value.chars().count() > 200 {
                fail(field, "form-too-long");
            }
        }
        let website = optional(&self.website);
        if let Some(url) = &website
            && (!(url.starts_with("https://") || url.starts_with("http://"))
                || url.chars().count() > 300
                || url.chars().any(char::is_whitespace))
        {
            fail("website", "form-bad-website");
        }
        let lat = coordinate(&self.latitude, -90.0..=90.0);
        let lon = coordinate(&self.longitude, -180.0..=180.0);
        let coordinates = match (lat, lon) {
            (Ok(Some(lat)), Ok(Some(lon))) => Some((lat, lon)),
            (Ok(None), Ok(None)) => None,
            (lat, lon) => {
                if !matches!(lat, Ok(Some(_))) {
                    fail("latitude", "form-bad-latitude");
                }
                if !matches!(lon, Ok(Some(_))) {
                    fail("longitude", "form-bad-longitude");
                }
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(BaseFields {
            slug: slug.expect("checked"),
            kind: kind.expect("checked"),
            level: level.expect("checked"),
            status: status.expect("checked"),
            name: text(&self.name_zh, &self.name_mn, &self.name_en),
            town: text(&self.town_zh, &self.town_mn, &self.town_en),
            address: text(&self.address_zh, &self.address_mn, &self.address_en),
            opening_hours: text(
                &self.opening_hours_zh,
                &self.opening_hours_mn,
                &self.opening_hours_en,
            ),
            description: text(
                &self.description_zh,
                &self.description_mn,
                &self.description_en,
            ),
            contact: optional(&self.contact),
            website,
            coordinates,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> BaseForm {
        BaseForm {
            slug: "ganqika-school".into(),
            kind: "school_hall".into(),
            status: "published".into(),
            name_zh: "甘旗卡第二中学民族文化展室".into(),
            website: "https://example.org/hall".into(),
            latitude: "42.95".into(),
            longitude: "122.36".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_round_trips() {
        let fields = good().check().unwrap();
        assert_eq!(fields.coordinates, Some((42.95, 122.36)));
        assert_eq!(fields.name.en, None, "blank languages are absent");
        let again = BaseForm::of(&fields, 4);
        assert_eq!(again.check().unwrap(), fields);
        assert_eq!(again.revision(), Some(4));
    }

    #[test]
    fn every_problem_is_reported_against_its_field() {
        let form = BaseForm {
            slug: "Bad Slug".into(),
            kind: "castle".into(),
            status: "".into(),
            name_zh: " ".into(),
            website: "javascript:alert(1)".into(),
            latitude: "95".into(),
            longitude: "".into(),
            ..good()
        };
        let errors: Vec<_> = form
            .check()
            .unwrap_err()
            .iter()
            .map(|e| (e.field, e.key))
            .collect();
        assert_eq!(
            errors,
            [
                ("slug", "form-bad-slug"),
                ("kind", "form-choose-kind"),
                ("status", "form-choose-status"),
                ("name_zh", "form-name-zh-required"),
                ("website", "form-bad-website"),
                ("latitude", "form-bad-latitude"),
                ("longitude", "form-bad-longitude"),
            ]
        );
    }
}
