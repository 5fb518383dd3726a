-- Views of one kind of record over a span of days, with their counts, straight from the
-- index: the base report adds up a school year of them per base, the dashboard the last
-- 30 days per record.
create index record_view_by_kind_day on record_view (kind, day, record_id, views);
