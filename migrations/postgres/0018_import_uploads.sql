-- A resumable upload may carry a bulk import's media zip rather than a file of an item:
-- then it has no item.
alter table upload alter column item_id drop not null;
