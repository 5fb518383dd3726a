-- Search speed on PostgreSQL (as SQLite's migration 0011 did for SQLite).
--
-- An item's tsvector holds every token of its description with positions: about 10 KB on
-- the 100,000-item benchmark, which PostgreSQL keeps out of line (TOAST). Reading one back
-- costs about 17 µs, so whatever reads it for every hit (a sequential scan testing @@, a
-- weight check such as 'ma':A, a rank) costs over a second for the 69,000 hits of 马.
--
-- 1. title_tsv: titles, accession numbers and inheritors alone, small enough to stay in
--    the row, with a GIN index of its own. The title tier matches and ranks on it.
-- 2. No statistics on tsv. With them the planner sees that 马 matches 69 % of rows and
--    scans the table, reading every tsvector (1.4 s); without, it takes the default
--    estimate of a few matches and asks the GIN index, whose bitmap needs no tsvector
--    read back at all (a first search for 马 now answers in under 100 ms). The column is
--    made again so that statistics gathered before are gone; one rewrite of the table
--    makes both columns (minutes on 100,000 items).
alter table search_doc
    drop column tsv,
    add column tsv tsvector generated always as (
        setweight(to_tsvector('simple', title), 'A')
        || setweight(to_tsvector('simple', exact), 'A')
        || setweight(to_tsvector('simple', body), 'D')
    ) stored,
    add column title_tsv tsvector generated always as (
        to_tsvector('simple', title) || to_tsvector('simple', exact)
    ) stored;
alter table search_doc alter column tsv set statistics 0;
create index search_doc_tsv on search_doc using gin (tsv);
create index search_doc_title_tsv on search_doc using gin (title_tsv);
