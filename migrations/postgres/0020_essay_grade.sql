-- The teacher's grade for an essay (excellent, good, pass, effort), beside the comment;
-- null when none was given.
alter table visit add column grade text;
