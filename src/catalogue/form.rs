//! The item form as curators fill it in, and its checking: every problem is reported
//! against its field, with a message key the page shows in the curator's language, and the
//! form keeps everything they typed.

use super::model::ItemFields;
use super::rights::check_rights_uri;
use super::types::{Accession, Category, Level, Slug, Status};
use crate::i18n::LocalizedText;
use serde::{Deserialize, Serialize};

/// The item form, exactly as submitted (every field a string, so nothing typed is lost).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemForm {
    pub accession: String,
    pub slug: String,
    pub base: String,
    pub category: String,
    pub protection_level: String,
    pub year: String,
    pub rights: String,
    pub title_zh: String,
    pub title_mn: String,
    pub title_en: String,
    pub summary_zh: String,
    pub summary_mn: String,
    pub summary_en: String,
    pub description_zh: String,
    pub description_mn: String,
    pub description_en: String,
    pub place_zh: String,
    pub place_mn: String,
    pub place_en: String,
    pub period_zh: String,
    pub period_mn: String,
    pub period_en: String,
    /// One bearer per line; the lines of the three languages go together.
    pub inheritors_zh: String,
    pub inheritors_mn: String,
    pub inheritors_en: String,
    /// One subject per line, aligned like the inheritors.
    pub subjects_zh: String,
    pub subjects_mn: String,
    pub subjects_en: String,
    /// The revision the form was opened at (optimistic locking).
    pub revision: String,
}

/// A problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The form field, e.g. `title_zh`.
    pub field: &'static str,
    /// The message key (locales/*.ftl).
    pub key: &'static str,
}

fn text(zh: &str, mn: &str, en: &str) -> LocalizedText {
    LocalizedText::new(
        Some(zh.to_owned()),
        Some(mn.to_owned()),
        Some(en.to_owned()),
    )
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(|l| l.trim().to_owned()).collect()
}

/// Lines of three languages zipped into localized texts; blank rows are dropped.
fn list(zh: &str, mn: &str, en: &str) -> Vec<LocalizedText> {
    let (zh, mn, en) = (lines(zh), lines(mn), lines(en));
    let rows = zh.len().max(mn.len()).max(en.len());
    (0..rows)
        .map(|i| {
            let get = |v: &Vec<String>| v.get(i).cloned();
            LocalizedText::new(get(&zh), get(&mn), get(&en))
        })
        .filter(|t| !t.is_empty())
        .collect()
}

