-- Interface strings translated on the site (the admin's translation sheet), laid over the
-- message bundles compiled into the binary. One row per language and message key.
create table ui_translation (
    lang text not null check (lang in ('zh', 'mn', 'en')),
    msg_key text not null,
    text text not null,
    author text not null,
    updated_at timestamptz not null,
    primary key (lang, msg_key)
);
