//! Text an essay shares with what the student read (the exhibition's own words) or with a
//! classmate's essay: runs of [`RUN`] or more letters that appear in both, spaces and
//! punctuation ignored. The teacher sees the shares and the passages marked; nothing is
//! decided for them. Free of HTTP and SQL.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::ops::Range;

/// Letters a shared run must have to count: about a clause of Chinese, so names and set
/// phrases a student writes in their own sentences do not.
pub const RUN: usize = 12;

/// At or above this share (in percent) the dashboard flags an essay.
pub const FLAG: u8 = 20;

/// Where a marked passage was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// In the exhibition's or the items' own text.
    Exhibition,
    /// In the essay of this classmate (an index into the essays compared).
    Classmate(usize),
}

/// What one essay shares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlap {
    /// Share of the essay's letters inside runs found in the exhibition's text, in percent.
    pub from_exhibition: u8,
    /// The classmate whose essay shares the most with this one, and that share in percent
    /// (none when no run is shared). Runs found in the exhibition's text do not count here:
    /// two students quoting the same label did not copy each other.
    pub from_classmate: Option<(usize, u8)>,
    /// Passages of the essay (character ranges of its own text) inside shared runs, in
    /// order, each with where it was found; the exhibition wins where both hold a run.
    pub marks: Vec<(Range<usize>, Found)>,
}

impl Overlap {
    /// True when either share reaches [`FLAG`].
    pub fn flagged(&self) -> bool {
        self.from_exhibition >= FLAG || self.from_classmate.is_some_and(|(_, s)| s >= FLAG)
    }
}

/// A text reduced to what is compared: its letters and digits, lower-cased, each with the
/// index of the character it came from.
struct Folded {
    letters: Vec<char>,
    at: Vec<usize>,
}

fn fold(text: &str) -> Folded {
    let mut letters = Vec::new();
    let mut at = Vec::new();
    for (i, c) in text.chars().enumerate() {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                letters.push(l);
                at.push(i);
            }
        }
    }
    Folded { letters, at }
}

