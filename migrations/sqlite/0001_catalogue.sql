-- The catalogue: bases, items, their media, exhibitions and their stops.
-- Localized text is one column per language (zh, mn, en) so every language is queryable.

create table meta (
    key text primary key,
    value text not null
);

create table base (
    id integer primary key,
    slug text not null constraint base_slug_key unique,
    kind text not null,
    level text,
    status text not null,
    name_zh text, name_mn text, name_en text,
    town_zh text, town_mn text, town_en text,
    address_zh text, address_mn text, address_en text,
    opening_hours_zh text, opening_hours_mn text, opening_hours_en text,
    description_zh text, description_mn text, description_en text,
    contact text,
    website text,
    latitude double precision,
    longitude double precision,
    created_at text not null,
    updated_at text not null
);

create table item (
    id integer primary key,
    accession text not null constraint item_accession_key unique,
    slug text not null constraint item_slug_key unique,
    status text not null,
    category text not null,
    protection_level text,
    base_id integer not null references base (id),
    title_zh text, title_mn text, title_en text,
    summary_zh text, summary_mn text, summary_en text,
    description_zh text, description_mn text, description_en text,
    place_zh text, place_mn text, place_en text,
    period_zh text, period_mn text, period_en text,
    year integer,
    inheritors text not null default '[]', -- JSON array of {zh, mn, en}
    subjects text not null default '[]',   -- JSON array of {zh, mn, en}
    rights text not null,
    revision integer not null default 1,
    created_at text not null,
    updated_at text not null
);
create index item_status_accession on item (status, accession);
create index item_category on item (category, status, accession);
create index item_base on item (base_id, status, accession);

create table media (
    id integer primary key,
    item_id integer not null references item (id) on delete cascade,
    position integer not null,
    kind text not null,
    sha256 text not null,
    mime text not null,
    bytes integer not null,
    width integer,
    height integer,
    duration_ms integer,
    original_name text not null,
    alt_zh text, alt_mn text, alt_en text,
    caption_zh text, caption_mn text, caption_en text,
    credit text not null,
    rights text not null,
    source text,
    created_at text not null
);
create index media_item on media (item_id, position);
create index media_sha256 on media (sha256);

create table exhibition (
    id integer primary key,
    slug text not null constraint exhibition_slug_key unique,
    base_id integer not null references base (id),
    status text not null,
    featured boolean not null default false,
    title_zh text, title_mn text, title_en text,
    subtitle_zh text, subtitle_mn text, subtitle_en text,
    introduction_zh text, introduction_mn text, introduction_en text,
    cover_item_id integer references item (id) on delete set null,
    created_at text not null,
    updated_at text not null
);

create table exhibition_stop (
    exhibition_id integer not null references exhibition (id) on delete cascade,
    position integer not null,
    item_id integer not null references item (id) on delete cascade,
    media_index integer,
    narrative_zh text, narrative_mn text, narrative_en text,
    primary key (exhibition_id, position)
);
create index exhibition_stop_item on exhibition_stop (item_id);
