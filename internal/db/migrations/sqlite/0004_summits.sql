-- Summits: venues, programme, speakers, partners, city delegations with a
-- waiting list, session sign-ups, check-in at the door, and bids to host the
-- next summit. Translatable fields are i18n.Text JSON objects.
CREATE TABLE summits (
	id INTEGER PRIMARY KEY,
	number INTEGER NOT NULL UNIQUE,
	title TEXT NOT NULL DEFAULT '{}',
	theme TEXT NOT NULL DEFAULT '{}',
	description TEXT NOT NULL DEFAULT '{}',
	source_lang TEXT NOT NULL DEFAULT 'en',
	host_city_id INTEGER NOT NULL REFERENCES cities (id),
	-- The host's IANA zone; the dates below are calendar dates there.
	timezone TEXT NOT NULL,
	starts_on TEXT NOT NULL,
	ends_on TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('draft', 'announced', 'registration_open', 'registration_closed', 'held')),
	-- Limits; NULL means none.
	max_delegations INTEGER,
	max_people INTEGER,
	max_delegation_size INTEGER,
	-- How long a place offered from the waiting list is held.
	offer_hours INTEGER NOT NULL DEFAULT 72,
	bids_open BOOLEAN NOT NULL DEFAULT FALSE,
	website TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	CHECK (ends_on >= starts_on)
);
CREATE INDEX summits_host ON summits (host_city_id);

