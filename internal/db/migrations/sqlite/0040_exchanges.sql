-- Exchanges between cities: one city asks another about one of its
-- practices; the two follow it up in a private thread. What the public may
-- see of an exchange (never its thread) needs the consent of both cities.
CREATE TABLE exchanges (
	id INTEGER PRIMARY KEY,
	practice_id INTEGER NOT NULL REFERENCES practices (id),
	from_city INTEGER NOT NULL REFERENCES cities (id),
	to_city INTEGER NOT NULL REFERENCES cities (id),
	kind TEXT NOT NULL CHECK (kind IN ('documents', 'call', 'visit', 'peer_review', 'staff')),
	state TEXT NOT NULL CHECK (state IN ('requested', 'accepted', 'declined', 'scheduled', 'done', 'adopted')),
	message TEXT NOT NULL,
	proposed_dates TEXT NOT NULL DEFAULT '',
	languages TEXT NOT NULL DEFAULT '',
	contact_name TEXT NOT NULL DEFAULT '',
	contact_email TEXT NOT NULL DEFAULT '',
	decline_reason TEXT NOT NULL DEFAULT '',
	scheduled_on TEXT NOT NULL DEFAULT '',
	place TEXT NOT NULL DEFAULT '',
	learned TEXT NOT NULL DEFAULT '',
	will_try TEXT NOT NULL DEFAULT '',
	adapted_id INTEGER REFERENCES practices (id),
	public_from BOOLEAN NOT NULL DEFAULT FALSE,
	public_to BOOLEAN NOT NULL DEFAULT FALSE,
	requested_by INTEGER REFERENCES users (id),
	created_at TIMESTAMP NOT NULL,
	answered_at TIMESTAMP,
	done_at TIMESTAMP,
	reminded_at TIMESTAMP,
	followups INTEGER NOT NULL DEFAULT 0,
	updated_at TIMESTAMP NOT NULL,
	CHECK (from_city <> to_city)
);
CREATE INDEX exchanges_from ON exchanges (from_city, updated_at);
CREATE INDEX exchanges_to ON exchanges (to_city, updated_at);
CREATE INDEX exchanges_practice ON exchanges (practice_id);
CREATE INDEX exchanges_state ON exchanges (state, created_at);

-- The private thread: messages of the two cities and the secretariat, and
-- the platform's notes (state changes, reminders, follow-up questions).
CREATE TABLE exchange_messages (
	id INTEGER PRIMARY KEY,
	exchange_id INTEGER NOT NULL REFERENCES exchanges (id),
	kind TEXT NOT NULL CHECK (kind IN ('message', 'note')),
	author_id INTEGER REFERENCES users (id),
	author_name TEXT NOT NULL DEFAULT '',
	city_id INTEGER REFERENCES cities (id),
	body TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX exchange_messages_exchange ON exchange_messages (exchange_id, id);

-- Files sent in a thread, served only to the two cities and the secretariat.
CREATE TABLE exchange_files (
	id INTEGER PRIMARY KEY,
	exchange_id INTEGER NOT NULL REFERENCES exchanges (id),
	message_id INTEGER NOT NULL REFERENCES exchange_messages (id),
	name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	data BLOB NOT NULL,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX exchange_files_message ON exchange_files (message_id);

-- Advanced by every change the public could see; cached pages that show
-- exchanges keep it in their key.
CREATE TABLE exchange_counter (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	value BIGINT NOT NULL
);
INSERT INTO exchange_counter (id, value) VALUES (1, 1);