fn unlines(list: &[LocalizedText], pick: impl Fn(&LocalizedText) -> &Option<String>) -> String {
    list.iter()
        .map(|t| pick(t).clone().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

impl ItemForm {
    /// The form filled in from an item (to edit it).
    pub fn of(fields: &ItemFields, base: &Slug, revision: i64) -> ItemForm {
        let t = |l: &LocalizedText| {
            (
                l.zh.clone().unwrap_or_default(),
                l.mn.clone().unwrap_or_default(),
                l.en.clone().unwrap_or_default(),
            )
        };
        let (title_zh, title_mn, title_en) = t(&fields.title);
        let (summary_zh, summary_mn, summary_en) = t(&fields.summary);
        let (description_zh, description_mn, description_en) = t(&fields.description);
        let (place_zh, place_mn, place_en) = t(&fields.place);
        let (period_zh, period_mn, period_en) = t(&fields.period);
        ItemForm {
            accession: fields.accession.to_string(),
            slug: fields.slug.to_string(),
            base: base.to_string(),
            category: fields.category.code().to_owned(),
            protection_level: fields
                .protection_level
                .map(|l| l.code().to_owned())
                .unwrap_or_default(),
            year: fields.year.map(|y| y.to_string()).unwrap_or_default(),
            rights: fields.rights.clone(),
            title_zh,
            title_mn,
            title_en,
            summary_zh,
            summary_mn,
            summary_en,
            description_zh,
            description_mn,
            description_en,
            place_zh,
            place_mn,
            place_en,
            period_zh,
            period_mn,
            period_en,
            inheritors_zh: unlines(&fields.inheritors, |t| &t.zh),
            inheritors_mn: unlines(&fields.inheritors, |t| &t.mn),
            inheritors_en: unlines(&fields.inheritors, |t| &t.en),
            subjects_zh: unlines(&fields.subjects, |t| &t.zh),
            subjects_mn: unlines(&fields.subjects, |t| &t.mn),
            subjects_en: unlines(&fields.subjects, |t| &t.en),
            revision: revision.to_string(),
        }
    }

    /// The revision the form was opened at, if it carries a valid one.
    pub fn revision(&self) -> Option<i64> {
        self.revision.trim().parse().ok()
    }

    /// Checks the form. The item keeps `status` (the workflow changes it, not the form).
    pub fn check(&self, status: Status) -> Result<(ItemFields, Slug), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail =
            |field: &'static str, key: &'static str| errors.push(FieldError { field, key });
        let accession = Accession::parse(self.accession.trim());
        if accession.is_err() {
            fail(
                "accession",
                if self.accession.trim().is_empty() {
                    "form-required"
                } else {
                    "form-bad-accession"
                },
            );
        }
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
        let base = Slug::parse(self.base.trim());
        if base.is_err() {
            fail("base", "form-choose-base");
        }
        let category = Category::parse(self.category.trim());
        if category.is_err() {
            fail("category", "form-choose-category");
        }
        let level = match self.protection_level.trim() {
            "" => Ok(None),
            code => Level::parse(code).map(Some),
        };
        if level.is_err() {
            fail("protection_level", "form-choose-level");
        }
        let year = match self.year.trim() {
            "" => Ok(None),
            y => y
                .parse::<i32>()
                .map(Some)
                .map_err(|_| ())
                .and_then(|y| match y {
                    Some(v) if (-5000..=2200).contains(&v) => Ok(Some(v)),
                    _ => Err(()),
                }),
        };
        if year.is_err() {
            fail("year", "form-bad-year");
        }
        let rights = self.rights.trim();
        if check_rights_uri(rights).is_err() {
            fail("rights", "form-bad-rights");
        }
        if self.title_zh.trim().is_empty() {
            fail("title_zh", "form-title-zh-required");
        }
        if let Some(too_long) = [
            ("title_zh", &self.title_zh),
            ("title_mn", &self.title_mn),
            ("title_en", &self.title_en),
        ]
        .into_iter()
        .find(|(_, v)| v.chars().count() > 200)
        {
            fail(too_long.0, "form-too-long");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let fields = ItemFields {
            accession: accession.expect("checked"),
            slug: slug.expect("checked"),
            status,
            category: category.expect("checked"),
            protection_level: level.expect("checked"),
            title: text(&self.title_zh, &self.title_mn, &self.title_en),
            summary: text(&self.summary_zh, &self.summary_mn, &self.summary_en),
            description: text(
                &self.description_zh,
                &self.description_mn,
                &self.description_en,
            ),
            place: text(&self.place_zh, &self.place_mn, &self.place_en),
            period: text(&self.period_zh, &self.period_mn, &self.period_en),
            year: year.expect("checked"),
            inheritors: list(
                &self.inheritors_zh,
                &self.inheritors_mn,
                &self.inheritors_en,
            ),
            subjects: list(&self.subjects_zh, &self.subjects_mn, &self.subjects_en),
            rights: rights.to_owned(),
        };
        Ok((fields, base.expect("checked")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ItemForm {
        ItemForm {
            accession: "KZH-0100".into(),
            slug: "saddle".into(),
            base: "hall".into(),
            category: "traditional_craft".into(),
            rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
            title_zh: "马鞍".into(),
            title_en: "Saddle".into(),
            inheritors_zh: "甲\n乙".into(),
            inheritors_en: "A\n".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_becomes_fields_with_aligned_lists() {
        let (fields, base) = good().check(Status::Draft).unwrap();
        assert_eq!(base.as_str(), "hall");
        assert_eq!(fields.title.en.as_deref(), Some("Saddle"));
        assert_eq!(fields.title.mn, None, "blank languages are absent");
        assert_eq!(fields.inheritors.len(), 2);
        assert_eq!(fields.inheritors[0].en.as_deref(), Some("A"));
        assert_eq!(fields.inheritors[1].en, None);
        let again = ItemForm::of(&fields, &base, 3);
        assert_eq!(
            again.check(Status::Draft).unwrap().0,
            fields,
            "the form round-trips"
        );
        assert_eq!(again.revision(), Some(3));
    }

    #[test]
    fn every_problem_is_reported_against_its_field() {
        let form = ItemForm {
            accession: "a b".into(),
            slug: "".into(),
            category: "dance".into(),
            year: "two thousand".into(),
            rights: "CC0".into(),
            title_zh: " ".into(),
            ..good()
        };
        let errors = form.check(Status::Draft).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            fields,
            [
                ("accession", "form-bad-accession"),
                ("slug", "form-required"),
                ("category", "form-choose-category"),
                ("year", "form-bad-year"),
                ("rights", "form-bad-rights"),
                ("title_zh", "form-title-zh-required"),
            ]
        );
    }
}
