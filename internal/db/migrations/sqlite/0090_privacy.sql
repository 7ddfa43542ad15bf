-- The privacy notice and the imprint as the secretariat writes them: an
-- i18n.Text of Markdown per kind ('{}' until written: the platform's
-- default text shows), and who to contact about personal data.
CREATE TABLE legal_texts (
	kind TEXT PRIMARY KEY CHECK (kind IN ('privacy', 'imprint')),
	body TEXT NOT NULL DEFAULT '{}',
	updated_at TIMESTAMP NOT NULL,
	updated_by INTEGER REFERENCES users (id)
);

-- One row: the controller (name and postal address), its e-mail address,
-- and the data protection officer's name and e-mail address.
CREATE TABLE legal_contact (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	controller TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	dpo_name TEXT NOT NULL DEFAULT '',
	dpo_email TEXT NOT NULL DEFAULT '',
	updated_at TIMESTAMP
);
INSERT INTO legal_contact (id) VALUES (1);

-- A person's request to erase their personal data; the secretariat
-- completes it, which replaces the account's name and address by the
-- pseudonym kept here. One open request per account.
CREATE TABLE erasure_requests (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id),
	reason TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
	requested_at TIMESTAMP NOT NULL,
	pseudonym TEXT NOT NULL DEFAULT '',
	completed_at TIMESTAMP,
	completed_by INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX erasure_requests_open ON erasure_requests (user_id) WHERE state = 'open';
CREATE INDEX erasure_requests_state ON erasure_requests (state, requested_at);
