-- Search speed, step 2 (issue 6).
--
-- 1. A hit's full-text rowid is its *search key*: (facet combination << 32) | item id.
--    Counting the facets of 70,000 hits then reads the rowids the match yields anyway,
--    instead of looking each hit up in search_facet (a B-tree seek a hit: 22 ms against
--    6 ms for the word 马 on the 100,000-item benchmark), and filters on facets become a
--    test of the rowid. An item whose combination changes (published, media added…) is
--    moved to its new key by the triggers below, in the same transaction.
-- 2. Titles (with accession numbers and inheritors) have an index of their own, which
--    ranks the title tier of a query without reading the descriptions' positions:
--    10 ms against 15 ms for the 11,900 title hits of 马.
--    (Both keep full detail: with detail=column FTS5 reads a document's text back to
--    score it, and through this view that is a scan per hit.)
-- Item ids and combination ids stay far below 2^31, so keys fit in SQLite's 64 bits.

drop trigger search_doc_insert;
drop trigger search_doc_delete;
drop trigger search_doc_update;
drop table search_fts;

-- What the indexes hold, by key (read only by 'rebuild'), in key order: FTS5 writes its
-- pending terms out at every step back in rowid, and a rebuild out of order takes twice
-- as long and leaves an index twice the size.
create view search_doc_keyed as
select (f.combo << 32) | d.item_id as key, d.title, d.body, d.exact
from search_doc d join search_facet f on f.item_id = d.item_id
order by key;

create virtual table search_fts using fts5 (
    title, body, exact,
    content = 'search_doc_keyed', content_rowid = 'key',
    tokenize = 'unicode61 remove_diacritics 0'
);
create virtual table search_title_fts using fts5 (
    title, exact,
    content = 'search_doc_keyed', content_rowid = 'key',
    tokenize = 'unicode61 remove_diacritics 0'
);
insert into search_fts (search_fts) values ('rebuild');
insert into search_title_fts (search_title_fts) values ('rebuild');

create trigger search_doc_insert after insert on search_doc begin
    insert into search_fts (rowid, title, body, exact)
        select (f.combo << 32) | new.item_id, new.title, new.body, new.exact
        from search_facet f where f.item_id = new.item_id;
    insert into search_title_fts (rowid, title, exact)
        select (f.combo << 32) | new.item_id, new.title, new.exact
        from search_facet f where f.item_id = new.item_id;
    update search_generation set n = n + 1;
end;
create trigger search_doc_delete after delete on search_doc begin
    insert into search_fts (search_fts, rowid, title, body, exact)
        select 'delete', (f.combo << 32) | old.item_id, old.title, old.body, old.exact
        from search_facet f where f.item_id = old.item_id;
    insert into search_title_fts (search_title_fts, rowid, title, exact)
        select 'delete', (f.combo << 32) | old.item_id, old.title, old.exact
        from search_facet f where f.item_id = old.item_id;
    update search_generation set n = n + 1;
end;
create trigger search_doc_update after update on search_doc begin
    insert into search_fts (search_fts, rowid, title, body, exact)
        select 'delete', (f.combo << 32) | old.item_id, old.title, old.body, old.exact
        from search_facet f where f.item_id = old.item_id;
    insert into search_fts (rowid, title, body, exact)
        select (f.combo << 32) | new.item_id, new.title, new.body, new.exact
        from search_facet f where f.item_id = new.item_id;
    insert into search_title_fts (search_title_fts, rowid, title, exact)
        select 'delete', (f.combo << 32) | old.item_id, old.title, old.exact
        from search_facet f where f.item_id = old.item_id;
    insert into search_title_fts (rowid, title, exact)
        select (f.combo << 32) | new.item_id, new.title, new.exact
        from search_facet f where f.item_id = new.item_id;
    update search_generation set n = n + 1;
end;

-- An item moving to another combination moves to another key.
create trigger search_keys_facet_update after update of combo on search_facet
when old.combo <> new.combo begin
    insert into search_fts (search_fts, rowid, title, body, exact)
        select 'delete', (old.combo << 32) | d.item_id, d.title, d.body, d.exact
        from search_doc d where d.item_id = old.item_id;
    insert into search_fts (rowid, title, body, exact)
        select (new.combo << 32) | d.item_id, d.title, d.body, d.exact
        from search_doc d where d.item_id = new.item_id;
    insert into search_title_fts (search_title_fts, rowid, title, exact)
        select 'delete', (old.combo << 32) | d.item_id, d.title, d.exact
        from search_doc d where d.item_id = old.item_id;
    insert into search_title_fts (rowid, title, exact)
        select (new.combo << 32) | d.item_id, d.title, d.exact
        from search_doc d where d.item_id = new.item_id;
end;

-- A deleted item leaves the indexes while its key can still be read: the cascades from
-- item to search_doc and search_facet run in no promised order.
create trigger search_keys_item_delete before delete on item begin
    delete from search_doc where item_id = old.id;
end;

-- `reindex` walks the items in key order: FTS5 writes a batch in one piece only when its
-- rowids ascend (it flushes its pending terms at every step back).
create index search_facet_key on search_facet (((combo << 32) | item_id));
