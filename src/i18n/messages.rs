//! UI strings: one Fluent bundle per language under `locales/`, compiled into the binary,
//! with the translations made on the site laid over them ([`super::translations`]).
//!
//! Chinese is the complete source bundle. A key missing in Mongolian falls back to Chinese
//! (the languages issue fills the Mongolian bundle with verified text); English must be
//! complete, which a unit test checks.

use super::translations::{Translation, entry};
use super::{Audience, Lang};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::{Arc, LazyLock, RwLock};

const SOURCES: [(Lang, &str); 3] = [
    (Lang::Zh, include_str!("../../locales/zh.ftl")),
    (Lang::Mn, include_str!("../../locales/mn.ftl")),
    (Lang::En, include_str!("../../locales/en.ftl")),
];

/// The compiled message bundles of every language.
pub struct Messages {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
    /// The languages a visitor is offered: those with every string of the public pages.
    offered: Vec<Lang>,
    /// The languages a class visit's printed handout is offered in: those with every
    /// string of the public pages and the students' visit.
    offered_to_students: Vec<Lang>,
}

static MESSAGES: LazyLock<RwLock<Arc<Messages>>> =
    LazyLock::new(|| RwLock::new(Arc::new(Messages::load(&[]))));

impl Messages {
    /// The process-wide bundles: the compiled ones, with the site's translations over them
    /// once [`install`](Self::install) has run.
    pub fn global() -> Arc<Messages> {
        MESSAGES
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Lays `translations` over the compiled bundles, for every page from now on. Each was
    /// checked when it was kept; one that no longer parses (a key since removed, say) is
    /// skipped and named in the log.
    pub fn install(translations: &[Translation]) {
        let messages = Arc::new(Messages::load(translations));
        *MESSAGES
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = messages;
    }

    fn load(translations: &[Translation]) -> Messages {
        let bundles = SOURCES
            .iter()
            .map(|(lang, source)| {
                let resource =
                    FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(_, errors)| {
                        panic!("locales/{lang}.ftl does not parse: {errors:?}")
                    });
                let id = lang.bcp47().parse().expect("our language tags are valid");
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Isolation marks (U+2068/U+2069) would end up inside HTML attributes.
                bundle.set_use_isolating(false);
                bundle.add_resource(resource).unwrap_or_else(|errors| {
                    panic!("locales/{lang}.ftl has duplicate keys: {errors:?}")
                });
                for t in translations.iter().filter(|t| t.lang == *lang) {
                    match FluentResource::try_new(entry(&t.key, &t.text)) {
                        Ok(over) => bundle.add_resource_overriding(over),
                        Err(_) => {
                            tracing::warn!(key = %t.key, %lang, "a site translation does not parse; skipped")
                        }
                    }
                }
                (*lang, bundle)
            })
            .collect::<Vec<_>>();
        let complete = |readers: &[Audience]| -> Vec<Lang> {
            let keys: Vec<String> = Messages::keys(Lang::Zh)
                .into_iter()
                .filter(|k| readers.contains(&Audience::of(k)))
                .collect();
            bundles
                .iter()
                .filter(|(_, bundle)| keys.iter().all(|k| bundle.has_message(k)))
                .map(|(lang, _)| *lang)
                .collect()
        };
        let offered = complete(&[Audience::Visitors]);
        let offered_to_students = complete(&[Audience::Visitors, Audience::Students]);
        Messages {
            bundles,
            offered,
            offered_to_students,
        }
    }

    /// The languages a class visit's handout offers (see [`offered`](Self::offered)): once
    /// the students' strings are written too.
    pub fn offered_to_students(&self) -> &[Lang] {
        &self.offered_to_students
    }

    /// The languages the language switch offers (in [`Lang::ALL`]'s order): Chinese and
    /// English always; Mongolian once every string of the public pages is written in it,
    /// in `mn.ftl` or on the site. Until then a Mongolian page would be a Chinese page with
    /// Mongolian records, so visitors are not sent there (`?lang=mn` still shows it).
    pub fn offered(&self) -> &[Lang] {
        &self.offered
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        &self
            .bundles
            .iter()
            .find(|(l, _)| *l == lang)
            .expect("every language has a bundle")
            .1
    }

