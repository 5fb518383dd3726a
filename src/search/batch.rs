//! Analysing many items at once (reindexing) on every core: segmentation dominates the
//! cost of a rebuild, and items are independent.

use super::{Analyzer, SearchDoc};
use crate::catalogue::model::ItemFields;
use std::collections::BTreeSet;

/// The token strings of many items, in their order, and the union of their vocabularies.
/// Blocks: call it from a blocking thread.
pub fn documents<K: Send>(
    analyzer: &Analyzer,
    items: Vec<(K, ItemFields)>,
) -> (Vec<(K, SearchDoc)>, BTreeSet<String>) {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let per_thread = items.len().div_ceil(threads.max(1)).max(1);
    let mut items = items;
    let mut chunks = Vec::new();
    while items.len() > per_thread {
        let rest = items.split_off(per_thread);
        chunks.push(items);
        items = rest;
    }
    chunks.push(items);
    let analysed: Vec<Vec<(K, SearchDoc)>> = std::thread::scope(|s| {
        let workers: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|(key, fields)| (key, analyzer.document(&fields)))
                        .collect()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("analysis does not panic"))
            .collect()
    });
    let mut vocabulary = BTreeSet::new();
    let docs: Vec<(K, SearchDoc)> = analysed.into_iter().flatten().collect();
    for (_, doc) in &docs {
        vocabulary.extend(doc.vocabulary.iter().cloned());
    }
    (docs, vocabulary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::types::{Accession, Category, Slug, Status};
    use crate::i18n::LocalizedText;

    #[test]
    fn batches_analyse_like_single_items_and_keep_their_order() {
        let a = Analyzer::shared();
        let item = |n: usize, title: &str| {
            let f = ItemFields {
                accession: Accession::parse(&format!("T-{n}")).unwrap(),
                slug: Slug::parse(&format!("t-{n}")).unwrap(),
                status: Status::Published,
                category: Category::TraditionalMusic,
                protection_level: None,
                title: LocalizedText::new(Some(title.into()), None, None),
                summary: LocalizedText::default(),
                description: LocalizedText::default(),
                place: LocalizedText::default(),
                period: LocalizedText::default(),
                year: None,
                inheritors: vec![],
                subjects: vec![],
                rights: "https://creativecommons.org/publicdomain/zero/1.0/".into(),
            };
            (n, f)
        };
        let items: Vec<_> = (0..7)
            .map(|n| item(n, ["马头琴", "安代舞"][n % 2]))
            .collect();
        let expected: Vec<_> = items.iter().map(|(n, f)| (*n, a.document(f))).collect();
        let (docs, vocabulary) = documents(a, items);
        assert_eq!(docs, expected);
        assert!(vocabulary.contains("matouqin") && vocabulary.contains("andaiwu"));
    }
}
