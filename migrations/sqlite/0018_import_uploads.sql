-- A resumable upload may carry a bulk import's media zip rather than a file of an item:
-- then it has no item. SQLite cannot drop a NOT NULL, so the table is rebuilt.
create table upload_next (
    id text primary key,
    user_id integer not null references app_user (id) on delete cascade,
    item_id integer references item (id) on delete cascade, -- null: a bulk import's zip
    file_name text not null,
    length bigint not null,
    received bigint not null default 0,
    fields text not null, -- JSON: alt, caption, credit, rights
    created_at text not null,
    updated_at text not null
);
insert into upload_next
select id, user_id, item_id, file_name, length, received, fields, created_at, updated_at
from upload;
drop table upload;
alter table upload_next rename to upload;
