-- no-transaction
-- An assignment walks either a published exhibition or a list of items the teacher picked
-- (with a title of the teacher's own): assignment.exhibition_id becomes optional, and
-- assignment_item holds the list in order. SQLite cannot drop a NOT NULL, so the table is
-- rebuilt the documented way (foreign keys off, copy, drop, rename, check) in one
-- transaction; the questions and visits that refer to it keep their rows.
pragma foreign_keys = off;
begin;
create table assignment_new (
    id integer primary key,
    class_id integer not null references class (id) on delete cascade,
    code text not null constraint assignment_code_key unique,
    exhibition_id integer references exhibition (id),
    title text,
    instructions text not null,
    essay_prompt text not null,
    essay_min_chars integer not null,
    opens_at text not null,
    closes_at text not null,
    closed_at text,
    school_year integer not null,
    purged_visits integer not null default 0,
    purged_essays integer not null default 0,
    created_at text not null,
    constraint assignment_walks_one check ((exhibition_id is null) <> (title is null))
);
insert into assignment_new (id, class_id, code, exhibition_id, title, instructions, essay_prompt,
    essay_min_chars, opens_at, closes_at, closed_at, school_year, purged_visits, purged_essays,
    created_at)
select id, class_id, code, exhibition_id, null, instructions, essay_prompt, essay_min_chars,
    opens_at, closes_at, closed_at, school_year, purged_visits, purged_essays, created_at
from assignment;
drop table assignment;
alter table assignment_new rename to assignment;
create index assignment_by_class on assignment (class_id);
create index assignment_by_year on assignment (school_year);

create table assignment_item (
    assignment_id integer not null references assignment (id) on delete cascade,
    position integer not null,
    item_id integer not null references item (id),
    primary key (assignment_id, position)
);
create index assignment_item_by_item on assignment_item (item_id);
commit;
pragma foreign_keys = on;
