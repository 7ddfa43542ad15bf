-- API rate limits shared by every app server: one row per client address
-- with the minute (its start in Unix milliseconds) and the requests the
-- servers reserved in it so far; a server reserves blocks of them with one
-- statement and counts them off in memory.
CREATE TABLE api_limits (
	key TEXT PRIMARY KEY,
	window_ms BIGINT NOT NULL,
	used BIGINT NOT NULL
);
CREATE INDEX api_limits_window ON api_limits (window_ms);
