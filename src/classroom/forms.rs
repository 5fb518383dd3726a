//! The teacher's forms as submitted (a class, an assignment, a question) and their checks,
//! each problem named by its field.

use super::model::{AssignmentFields, ClassFields, NewQuestion, QuestionKind, Tour};
use super::rules::{CHOICES_MAX, school_year_of, start_of};
use crate::catalogue::form::FieldError;
use crate::catalogue::types::Slug;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The class form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct ClassForm {
    pub school: String,
    pub grade: String,
    pub name: String,
    /// How many students; may be left empty.
    pub students: String,
}

/// The largest class a teacher may give: more than any real class, fewer than a typo
/// such as 4500 for 45.
pub const CLASS_MAX: i64 = 150;

fn short_text(
    value: &str,
    field: &'static str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.push(FieldError {
            field,
            key: "class-error-required",
        });
    } else if v.chars().count() > max || v.chars().any(char::is_control) {
        errors.push(FieldError {
            field,
            key: "class-error-too-long",
        });
    }
    v.to_owned()
}

/// A class size, from 1 to [`CLASS_MAX`]; none when left empty.
fn class_size(value: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if (1..=CLASS_MAX).contains(&n) => Some(n),
        _ => {
            errors.push(FieldError {
                field: "students",
                key: "class-error-students",
            });
            None
        }
    }
}

impl ClassForm {
    /// The form showing `class` as it is, to be changed.
    pub fn of(class: &ClassFields) -> ClassForm {
        ClassForm {
            school: class.school.clone(),
            grade: class.grade.clone(),
            name: class.name.clone(),
            students: class.students.map(|n| n.to_string()).unwrap_or_default(),
        }
    }

    /// The checked class, or every problem by field.
    pub fn check(&self) -> Result<ClassFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let fields = ClassFields {
            school: short_text(&self.school, "school", 60, &mut errors),
            grade: short_text(&self.grade, "grade", 20, &mut errors),
            name: short_text(&self.name, "name", 30, &mut errors),
            students: class_size(&self.students, &mut errors),
        };
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(errors)
        }
    }
}

/// Most items a teacher's list may have: a visit of one lesson.
pub const MAX_ITEMS: usize = 30;

/// The assignment form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct AssignmentForm {
    /// `exhibition` (the default) or `items`.
    pub tour: String,
    pub exhibition: String,
    /// For a list of items: its title.
    pub title: String,
    /// For a list of items: one accession number, item address or slug per line.
    pub items: String,
    pub instructions: String,
    pub essay_prompt: String,
    pub essay_min_chars: String,
    pub opens: String,
    pub closes: String,
}

impl AssignmentForm {
    /// A form for `today`: open today, closing in two weeks, 300 characters.
    pub fn starting(today: NaiveDate) -> AssignmentForm {
        AssignmentForm {
            essay_min_chars: "300".into(),
            opens: today.to_string(),
            closes: (today + Days::new(14)).to_string(),
            ..AssignmentForm::default()
        }
    }

    /// The form of what `fields` set, to change it: the days as the teacher gave them (the
    /// last day, not the moment after it, China time).
    pub fn of(fields: &AssignmentFields) -> AssignmentForm {
        let (tour, exhibition, title, items) = match &fields.tour {
            Tour::Exhibition(slug) => ("exhibition", slug.to_string(), String::new(), Vec::new()),
            Tour::Items { title, items } => ("items", String::new(), title.clone(), items.clone()),
        };
        let last = fields.closes_at - chrono::Duration::seconds(1);
        AssignmentForm {
            tour: tour.into(),
            exhibition,
            title,
            items: items
                .iter()
                .map(Slug::as_str)
                .collect::<Vec<_>>()
                .join("\n"),
            instructions: fields.instructions.clone(),
            essay_prompt: fields.essay_prompt.clone(),
            essay_min_chars: fields.essay_min_chars.to_string(),
            opens: crate::stats::day_of(fields.opens_at).to_string(),
            closes: crate::stats::day_of(last).to_string(),
        }
    }

    /// True when the teacher chose a list of items rather than an exhibition.
    pub fn is_item_list(&self) -> bool {
        self.tour == "items"
    }

