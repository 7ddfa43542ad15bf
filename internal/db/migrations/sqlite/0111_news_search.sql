-- News in the site's search: the full-text index of published items, the
-- ranking terms of their titles and leads, and a change number per item
-- (news_counter) that the in-memory index refreshes from.
CREATE VIRTUAL TABLE news_fts USING fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
ALTER TABLE news_items ADD COLUMN title_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE news_items ADD COLUMN lead_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE news_items ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX news_items_seq ON news_items (seq);
CREATE TABLE news_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
INSERT INTO news_counter (id, value) VALUES (1, 0);
