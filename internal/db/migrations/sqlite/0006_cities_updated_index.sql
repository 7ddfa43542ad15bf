-- The data version every public practice page reads takes the cities' last
-- change from this index instead of reading every city.
CREATE INDEX cities_updated_at ON cities (updated_at);
