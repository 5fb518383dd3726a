-- Imports update existing items too: each row's outcome is created, updated, unchanged or
-- failed. `created` stays, true for created rows, for the list of an import's new items.
alter table import_outcome add column result text not null default 'failed'
    check (result in ('created', 'updated', 'unchanged', 'failed'));
update import_outcome set result = 'created' where created = 1;
