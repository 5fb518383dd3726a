-- Search speed (issue 6).
--
-- 1. What the filters and facet counts need of each item, kept narrow: every distinct
--    combination of (published, category, base, level, century, media kinds) is one row of
--    search_facet_combo, and each item points at its combination. Counting the facets of
--    tens of thousands of hits is then one integer GROUP BY, not a read of the wide item
--    rows and their media. Kept by triggers in the transaction of every write to item and
--    media, so no code path can forget it and every server process sees it at once.
--      level: '' without one; century: of `year` (19 = 1801-1900, -1 = 100-1 BC), 0 without;
--      media: a bit per kind the item has (1 image, 2 audio, 4 video, 8 document).
-- 2. search_generation: a counter that every change to what search reads moves on, so a
--    server may keep facet counts and pages of popular queries and know when they are
--    stale. (search_fts stays external-content: a contentless_delete table was tried and
--    made batched rewrites several times slower on 100k items.)

create table search_facet_combo (
    id integer primary key,
    published integer not null,
    category text not null,
    base_id integer not null,
    level text not null,
    century integer not null,
    media integer not null,
    unique (published, category, base_id, level, century, media)
);

create table search_facet (
    item_id integer primary key references item (id) on delete cascade,
    combo integer not null references search_facet_combo (id)
);

-- What search_facet should say of each item.
create view search_facet_source as
select i.id as item_id,
       i.status = 'published' as published,
       i.category,
       i.base_id,
       coalesce(i.protection_level, '') as level,
       case when i.year > 0 then (i.year - 1) / 100 + 1
            when i.year <= 0 then -((-i.year) / 100 + 1)
            else 0 end as century,
       (select coalesce(sum(distinct case m.kind when 'image' then 1 when 'audio' then 2
            when 'video' then 4 when 'document' then 8 else 0 end), 0)
        from media m where m.item_id = i.id) as media
from item i;

create table search_generation (
    id integer primary key check (id = 1),
    n integer not null
);
insert into search_generation (id, n) values (1, 1);

create trigger search_facet_item_insert after insert on item begin
    insert into search_facet_combo (published, category, base_id, level, century, media)
        select published, category, base_id, level, century, media from search_facet_source
        where item_id = new.id on conflict do nothing;
    insert into search_facet (item_id, combo)
        select s.item_id, c.id from search_facet_source s
        join search_facet_combo c using (published, category, base_id, level, century, media)
        where s.item_id = new.id on conflict (item_id) do update set combo = excluded.combo;
end;
create trigger search_facet_item_update
after update of status, category, base_id, protection_level, year on item begin
    insert into search_facet_combo (published, category, base_id, level, century, media)
        select published, category, base_id, level, century, media from search_facet_source
        where item_id = new.id on conflict do nothing;
    insert into search_facet (item_id, combo)
        select s.item_id, c.id from search_facet_source s
        join search_facet_combo c using (published, category, base_id, level, century, media)
        where s.item_id = new.id on conflict (item_id) do update set combo = excluded.combo;
end;
create trigger search_facet_media_insert after insert on media begin
    insert into search_facet_combo (published, category, base_id, level, century, media)
        select published, category, base_id, level, century, media from search_facet_source
        where item_id = new.item_id on conflict do nothing;
    insert into search_facet (item_id, combo)
        select s.item_id, c.id from search_facet_source s
        join search_facet_combo c using (published, category, base_id, level, century, media)
        where s.item_id = new.item_id on conflict (item_id) do update set combo = excluded.combo;
end;
create trigger search_facet_media_delete after delete on media begin
    insert into search_facet_combo (published, category, base_id, level, century, media)
        select published, category, base_id, level, century, media from search_facet_source
        where item_id = old.item_id on conflict do nothing;
    insert into search_facet (item_id, combo)
        select s.item_id, c.id from search_facet_source s
        join search_facet_combo c using (published, category, base_id, level, century, media)
        where s.item_id = old.item_id on conflict (item_id) do update set combo = excluded.combo;
end;
create trigger search_facet_media_update after update of kind, item_id on media begin
    insert into search_facet_combo (published, category, base_id, level, century, media)
        select published, category, base_id, level, century, media from search_facet_source
        where item_id in (old.item_id, new.item_id) on conflict do nothing;
    insert into search_facet (item_id, combo)
        select s.item_id, c.id from search_facet_source s
        join search_facet_combo c using (published, category, base_id, level, century, media)
        where s.item_id in (old.item_id, new.item_id)
        on conflict (item_id) do update set combo = excluded.combo;
end;

create trigger search_generation_facet_insert after insert on search_facet begin
    update search_generation set n = n + 1;
end;
create trigger search_generation_facet_update after update on search_facet begin
    update search_generation set n = n + 1;
end;
create trigger search_generation_facet_delete after delete on search_facet begin
    update search_generation set n = n + 1;
end;

insert into search_facet_combo (published, category, base_id, level, century, media)
    select distinct published, category, base_id, level, century, media from search_facet_source;
insert into search_facet (item_id, combo)
    select s.item_id, c.id from search_facet_source s
    join search_facet_combo c using (published, category, base_id, level, century, media);

-- The full-text index's triggers also move the generation on.
drop trigger search_doc_insert;
drop trigger search_doc_delete;
drop trigger search_doc_update;
create trigger search_doc_insert after insert on search_doc begin
    insert into search_fts (rowid, title, body, exact) values (new.item_id, new.title, new.body, new.exact);
    update search_generation set n = n + 1;
end;
create trigger search_doc_delete after delete on search_doc begin
    insert into search_fts (search_fts, rowid, title, body, exact) values ('delete', old.item_id, old.title, old.body, old.exact);
    update search_generation set n = n + 1;
end;
create trigger search_doc_update after update on search_doc begin
    insert into search_fts (search_fts, rowid, title, body, exact) values ('delete', old.item_id, old.title, old.body, old.exact);
    insert into search_fts (rowid, title, body, exact) values (new.item_id, new.title, new.body, new.exact);
    update search_generation set n = n + 1;
end;
