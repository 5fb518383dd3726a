-- An assignment walks either a published exhibition or a list of items the teacher picked
-- (with a title of the teacher's own): assignment.exhibition_id becomes optional, and
-- assignment_item holds the list in order.
alter table assignment alter column exhibition_id drop not null;
alter table assignment add column title text;
alter table assignment add constraint assignment_walks_one
    check ((exhibition_id is null) <> (title is null));

create table assignment_item (
    assignment_id bigint not null references assignment (id) on delete cascade,
    position integer not null,
    item_id bigint not null references item (id),
    primary key (assignment_id, position)
);
create index assignment_item_by_item on assignment_item (item_id);
