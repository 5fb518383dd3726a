-- The classroom: teachers' classes, assignments (an exhibition to visit, questions at
-- its stops, an essay), and students' visits. A visit holds a nickname and the work,
-- nothing else about the child; the retention sweep deletes visits after the school year
-- and keeps only their number on the assignment (purged_*), for the banner report.

create table class (
    id integer primary key,
    teacher_id integer not null references app_user (id) on delete cascade,
    school text not null,
    grade text not null,
    name text not null,
    created_at text not null
);
create index class_by_teacher on class (teacher_id);

create table assignment (
    id integer primary key,
    class_id integer not null references class (id) on delete cascade,
    code text not null constraint assignment_code_key unique,
    exhibition_id integer not null references exhibition (id),
    instructions text not null,
    essay_prompt text not null,
    essay_min_chars integer not null,
    opens_at text not null,
    closes_at text not null,
    closed_at text,
    school_year integer not null,
    purged_visits integer not null default 0,
    purged_essays integer not null default 0,
    created_at text not null
);
create index assignment_by_class on assignment (class_id);
create index assignment_by_year on assignment (school_year);

create table question (
    id integer primary key,
    assignment_id integer not null references assignment (id) on delete cascade,
    stop integer not null,
    position integer not null,
    kind text not null,
    prompt text not null,
    -- JSON array of the choices (empty for short answers).
    choices text not null,
    answer integer
);
create index question_by_assignment on question (assignment_id);

create table visit (
    id integer primary key,
    assignment_id integer not null references assignment (id) on delete cascade,
    nickname text not null,
    resume_code text not null,
    essay text not null default '',
    essay_saved_at text,
    submitted_at text,
    created_at text not null,
    constraint visit_resume_key unique (assignment_id, resume_code)
);

-- Devices that may continue a visit: the cookie holds a random token, only its SHA-256
-- is stored.
create table visit_token (
    token_hash text primary key,
    visit_id integer not null references visit (id) on delete cascade
);
create index visit_token_by_visit on visit_token (visit_id);

create table visit_stop (
    visit_id integer not null references visit (id) on delete cascade,
    stop integer not null,
    primary key (visit_id, stop)
);

create table visit_answer (
    visit_id integer not null references visit (id) on delete cascade,
    question_id integer not null references question (id) on delete cascade,
    answer text not null,
    primary key (visit_id, question_id)
);
