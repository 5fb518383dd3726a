-- Harvesters (OAI-PMH), sitemaps and feeds page through public items by the time of their
-- last change; this index serves that key, (updated_at, id), in both directions.
create index item_changes on item (updated_at, id);
