//! Facet counts from a "cube": how many hits of a query fall on each combination of facet
//! values (published, category, base, level, century, media kinds). The database counts a
//! query's hits per combination once; the total and the counts for any filters and either
//! visibility follow from the cube without asking again, and a cube may be kept for a
//! popular query while the catalogue does not change (see [`CubeCache`]).

use super::repo::{Facets, SearchRequest};
use crate::catalogue::types::{Category, Level, MediaKind, Slug};
use moka::sync::Cache;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// The bit of a media kind in a combination's `media` (the same in the migrations).
pub fn media_bit(kind: MediaKind) -> i64 {
    match kind {
        MediaKind::Image => 1,
        MediaKind::Audio => 2,
        MediaKind::Video => 4,
        MediaKind::Document => 8,
    }
}

/// The century of a year: 19 for 1801–1900, -1 for 100–1 BC (as in the migrations).
pub fn century(year: i32) -> i32 {
    if year > 0 {
        (year - 1) / 100 + 1
    } else {
        -((-year) / 100 + 1)
    }
}

/// The first and last year of a century.
pub fn century_years(century: i32) -> (i32, i32) {
    if century > 0 {
        ((century - 1) * 100 + 1, century * 100)
    } else {
        (century * 100, century * 100 + 99)
    }
}

/// One combination of facet values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Combo {
    /// Visible to the public.
    pub published: bool,
    /// ICH category.
    pub category: Category,
    /// The base's slug.
    pub base: Slug,
    /// Protection level, if any.
    pub level: Option<Level>,
    /// Century of the item's year, if it has one.
    pub century: Option<i32>,
    /// Bits of the media kinds the item has ([`media_bit`]).
    pub media: i64,
}

impl Combo {
    fn passes(&self, r: &SearchRequest) -> bool {
        (self.published || r.visibility.includes_unpublished())
            && r.category.is_none_or(|c| c == self.category)
            && r.base.as_ref().is_none_or(|b| *b == self.base)
            && r.media.is_none_or(|m| self.media & media_bit(m) != 0)
            && r.level.is_none_or(|l| Some(l) == self.level)
            && r.period.is_none_or(|p| Some(p) == self.century)
    }
}

/// A query's hits counted per combination of facet values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FacetCube {
    /// Each combination with hits, and how many.
    pub cells: Vec<(Combo, i64)>,
}

impl FacetCube {
    /// The hits that pass the request's filters and visibility.
    pub fn total(&self, r: &SearchRequest) -> i64 {
        self.cells
            .iter()
            .filter(|(c, _)| c.passes(r))
            .map(|(_, n)| n)
            .sum()
    }

    /// The facet counts of the hits that pass the request's filters and visibility.
    pub fn facets(&self, r: &SearchRequest) -> Facets {
        let mut categories: BTreeMap<usize, (Category, i64)> = BTreeMap::new();
        let mut bases: BTreeMap<Slug, i64> = BTreeMap::new();
        let mut media = [0i64; 4];
        let mut levels: BTreeMap<usize, (Level, i64)> = BTreeMap::new();
        let mut periods: BTreeMap<i32, i64> = BTreeMap::new();
        let mut total = 0;
        for (c, n) in self.cells.iter().filter(|(c, _)| c.passes(r)) {
            total += n;
            let at = Category::ALL.iter().position(|x| *x == c.category);
            categories
                .entry(at.unwrap_or(usize::MAX))
                .or_insert((c.category, 0))
                .1 += n;
            *bases.entry(c.base.clone()).or_default() += n;
            for (i, kind) in MediaKind::ALL.iter().enumerate() {
                if c.media & media_bit(*kind) != 0 {
                    media[i] += n;
                }
            }
            if let Some(l) = c.level {
                let at = Level::ALL.iter().position(|x| *x == l);
                levels.entry(at.unwrap_or(usize::MAX)).or_insert((l, 0)).1 += n;
            }
            if let Some(p) = c.century {
                *periods.entry(p).or_default() += n;
            }
        }
        let mut bases: Vec<(Slug, i64)> = bases.into_iter().collect();
        bases.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Facets {
            total,
            categories: categories.into_values().collect(),
            bases,
            media: MediaKind::ALL
                .iter()
                .zip(media)
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| (*k, n))
                .collect(),
            levels: levels.into_values().collect(),
            periods: periods.into_iter().collect(),
        }
    }
}

