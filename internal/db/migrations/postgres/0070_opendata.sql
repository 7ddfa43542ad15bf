-- The open-data portal's files, built once per data version: the ZIP of
-- every dataset (CSV, JSON, datapackage.json). Derived: it can be deleted
-- at any time and is built again on the next request.
CREATE TABLE opendata_builds (
	version TEXT PRIMARY KEY,
	built_at TIMESTAMPTZ NOT NULL,
	manifest TEXT NOT NULL,
	archive BYTEA NOT NULL
);
