-- Public page views of each item, exhibition and base page, per day (China Standard
-- Time): which record was looked at, never who looked.
create table record_view_day (
    day text not null,
    kind text not null,
    slug text not null,
    views integer not null,
    primary key (day, kind, slug)
);
create index record_view_by_record on record_view_day (kind, slug, day);
