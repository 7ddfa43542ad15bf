-- Sign-in limits: one row per e-mail address or client address, updated
-- by one statement that reserves an attempt before its password is checked
-- (times in Unix milliseconds, so both engines do the same arithmetic).
DROP TABLE login_attempts;
CREATE TABLE login_limits (
	key TEXT PRIMARY KEY,
	tries BIGINT NOT NULL,
	delay_ms BIGINT NOT NULL,
	until_ms BIGINT NOT NULL,
	last_ms BIGINT NOT NULL
);
CREATE INDEX login_limits_last ON login_limits (last_ms);
