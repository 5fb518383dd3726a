-- Search: the token strings our analyzers make of each item (src/search), written in the
-- same transaction as the item, and a weighted tsvector with a GIN index over them. The
-- `simple` configuration keeps our tokens as they are (no stemming, no stop words).
create table search_doc (
    item_id bigint primary key references item (id) on delete cascade,
    title text not null,
    body text not null,
    exact text not null,
    tsv tsvector generated always as (
        setweight(to_tsvector('simple', title), 'A')
        || setweight(to_tsvector('simple', exact), 'A')
        || setweight(to_tsvector('simple', body), 'D')
    ) stored
);
create index search_doc_tsv on search_doc using gin (tsv);

-- Latin-script words and pinyin of the catalogue, for typo tolerance (byte order, so that
-- prefix ranges work whatever the database's collation).
create table search_term (
    term text collate "C" primary key
);
