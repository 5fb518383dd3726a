-- Public page views per day, for the dashboard's chart. Only totals are kept: no
-- addresses, no cookies, nothing about who visited. A day is a calendar day in China
-- Standard Time, written as YYYY-MM-DD (so text order is date order).

create table page_view_day (
    day text primary key,
    views integer not null
);
