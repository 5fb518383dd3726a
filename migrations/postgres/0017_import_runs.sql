-- Bulk imports, from the dry run to the last row: any server shows a run's progress, and a
-- run cut off by a restart goes on where it stopped. The media zip waits in the media
-- store (staging/<id>).
create table import_run (
    id text primary key,
    owner bigint not null references app_user (id) on delete cascade,
    stage text not null check (stage in ('staged', 'queued', 'running', 'finished', 'stopped')),
    total bigint not null,
    has_zip boolean not null,
    csv bytea not null,
    created_at timestamptz not null,
    started_at timestamptz,
    ended_at timestamptz
);
create index import_run_stage on import_run (stage, created_at);

create table import_outcome (
    run_id text not null references import_run (id) on delete cascade,
    row_number bigint not null,
    accession text not null,
    slug text not null,
    created boolean not null,
    problems text not null, -- JSON: the row's problems (message keys and arguments)
    primary key (run_id, row_number)
);
