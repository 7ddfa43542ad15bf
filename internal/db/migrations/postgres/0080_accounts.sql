-- Accounts: the language an invitation is written in (and the invited
-- account gets), second factors (TOTP, the secret sealed with the
-- server's key) and their single-use recovery codes, kept as hashes.
ALTER TABLE auth_tokens ADD COLUMN lang TEXT NOT NULL DEFAULT '';

CREATE TABLE second_factors (
	user_id BIGINT PRIMARY KEY REFERENCES users (id),
	secret TEXT NOT NULL,
	confirmed_at TIMESTAMPTZ,
	last_step BIGINT NOT NULL DEFAULT 0,
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE recovery_codes (
	user_id BIGINT NOT NULL REFERENCES users (id),
	code_hash TEXT NOT NULL,
	used_at TIMESTAMPTZ,
	PRIMARY KEY (user_id, code_hash)
);