    /// The item list's lines, each reduced to what identifies an item: an item address
    /// (`…/items/{slug}`) or short link (`…/q/{accession}`) becomes its last part; anything
    /// else is kept as typed (a slug or an accession number) for the caller to look up.
    pub fn item_lines(&self) -> Vec<String> {
        self.items
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let l = l
                    .split(['?', '#'])
                    .next()
                    .unwrap_or(l)
                    .trim_end_matches('/');
                ["/items/", "/q/"]
                    .iter()
                    .find_map(|marker| l.rsplit_once(marker).map(|(_, rest)| rest))
                    .unwrap_or(l)
                    .to_owned()
            })
            .collect()
    }

    /// The checked assignment, or every problem by field. `resolved` is, for a list of
    /// items, what each of [`item_lines`](Self::item_lines) names among published items
    /// (`None` when nothing); whether an exhibition is published is for the caller to check.
    pub fn check(&self, resolved: &[Option<Slug>]) -> Result<AssignmentFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field, key| errors.push(FieldError { field, key });
        let tour = if self.is_item_list() {
            let title = self.title.trim().to_owned();
            if title.is_empty() {
                err("title", "class-error-required");
            } else if title.chars().count() > 200 {
                err("title", "class-error-too-long");
            }
            let items: Option<Vec<Slug>> = resolved.iter().cloned().collect();
            let unique = items.as_ref().is_some_and(|items| {
                let mut seen = std::collections::HashSet::new();
                items.iter().all(|s| seen.insert(s.clone()))
            });
            match items {
                Some(items) if !items.is_empty() && items.len() <= MAX_ITEMS && unique => {
                    Some(Tour::Items { title, items })
                }
                _ => {
                    err("items", "assignment-error-items");
                    None
                }
            }
        } else {
            let exhibition = Slug::parse(self.exhibition.trim()).ok();
            if exhibition.is_none() {
                err("exhibition", "assignment-error-exhibition");
            }
            exhibition.map(Tour::Exhibition)
        };
        let instructions = self.instructions.trim().to_owned();
        if instructions.chars().count() > 2000 {
            err("instructions", "class-error-too-long");
        }
        let essay_prompt = self.essay_prompt.trim().to_owned();
        if essay_prompt.is_empty() {
            err("essay_prompt", "class-error-required");
        } else if essay_prompt.chars().count() > 1000 {
            err("essay_prompt", "class-error-too-long");
        }
        let min = self.essay_min_chars.trim().parse::<i64>().ok();
        if !matches!(min, Some(0..=5000)) {
            err("essay_min_chars", "assignment-error-min-chars");
        }
        let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        let (opens, closes) = (date(&self.opens), date(&self.closes));
        if opens.is_none() {
            err("opens", "assignment-error-date");
        }
        if closes.is_none() {
            err("closes", "assignment-error-date");
        }
        if let (Some(o), Some(c)) = (opens, closes)
            && (c < o || (c - o).num_days() > 366)
        {
            err("closes", "assignment-error-closes");
        }
        match (tour, min, opens, closes) {
            (Some(tour), Some(min), Some(opens), Some(closes)) if errors.is_empty() => {
                Ok(AssignmentFields {
                    tour,
                    instructions,
                    essay_prompt,
                    essay_min_chars: min,
                    opens_at: start_of(opens),
                    closes_at: start_of(closes + Days::new(1)),
                    school_year: school_year_of(opens),
                })
            }
            _ => Err(errors),
        }
    }
}

/// The "add a question" form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct QuestionForm {
    pub stop: String,
    pub kind: String,
    pub prompt: String,
    /// One choice per line.
    pub choices: String,
    /// The right choice, 1-based as teachers count.
    pub answer: String,
}

