-- Declarations: texts in versions, signatures by member cities, and the
-- append-only signed log that lets anyone verify them (internal/declaration).
CREATE TABLE declarations (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
	-- Context shown above the text (i18n.Text); not part of what is signed.
	intro TEXT NOT NULL DEFAULT '{}',
	intro_lang TEXT NOT NULL DEFAULT 'en',
	-- Where and when it was adopted: a local calendar date, a place, and
	-- the summit when it was adopted at one.
	adopted_on TEXT,
	adopted_place TEXT NOT NULL DEFAULT '',
	adopted_city_id INTEGER REFERENCES cities (id),
	summit_id INTEGER REFERENCES summits (id) ON DELETE SET NULL,
	-- Demo texts are written for the demo, not the official wording.
	demo BOOLEAN NOT NULL DEFAULT FALSE,
	-- The number of the latest published version (0: none yet).
	current_version INTEGER NOT NULL DEFAULT 0,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX declarations_summit ON declarations (summit_id);

-- A version's texts never change once it is published: what was signed stays.
CREATE TABLE declaration_versions (
	id INTEGER PRIMARY KEY,
	declaration_id INTEGER NOT NULL REFERENCES declarations (id),
	number INTEGER NOT NULL,
	authoritative_lang TEXT NOT NULL,
	-- {"de": {"title": …, "body": …}, …}, normalized (see canonical.go).
	texts TEXT NOT NULL,
	-- Hex SHA-256 of the canonical form.
	hash TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	published_at TIMESTAMP,
	UNIQUE (declaration_id, number)
);

CREATE TRIGGER declaration_versions_frozen BEFORE UPDATE ON declaration_versions
WHEN OLD.published_at IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'a published declaration version cannot be changed');
END;
CREATE TRIGGER declaration_versions_kept BEFORE DELETE ON declaration_versions
BEGIN
	SELECT RAISE(ABORT, 'declaration versions are never deleted');
END;

-- The platform's Ed25519 keys. The private key of the one key in use is
-- kept here and never served; it is erased when the key is retired. Public
-- keys stay published with their validity.
CREATE TABLE declaration_keys (
	id TEXT PRIMARY KEY,
	public_key TEXT NOT NULL,
	private_key TEXT NOT NULL DEFAULT '',
	in_use BOOLEAN,
	valid_from TIMESTAMP NOT NULL,
	valid_until TIMESTAMP,
	entries INTEGER NOT NULL DEFAULT 0,
	CHECK (in_use IS NULL OR in_use = TRUE)
);
CREATE UNIQUE INDEX declaration_keys_one_in_use ON declaration_keys (in_use) WHERE in_use;

-- One chain per declaration: the head row is what appends lock, so two
-- simultaneous signatures never fork the chain.
CREATE TABLE declaration_log_heads (
	declaration_id INTEGER PRIMARY KEY REFERENCES declarations (id),
	seq INTEGER NOT NULL,
	hash TEXT NOT NULL
);

-- Every publication of a version, signature and withdrawal, signed by the
-- platform's key and chained by hash. Rows are never changed or deleted.
CREATE TABLE declaration_log (
	declaration_id INTEGER NOT NULL REFERENCES declarations (id),
	seq INTEGER NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('version', 'signature', 'withdrawal')),
	prev_hash TEXT NOT NULL,
	version_number INTEGER NOT NULL,
	version_hash TEXT NOT NULL,
	city_id INTEGER REFERENCES cities (id),
	city_name TEXT NOT NULL DEFAULT '',
	city_country TEXT NOT NULL DEFAULT '',
	signer_name TEXT NOT NULL DEFAULT '',
	signer_role TEXT NOT NULL DEFAULT '',
	read_lang TEXT NOT NULL DEFAULT '',
	mode TEXT NOT NULL DEFAULT '',
	place TEXT NOT NULL DEFAULT '',
	at TIMESTAMP NOT NULL,
	recorded_at TIMESTAMP NOT NULL,
	withdraws INTEGER NOT NULL DEFAULT 0,
	reason TEXT NOT NULL DEFAULT '',
	key_id TEXT NOT NULL REFERENCES declaration_keys (id),
	entry_hash TEXT NOT NULL,
	signature TEXT NOT NULL,
	PRIMARY KEY (declaration_id, seq)
);
CREATE INDEX declaration_log_city ON declaration_log (city_id);

CREATE TRIGGER declaration_log_no_update BEFORE UPDATE ON declaration_log
BEGIN
	SELECT RAISE(ABORT, 'declaration_log is append-only');
END;
CREATE TRIGGER declaration_log_no_delete BEFORE DELETE ON declaration_log
BEGIN
	SELECT RAISE(ABORT, 'declaration_log is append-only');
END;

-- The signatures as the pages list them; each row mirrors its log entry
-- (verification compares them). A withdrawal is recorded on the row and in
-- the log, never erased; the city may sign again later, which the partial
-- index allows: one active signature per city and declaration.
CREATE TABLE declaration_signatures (
	id INTEGER PRIMARY KEY,
	declaration_id INTEGER NOT NULL REFERENCES declarations (id),
	version_number INTEGER NOT NULL,
	city_id INTEGER NOT NULL REFERENCES cities (id),
	signer_name TEXT NOT NULL,
	signer_role TEXT NOT NULL CHECK (signer_role IN ('mayor', 'deputy_mayor')),
	read_lang TEXT NOT NULL,
	mode TEXT NOT NULL CHECK (mode IN ('in_person', 'remote')),
	place TEXT NOT NULL DEFAULT '',
	signed_at TIMESTAMP NOT NULL,
	recorded_by INTEGER REFERENCES users (id),
	log_seq INTEGER NOT NULL,
	withdrawn_at TIMESTAMP,
	withdrawal_seq INTEGER,
	withdrawn_by TEXT NOT NULL DEFAULT '',
	withdrawn_by_role TEXT NOT NULL DEFAULT '',
	withdrawal_reason TEXT NOT NULL DEFAULT '',
	FOREIGN KEY (declaration_id, version_number) REFERENCES declaration_versions (declaration_id, number)
);
CREATE UNIQUE INDEX declaration_signatures_active ON declaration_signatures (declaration_id, city_id) WHERE withdrawn_at IS NULL;
CREATE INDEX declaration_signatures_city ON declaration_signatures (city_id);

-- Only a withdrawal may change a signature row, once; rows are never deleted.
CREATE TRIGGER declaration_signatures_kept BEFORE DELETE ON declaration_signatures
BEGIN
	SELECT RAISE(ABORT, 'signatures are never deleted; withdraw them');
END;
CREATE TRIGGER declaration_signatures_only_withdraw BEFORE UPDATE ON declaration_signatures
WHEN OLD.withdrawn_at IS NOT NULL
	OR NEW.declaration_id IS NOT OLD.declaration_id OR NEW.version_number IS NOT OLD.version_number
	OR NEW.city_id IS NOT OLD.city_id OR NEW.signer_name IS NOT OLD.signer_name
	OR NEW.signer_role IS NOT OLD.signer_role OR NEW.read_lang IS NOT OLD.read_lang
	OR NEW.mode IS NOT OLD.mode OR NEW.place IS NOT OLD.place OR NEW.signed_at IS NOT OLD.signed_at
	OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.log_seq IS NOT OLD.log_seq
BEGIN
	SELECT RAISE(ABORT, 'a signature can only be withdrawn, once');
END;
