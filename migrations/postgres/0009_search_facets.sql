-- Search speed (issue 6), as in the SQLite migration of the same number.
--
-- 1. What the filters and facet counts need of each item, kept narrow: every distinct
--    combination of (published, category, base, level, century, media kinds) is one row of
--    search_facet_combo, and each item points at its combination. Kept by triggers in the
--    transaction of every write to item and media.
--      level: '' without one; century: of `year` (19 = 1801-1900, -1 = 100-1 BC), 0 without;
--      media: a bit per kind the item has (1 image, 2 audio, 4 video, 8 document).
-- 2. search_generation: a counter that every change to what search reads moves on, so a
--    server may keep facet counts of popular queries and know when they are stale.

create table search_facet_combo (
    id bigint generated always as identity primary key,
    published boolean not null,
    category text not null,
    base_id bigint not null,
    level text not null,
    century integer not null,
    media integer not null,
    unique (published, category, base_id, level, century, media)
);

create table search_facet (
    item_id bigint primary key references item (id) on delete cascade,
    combo bigint not null references search_facet_combo (id)
);

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
            when 'video' then 4 when 'document' then 8 else 0 end), 0)::integer
        from media m where m.item_id = i.id) as media
from item i;

create table search_generation (
    id integer primary key check (id = 1),
    n bigint not null
);
insert into search_generation (id, n) values (1, 1);

create function search_facet_refresh(item bigint) returns void language sql as $$
    insert into search_facet_combo (published, category, base_id, level, century, media)
        select published, category, base_id, level, century, media from search_facet_source
        where item_id = item on conflict do nothing;
    insert into search_facet (item_id, combo)
        select s.item_id, c.id from search_facet_source s
        join search_facet_combo c using (published, category, base_id, level, century, media)
        where s.item_id = item on conflict (item_id) do update set combo = excluded.combo;
$$;

create function search_facet_item() returns trigger language plpgsql as $$
begin
    perform search_facet_refresh(new.id);
    return null;
end
$$;
create trigger search_facet_item after insert or update of status, category, base_id, protection_level, year
    on item for each row execute function search_facet_item();

create function search_facet_media() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        perform search_facet_refresh(old.item_id);
    end if;
    if tg_op <> 'DELETE' then
        perform search_facet_refresh(new.item_id);
    end if;
    return null;
end
$$;
create trigger search_facet_media after insert or delete or update of kind, item_id
    on media for each row execute function search_facet_media();

create function search_generation_bump() returns trigger language plpgsql as $$
begin
    update search_generation set n = n + 1;
    return null;
end
$$;
create trigger search_generation_facet after insert or update or delete on search_facet
    for each statement execute function search_generation_bump();
create trigger search_generation_doc after insert or update or delete on search_doc
    for each statement execute function search_generation_bump();

insert into search_facet_combo (published, category, base_id, level, century, media)
    select distinct published, category, base_id, level, century, media from search_facet_source;
insert into search_facet (item_id, combo)
    select s.item_id, c.id from search_facet_source s
    join search_facet_combo c using (published, category, base_id, level, century, media);