impl QuestionForm {
    /// The checked question for an exhibition of `stops` stops, or every problem.
    pub fn check(&self, stops: i64) -> Result<NewQuestion, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field, key| errors.push(FieldError { field, key });
        let stop = self
            .stop
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=stops).contains(n));
        if stop.is_none() {
            err("stop", "question-error-stop");
        }
        let kind = QuestionKind::parse(self.kind.trim());
        if kind.is_none() {
            err("kind", "question-error-kind");
        }
        let prompt = self.prompt.trim().to_owned();
        if prompt.is_empty() {
            err("prompt", "class-error-required");
        } else if prompt.chars().count() > 500 {
            err("prompt", "class-error-too-long");
        }
        let choices: Vec<String> = self
            .choices
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let mut answer = None;
        if kind == Some(QuestionKind::Choice) {
            if !(2..=CHOICES_MAX).contains(&choices.len())
                || choices.iter().any(|c| c.chars().count() > 200)
            {
                err("choices", "question-error-choices");
            }
            answer = self
                .answer
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=choices.len() as i64).contains(n))
                .map(|n| n - 1);
            if answer.is_none() {
                err("answer", "question-error-answer");
            }
        }
        match (stop, kind) {
            (Some(stop), Some(kind)) if errors.is_empty() => Ok(NewQuestion {
                stop,
                kind,
                prompt,
                choices: if kind == QuestionKind::Choice {
                    choices
                } else {
                    Vec::new()
                },
                answer,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_class_size_is_optional_but_must_be_a_real_count() {
        let form = |students: &str| ClassForm {
            school: "甘旗卡第二中学".into(),
            grade: "七年级".into(),
            name: "三班".into(),
            students: students.into(),
        };
        assert_eq!(form("").check().unwrap().students, None);
        assert_eq!(form(" 45 ").check().unwrap().students, Some(45));
        assert_eq!(form("150").check().unwrap().students, Some(150));
        for bad in ["0", "-3", "151", "4500", "四十五", "45.5", "1e2"] {
            let errors = form(bad).check().unwrap_err();
            assert_eq!(errors.len(), 1, "{bad}");
            assert_eq!(errors[0].field, "students", "{bad}");
        }
        let fields = form("45").check().unwrap();
        assert_eq!(ClassForm::of(&fields), form("45"));
    }

    #[test]
    fn assignment_dates_are_whole_days_in_china() {
        let form = AssignmentForm {
            exhibition: "life-on-the-steppe".into(),
            essay_prompt: "写一写".into(),
            essay_min_chars: "100".into(),
            opens: "2026-04-01".into(),
            closes: "2026-04-15".into(),
            ..AssignmentForm::default()
        };
        let f = form.check(&[]).unwrap();
        assert_eq!(f.opens_at, at("2026-03-31T16:00:00Z"));
        assert_eq!(
            f.closes_at,
            at("2026-04-15T16:00:00Z"),
            "the 15th is included"
        );
        assert_eq!(f.school_year, 2025);
        let bad = AssignmentForm {
            closes: "2026-03-01".into(),
            essay_min_chars: "lots".into(),
            ..form
        };
        let fields: Vec<_> = bad
            .check(&[])
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["essay_min_chars", "closes"]);
    }

    #[test]
    fn a_list_of_items_is_named_by_lines_and_must_all_be_found_once() {
        let form = AssignmentForm {
            tour: "items".into(),
            title: "马背上的手艺".into(),
            items: " KZH-0008 \n\nhttps://edu.example/items/andai-dance?lang=mn\nhttp://x/q/KZH-0011/\n".into(),
            essay_prompt: "写一写".into(),
            essay_min_chars: "100".into(),
            opens: "2026-04-01".into(),
            closes: "2026-04-15".into(),
            ..AssignmentForm::default()
        };
        assert_eq!(form.item_lines(), ["KZH-0008", "andai-dance", "KZH-0011"]);
        let slug = |s: &str| Some(Slug::parse(s).unwrap());
        let found = [slug("urliger"), slug("andai-dance"), slug("mongolian-ger")];
        match form.check(&found).unwrap().tour {
            Tour::Items { title, items } => {
                assert_eq!(title, "马背上的手艺");
                assert_eq!(items.len(), 3);
            }
            other => panic!("expected a list, got {other:?}"),
        }
        let field = |r: Result<AssignmentFields, Vec<FieldError>>| r.unwrap_err()[0].field;
        assert_eq!(field(form.check(&[slug("urliger"), None])), "items");
        assert_eq!(
            field(form.check(&[slug("urliger"), slug("urliger")])),
            "items"
        );
        assert_eq!(field(form.check(&[])), "items");
        let too_many: Vec<_> = (0..=MAX_ITEMS)
            .map(|i| slug(&format!("item-{i}")))
            .collect();
        assert_eq!(field(form.check(&too_many)), "items");
        let untitled = AssignmentForm {
            title: " ".into(),
            ..form
        };
        assert_eq!(field(untitled.check(&found)), "title");
    }

    #[test]
    fn questions_need_choices_and_a_right_answer() {
        let q = QuestionForm {
            stop: "2".into(),
            kind: "choice".into(),
            prompt: "蒙古包的门朝哪个方向？".into(),
            choices: "东南\n西北\n\n".into(),
            answer: "1".into(),
        };
        let ok = q.check(6).unwrap();
        assert_eq!((ok.choices.len(), ok.answer), (2, Some(0)));
        let wrong = QuestionForm {
            answer: "3".into(),
            ..q.clone()
        };
        assert_eq!(wrong.check(6).unwrap_err()[0].field, "answer");
        assert_eq!(q.check(1).unwrap_err()[0].field, "stop");
    }
}
