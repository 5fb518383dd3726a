//! Marks the words of a text that a query matched, for `<mark>` in result lists. The
//! result is plain text pieces; templates escape them.

use super::{Script, SearchQuery, latin, mongolian, pinyin, runs};

/// A piece of text, and whether the query matched it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The text.
    pub text: String,
    /// True when it should be highlighted.
    pub marked: bool,
}

/// `text` cut into pieces, the matched ones marked.
pub fn highlight(analyzer: &super::Analyzer, text: &str, q: &SearchQuery) -> Vec<Piece> {
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for han in &q.han {
        marks.extend(
            text.match_indices(han.as_str())
                .map(|(i, m)| (i, i + m.len())),
        );
    }
    let latin_matches = |word: &str| {
        q.latin.iter().any(|t| {
            let stem = latin::stem(t);
            word.starts_with(t.as_str())
                || (stem.chars().count() >= 4 && word.starts_with(stem.as_str()))
                || latin::stem(word) == stem
        })
    };
    for (script, start, end) in runs(text) {
        let run = &text[start..end];
        let hit = match script {
            Script::Latin => latin_matches(&latin::fold(run)),
            Script::Mongolian => {
                let word = mongolian::normalize_word(run);
                q.mongolian.iter().any(|m| word.starts_with(m.as_str()))
            }
            Script::Han => {
                if q.latin.iter().any(|t| t.len() >= 2) {
                    for (s, e) in analyzer.segmenter().spans(run) {
                        let w = &run[s..e];
                        let sounds = [pinyin::full(w), pinyin::initials(w)];
                        if q.latin.iter().any(|t| {
                            t.len() >= 2
                                && sounds.iter().flatten().any(|p| p.starts_with(t.as_str()))
                        }) {
                            marks.push((start + s, start + e));
                        }
                    }
                }
                false
            }
        };
        if hit {
            marks.push((start, end));
        }
    }
    marks.sort_unstable();
    let mut pieces = Vec::new();
    let mut at = 0;
    for (s, e) in marks {
        if e <= at {
            continue;
        }
        let s = s.max(at);
        if s > at {
            pieces.push(Piece {
                text: text[at..s].to_owned(),
                marked: false,
            });
        }
        match pieces.last_mut() {
            Some(last) if last.marked && s == at => last.text.push_str(&text[s..e]),
            _ => pieces.push(Piece {
                text: text[s..e].to_owned(),
                marked: true,
            }),
        }
        at = e;
    }
    if at < text.len() || pieces.is_empty() {
        pieces.push(Piece {
            text: text[at..].to_owned(),
            marked: false,
        });
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Analyzer;

    fn marked(text: &str, query: &str) -> Vec<String> {
        let a = Analyzer::shared();
        highlight(a, text, &a.query(query))
            .into_iter()
            .filter(|p| p.marked)
            .map(|p| p.text)
            .collect()
    }

    #[test]
    fn matched_words_are_marked() {
        assert_eq!(marked("The Andai dancers", "dancing"), ["dancers"]);
        assert_eq!(marked("安代舞是集体舞蹈", "安代"), ["安代"]);
        assert_eq!(marked("安代舞", "adw"), ["安代舞"]);
        assert_eq!(marked("Holboo <b>", "holb"), ["Holboo"]);
        assert!(marked("nothing here", "ovoo").is_empty());
    }
}
