//! Search analysis and the query model. Our analyzers turn an item's fields into token
//! strings (the `search_doc`), and a visitor's query into alternatives over the same tokens;
//! the database's own full-text engine (SQLite FTS5, PostgreSQL tsvector) does the rest.
//!
//! Per script: Chinese is segmented by jieba with our user dictionary and also indexed by
//! single character; Chinese titles also get toneless pinyin and pinyin initials; Latin
//! words are folded (case, accents) and stemmed (English), with typo tolerance at query
//! time; Mongolian is converted from Menksoft, normalised and matched by word prefix.

pub mod batch;
pub mod chinese;
pub mod facets;
pub mod highlight;
pub mod latin;
pub mod mongolian;
pub mod pinyin;
pub mod repo;
mod syntax;

use crate::catalogue::model::ItemFields;
use crate::i18n::LocalizedText;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// What a character is, for splitting text into runs of one script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Chinese characters.
    Han,
    /// Mongolian letters (and the controls inside Mongolian words).
    Mongolian,
    /// Letters and digits of other alphabets: English, pinyin, accession numbers.
    Latin,
}

fn script(c: char) -> Option<Script> {
    if chinese::is_han(c) {
        Some(Script::Han)
    } else if mongolian::is_mongolian(c) {
        Some(Script::Mongolian)
    } else if latin::is_word_char(c) {
        Some(Script::Latin)
    } else {
        None
    }
}

/// Runs of one script in `text`, with their byte ranges; everything else separates.
pub fn runs(text: &str) -> Vec<(Script, usize, usize)> {
    let mut out: Vec<(Script, usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        let Some(s) = script(c) else { continue };
        let end = i + c.len_utf8();
        match out.last_mut() {
            Some((last, _, e)) if *last == s && *e == i => *e = end,
            _ => out.push((s, i, end)),
        }
    }
    out
}

/// The token strings of one item, one per weighted field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchDoc {
    /// Titles in every language, with pinyin (weighted highest).
    pub title: String,
    /// Summary, description, place, period and subjects.
    pub body: String,
    /// Accession number and inheritors' names, matched exactly (weighted high).
    pub exact: String,
    /// Latin-script words (and pinyin) of the item, for typo tolerance.
    pub vocabulary: Vec<String>,
}

/// One way a query word may match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alt {
    /// This token.
    Term(String),
    /// Any token starting with this.
    Prefix(String),
    /// All of these tokens (the characters of a Chinese word).
    All(Vec<String>),
}

impl Alt {
    /// Whether every document `other` matches is also matched by this.
    fn covers(&self, other: &Alt) -> bool {
        match (self, other) {
            (Alt::Prefix(p), Alt::Prefix(t) | Alt::Term(t)) => t.starts_with(p.as_str()),
            (Alt::Prefix(p), Alt::All(ts)) => ts.iter().any(|t| t.starts_with(p.as_str())),
            (Alt::Term(t), Alt::All(ts)) => ts.contains(t),
            (a, b) => a == b,
        }
    }
}

/// One query word: any of its alternatives must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The alternatives.
    pub alts: Vec<Alt>,
    /// Looser alternatives (a Chinese word's characters, wherever they are), used only when
    /// the word itself finds too little: common characters match a large part of the
    /// catalogue, which costs time and buries the items that have the word.
    pub fallback: Vec<Alt>,
    /// The folded Latin word, when typos may be forgiven.
    pub typo: Option<String>,
}

/// An analysed query: every group must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// The text as typed.
    pub text: String,
    /// The words, each with its alternatives.
    pub groups: Vec<Group>,
    /// Chinese runs of the query, for highlighting.
    pub han: Vec<String>,
    /// Folded Latin words (and the indexed words typos were forgiven to), for highlighting.
    pub latin: Vec<String>,
    /// Normalised Mongolian words, for highlighting.
    pub mongolian: Vec<String>,
}

impl SearchQuery {
    /// True when nothing searchable was typed.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// True when some word has looser alternatives to widen the query with.
    pub fn can_widen(&self) -> bool {
        self.groups.iter().any(|g| !g.fallback.is_empty())
    }

    /// The alternatives of each group, with the looser ones when `widen`.
    fn alternatives(&self, widen: bool) -> impl Iterator<Item = Vec<&Alt>> {
        self.groups.iter().map(move |g| {
            let loose = if widen { &g.fallback[..] } else { &[] };
            let all: Vec<&Alt> = g.alts.iter().chain(loose).collect();
            // An alternative that another one already matches only costs the engine time
            // (a prefix query merges the lists of every word it matches).
            all.iter()
                .enumerate()
                .filter(|&(i, a)| {
                    !all.iter()
                        .enumerate()
                        .any(|(j, b)| j != i && b.covers(a) && (j < i || !a.covers(b)))
                })
                .map(|(_, a)| *a)
                .collect()
        })
    }

