//! The exhibition form and the stop form as curators fill them in, and their checking:
//! problems are reported against their fields and everything typed is kept.

use super::exhibition_editor::{DraftExhibition, ExhibitionFields, StopFields};
use super::form::FieldError;
use super::model::Item;
use super::types::{MediaKind, Slug};
use crate::i18n::LocalizedText;
use serde::{Deserialize, Serialize};

/// The exhibition form, exactly as submitted (strings, so nothing typed is lost).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExhibitionForm {
    /// URL identifier.
    pub slug: String,
    /// The presenting base's slug.
    pub base: String,
    /// "on" when ticked (absent otherwise, as browsers send checkboxes).
    pub featured: String,
    /// Title, Chinese.
    pub title_zh: String,
    /// Title, Mongolian.
    pub title_mn: String,
    /// Title, English.
    pub title_en: String,
    /// Subtitle, Chinese.
    pub subtitle_zh: String,
    /// Subtitle, Mongolian.
    pub subtitle_mn: String,
    /// Subtitle, English.
    pub subtitle_en: String,
    /// Introduction, Chinese.
    pub introduction_zh: String,
    /// Introduction, Mongolian.
    pub introduction_mn: String,
    /// Introduction, English.
    pub introduction_en: String,
    /// The slug of the stop item whose image is the cover ("" for the first stop's).
    pub cover: String,
    /// The revision the form was opened at (optimistic locking).
    pub revision: String,
}

fn text(zh: &str, mn: &str, en: &str) -> LocalizedText {
    LocalizedText::new(
        Some(zh.to_owned()),
        Some(mn.to_owned()),
        Some(en.to_owned()),
    )
}

fn parts(t: &LocalizedText) -> (String, String, String) {
    (
        t.zh.clone().unwrap_or_default(),
        t.mn.clone().unwrap_or_default(),
        t.en.clone().unwrap_or_default(),
    )
}

impl ExhibitionForm {
    /// The form filled in from an exhibition (to edit it).
    pub fn of(ex: &DraftExhibition) -> ExhibitionForm {
        let f = &ex.fields;
        let (title_zh, title_mn, title_en) = parts(&f.title);
        let (subtitle_zh, subtitle_mn, subtitle_en) = parts(&f.subtitle);
        let (introduction_zh, introduction_mn, introduction_en) = parts(&f.introduction);
        ExhibitionForm {
            slug: f.slug.to_string(),
            base: ex.base.to_string(),
            featured: if f.featured {
                "on".into()
            } else {
                String::new()
            },
            title_zh,
            title_mn,
            title_en,
            subtitle_zh,
            subtitle_mn,
            subtitle_en,
            introduction_zh,
            introduction_mn,
            introduction_en,
            cover: f
                .cover_item
                .as_ref()
                .map(Slug::to_string)
                .unwrap_or_default(),
            revision: ex.revision.to_string(),
        }
    }

    /// True when the featured box is ticked.
    pub fn is_featured(&self) -> bool {
        !self.featured.is_empty()
    }

    /// The revision the form was opened at, if it carries a valid one.
    pub fn revision(&self) -> Option<i64> {
        self.revision.trim().parse().ok()
    }

