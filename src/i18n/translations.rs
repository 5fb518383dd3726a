//! Interface strings translated on the site itself: a Mongolian writer on the banner's staff
//! fills in the strings that `locales/mn-todo.txt` lists, in the admin, without a developer
//! or a new release. Each translation is kept in the database and laid over the bundle
//! compiled into the binary ([`super::Messages::install`]); the file `mn.ftl` stays the
//! reviewed source, and the admin hands out the translations as FTL to merge into it.
//!
//! A translation is checked before it is kept: it must parse as a Fluent message, use no
//! variable its Chinese source does not have (a page would show `{$name}`), hold no
//! markup (every string is set as text, but some end up in attributes and scripts), and be
//! written in Mongolian letters wherever its source is Chinese words (GBK turns Mongolian
//! into question marks; a pasted Chinese text is no translation).

use super::{Audience, Lang, Messages};
use crate::repo::{AuditEntry, RepoResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use fluent_bundle::FluentResource;
use fluent_syntax::ast;
use std::collections::BTreeSet;

/// The longest translation kept, in characters (the longest Chinese string is far shorter).
pub const MAX_CHARS: usize = 2_000;

/// One interface string translated on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// Its language.
    pub lang: Lang,
    /// The message key.
    pub key: String,
    /// The message's value, as Fluent (variables as `{ $name }`).
    pub text: String,
    /// Who wrote it.
    pub author: String,
    /// When.
    pub updated_at: DateTime<Utc>,
}

/// The translations kept in the database.
#[async_trait]
pub trait TranslationsRepo: Send + Sync {
    /// Every translation.
    async fn translations(&self) -> RepoResult<Vec<Translation>>;
    /// Keeps a translation (replacing one of the same language and key), with an audit row.
    async fn save_translation(&self, t: &Translation, audit: &AuditEntry) -> RepoResult<()>;
    /// Removes a translation (the bundle's own text, or Chinese, shows again); false when
    /// there was none.
    async fn remove_translation(
        &self,
        lang: Lang,
        key: &str,
        audit: &AuditEntry,
    ) -> RepoResult<bool>;
}

/// Why a translation was refused: a message key (locales/*.ftl) and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The message key.
    pub key: &'static str,
    /// Its arguments.
    pub args: Vec<(&'static str, String)>,
}

fn refuse(key: &'static str, args: Vec<(&'static str, String)>) -> Refusal {
    Refusal { key, args }
}

/// How many interface strings `lang` has neither in its release file nor from the site
/// (of those `audience` reads, or of all): they show in Chinese on its pages.
pub fn untranslated(lang: Lang, audience: Option<Audience>) -> usize {
    let messages = Messages::global();
    Messages::keys(Lang::Zh)
        .iter()
        .filter(|k| audience.is_none_or(|a| Audience::of(k) == a))
        .filter(|k| !messages.has(lang, k))
        .count()
}

/// `text` as the FTL entry of message `key` (continuation lines indented).
pub fn entry(key: &str, text: &str) -> String {
    let lines: Vec<&str> = text.trim().lines().map(str::trim_end).collect();
    let mut out = format!("{key} = {}", lines.first().copied().unwrap_or(""));
    for line in lines.iter().skip(1) {
        out.push_str("\n    ");
        out.push_str(line.trim_start());
    }
    out.push('\n');
    out
}

