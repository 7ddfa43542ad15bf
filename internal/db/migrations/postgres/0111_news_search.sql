-- News in the site's search: the full-text index of published items, the
-- ranking terms of their titles and leads, and a change number per item
-- (news_counter) that the in-memory index refreshes from.
CREATE TABLE news_fts (id BIGINT PRIMARY KEY, vec tsvector NOT NULL);
CREATE INDEX news_fts_vec ON news_fts USING GIN (vec);
ALTER TABLE news_items ADD COLUMN title_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE news_items ADD COLUMN lead_terms TEXT NOT NULL DEFAULT '';
ALTER TABLE news_items ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX news_items_seq ON news_items (seq);
CREATE TABLE news_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL);
INSERT INTO news_counter (id, value) VALUES (1, 0);
