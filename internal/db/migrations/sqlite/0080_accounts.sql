-- Accounts: the language an invitation is written in (and the invited
-- account gets), second factors (TOTP, the secret sealed with the
-- server's key) and their single-use recovery codes, kept as hashes.
ALTER TABLE auth_tokens ADD COLUMN lang TEXT NOT NULL DEFAULT '';

CREATE TABLE second_factors (
	user_id INTEGER PRIMARY KEY REFERENCES users (id),
	secret TEXT NOT NULL,
	confirmed_at TIMESTAMP,
	last_step BIGINT NOT NULL DEFAULT 0,
	created_at TIMESTAMP NOT NULL
);

CREATE TABLE recovery_codes (
	user_id INTEGER NOT NULL REFERENCES users (id),
	code_hash TEXT NOT NULL,
	used_at TIMESTAMP,
	PRIMARY KEY (user_id, code_hash)
);