    /// Lets the Latin word of group `index` also match these indexed words (typos).
    pub fn forgive(&mut self, index: usize, words: Vec<String>) {
        for w in words {
            self.latin.push(w.clone());
            self.groups[index].alts.push(Alt::Term(w));
        }
    }
}

/// The analyzers, with the Chinese user dictionary loaded.
pub struct Analyzer {
    segmenter: chinese::Segmenter,
}

static SHARED: OnceLock<Analyzer> = OnceLock::new();

/// An accession number written compactly: `KZH-0010` → `kzh0010`.
pub fn compact_accession(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn looks_like_accession(chunk: &str) -> bool {
    chunk.chars().any(|c| c.is_ascii_digit())
        && chunk.chars().any(|c| c.is_ascii_alphabetic())
        && chunk
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/'))
}

impl Analyzer {
    /// Analyzers with the built-in dictionary and the extra dictionaries given.
    pub fn new(extra_dictionaries: &[&str]) -> Analyzer {
        let mut dicts = vec![chinese::BUILT_IN_DICTIONARY];
        dicts.extend_from_slice(extra_dictionaries);
        Analyzer {
            segmenter: chinese::Segmenter::new(&dicts),
        }
    }

    /// Sets up the process's analyzers with a curator's extra dictionary; a no-op once
    /// they are in use.
    pub fn install(extra_dictionary: Option<&str>) {
        let _ = SHARED.set(Analyzer::new(
            &extra_dictionary.into_iter().collect::<Vec<_>>(),
        ));
    }

    /// The process's analyzers (built-in dictionary only unless [`Analyzer::install`] ran).
    pub fn shared() -> &'static Analyzer {
        SHARED.get_or_init(|| Analyzer::new(&[]))
    }

    /// The segmenter, for highlighting.
    pub fn segmenter(&self) -> &chinese::Segmenter {
        &self.segmenter
    }

    /// The token strings of an item.
    pub fn document(&self, f: &ItemFields) -> SearchDoc {
        let mut vocab = BTreeSet::new();
        let mut title = Vec::new();
        self.add_localized(&f.title, &mut title, &mut vocab, true);
        let mut body = Vec::new();
        for t in [&f.summary, &f.description, &f.place, &f.period] {
            self.add_localized(t, &mut body, &mut vocab, false);
        }
        for s in &f.subjects {
            self.add_localized(s, &mut body, &mut vocab, false);
        }
        let mut exact = vec![compact_accession(f.accession.as_str())];
        for name in &f.inheritors {
            self.add_localized(name, &mut exact, &mut vocab, true);
        }
        SearchDoc {
            title: title.join(" "),
            body: body.join(" "),
            exact: exact.join(" "),
            vocabulary: vocab.into_iter().collect(),
        }
    }

    fn add_localized(
        &self,
        t: &LocalizedText,
        out: &mut Vec<String>,
        vocab: &mut BTreeSet<String>,
        with_pinyin: bool,
    ) {
        for text in [&t.zh, &t.mn, &t.en].into_iter().flatten() {
            self.add_text(text, out, vocab, with_pinyin);
        }
    }

    fn add_text(
        &self,
        text: &str,
        out: &mut Vec<String>,
        vocab: &mut BTreeSet<String>,
        with_pinyin: bool,
    ) {
        let text = mongolian::from_menksoft(text);
        for (script, start, end) in runs(&text) {
            let run = &text[start..end];
            match script {
                Script::Han => {
                    let words = self.segmenter.index_words(run);
                    let whole = run.chars().count();
                    for w in &words {
                        out.push((*w).to_owned());
                        if with_pinyin && w.chars().count() >= 2 {
                            self.push_pinyin(w, out, vocab);
                        }
                    }
                    if with_pinyin && (2..=12).contains(&whole) && !words.contains(&run) {
                        out.push(run.to_owned());
                        self.push_pinyin(run, out, vocab);
                    }
                    out.extend(run.chars().map(String::from));
                }
                Script::Latin => {
                    let folded = latin::fold(run);
                    if latin::is_stop_word(&folded) {
                        continue;
                    }
                    let stem = latin::stem(&folded);
                    if folded.chars().count() >= 4 && folded.chars().all(char::is_alphabetic) {
                        vocab.insert(folded.clone());
                    }
                    if stem != folded {
                        out.push(stem);
                    }
                    out.push(folded);
                }
                Script::Mongolian => {
                    let word = mongolian::normalize_word(run);
                    if !word.is_empty() {
                        out.push(word);
                    }
                }
            }
        }
    }

    fn push_pinyin(&self, word: &str, out: &mut Vec<String>, vocab: &mut BTreeSet<String>) {
        if let Some(full) = pinyin::full(word) {
            vocab.insert(full.clone());
            out.push(full);
        }
        if let Some(initials) = pinyin::initials(word) {
            out.push(initials);
        }
    }

    /// A visitor's query, analysed like the documents.
    pub fn query(&self, text: &str) -> SearchQuery {
        let mut q = SearchQuery {
            text: text.to_owned(),
            ..SearchQuery::default()
        };
        let converted = mongolian::from_menksoft(text);
        let chunks: Vec<&str> = converted.split_whitespace().collect();
        let many_words = chunks.len() > 1;
        for chunk in chunks {
            if looks_like_accession(chunk) {
                let compact = compact_accession(chunk);
                q.latin.push(compact.clone());
                q.groups.push(Group {
                    alts: vec![Alt::Prefix(compact)],
                    fallback: Vec::new(),
                    typo: None,
                });
                continue;
            }
            for (script, start, end) in runs(chunk) {
                let run = &chunk[start..end];
                match script {
                    Script::Han => {
                        q.han.push(run.to_owned());
                        for w in self.segmenter.query_words(run) {
                            let chars: Vec<String> = w.chars().map(String::from).collect();
                            let fallback = if chars.len() > 1 {
                                vec![Alt::All(chars)]
                            } else {
                                Vec::new()
                            };
                            q.groups.push(Group {
                                alts: vec![Alt::Term(w.to_owned())],
                                fallback,
                                typo: None,
                            });
                        }
                    }
                    Script::Latin => {
                        let folded = latin::fold(run);
                        if many_words && latin::is_stop_word(&folded) {
                            continue;
                        }
                        let stem = latin::stem(&folded);
                        let mut alts = vec![Alt::Prefix(folded.clone())];
                        // A stem of four letters or more also matches by prefix, so
                        // `dancing` (danc) finds `dancers` (dancer).
                        if stem.chars().count() >= 4 {
                            alts.push(Alt::Prefix(stem));
                        } else if stem != folded {
                            alts.push(Alt::Term(stem));
                        }
                        let typo = (latin::typo_budget(folded.chars().count()) > 0
                            && folded.chars().all(char::is_alphabetic))
                        .then(|| folded.clone());
                        q.latin.push(folded);
                        q.groups.push(Group {
                            alts,
                            fallback: Vec::new(),
                            typo,
                        });
                    }
                    Script::Mongolian => {
                        let word = mongolian::normalize_word(run);
                        if word.is_empty() {
                            continue;
                        }
                        q.mongolian.push(word.clone());
                        q.groups.push(Group {
                            alts: vec![Alt::Prefix(word)],
                            fallback: Vec::new(),
                            typo: None,
                        });
                    }
                }
            }
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_leave_out_alternatives_another_one_covers() {
        let a = Analyzer::shared();
        // "andai" as English and as pinyin; "fiddle" and its stem "fiddl".
        assert_eq!(a.query("Andai").to_fts5(false), "(\"andai\"*)");
        assert_eq!(a.query("fiddle").to_fts5(false), "(\"fiddl\"*)");
        assert_eq!(a.query("fiddle").to_tsquery(false), "('fiddl':*)");
        let p = |t: &str| Alt::Prefix(t.into());
        assert!(p("ab").covers(&Alt::Term("abc".into())));
        assert!(p("ab").covers(&Alt::All(vec!["x".into(), "abz".into()])));
        assert!(!p("abc").covers(&p("ab")));
        assert!(!Alt::Term("ab".into()).covers(&p("ab")));
    }

    #[test]
    fn runs_split_scripts() {
        let text = "安代舞 Andai ᠮᠣᠷᠢᠨ KZH-0010";
        let kinds: Vec<Script> = runs(text).into_iter().map(|r| r.0).collect();
        assert_eq!(
            kinds,
            [
                Script::Han,
                Script::Latin,
                Script::Mongolian,
                Script::Latin,
                Script::Latin
            ]
        );
    }

    #[test]
    fn queries_become_engine_syntax() {
        let a = Analyzer::shared();
        let q = a.query("安代 Dancing KZH-0010");
        assert!(q.can_widen());
        assert_eq!(
            q.to_fts5(false),
            "(\"安代\") AND (\"danc\"*) AND (\"kzh0010\"*)"
        );
        assert_eq!(
            q.to_fts5(true),
            "(\"安代\" OR (\"安\" AND \"代\")) AND (\"danc\"*) AND (\"kzh0010\"*)"
        );
        assert_eq!(
            q.to_tsquery(true),
            "('安代' | ('安' & '代')) & ('danc':*) & ('kzh0010':*)"
        );
        assert_eq!(q.to_tsquery(false), "('安代') & ('danc':*) & ('kzh0010':*)");
        assert!(!a.query("马 andai").can_widen());
        assert!(a.query(" ，。 ").is_empty());
    }

    #[test]
    fn mongolian_queries_ignore_selectors_and_menksoft() {
        let a = Analyzer::shared();
        let plain = a.query("ᠮᠣᠷᠢᠨ");
        assert_eq!(a.query("ᠮᠣᠷᠢᠨ\u{180B}").groups, plain.groups);
        assert_eq!(
            a.query("\u{E2F2}\u{E289}\u{E327}\u{E27E}\u{E2B5}").groups,
            plain.groups
        );
    }
}
