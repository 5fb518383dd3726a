-- Search: the token strings our analyzers make of each item (src/search), written in the
-- same transaction as the item, and an FTS5 index over them. `unicode61` only splits on
-- spaces here (the tokens are already words); never `trigram`, which cannot find
-- two-character Chinese words.
create table search_doc (
    item_id integer primary key references item (id) on delete cascade,
    title text not null,
    body text not null,
    exact text not null
);

create virtual table search_fts using fts5 (
    title, body, exact,
    content = 'search_doc', content_rowid = 'item_id',
    tokenize = 'unicode61 remove_diacritics 0'
);

create trigger search_doc_insert after insert on search_doc begin
    insert into search_fts (rowid, title, body, exact) values (new.item_id, new.title, new.body, new.exact);
end;
create trigger search_doc_delete after delete on search_doc begin
    insert into search_fts (search_fts, rowid, title, body, exact) values ('delete', old.item_id, old.title, old.body, old.exact);
end;
create trigger search_doc_update after update on search_doc begin
    insert into search_fts (search_fts, rowid, title, body, exact) values ('delete', old.item_id, old.title, old.body, old.exact);
    insert into search_fts (rowid, title, body, exact) values (new.item_id, new.title, new.body, new.exact);
end;

-- Latin-script words and pinyin of the catalogue, for typo tolerance. Never pruned: a
-- stale word only widens a query to a token that matches nothing.
create table search_term (
    term text primary key
) without rowid;
