-- An exhibition's history, as items have theirs: the whole exhibition (fields and stops,
-- as JSON) after each change, so curators can see what changed and restore any revision.
create table exhibition_revision (
    exhibition_id integer not null references exhibition (id) on delete cascade,
    revision integer not null,
    at text not null,
    actor_id integer references app_user (id) on delete set null,
    actor_name text not null, -- empty for the state found before the history was kept
    snapshot text not null,
    primary key (exhibition_id, revision)
);
