-- Doors between a base's hall panoramas: a place in one photograph (a fraction of its
-- width and height, like a marker) that leads to another panorama of the same base, so a
-- visitor walks from hall to hall. The same base is checked by the application.
create table panorama_door (
    panorama_id bigint not null references panorama (id) on delete cascade,
    position bigint not null,
    to_panorama_id bigint not null references panorama (id) on delete cascade,
    x double precision not null check (x >= 0 and x <= 1),
    y double precision not null check (y >= 0 and y <= 1),
    primary key (panorama_id, position),
    check (to_panorama_id <> panorama_id)
);
create index panorama_door_to on panorama_door (to_panorama_id);
