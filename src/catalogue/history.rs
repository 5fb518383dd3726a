//! Field-level differences between two versions of an item, for the history page and the
//! audit log.

use super::editor::ItemSnapshot;
use crate::i18n::LocalizedText;

/// One changed field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The field, e.g. `title.zh`, `category`, `media 2 · alt.en`.
    pub field: String,
    /// Its value before ("" when absent).
    pub before: String,
    /// Its value after ("" when absent).
    pub after: String,
}

fn push_text(out: &mut Vec<(String, String)>, name: &str, t: &LocalizedText) {
    for (lang, value) in [("zh", &t.zh), ("mn", &t.mn), ("en", &t.en)] {
        out.push((format!("{name}.{lang}"), value.clone().unwrap_or_default()));
    }
}

fn push_list(out: &mut Vec<(String, String)>, name: &str, list: &[LocalizedText]) {
    for (lang, pick) in [("zh", 0), ("mn", 1), ("en", 2)] {
        let joined: Vec<String> = list
            .iter()
            .filter_map(|t| [&t.zh, &t.mn, &t.en][pick].clone())
            .collect();
        out.push((format!("{name}.{lang}"), joined.join("; ")));
    }
}

/// Every field of a snapshot as `(name, value)`, in a stable order.
pub fn flatten(s: &ItemSnapshot) -> Vec<(String, String)> {
    let f = &s.fields;
    let mut out = vec![
        ("accession".to_owned(), f.accession.to_string()),
        ("slug".to_owned(), f.slug.to_string()),
        ("status".to_owned(), f.status.code().to_owned()),
        ("category".to_owned(), f.category.code().to_owned()),
        (
            "protection_level".to_owned(),
            f.protection_level
                .map(|l| l.code().to_owned())
                .unwrap_or_default(),
        ),
        ("base".to_owned(), s.base.to_string()),
        (
            "year".to_owned(),
            f.year.map(|y| y.to_string()).unwrap_or_default(),
        ),
        ("rights".to_owned(), f.rights.clone()),
    ];
    for (name, text) in [
        ("title", &f.title),
        ("summary", &f.summary),
        ("description", &f.description),
        ("place", &f.place),
        ("period", &f.period),
    ] {
        push_text(&mut out, name, text);
    }
    push_list(&mut out, "inheritors", &f.inheritors);
    push_list(&mut out, "subjects", &f.subjects);
    out.push((
        "media".to_owned(),
        s.media
            .iter()
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
            .join("; "),
    ));
    for (i, m) in s.media.iter().enumerate() {
        let name = format!("media {} ({})", i + 1, m.name);
        push_text(&mut out, &format!("{name} · alt"), &m.alt);
        push_text(&mut out, &format!("{name} · caption"), &m.caption);
        out.push((format!("{name} · credit"), m.credit.clone()));
        out.push((format!("{name} · rights"), m.rights.clone()));
    }
    out
}

/// The fields that differ between two versions (fields present in only one count as
/// changed from or to "").
pub fn diff(before: &ItemSnapshot, after: &ItemSnapshot) -> Vec<Change> {
    let old = flatten(before);
    let new = flatten(after);
    let lookup = |list: &[(String, String)], key: &str| {
        list.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut keys: Vec<String> = old.iter().map(|(k, _)| k.clone()).collect();
    for (k, _) in &new {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    keys.into_iter()
        .filter_map(|field| {
            let (b, a) = (lookup(&old, &field), lookup(&new, &field));
            (b != a).then_some(Change {
                field,
                before: b,
                after: a,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::model::ItemFields;
    use crate::catalogue::types::{Accession, Category, Slug, Status};

    fn snapshot(title_en: &str, status: Status) -> ItemSnapshot {
        ItemSnapshot {
            fields: ItemFields {
                accession: Accession::parse("A1").unwrap(),
                slug: Slug::parse("a").unwrap(),
                status,
                category: Category::Quyi,
                protection_level: None,
                title: LocalizedText::new(Some("乌力格尔".into()), None, Some(title_en.into())),
                summary: LocalizedText::default(),
                description: LocalizedText::default(),
                place: LocalizedText::default(),
                period: LocalizedText::default(),
                year: None,
                inheritors: vec![],
                subjects: vec![],
                rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
            },
            base: Slug::parse("hall").unwrap(),
            media: vec![],
        }
    }

    #[test]
    fn only_changed_fields_are_listed_with_before_and_after() {
        let a = snapshot("Urliger", Status::Draft);
        let b = snapshot("Urliger storytelling", Status::Published);
        let changes = diff(&a, &b);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["status", "title.en"]);
        assert_eq!(changes[1].before, "Urliger");
        assert_eq!(changes[1].after, "Urliger storytelling");
        assert!(diff(&a, &a).is_empty());
    }
}
