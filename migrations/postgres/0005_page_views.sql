-- Public page views per day, for the dashboard's chart. Only totals are kept: no
-- addresses, no cookies, nothing about who visited. A day is a calendar day in China
-- Standard Time.

create table page_view_day (
    day date primary key,
    views bigint not null
);
