-- Bases are edited in the admin: optimistic locking like items and exhibitions, so a
-- second curator's save cannot silently overwrite the first one's.

alter table base add column revision bigint not null default 1;
