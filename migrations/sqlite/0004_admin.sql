-- The curator admin: every change to an item is kept as a revision (a snapshot of the
-- record and its media list, with who and when), exhibitions get optimistic locking, and
-- a stop may carry an audio guide.

create table item_revision (
    item_id integer not null references item (id) on delete cascade,
    revision integer not null,
    at text not null,
    actor_id integer references app_user (id) on delete set null,
    actor_name text not null,
    snapshot text not null, -- JSON: the fields, the base, the media list
    primary key (item_id, revision)
);

alter table exhibition add column revision integer not null default 1;
alter table exhibition_stop add column audio_media_id integer references media (id) on delete set null;
