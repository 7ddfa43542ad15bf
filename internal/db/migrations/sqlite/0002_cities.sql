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
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX cities_country ON cities (country);
CREATE INDEX cities_membership ON cities (membership, member_since);

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
	since INTEGER NOT NULL,
	kind TEXT NOT NULL DEFAULT 'twin'
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
