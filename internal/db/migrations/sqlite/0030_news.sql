-- News items with their photos and video links, and the days the network
-- observes every year. Translatable fields are i18n.Text JSON objects.
CREATE TABLE news_items (
	id INTEGER PRIMARY KEY,
	source_lang TEXT NOT NULL DEFAULT 'en',
	title TEXT NOT NULL DEFAULT '{}',
	lead TEXT NOT NULL DEFAULT '{}',
	body TEXT NOT NULL DEFAULT '{}',
	place TEXT NOT NULL DEFAULT '{}',
	-- Translation states per field and language (JSON: field → lang → state).
	trans TEXT NOT NULL DEFAULT '{}',
	-- The date the item is about, YYYY-MM-DD; an announced event ends on ends_on.
	dated_on TEXT NOT NULL,
	ends_on TEXT NOT NULL DEFAULT '',
	is_event BOOLEAN NOT NULL DEFAULT FALSE,
	city_id INTEGER REFERENCES cities (id),
	summit_id INTEGER REFERENCES summits (id) ON DELETE SET NULL,
	observance_id INTEGER,
	-- Comma-framed tags (",youth,culture,") so one LIKE finds a tag.
	tags TEXT NOT NULL DEFAULT '',
	-- Links to what the item is about (JSON list of {path, label}).
	links TEXT NOT NULL DEFAULT '[]',
	press_name TEXT NOT NULL DEFAULT '',
	press_email TEXT NOT NULL DEFAULT '',
	press_phone TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL CHECK (state IN ('draft', 'scheduled', 'published', 'archived')),
	publish_at TIMESTAMP,
	published_at TIMESTAMP,
	sequence INTEGER NOT NULL DEFAULT 0,
	created_by INTEGER,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX news_items_public ON news_items (state, dated_on);
CREATE INDEX news_items_city ON news_items (city_id, state);
CREATE INDEX news_items_due ON news_items (state, publish_at);

-- Photos (kind 'photo') and the still images of video links (kind 'video').
CREATE TABLE news_media (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES news_items (id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('photo', 'video')),
	image_id INTEGER REFERENCES images (id),
	caption TEXT NOT NULL DEFAULT '{}',
	credit TEXT NOT NULL DEFAULT '',
	licence TEXT NOT NULL DEFAULT '',
	taken_on TEXT NOT NULL DEFAULT '',
	video_url TEXT NOT NULL DEFAULT '',
	position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX news_media_item ON news_media (item_id, position);

-- Days observed every year: the network's (city_id NULL) and a city's own.
CREATE TABLE news_observances (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL DEFAULT '{}',
	about TEXT NOT NULL DEFAULT '{}',
	source TEXT NOT NULL DEFAULT '{}',
	month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
	day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
	since INTEGER,
	city_id INTEGER REFERENCES cities (id),
	sequence INTEGER NOT NULL DEFAULT 0,
	updated_at TIMESTAMP NOT NULL
);
