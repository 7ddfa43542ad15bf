-- The data version: every write transaction advances it (db.DB.Tx), and
-- the page cache keys what it keeps by it, so no server answers with a
-- page older than the last change it could show.
CREATE TABLE data_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	value BIGINT NOT NULL
);
INSERT INTO data_version (id, value) VALUES (1, 1);

-- The cities' own change counter: a city's name and country are facets of
-- other capabilities' search indexes, which are rebuilt when it changes.
-- A counter, not the last updated_at: two changes in one second differ.
CREATE TABLE city_counter (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	value BIGINT NOT NULL
);
INSERT INTO city_counter (id, value) VALUES (1, 1);
CREATE TRIGGER cities_counted_insert AFTER INSERT ON cities
BEGIN
	UPDATE city_counter SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER cities_counted_update AFTER UPDATE ON cities
BEGIN
	UPDATE city_counter SET value = value + 1 WHERE id = 1;
END;
CREATE TRIGGER cities_counted_delete AFTER DELETE ON cities
BEGIN
	UPDATE city_counter SET value = value + 1 WHERE id = 1;
END;
