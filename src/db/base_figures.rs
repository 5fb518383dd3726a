//! The banner's figures per base for a school year, in one query written once for SQLite
//! and PostgreSQL: the catalogue as it is now, the public's views in the year, and the
//! assignments that walked the base's exhibitions or items.
//!
//! An assignment that walks a teacher's own list of items counts for every base whose
//! items are on the list, so the class columns do not add up across bases.

use super::classroom_rows::VISITED;
use super::rows::{corrupt, level};
use crate::catalogue::types::{BaseKind, Slug, Status};
use crate::i18n::LocalizedText;
use crate::repo::RepoError;
use crate::stats::BaseFigures;

#[derive(sqlx::FromRow)]
pub struct BaseFiguresRow {
    slug: String,
    name_zh: Option<String>,
    name_mn: Option<String>,
    name_en: Option<String>,
    kind: String,
    level: Option<String>,
    status: String,
    items: i64,
    published: i64,
    bilingual: i64,
    with_media: i64,
    exhibitions: i64,
    views: i64,
    assignments: i64,
    visitors: i64,
    essays: i64,
}

/// The query: `$1` the school year, `$2` and `$3` its first and last day.
pub(super) fn sql() -> String {
    // Each figure is added up once per base in a table of its own (items, views, walks),
    // then joined to the bases, so no join multiplies another's rows and no table is read
    // again for each base. Sums are cast: PostgreSQL widens sum(bigint) to numeric.
    // A record's views are added up first (from the index on kind and day), then joined
    // to the record for its base: one join per record, not per record and day.
    let viewed = |kind: &str, table: &str, base: &str| {
        format!(
            "select {base} as base_id, v.views from \
               (select record_id, sum(views) as views from record_view \
                where kind = '{kind}' and day >= $2 and day <= $3 group by record_id) v \
             join {table} r on r.id = v.record_id"
        )
    };
    format!(
        "with items as ( \
           select i.base_id, count(*) as items, \
             sum(case when i.status = 'published' then 1 else 0 end) as published, \
             sum(case when i.status = 'published' and coalesce(trim(i.title_mn), '') <> '' \
               then 1 else 0 end) as bilingual, \
             sum(case when i.status = 'published' \
               and exists (select 1 from media m where m.item_id = i.id) then 1 else 0 end) \
               as with_media \
           from item i group by i.base_id), \
         views as ( \
           select base_id, sum(views) as views from ({} union all {} union all {}) viewed \
           group by base_id), \
         walked as ( \
           select a.id, e.base_id, a.purged_visits, a.purged_essays from assignment a \
             join exhibition e on e.id = a.exhibition_id where a.school_year = $1 \
           union \
           select a.id, i.base_id, a.purged_visits, a.purged_essays from assignment a \
             join assignment_item ai on ai.assignment_id = a.id \
             join item i on i.id = ai.item_id where a.school_year = $1), \
         walks as ( \
           select w.base_id, count(*) as assignments, \
             sum(w.purged_visits + (select count(*) from visit v \
               where v.assignment_id = w.id and {VISITED})) as visitors, \
             sum(w.purged_essays + (select count(*) from visit v \
               where v.assignment_id = w.id and v.submitted_at is not null)) as essays \
           from walked w group by w.base_id) \
         select b.slug, b.name_zh, b.name_mn, b.name_en, b.kind, b.level, b.status, \
           cast(coalesce(it.items, 0) as bigint) as items, \
           cast(coalesce(it.published, 0) as bigint) as published, \
           cast(coalesce(it.bilingual, 0) as bigint) as bilingual, \
           cast(coalesce(it.with_media, 0) as bigint) as with_media, \
           (select count(*) from exhibition e where e.base_id = b.id \
             and e.status = 'published') as exhibitions, \
           cast(coalesce(vw.views, 0) as bigint) as views, \
           cast(coalesce(w.assignments, 0) as bigint) as assignments, \
           cast(coalesce(w.visitors, 0) as bigint) as visitors, \
           cast(coalesce(w.essays, 0) as bigint) as essays \
         from base b left join items it on it.base_id = b.id \
         left join views vw on vw.base_id = b.id left join walks w on w.base_id = b.id \
         order by b.kind, b.slug",
        viewed("base", "base", "r.id"),
        viewed("exhibition", "exhibition", "r.base_id"),
        viewed("item", "item", "r.base_id"),
    )
}

impl TryFrom<BaseFiguresRow> for BaseFigures {
    type Error = RepoError;

    fn try_from(r: BaseFiguresRow) -> Result<BaseFigures, RepoError> {
        Ok(BaseFigures {
            slug: Slug::parse(&r.slug).map_err(|e| corrupt("slug", e))?,
            name: LocalizedText::new(r.name_zh, r.name_mn, r.name_en),
            kind: BaseKind::parse(&r.kind).map_err(|e| corrupt("base kind", e))?,
            level: level(r.level)?,
            status: Status::parse(&r.status).map_err(|e| corrupt("status", e))?,
            items: r.items,
            published: r.published,
            bilingual: r.bilingual,
            with_media: r.with_media,
            exhibitions: r.exhibitions,
            views: r.views,
            assignments: r.assignments,
            visitors: r.visitors,
            essays: r.essays,
        })
    }
}