/// Results of recent queries (facet cubes, pages), each with the catalogue generation it
/// was computed at; one older than the database's current generation is never used, so
/// every server on one database answers from the same state. Bounded by weight (what `V`
/// holds) and by age.
pub struct GenerationCache<V: Clone + Send + Sync + 'static> {
    kept: Cache<String, (i64, V)>,
}

impl<V: Clone + Send + Sync + 'static> GenerationCache<V> {
    /// A cache holding up to `max_weight` in all, each value weighing `weigh(value)`.
    pub fn new(max_weight: u64, weigh: fn(&V) -> u32) -> GenerationCache<V> {
        GenerationCache {
            kept: Cache::builder()
                .max_capacity(max_weight)
                .weigher(move |_, (_, v): &(i64, V)| weigh(v).saturating_add(1))
                .time_to_live(Duration::from_secs(600))
                .build(),
        }
    }

    /// The value kept for this key if it was computed at this generation.
    pub fn get(&self, key: &str, generation: i64) -> Option<V> {
        self.kept
            .get(key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, v)| v)
    }

    /// Keeps a value computed at a generation.
    pub fn put(&self, key: String, generation: i64, value: V) {
        self.kept.insert(key, (generation, value));
    }
}

/// Facet cubes of recent queries, weighed by their cells.
pub type CubeCache = GenerationCache<Arc<FacetCube>>;

/// A cache of cubes holding up to `max_cells` cells in all.
pub fn cube_cache(max_cells: u64) -> CubeCache {
    GenerationCache::new(max_cells, |cube| {
        u32::try_from(cube.cells.len()).unwrap_or(u32::MAX)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::Visibility;
    use crate::search::SearchQuery;

    fn combo(published: bool, category: Category, base: &str, media: i64) -> Combo {
        Combo {
            published,
            category,
            base: Slug::parse(base).unwrap(),
            level: Some(Level::National),
            century: Some(19),
            media,
        }
    }

    fn request(visibility: Visibility) -> SearchRequest {
        SearchRequest {
            query: SearchQuery::default(),
            visibility,
            category: None,
            base: None,
            media: None,
            level: None,
            period: None,
            after: None,
            limit: 20,
        }
    }

    #[test]
    fn cubes_count_what_the_filters_and_visibility_let_through() {
        let cube = FacetCube {
            cells: vec![
                (combo(true, Category::TraditionalDance, "a", 1), 5),
                (combo(true, Category::TraditionalMusic, "b", 3), 2),
                (combo(false, Category::TraditionalDance, "a", 0), 7),
            ],
        };
        let public = request(Visibility::Public);
        let f = cube.facets(&public);
        assert_eq!(f.total, 7);
        assert_eq!(
            f.categories,
            [
                (Category::TraditionalMusic, 2),
                (Category::TraditionalDance, 5)
            ]
        );
        assert_eq!(f.media, [(MediaKind::Image, 7), (MediaKind::Audio, 2)]);
        assert_eq!(f.periods, [(19, 7)]);
        assert_eq!(cube.total(&request(Visibility::All)), 14);
        let mut audio = request(Visibility::Public);
        audio.media = Some(MediaKind::Audio);
        assert_eq!(cube.total(&audio), 2);
        let mut base = request(Visibility::All);
        base.base = Some(Slug::parse("a").unwrap());
        assert_eq!(cube.facets(&base).bases, [(Slug::parse("a").unwrap(), 12)]);
    }

    #[test]
    fn centuries_round_the_way_historians_count() {
        assert_eq!(century(1900), 19);
        assert_eq!(century(1901), 20);
        assert_eq!(century(2026), 21);
        assert_eq!(century(-50), -1);
        assert_eq!(century_years(19), (1801, 1900));
        assert_eq!(century_years(-1), (-100, -1));
    }

    #[test]
    fn stale_cubes_are_not_used() {
        let cache = cube_cache(100);
        cache.put("q".into(), 3, Arc::new(FacetCube::default()));
        assert!(cache.get("q", 3).is_some());
        assert!(cache.get("q", 4).is_none());
    }
}
