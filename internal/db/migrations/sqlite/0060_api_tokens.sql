-- Personal API tokens: only the SHA-256 of the secret is kept (the secret
-- is shown once); scopes are space-separated. Revoked and expired tokens
-- stay listed until their owner's account goes.
CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	hash TEXT NOT NULL UNIQUE,
	hint TEXT NOT NULL,
	scopes TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	expires_at TIMESTAMP,
	revoked_at TIMESTAMP,
	last_used_at TIMESTAMP,
	last_used_ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The answers to writes sent with an Idempotency-Key, per token, kept a day:
-- a repeated request gets the same answer and changes nothing again.
CREATE TABLE api_idempotency (
	token_id INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
	key TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	status INTEGER NOT NULL,
	body TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	PRIMARY KEY (token_id, key)
);
CREATE INDEX api_idempotency_created ON api_idempotency (created_at);
