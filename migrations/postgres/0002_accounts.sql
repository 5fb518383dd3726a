-- Accounts: users with roles and base assignments, server-side sessions, sign-in
-- throttling, and the audit log of every change people make.

create table app_user (
    id bigint generated always as identity primary key,
    username text not null constraint app_user_username_key unique,
    display_name text not null,
    role text not null,
    password_hash text not null,
    disabled boolean not null default false,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table user_base (
    user_id bigint not null references app_user (id) on delete cascade,
    base_id bigint not null references base (id) on delete cascade,
    primary key (user_id, base_id)
);

-- The cookie holds a random token; only its SHA-256 is stored.
create table user_session (
    id_hash text primary key,
    user_id bigint not null references app_user (id) on delete cascade,
    csrf_token text not null,
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at timestamptz not null,
    ip text,
    user_agent text
);
create index user_session_by_user on user_session (user_id);

-- Failed sign-ins per key ('user:<name>' or 'ip:<address>').
create table login_throttle (
    key text primary key,
    failures bigint not null,
    window_started_at timestamptz not null,
    locked_until timestamptz
);

create table audit_log (
    id bigint generated always as identity primary key,
    at timestamptz not null,
    actor_id bigint references app_user (id) on delete set null,
    actor_name text not null,
    action text not null,
    entity text not null,
    entity_id text not null,
    before text,
    after text
);
create index audit_log_at on audit_log (at);
create index audit_log_entity on audit_log (entity, entity_id);
