-- Member cities, their people, partnerships and figures; uploaded images.
CREATE TABLE images (
	id INTEGER PRIMARY KEY,
	sha256 TEXT NOT NULL UNIQUE,
	content_type TEXT NOT NULL,
	width INTEGER NOT NULL,
	height INTEGER NOT NULL,
	data BLOB NOT NULL,
	created_at TIMESTAMP NOT NULL
);

CREATE TABLE cities (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	names TEXT NOT NULL DEFAULT '{}',
	country TEXT NOT NULL,
	continent TEXT NOT NULL,
	region TEXT NOT NULL DEFAULT '',
	population BIGINT NOT NULL DEFAULT 0,
	population_year INTEGER,
	lat REAL NOT NULL,
	lon REAL NOT NULL,
	timezone TEXT NOT NULL DEFAULT 'UTC',
	website TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '{}',
	description_lang TEXT NOT NULL DEFAULT 'en',
	photo_id INTEGER REFERENCES images (id),
	membership TEXT NOT NULL CHECK (membership IN ('member', 'candidate', 'former')),
	member_since TEXT,
	member_until TEXT,
	-- Residents of foreign nationality: the total, the number of nationalities
	-- and the date of the count; the largest groups are in city_foreign_residents.
	foreign_residents BIGINT,
	foreign_nationalities INTEGER,
	foreign_as_of TEXT,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX cities_country ON cities (country);
CREATE INDEX cities_membership ON cities (membership, member_since);

-- Slugs a city had before it was renamed, so that old links still lead to it.
CREATE TABLE city_slugs (
	slug TEXT PRIMARY KEY,
	city_id INTEGER NOT NULL REFERENCES cities (id)
);

-- A city's change history is read from the audit log by target ("city:3").
CREATE INDEX audit_log_target ON audit_log (target, id);

CREATE TABLE city_people (
	id INTEGER PRIMARY KEY,
	city_id INTEGER NOT NULL REFERENCES cities (id),
	name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('mayor', 'deputy_mayor', 'council_member', 'diversity_officer', 'staff')),
	title TEXT NOT NULL DEFAULT '',
	term_start TEXT,
	term_end TEXT,
	photo_id INTEGER REFERENCES images (id),
	user_id INTEGER REFERENCES users (id),
	position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX city_people_city ON city_people (city_id, position);

CREATE TABLE city_partnerships (
	id INTEGER PRIMARY KEY,
	city_id INTEGER NOT NULL REFERENCES cities (id),
	partner_city_id INTEGER REFERENCES cities (id),
	partner_name TEXT NOT NULL DEFAULT '',
	partner_country TEXT NOT NULL DEFAULT '',
	since INTEGER, -- the year it began; NULL when not known
	kind TEXT NOT NULL DEFAULT 'twin' CHECK (kind IN ('twin', 'partner', 'friendship')),
	CHECK (partner_city_id IS NOT NULL OR partner_name <> '')
);
CREATE INDEX city_partnerships_city ON city_partnerships (city_id);
CREATE INDEX city_partnerships_partner ON city_partnerships (partner_city_id);

CREATE TABLE city_foreign_residents (
	city_id INTEGER NOT NULL REFERENCES cities (id),
	country TEXT NOT NULL,
	residents INTEGER NOT NULL,
	as_of TEXT NOT NULL,
	PRIMARY KEY (city_id, country)
);