    /// Checks the form; the cover must be one of `stop_items` (the exhibition's stops).
    pub fn check(&self, stop_items: &[Slug]) -> Result<(ExhibitionFields, Slug), Vec<FieldError>> {
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
        let base = Slug::parse(self.base.trim());
        if base.is_err() {
            fail("base", "form-choose-base");
        }
        let cover = match self.cover.trim() {
            "" => Ok(None),
            c => match stop_items.iter().find(|s| s.as_str() == c) {
                Some(s) => Ok(Some(s.clone())),
                None => Err(()),
            },
        };
        if cover.is_err() {
            fail("cover", "exhibition-cover-not-a-stop");
        }
        if self.title_zh.trim().is_empty() {
            fail("title_zh", "form-title-zh-required");
        }
        for (field, value, max) in [
            ("title_zh", &self.title_zh, 200),
            ("title_mn", &self.title_mn, 200),
            ("title_en", &self.title_en, 200),
            ("subtitle_zh", &self.subtitle_zh, 300),
            ("subtitle_mn", &self.subtitle_mn, 300),
            ("subtitle_en", &self.subtitle_en, 300),
        ] {
            if value.chars().count() > max {
                fail(field, "form-too-long");
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let fields = ExhibitionFields {
            slug: slug.expect("checked"),
            featured: self.is_featured(),
            title: text(&self.title_zh, &self.title_mn, &self.title_en),
            subtitle: text(&self.subtitle_zh, &self.subtitle_mn, &self.subtitle_en),
            introduction: text(
                &self.introduction_zh,
                &self.introduction_mn,
                &self.introduction_en,
            ),
            cover_item: cover.expect("checked"),
        };
        Ok((fields, base.expect("checked")))
    }
}

/// One stop's form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StopForm {
    /// Narrative, Chinese.
    pub narrative_zh: String,
    /// Narrative, Mongolian.
    pub narrative_mn: String,
    /// Narrative, English.
    pub narrative_en: String,
    /// 1-based position of the focus image among the item's media ("" for its cover).
    pub focus: String,
    /// The id of the audio guide ("" for none).
    pub audio: String,
    /// The revision the page was opened at.
    pub revision: String,
}

impl StopForm {
    /// The form filled in from a stop.
    pub fn of(fields: &StopFields, revision: i64) -> StopForm {
        let (narrative_zh, narrative_mn, narrative_en) = parts(&fields.narrative);
        StopForm {
            narrative_zh,
            narrative_mn,
            narrative_en,
            focus: fields
                .media_index
                .map(|i| i.to_string())
                .unwrap_or_default(),
            audio: fields.audio.map(|i| i.to_string()).unwrap_or_default(),
            revision: revision.to_string(),
        }
    }

    /// The revision the page was opened at, if valid.
    pub fn revision(&self) -> Option<i64> {
        self.revision.trim().parse().ok()
    }

    /// Checks the form against the stop's item: the focus must be one of its images and
    /// the audio guide one of its audio files.
    pub fn check(&self, item: &Item) -> Result<StopFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let media_index = match self.focus.trim() {
            "" => None,
            n => match n.parse::<u32>() {
                Ok(i)
                    if i >= 1
                        && item
                            .media
                            .get(i as usize - 1)
                            .is_some_and(|m| m.kind == MediaKind::Image) =>
                {
                    Some(i)
                }
                _ => {
                    errors.push(FieldError {
                        field: "focus",
                        key: "stop-bad-focus",
                    });
                    None
                }
            },
        };
        let audio = match self.audio.trim() {
            "" => None,
            id => match id.parse::<i64>() {
                Ok(id)
                    if item
                        .media
                        .iter()
                        .any(|m| m.id == id && m.kind == MediaKind::Audio) =>
                {
                    Some(id)
                }
                _ => {
                    errors.push(FieldError {
                        field: "audio",
                        key: "stop-bad-audio",
                    });
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(StopFields {
            media_index,
            audio,
            narrative: text(&self.narrative_zh, &self.narrative_mn, &self.narrative_en),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ExhibitionForm {
        ExhibitionForm {
            slug: "steppe".into(),
            base: "hall".into(),
            featured: "on".into(),
            title_zh: "草原".into(),
            title_en: "Steppe".into(),
            introduction_zh: "第一段。\n\n第二段。".into(),
            revision: "3".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_round_trips() {
        let (fields, base) = good().check(&[]).unwrap();
        assert_eq!(base.as_str(), "hall");
        assert!(fields.featured);
        assert_eq!(fields.title.mn, None, "blank languages are absent");
        assert_eq!(good().revision(), Some(3));
    }

    #[test]
    fn problems_are_reported_against_their_fields() {
        let form = ExhibitionForm {
            slug: "Not A Slug".into(),
            base: "".into(),
            title_zh: " ".into(),
            cover: "somewhere-else".into(),
            subtitle_en: "x".repeat(301),
            ..good()
        };
        let errors = form.check(&[Slug::parse("ger").unwrap()]).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            fields,
            [
                ("slug", "form-bad-slug"),
                ("base", "form-choose-base"),
                ("cover", "exhibition-cover-not-a-stop"),
                ("title_zh", "form-title-zh-required"),
                ("subtitle_en", "form-too-long"),
            ]
        );
    }
}
