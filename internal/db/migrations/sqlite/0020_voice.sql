-- Residents' voice: consultations, their exhibitions and kiosk stations,
-- ideas given without an account, and what keeps them honest.
CREATE TABLE voice_consultations (
	id INTEGER PRIMARY KEY,
	city_id INTEGER NOT NULL REFERENCES cities (id),
	slug TEXT NOT NULL UNIQUE,
	question TEXT NOT NULL DEFAULT '{}',
	source_lang TEXT NOT NULL DEFAULT 'de',
	themes TEXT NOT NULL DEFAULT '',
	opens_at TIMESTAMP NOT NULL,
	closes_at TIMESTAMP NOT NULL,
	retention_days INTEGER NOT NULL DEFAULT 730,
	moderation TEXT NOT NULL DEFAULT 'before' CHECK (moderation IN ('before', 'after')),
	privacy TEXT NOT NULL DEFAULT '{}',
	charter TEXT NOT NULL DEFAULT '{}',
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX voice_consultations_city ON voice_consultations (city_id);

CREATE TABLE voice_exhibitions (
	id INTEGER PRIMARY KEY,
	consultation_id INTEGER NOT NULL REFERENCES voice_consultations (id),
	venue TEXT NOT NULL,
	address TEXT NOT NULL DEFAULT '',
	lat REAL NOT NULL DEFAULT 0,
	lon REAL NOT NULL DEFAULT 0,
	starts_on TEXT NOT NULL,
	ends_on TEXT NOT NULL,
	hours TEXT NOT NULL DEFAULT '',
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX voice_exhibitions_consultation ON voice_exhibitions (consultation_id);

CREATE TABLE voice_stations (
	id INTEGER PRIMARY KEY,
	exhibition_id INTEGER NOT NULL REFERENCES voice_exhibitions (id),
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	revoked BOOLEAN NOT NULL DEFAULT FALSE,
	last_contact_at TIMESTAMP,
	backlog INTEGER NOT NULL DEFAULT 0,
	created_at TIMESTAMP NOT NULL
);

CREATE TABLE voice_ideas (
	id INTEGER PRIMARY KEY,
	consultation_id INTEGER NOT NULL REFERENCES voice_consultations (id),
	receipt TEXT NOT NULL UNIQUE,
	body TEXT NOT NULL,
	lang TEXT NOT NULL DEFAULT '',
	theme TEXT NOT NULL DEFAULT '',
	neighbourhood TEXT NOT NULL DEFAULT '',
	age_group TEXT NOT NULL DEFAULT '',
	channel TEXT NOT NULL CHECK (channel IN ('online', 'kiosk', 'paper', 'api')),
	exhibition_id INTEGER REFERENCES voice_exhibitions (id),
	station_id INTEGER REFERENCES voice_stations (id),
	card TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL CHECK (state IN ('waiting', 'published', 'hidden', 'spam', 'merged')),
	reason TEXT NOT NULL DEFAULT '',
	merged_into INTEGER REFERENCES voice_ideas (id),
	flags TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	email_token TEXT NOT NULL DEFAULT '',
	email_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
	prefix_hash TEXT NOT NULL DEFAULT '',
	idem_key TEXT UNIQUE,
	simhash BIGINT NOT NULL DEFAULT 0,
	supports INTEGER NOT NULL DEFAULT 0,
	reports INTEGER NOT NULL DEFAULT 0,
	created_at TIMESTAMP NOT NULL,
	decided_at TIMESTAMP
);
CREATE INDEX voice_ideas_consultation ON voice_ideas (consultation_id, state, created_at);
CREATE INDEX voice_ideas_state ON voice_ideas (state, created_at);
CREATE INDEX voice_ideas_station ON voice_ideas (station_id, created_at);

-- Published ideas only: search.IndexText of the body in its language.
CREATE VIRTUAL TABLE voice_idea_fts USING fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');

-- A proof of work is spent once, on whichever server it arrives.
CREATE TABLE voice_pow_used (
	signature TEXT PRIMARY KEY,
	expires_at TIMESTAMP NOT NULL
);
CREATE INDEX voice_pow_used_expires ON voice_pow_used (expires_at);

-- Ideas per network prefix (keyed hash) per hour.
CREATE TABLE voice_rate (
	prefix_hash TEXT NOT NULL,
	bucket TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (prefix_hash, bucket)
);

-- Secrets: the proof-of-work and device signing keys, and the day's key
-- for hashing network prefixes ("prefix:2026-12-07"), rotated daily.
CREATE TABLE voice_keys (
	name TEXT PRIMARY KEY,
	secret TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL
);

CREATE TABLE voice_supports (
	idea_id INTEGER NOT NULL REFERENCES voice_ideas (id) ON DELETE CASCADE,
	device TEXT NOT NULL,
	prefix_hash TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	PRIMARY KEY (idea_id, device)
);
CREATE INDEX voice_supports_prefix ON voice_supports (idea_id, prefix_hash);

CREATE TABLE voice_reports (
	idea_id INTEGER NOT NULL REFERENCES voice_ideas (id) ON DELETE CASCADE,
	device TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	PRIMARY KEY (idea_id, device)
);

-- Words moderators keep: an idea containing one waits for a moderator.
CREATE TABLE voice_words (
	word TEXT PRIMARY KEY,
	created_at TIMESTAMP NOT NULL
);

-- Practices of member cities that answer an idea (moderators link them).
CREATE TABLE voice_idea_practices (
	idea_id INTEGER NOT NULL REFERENCES voice_ideas (id) ON DELETE CASCADE,
	practice_id INTEGER NOT NULL REFERENCES practices (id),
	PRIMARY KEY (idea_id, practice_id)
);
