-- Record views keyed by the record's id, not its slug: a slug can be changed in the
-- editor, and the views belong to the record, not to the address it had.
create table record_view (
    day text not null,
    kind text not null,
    record_id integer not null,
    views integer not null,
    primary key (day, kind, record_id)
);
insert into record_view (day, kind, record_id, views)
    select v.day, v.kind, r.id, v.views from record_view_day v
        join item r on r.slug = v.slug where v.kind = 'item'
    union all
    select v.day, v.kind, r.id, v.views from record_view_day v
        join exhibition r on r.slug = v.slug where v.kind = 'exhibition'
    union all
    select v.day, v.kind, r.id, v.views from record_view_day v
        join base r on r.slug = v.slug where v.kind = 'base';
drop table record_view_day;
create index record_view_by_record on record_view (kind, record_id, day);