    /// True when `lang`'s own bundle has the key (no fallback).
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }

    /// The compiled file of one language.
    fn file(lang: Lang) -> &'static str {
        SOURCES
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, s)| *s)
            .unwrap_or("")
    }

    /// The text of message `key` as its language's file writes it (continuation lines
    /// unindented), if the file has it.
    pub fn source(lang: Lang, key: &str) -> Option<String> {
        let mut lines = Messages::file(lang).lines();
        let first = lines.find_map(|line| {
            let (k, rest) = line.split_once('=')?;
            (k.trim_end() == key && !line.starts_with([' ', '#'])).then(|| rest.trim().to_owned())
        })?;
        let mut text = vec![first];
        text.extend(
            lines
                .take_while(|l| l.starts_with(' '))
                .map(|l| l.trim().to_owned()),
        );
        Some(text.join("\n").trim().to_owned())
    }

    /// The message ids of one language's bundle, as written in its file.
    pub fn keys(lang: Lang) -> Vec<String> {
        Messages::file(lang)
            .lines()
            .filter_map(|line| {
                let (key, _) = line.split_once('=')?;
                let key = key.trim_end();
                let plain = key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                (plain && !key.is_empty() && !line.starts_with([' ', '#', '-']))
                    .then(|| key.to_owned())
            })
            .collect()
    }

    /// Formats `key` for `lang` with named arguments, falling back to Chinese, and finally to
    /// the key itself so a missing string is visible rather than blank.
    pub fn format(&self, lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        for l in [lang, Lang::Zh] {
            let bundle = self.bundle(l);
            let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
                continue;
            };
            let mut fluent_args = FluentArgs::new();
            for (name, value) in args {
                fluent_args.set(*name, value.clone());
            }
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(%key, lang = %l, ?errors, "message formatting errors");
            }
            return text.into_owned();
        }
        tracing::warn!(%key, %lang, "missing message");
        key.to_owned()
    }
}

/// A translator bound to one language, handed to templates as `tr`.
#[derive(Clone, Copy)]
pub struct Tr {
    /// The language this translator speaks.
    pub lang: Lang,
}

impl Tr {
    /// A translator for `lang`.
    pub fn new(lang: Lang) -> Self {
        Tr { lang }
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        Messages::global().format(self.lang, key, &[])
    }

    /// The message `key` with one named argument.
    pub fn t1(&self, key: &str, name: &str, value: impl Into<FluentValue<'static>>) -> String {
        Messages::global().format(self.lang, key, &[(name, value.into())])
    }

