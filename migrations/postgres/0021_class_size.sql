-- How many students the class has, as its teacher says; null when not given. Lets the
-- dashboard say who has not joined yet and the banner report how many of all students
-- wrote their essay this year.
alter table class add column students bigint;