CREATE TABLE summit_venues (
	id INTEGER PRIMARY KEY,
	summit_id INTEGER NOT NULL REFERENCES summits (id) ON DELETE CASCADE,
	name TEXT NOT NULL DEFAULT '{}',
	address TEXT NOT NULL DEFAULT '',
	lat REAL,
	lon REAL,
	position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX summit_venues_summit ON summit_venues (summit_id, position);

CREATE TABLE summit_sessions (
	id INTEGER PRIMARY KEY,
	summit_id INTEGER NOT NULL REFERENCES summits (id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('reception', 'plenary', 'workshop', 'tour', 'ceremony', 'press_conference', 'exhibition')),
	title TEXT NOT NULL DEFAULT '{}',
	description TEXT NOT NULL DEFAULT '{}',
	starts_at TIMESTAMP NOT NULL,
	ends_at TIMESTAMP NOT NULL,
	venue_id INTEGER REFERENCES summit_venues (id) ON DELETE SET NULL,
	room TEXT NOT NULL DEFAULT '',
	-- Comma-separated language codes: spoken on stage, and interpreted into.
	languages TEXT NOT NULL DEFAULT '',
	interpretation TEXT NOT NULL DEFAULT '',
	capacity INTEGER,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	CHECK (ends_at > starts_at)
);
CREATE INDEX summit_sessions_summit ON summit_sessions (summit_id, starts_at);

CREATE TABLE summit_speakers (
	id INTEGER PRIMARY KEY,
	summit_id INTEGER NOT NULL REFERENCES summits (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	role TEXT NOT NULL DEFAULT '{}',
	affiliation TEXT NOT NULL DEFAULT '',
	city_id INTEGER REFERENCES cities (id),
	bio TEXT NOT NULL DEFAULT '{}',
	photo_id INTEGER REFERENCES images (id),
	position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX summit_speakers_summit ON summit_speakers (summit_id, position);

CREATE TABLE summit_session_speakers (
	session_id INTEGER NOT NULL REFERENCES summit_sessions (id) ON DELETE CASCADE,
	speaker_id INTEGER NOT NULL REFERENCES summit_speakers (id) ON DELETE CASCADE,
	position INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (session_id, speaker_id)
);
CREATE INDEX summit_session_speakers_speaker ON summit_session_speakers (speaker_id);

CREATE TABLE summit_partners (
	id INTEGER PRIMARY KEY,
	summit_id INTEGER NOT NULL REFERENCES summits (id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('main_sponsor', 'supporting_partner', 'media_partner')),
	name TEXT NOT NULL DEFAULT '{}',
	url TEXT NOT NULL DEFAULT '',
	logo_id INTEGER REFERENCES images (id),
	position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX summit_partners_summit ON summit_partners (summit_id, kind, position);

-- One delegation per city per summit: the UNIQUE constraint is what keeps
-- parallel registrations from creating two.
CREATE TABLE summit_delegations (
	id INTEGER PRIMARY KEY,
	summit_id INTEGER NOT NULL REFERENCES summits (id),
	city_id INTEGER NOT NULL REFERENCES cities (id),
	state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'declined', 'waiting', 'offered', 'expired', 'withdrawn')),
	reason TEXT NOT NULL DEFAULT '',
	-- Order on the waiting list.
	queued_at TIMESTAMP,
	offer_expires_at TIMESTAMP,
	contact_email TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users (id),
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	UNIQUE (summit_id, city_id)
);
CREATE INDEX summit_delegations_state ON summit_delegations (summit_id, state, queued_at, id);
CREATE INDEX summit_delegations_offers ON summit_delegations (state, offer_expires_at);
CREATE INDEX summit_delegations_city ON summit_delegations (city_id);

CREATE TABLE summit_delegates (
	id INTEGER PRIMARY KEY,
	delegation_id INTEGER NOT NULL REFERENCES summit_delegations (id) ON DELETE CASCADE,
	summit_id INTEGER NOT NULL REFERENCES summits (id),
	is_head BOOLEAN NOT NULL DEFAULT FALSE,
	name TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL CHECK (role IN ('mayor', 'deputy_mayor', 'council_member', 'official', 'expert', 'other')),
	email TEXT NOT NULL DEFAULT '',
	-- Local date and time in the summit's zone, "2019-08-30T14:05" or "".
	arrival TEXT NOT NULL DEFAULT '',
	departure TEXT NOT NULL DEFAULT '',
	dietary TEXT NOT NULL DEFAULT '',
	accessibility TEXT NOT NULL DEFAULT '',
	interpretation TEXT NOT NULL DEFAULT '',
	consent BOOLEAN NOT NULL DEFAULT FALSE,
	-- Unguessable: the badge's QR code, and the personal calendar feed.
	badge_token TEXT NOT NULL UNIQUE,
	feed_token TEXT NOT NULL UNIQUE,
	checked_in_at TIMESTAMP,
	checked_in_by INTEGER REFERENCES users (id),
	position INTEGER NOT NULL DEFAULT 0,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX summit_delegates_delegation ON summit_delegates (delegation_id, position);
CREATE INDEX summit_delegates_summit ON summit_delegates (summit_id);
CREATE UNIQUE INDEX summit_delegates_one_head ON summit_delegates (delegation_id) WHERE is_head = TRUE;

CREATE TABLE summit_signups (
	session_id INTEGER NOT NULL REFERENCES summit_sessions (id) ON DELETE CASCADE,
	delegate_id INTEGER NOT NULL REFERENCES summit_delegates (id) ON DELETE CASCADE,
	created_at TIMESTAMP NOT NULL,
	PRIMARY KEY (session_id, delegate_id)
);
CREATE INDEX summit_signups_delegate ON summit_signups (delegate_id);

-- Every change of a delegation's state, shown to the city as its notices.
CREATE TABLE summit_delegation_events (
	id INTEGER PRIMARY KEY,
	delegation_id INTEGER NOT NULL REFERENCES summit_delegations (id) ON DELETE CASCADE,
	at TIMESTAMP NOT NULL,
	state TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	actor_id INTEGER REFERENCES users (id)
);
CREATE INDEX summit_delegation_events_delegation ON summit_delegation_events (delegation_id, id);

-- Bids to host the summit after summit_id; the secretariat chooses one.
CREATE TABLE summit_bids (
	id INTEGER PRIMARY KEY,
	summit_id INTEGER NOT NULL REFERENCES summits (id),
	city_id INTEGER NOT NULL REFERENCES cities (id),
	proposed_start TEXT NOT NULL,
	proposed_end TEXT NOT NULL,
	venue TEXT NOT NULL DEFAULT '',
	statement TEXT NOT NULL DEFAULT '{}',
	source_lang TEXT NOT NULL DEFAULT 'en',
	state TEXT NOT NULL CHECK (state IN ('submitted', 'withdrawn', 'chosen', 'not_chosen')),
	created_by INTEGER REFERENCES users (id),
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	UNIQUE (summit_id, city_id),
	CHECK (proposed_end >= proposed_start)
);
