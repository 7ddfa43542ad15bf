-- One row per background job that must run on one app server at a time.
CREATE TABLE job_leases (
	name TEXT PRIMARY KEY,
	holder TEXT NOT NULL,
	until TIMESTAMP NOT NULL
);