/// The hash of every run of [`RUN`] letters, by start position.
fn runs(f: &Folded) -> Vec<u64> {
    f.letters
        .windows(RUN)
        .map(|w| {
            let mut h = DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

fn percent(covered: &[bool]) -> u8 {
    if covered.is_empty() {
        return 0;
    }
    let n = covered.iter().filter(|c| **c).count();
    ((n * 100 + covered.len() / 2) / covered.len()) as u8
}

/// Marks the letters of every run at a position where `hit` holds.
fn cover(len: usize, hits: impl Iterator<Item = usize>) -> Vec<bool> {
    let mut covered = vec![false; len];
    for start in hits {
        covered[start..start + RUN]
            .iter_mut()
            .for_each(|c| *c = true);
    }
    covered
}

/// Compares every essay with the exhibition's texts and with each other.
pub fn compare(essays: &[&str], exhibition: &[&str]) -> Vec<Overlap> {
    compare_first(essays, essays.len(), exhibition)
}

/// Compares the first `subjects` essays with the exhibition's texts and with every essay
/// (the rest are only compared with: other classes' essays, say); one result for each of
/// the first.
pub fn compare_first(essays: &[&str], subjects: usize, exhibition: &[&str]) -> Vec<Overlap> {
    let source: std::collections::HashSet<u64> =
        exhibition.iter().flat_map(|t| runs(&fold(t))).collect();
    let folded: Vec<Folded> = essays.iter().map(|e| fold(e)).collect();
    let hashes: Vec<Vec<u64>> = folded.iter().map(runs).collect();
    // Which essays hold each run.
    let mut owners: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, hs) in hashes.iter().enumerate() {
        for h in hs {
            let list = owners.entry(*h).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    folded
        .iter()
        .zip(&hashes)
        .enumerate()
        .take(subjects)
        .map(|(i, (f, hs))| {
            let len = f.letters.len();
            let from_ex = cover(
                len,
                hs.iter()
                    .enumerate()
                    .filter(|(_, h)| source.contains(h))
                    .map(|(p, _)| p),
            );
            // Per classmate, the positions of the runs they share with this essay.
            let mut shared: HashMap<usize, Vec<usize>> = HashMap::new();
            // Runs both took from the exhibition are not shared with each other.
            for (p, h) in hs.iter().enumerate().filter(|(_, h)| !source.contains(h)) {
                for j in owners.get(h).into_iter().flatten().filter(|j| **j != i) {
                    shared.entry(*j).or_default().push(p);
                }
            }
            let best = shared
                .iter()
                .map(|(j, ps)| {
                    let mut c = cover(len, ps.iter().copied());
                    // Letters from the exhibition are the exhibition's, not the classmate's.
                    c.iter_mut().zip(&from_ex).for_each(|(c, ex)| *c &= !ex);
                    (*j, c)
                })
                .filter(|(_, c)| percent(c) > 0)
                .max_by_key(|(j, c)| (percent(c), std::cmp::Reverse(*j)));
            let mut found: Vec<Option<Found>> = from_ex
                .iter()
                .map(|c| c.then_some(Found::Exhibition))
                .collect();
            if let Some((j, c)) = &best {
                for (slot, hit) in found.iter_mut().zip(c) {
                    if slot.is_none() && *hit {
                        *slot = Some(Found::Classmate(*j));
                    }
                }
            }
            Overlap {
                from_exhibition: percent(&from_ex),
                from_classmate: best.map(|(j, c)| (j, percent(&c))),
                marks: marks(f, &found),
            }
        })
        .collect()
}

/// Letter-level findings as ranges of the original text's characters, merged: a run of
/// marked letters covers the characters between them (punctuation inside a copied
/// sentence is part of the copy).
fn marks(f: &Folded, found: &[Option<Found>]) -> Vec<(Range<usize>, Found)> {
    let mut out: Vec<(Range<usize>, Found)> = Vec::new();
    let mut prev_marked = false;
    for (k, slot) in found.iter().enumerate() {
        let Some(what) = slot else {
            prev_marked = false;
            continue;
        };
        let at = f.at[k];
        match out.last_mut() {
            Some((range, last)) if prev_marked && last == what => range.end = at + 1,
            _ => out.push((at..at + 1, *what)),
        }
        prev_marked = true;
    }
    out
}

/// The essay cut into pieces for display: plain text, and marked passages with where
/// they were found.
pub fn pieces(essay: &str, marks: &[(Range<usize>, Found)]) -> Vec<(String, Option<Found>)> {
    let chars: Vec<char> = essay.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for (range, what) in marks {
        if range.start > at {
            out.push((chars[at..range.start].iter().collect(), None));
        }
        out.push((chars[range.clone()].iter().collect(), Some(*what)));
        at = range.end;
    }
    if at < chars.len() {
        out.push((chars[at..].iter().collect(), None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LABEL: &str = "蒙古包是蒙古族传统的住房，木架不用一根钉子，外面盖着毛毡。";

    #[test]
    fn copied_label_text_is_found_and_marked_own_words_are_not() {
        let own = "我去参观了展览，看到了很多东西，我最喜欢马头琴的声音。";
        let copied = format!("我学到了：{LABEL}真有意思！");
        let out = compare(&[own, &copied], &[LABEL]);
        assert_eq!(out[0], Overlap::default(), "nothing shared");
        assert!(!out[0].flagged());
        let c = &out[1];
        assert!(c.from_exhibition > 60 && c.flagged(), "{c:?}");
        let shown = pieces(&copied, &c.marks);
        let marked: String = shown
            .iter()
            .filter(|(_, f)| *f == Some(Found::Exhibition))
            .map(|(t, _)| t.as_str())
            .collect();
        // Spaces, punctuation and the last full stop outside a run are not counted.
        assert_eq!(
            marked,
            "蒙古包是蒙古族传统的住房，木架不用一根钉子，外面盖着毛毡"
        );
        assert_eq!(
            shown.iter().map(|(t, _)| t.as_str()).collect::<String>(),
            copied
        );
    }

    #[test]
    fn short_shared_phrases_are_not_copying() {
        // Eleven letters in common: under a run.
        let a = "科尔沁左翼后旗的那达慕很热闹，我们看了摔跤。";
        let b = "科尔沁左翼后旗的那达慕上有赛马，也有射箭比赛。";
        let out = compare(&[a, b], &[]);
        assert_eq!(out[0].from_classmate, None);
    }

    #[test]
    fn the_classmate_sharing_most_is_named_both_ways() {
        let shared = "马头琴的琴头雕成马头的样子，声音像风吹过草原一样辽阔";
        let a = format!("我的感受：{shared}。");
        let b = format!("{shared}，我很喜欢。");
        let c = "安代舞是一种集体舞，大家挥着手帕转圈，非常热闹好看。";
        let out = compare(&[&a, &b, c], &[]);
        assert_eq!(out[0].from_classmate.map(|(j, _)| j), Some(1));
        assert_eq!(out[1].from_classmate.map(|(j, _)| j), Some(0));
        assert!(out[0].from_classmate.unwrap().1 >= 80);
        assert_eq!(out[2].from_classmate, None);
        assert!(out[0].marks.iter().all(|(_, f)| *f == Found::Classmate(1)));
    }

    #[test]
    fn essays_only_compared_with_still_name_their_writer_but_get_no_result() {
        let shared = "马头琴的琴头雕成马头的样子，声音像风吹过草原一样辽阔";
        let a = format!("我的感受：{shared}。");
        let other_class = format!("{shared}，我很喜欢。");
        let out = compare_first(&[&a, &other_class], 1, &[]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0], compare(&[&a, &other_class], &[])[0]);
        assert_eq!(out[0].from_classmate.map(|(j, _)| j), Some(1));
    }

    #[test]
    fn two_students_quoting_one_label_did_not_copy_each_other() {
        let a = format!("{LABEL}我喜欢。");
        let b = format!("我觉得：{LABEL}");
        let out = compare(&[&a, &b], &[LABEL]);
        assert!(out[0].from_exhibition > 80 && out[1].from_exhibition > 80);
        assert_eq!((out[0].from_classmate, out[1].from_classmate), (None, None));
    }

    #[test]
    fn latin_text_is_compared_without_case_or_spacing() {
        let label = "The ger is held together without a single nail.";
        let essay = "I learned that THE GER IS HELD TOGETHER without any glue.";
        let out = compare(&[essay], &[label]);
        assert!(out[0].from_exhibition > 0);
        assert_eq!(compare(&[""], &[label])[0], Overlap::default());
    }
}
