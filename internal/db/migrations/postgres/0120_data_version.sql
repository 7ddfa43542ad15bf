-- The data version: every write transaction advances it once it has
-- committed (db.DB.Tx), and the page cache keys what it keeps by it, so
-- no server answers with a page older than the last change it could show.
-- A sequence takes no row lock: writers do not wait for each other.
CREATE SEQUENCE data_version;
SELECT nextval('data_version');

-- The cities' own change counter: a city's name and country are facets of
-- other capabilities' search indexes, which are rebuilt when it changes.
-- A counter, not the last updated_at: two changes in one second differ.
CREATE TABLE city_counter (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	value BIGINT NOT NULL
);
INSERT INTO city_counter (id, value) VALUES (1, 1);
CREATE FUNCTION city_counter_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE city_counter SET value = value + 1 WHERE id = 1;
	RETURN NULL;
END $$;
CREATE TRIGGER cities_counted AFTER INSERT OR UPDATE OR DELETE ON cities
	FOR EACH STATEMENT EXECUTE FUNCTION city_counter_bump();
