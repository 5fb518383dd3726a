-- A teacher's comment on a student's essay, and handing a submitted essay back for
-- changes (submitted_at is cleared, returned_at says when). The student reads the comment
-- with their cookie or resume code; retention deletes it with the visit.
alter table visit add column feedback text not null default '';
alter table visit add column feedback_at text;
alter table visit add column returned_at text;