    /// The message `key` with several named text arguments.
    pub fn with(&self, key: &str, args: &[(&str, &str)]) -> String {
        // A whole number written plainly goes in as a number, so that messages can choose
        // plural forms by it ("1 essay", "2 essays"); anything else ("007", "3.0") as text.
        let value = |v: &str| match v.parse::<i64>() {
            Ok(n) if n.to_string() == v && n.unsigned_abs() < 1 << 53 => FluentValue::from(n),
            _ => FluentValue::from(v.to_owned()),
        };
        let args: Vec<(&str, FluentValue<'_>)> = args.iter().map(|(k, v)| (*k, value(v))).collect();
        Messages::global().format(self.lang, key, &args)
    }

    /// The message `key` with a count argument `n` (plural rules apply).
    pub fn n(&self, key: &str, n: i64) -> String {
        Messages::global().format(self.lang, key, &[("n", FluentValue::from(n))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_bundle_has_every_chinese_key_and_nothing_else() {
        let zh = Messages::keys(Lang::Zh);
        let en = Messages::keys(Lang::En);
        let missing: Vec<_> = zh.iter().filter(|k| !en.contains(k)).collect();
        let extra: Vec<_> = en.iter().filter(|k| !zh.contains(k)).collect();
        assert!(missing.is_empty(), "missing in en.ftl: {missing:?}");
        assert!(extra.is_empty(), "in en.ftl but not zh.ftl: {extra:?}");
        assert!(
            zh.len() > 40,
            "expected a real bundle, found {} keys",
            zh.len()
        );
    }

    #[test]
    fn every_key_is_in_mongolian_or_marked_for_translation() {
        let zh = Messages::keys(Lang::Zh);
        let mn = Messages::keys(Lang::Mn);
        let todo: Vec<&str> = include_str!("../../locales/mn-todo.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let unmarked: Vec<_> = zh
            .iter()
            .filter(|k| !mn.contains(k) && !todo.contains(&k.as_str()))
            .collect();
        assert!(
            unmarked.is_empty(),
            "neither in mn.ftl nor marked in locales/mn-todo.txt: {unmarked:?}"
        );
        let both: Vec<_> = mn.iter().filter(|k| todo.contains(&k.as_str())).collect();
        assert!(
            both.is_empty(),
            "translated but still marked in mn-todo.txt: {both:?}"
        );
        let stale: Vec<_> = todo
            .iter()
            .filter(|k| !zh.iter().any(|z| z == *k))
            .collect();
        assert!(
            stale.is_empty(),
            "marked in mn-todo.txt but no longer in zh.ftl: {stale:?}"
        );
        // Each key once: the file is the translator's worklist, and its length the count.
        let mut seen = std::collections::HashSet::new();
        let twice: Vec<_> = todo.iter().filter(|k| !seen.insert(**k)).collect();
        assert!(twice.is_empty(), "listed twice in mn-todo.txt: {twice:?}");
    }

    #[test]
    fn mongolian_is_offered_once_every_string_of_the_public_pages_is_written_in_it() {
        let translation = |key: &str| Translation {
            lang: Lang::Mn,
            key: key.to_owned(),
            text: "ᠮᠣᠩᠭᠣᠯ".to_owned(),
            author: "t".to_owned(),
            updated_at: chrono::Utc::now(),
        };
        let (public, others): (Vec<_>, Vec<_>) = Messages::keys(Lang::Zh)
            .into_iter()
            .partition(|k| Audience::of(k) == Audience::Visitors);
        let all: Vec<_> = public.iter().map(|k| translation(k)).collect();
        assert_eq!(
            Messages::load(&all).offered(),
            [Lang::Zh, Lang::Mn, Lang::En]
        );
        let but_one = &all[1..];
        assert_eq!(Messages::load(but_one).offered(), [Lang::Zh, Lang::En]);
        let staff_only: Vec<_> = others
            .iter()
            .filter(|k| Audience::of(k) == Audience::Staff)
            .map(|k| translation(k))
            .collect();
        assert_eq!(
            Messages::load(&staff_only).offered(),
            [Lang::Zh, Lang::En],
            "staff pages are not what visitors read"
        );
        // A visit's handout waits for the students' strings too.
        assert_eq!(
            Messages::load(&all).offered_to_students(),
            [Lang::Zh, Lang::En]
        );
        let students: Vec<_> = others
            .iter()
            .filter(|k| Audience::of(k) == Audience::Students)
            .map(|k| translation(k))
            .chain(all.iter().cloned())
            .collect();
        assert_eq!(
            Messages::load(&students).offered_to_students(),
            [Lang::Zh, Lang::Mn, Lang::En]
        );
    }

    #[test]
    fn mongolian_bundle_only_holds_keys_chinese_has() {
        let zh = Messages::keys(Lang::Zh);
        let extra: Vec<_> = Messages::keys(Lang::Mn)
            .into_iter()
            .filter(|k| !zh.contains(k))
            .collect();
        assert!(extra.is_empty(), "in mn.ftl but not zh.ftl: {extra:?}");
    }

    #[test]
    fn every_bundle_parses_and_formats_arguments() {
        let tr = Tr::new(Lang::En);
        assert_eq!(tr.t("nav-items"), "Collection");
        assert!(tr.n("items-count", 3).contains('3'));
        assert!(tr.n("import-problems", 1).starts_with("1 problem found;"));
        assert!(tr.n("import-problems", 3).starts_with("3 problems found;"));
        assert!(tr.n("import-ready", 1).starts_with("1 row passed"));
        assert!(tr.n("login-account-locked", 1).ends_with("in 1 minute."));
        let students = |n: &str, submitted: &str| {
            tr.with(
                "assignment-students-count",
                &[("n", n), ("submitted", submitted)],
            )
        };
        assert_eq!(students("3", "1"), "3 joined, 1 essay submitted");
        assert_eq!(students("1", "0"), "1 joined, 0 essays submitted");
        assert_eq!(tr.with("essay-count", &[("chars", "1")]), "1 character");
        assert_eq!(tr.with("essay-count", &[("chars", "12")]), "12 characters");
        assert!(
            tr.with(
                "csv-duplicate-accession",
                &[("value", "007"), ("first", "2")]
            )
            .contains("007"),
            "text that looks like a number stays as written"
        );
        assert_eq!(
            Tr::new(Lang::Mn).t("no-such-key-anywhere"),
            "no-such-key-anywhere"
        );
    }
}
