-- Bulk imports, from the dry run to the last row: any server shows a run's progress, and a
-- run cut off by a restart goes on where it stopped. The media zip waits in the media
-- store (staging/<id>).
create table import_run (
    id text primary key,
    owner integer not null references app_user (id) on delete cascade,
    stage text not null check (stage in ('staged', 'queued', 'running', 'finished', 'stopped')),
    total integer not null,
    has_zip integer not null,
    csv blob not null,
    created_at text not null,
    started_at text,
    ended_at text
);
create index import_run_stage on import_run (stage, created_at);

create table import_outcome (
    run_id text not null references import_run (id) on delete cascade,
    row_number integer not null,
    accession text not null,
    slug text not null,
    created integer not null,
    problems text not null, -- JSON: the row's problems (message keys and arguments)
    primary key (run_id, row_number)
);