/// Checks a translation of message `key`: the key exists in the Chinese source, the text is
/// a Fluent message, its variables are the source's, and it holds no markup. Returns the
/// text as it will be kept (trimmed).
pub fn check(key: &str, text: &str) -> Result<String, Refusal> {
    let text = text.trim();
    let Some(source) = Messages::source(Lang::Zh, key) else {
        return Err(refuse("translation-unknown-key", vec![("key", key.into())]));
    };
    if text.is_empty() {
        return Err(refuse("translation-empty", Vec::new()));
    }
    if text.chars().count() > MAX_CHARS {
        let max = MAX_CHARS.to_string();
        return Err(refuse("translation-too-long", vec![("max", max)]));
    }
    if text.contains('<') {
        return Err(refuse("translation-markup", Vec::new()));
    }
    let parsed = parse(key, text)
        .map_err(|detail| refuse("translation-syntax", vec![("detail", detail)]))?;
    let allowed = parse(key, &source).unwrap_or_default();
    let unknown: Vec<String> = parsed.difference(&allowed).cloned().collect();
    if !unknown.is_empty() {
        let known = allowed
            .iter()
            .map(|v| format!("{{ ${v} }}"))
            .collect::<Vec<_>>()
            .join(" ");
        return Err(refuse(
            "translation-variables",
            vec![
                (
                    "unknown",
                    unknown
                        .iter()
                        .map(|v| format!("${v}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                (
                    "known",
                    if known.is_empty() {
                        "—".into()
                    } else {
                        known
                    },
                ),
            ],
        ));
    }
    if super::has_han(&source) && !super::has_mongolian(text) {
        return Err(refuse("translation-not-mongolian", Vec::new()));
    }
    Ok(text.to_owned())
}

/// The variables a message's text uses, or why it is not one Fluent message.
fn parse(key: &str, text: &str) -> Result<BTreeSet<String>, String> {
    let resource = FluentResource::try_new(entry(key, text)).map_err(|(_, errors)| {
        errors
            .first()
            .map(|e| e.to_string())
            .unwrap_or_else(|| "not a message".into())
    })?;
    let mut messages = resource.entries().filter_map(|e| match e {
        ast::Entry::Message(m) => Some(m),
        _ => None,
    });
    let (Some(message), None) = (messages.next(), messages.next()) else {
        return Err("not one message".into());
    };
    if message.id.name != key || resource.entries().count() != 1 {
        return Err("not one message".into());
    }
    let Some(value) = &message.value else {
        return Err("no text".into());
    };
    let mut vars = BTreeSet::new();
    pattern_vars(value, &mut vars);
    Ok(vars)
}

fn pattern_vars(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_vars(inline, vars),
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
    }
}

fn inline_vars(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, vars);
            }
            for a in &arguments.named {
                inline_vars(&a.value, vars);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_must_be_one_message_with_the_sources_variables() {
        assert_eq!(check("nav-home", "  ᠨᠢᠭᠤᠷ  ").unwrap(), "ᠨᠢᠭᠤᠷ");
        let key = |r: Result<String, Refusal>| r.unwrap_err().key;
        assert_eq!(key(check("no-such-key", "x")), "translation-unknown-key");
        assert_eq!(key(check("nav-home", " ")), "translation-empty");
        assert_eq!(key(check("nav-home", "<b>x</b>")), "translation-markup");
        assert_eq!(
            key(check("nav-home", &"ᠠ".repeat(2_001))),
            "translation-too-long"
        );
        assert_eq!(key(check("nav-home", "x { ")), "translation-syntax");
        // Question marks from a GBK file, or the Chinese pasted back, are no Mongolian;
        // a source without Chinese words (a name, a symbol) may stay as it is.
        assert_eq!(key(check("nav-home", "???")), "translation-not-mongolian");
        assert_eq!(key(check("nav-home", "首页")), "translation-not-mongolian");
        assert!(check("nav-home", "ᠲᠡᠷᠢᠭᠦᠨ (1)").is_ok());
        // A second line is part of the same text: nothing can start another message.
        let two = check("nav-home", "ᠭᠡᠷ\nother = y").unwrap();
        assert!(parse("nav-home", &two).is_ok());
        // import-done has $created and $failed.
        assert!(check("import-done", "{ $created } ᠪᠣᠯ { $failed }").is_ok());
        let refused = check("import-done", "{ $created } { $name }").unwrap_err();
        assert_eq!(refused.key, "translation-variables");
        assert_eq!(refused.args[0], ("unknown", "$name".to_owned()));
        // A plural message keeps its selector across lines.
        let plural = "{ $n ->\n    [one] { $n } ᠨᠢᠭᠡ\n   *[other] { $n } ᠣᠯᠠᠨ\n}";
        assert!(
            check("import-ready", plural).is_ok(),
            "{:?}",
            check("import-ready", plural)
        );
    }
}
