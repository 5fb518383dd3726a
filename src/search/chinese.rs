//! Chinese word segmentation: jieba with our user dictionary of domain terms, plus the
//! single characters of every run so that a one-character query still finds things.

use jieba_rs::Jieba;

/// The user dictionary shipped with the program (`search/dict.txt`).
pub const BUILT_IN_DICTIONARY: &str = include_str!("../../search/dict.txt");

/// True for characters of the CJK ideograph blocks.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// A jieba segmenter that knows our domain terms.
pub struct Segmenter {
    jieba: Jieba,
}

impl Segmenter {
    /// The default jieba dictionary plus every dictionary text given (`word [freq] [tag]`
    /// lines, `#` notes).
    pub fn new(dictionaries: &[&str]) -> Segmenter {
        let mut jieba = Jieba::new();
        for dict in dictionaries {
            for line in dict.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let mut parts = line.split_whitespace();
                let Some(word) = parts.next() else { continue };
                let freq = parts.next().and_then(|f| f.parse().ok());
                let tag = parts.next();
                jieba.add_word(word, freq, tag);
            }
        }
        Segmenter { jieba }
    }

    /// Words of a run of Chinese text for the index: search-mode segmentation, so a long
    /// word also yields the shorter words inside it (马具制作 → 马具, 制作, …).
    pub fn index_words<'a>(&self, run: &'a str) -> Vec<&'a str> {
        self.jieba
            .cut_for_search(run, true)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    /// Words of a run of Chinese text in a query: precise segmentation without guessing new
    /// words, so the query's words are the dictionary's.
    pub fn query_words<'a>(&self, run: &'a str) -> Vec<&'a str> {
        self.jieba
            .cut(run, false)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    /// Words with their byte ranges, for highlighting.
    pub fn spans(&self, run: &str) -> Vec<(usize, usize)> {
        self.jieba
            .cut(run, true)
            .into_iter()
            .map(|t| (t.byte_start, t.byte_end))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_terms_stay_whole() {
        let s = Segmenter::new(&[BUILT_IN_DICTIONARY]);
        let words = s.index_words("蒙古族马具制作技艺");
        assert!(words.contains(&"马具"), "{words:?}");
        let words = s.query_words("乌力格尔说唱");
        assert!(words.contains(&"乌力格尔"), "{words:?}");
        let words = s.index_words("科尔沁潮尔史诗");
        assert!(
            words.contains(&"潮尔") && words.contains(&"史诗"),
            "{words:?}"
        );
    }

    #[test]
    fn curators_can_add_words() {
        let s = Segmenter::new(&[BUILT_IN_DICTIONARY, "# a note\n阿斯尔 100 n\n"]);
        assert!(s.query_words("阿斯尔音乐").contains(&"阿斯尔"));
    }

    #[test]
    fn han_characters_are_recognised() {
        assert!(is_han('安') && !is_han('a') && !is_han('ᠮ') && !is_han('，'));
    }
}
