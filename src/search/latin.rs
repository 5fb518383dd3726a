//! Latin-script words (English, pinyin, transliterations): case and accent folding, English
//! stemming, stop words, and the edit distance behind typo tolerance.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Words too common to search for.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "of",
    "on", "or", "the", "this", "that", "to", "was", "with",
];

/// True for letters and digits of Latin script (and other alphabets we treat alike).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !super::chinese::is_han(c) && !super::mongolian::is_mongolian(c)
}

/// Lower case without accents: `Bökh` → `bokh`, `Ürlige` → `urlige`.
pub fn fold(word: &str) -> String {
    word.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ø' => 'o',
            'ł' => 'l',
            'đ' => 'd',
            other => other,
        })
        .collect()
}

/// The English stem of a folded word (`dancers` → `dancer`, `dancing` → `danc`).
pub fn stem(folded: &str) -> String {
    ENGLISH.stem(folded).into_owned()
}

/// True for words left out of the index and of queries.
pub fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.contains(&folded)
}

/// How many typos a query word of this length may hold: none under 4 letters, one up to 7,
/// two from 8.
pub fn typo_budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// True when `a` becomes `b` with at most `max` insertions, deletions, substitutions or
/// swaps of neighbours (optimal string alignment distance).
pub fn within_edits(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let mut row_min = usize::MAX;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return false;
        }
    }
    d[a.len() * w + b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_and_accents() {
        assert_eq!(fold("Bökh"), "bokh");
        assert_eq!(fold("ÜRLIGER"), "urliger");
        assert_eq!(fold("Café"), "cafe");
    }

    #[test]
    fn stemming_joins_word_forms() {
        assert_eq!(stem("dancers"), stem("dancer"));
        assert_eq!(stem("dancing"), stem("dance"));
        assert_eq!(stem("songs"), "song");
    }

    #[test]
    fn typos_within_the_budget_are_forgiven() {
        assert!(within_edits("calligrapy", "calligraphy", 2));
        assert!(within_edits("wrestlign", "wrestling", 2));
        assert!(within_edits("khoomie", "khoomei", 1));
        assert!(!within_edits("horse", "house", 0));
        assert!(!within_edits("ovoo", "vessel", 2));
        assert_eq!(typo_budget(3), 0);
        assert_eq!(typo_budget(9), 2);
    }
}
