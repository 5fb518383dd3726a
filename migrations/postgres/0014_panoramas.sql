-- Panoramas of a base's physical halls: a photograph (an equirectangular 360° image, or a
-- wide one) with markers at the items on show, each a fraction of the image's width and
-- height from its top-left corner. The image is an original in the media store, like any
-- media file, and is public when its base is.
create table panorama (
    id bigint generated always as identity primary key,
    base_id bigint not null references base (id) on delete cascade,
    position bigint not null,
    title_zh text, title_mn text, title_en text,
    alt_zh text, alt_mn text, alt_en text,
    sha256 text not null,
    mime text not null,
    bytes bigint not null,
    width bigint not null,
    height bigint not null,
    original_name text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    constraint panorama_position_key unique (base_id, position)
);
create index panorama_sha256 on panorama (sha256);

create table panorama_spot (
    panorama_id bigint not null references panorama (id) on delete cascade,
    position bigint not null,
    item_id bigint not null references item (id) on delete cascade,
    x double precision not null check (x >= 0 and x <= 1),
    y double precision not null check (y >= 0 and y <= 1),
    primary key (panorama_id, position)
);
create index panorama_spot_item on panorama_spot (item_id);
