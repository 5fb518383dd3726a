-- The media pipeline: codecs of audio/video, resumable uploads in progress, WebVTT
-- captions and transcripts per language, and the durable job queue.

alter table media add column codecs text;

-- A resumable (tus) upload. Its bytes are staged in data/uploads/<id>.part.
create table upload (
    id text primary key,
    user_id bigint not null references app_user (id) on delete cascade,
    item_id bigint not null references item (id) on delete cascade,
    file_name text not null,
    length bigint not null,
    received bigint not null default 0,
    fields text not null, -- JSON: alt, caption, credit, rights
    created_at timestamptz not null,
    updated_at timestamptz not null
);

-- Captions (video) and transcripts (audio) as WebVTT, one per language and kind.
create table media_track (
    media_id bigint not null references media (id) on delete cascade,
    lang text not null,
    kind text not null,
    vtt text not null,
    updated_at timestamptz not null,
    primary key (media_id, lang, kind)
);

-- Durable background work, claimed by any server process with a lease.
create table job (
    id bigint generated always as identity primary key,
    kind text not null,
    payload text not null,
    state text not null, -- queued, done, failed
    attempts bigint not null default 0,
    run_after timestamptz not null,
    locked_until timestamptz,
    last_error text,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index job_due on job (state, run_after);
create unique index job_queued_once on job (kind, payload) where state = 'queued';
