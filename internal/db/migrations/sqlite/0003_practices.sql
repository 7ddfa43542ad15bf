-- Best practices: taxonomies, records with their revisions and workflow
-- events, the full-text index, and the precomputed "related" tables.

-- Themes and target groups, translatable, managed by the secretariat.
CREATE TABLE practice_terms (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('theme', 'group')),
	key TEXT NOT NULL,
	names TEXT NOT NULL DEFAULT '{}',
	position INTEGER NOT NULL DEFAULT 0,
	created_at TIMESTAMP NOT NULL,
	UNIQUE (kind, key)
);

-- One row per practice: its workflow state and, when published, the copy
-- of the published revision's fields that lists, facets and ranking need.
-- Working copies live only in practice_revisions, which public queries never read.
CREATE TABLE practices (
	id INTEGER PRIMARY KEY,
	uid TEXT NOT NULL UNIQUE,
	city_id INTEGER NOT NULL REFERENCES cities (id),
	state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'archived')),
	review TEXT NOT NULL DEFAULT '' CHECK (review IN ('', 'editing', 'submitted', 'returned')),
	head_rev INTEGER,
	pub_rev INTEGER,
	slug TEXT NOT NULL DEFAULT '',
	lang TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL DEFAULT '{}',
	summary TEXT NOT NULL DEFAULT '{}',
	themes TEXT NOT NULL DEFAULT '',
	target_groups TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT '',
	start_on TEXT NOT NULL DEFAULT '',
	quality INTEGER NOT NULL DEFAULT 0,
	title_terms TEXT NOT NULL DEFAULT '',
	lead_terms TEXT NOT NULL DEFAULT '',
	seq BIGINT NOT NULL DEFAULT 0,
	created_by INTEGER REFERENCES users (id),
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	published_at TIMESTAMP,
	revised_at TIMESTAMP
);
CREATE INDEX practices_seq ON practices (seq);
CREATE INDEX practices_city ON practices (city_id, state);
CREATE INDEX practices_review ON practices (review, updated_at);

-- Every saved version of a practice, never changed once written.
CREATE TABLE practice_revisions (
	id INTEGER PRIMARY KEY,
	practice_id INTEGER NOT NULL REFERENCES practices (id),
	number INTEGER NOT NULL,
	record TEXT NOT NULL,
	author_id INTEGER REFERENCES users (id),
	created_at TIMESTAMP NOT NULL,
	UNIQUE (practice_id, number)
);

-- What happened to a practice: created, saved, submitted, returned, published …
CREATE TABLE practice_events (
	id INTEGER PRIMARY KEY,
	practice_id INTEGER NOT NULL REFERENCES practices (id),
	revision INTEGER NOT NULL DEFAULT 0,
	action TEXT NOT NULL,
	actor_id INTEGER REFERENCES users (id),
	comment TEXT NOT NULL DEFAULT '',
	at TIMESTAMP NOT NULL
);
CREATE INDEX practice_events_practice ON practice_events (practice_id, id);

-- Bumped by every change the public can see; readers cache by its value.
CREATE TABLE practice_counter (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	value BIGINT NOT NULL
);
INSERT INTO practice_counter (id, value) VALUES (1, 1);

-- Published practices only; the text is search.IndexText of every
-- translation, so FTS5 only splits on spaces.
CREATE VIRTUAL TABLE practice_fts USING fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');

-- Precomputed on publication: similar practices, and cities facing the same challenges.
CREATE TABLE practice_related (
	practice_id INTEGER NOT NULL REFERENCES practices (id),
	related_id INTEGER NOT NULL REFERENCES practices (id),
	score REAL NOT NULL,
	shared TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (practice_id, related_id)
);
CREATE INDEX practice_related_related ON practice_related (related_id);

CREATE TABLE practice_city_similar (
	city_id INTEGER NOT NULL REFERENCES cities (id),
	other_id INTEGER NOT NULL REFERENCES cities (id),
	score REAL NOT NULL,
	shared TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (city_id, other_id)
);

-- The taxonomies the secretariat starts with; it edits them on /admin/practice-terms.
INSERT INTO practice_terms (kind, key, names, position, created_at) VALUES
('theme', 'inclusion', '{"de":"Inklusion","en":"Inclusion","fr":"Inclusion"}', 1, CURRENT_TIMESTAMP),
('theme', 'participation', '{"de":"Beteiligung","en":"Participation","fr":"Participation"}', 2, CURRENT_TIMESTAMP),
('theme', 'integration', '{"de":"Integration","en":"Integration","fr":"Intégration"}', 3, CURRENT_TIMESTAMP),
('theme', 'diversity', '{"de":"Vielfalt und Antirassismus","en":"Diversity and anti-racism","fr":"Diversité et antiracisme"}', 4, CURRENT_TIMESTAMP),
('theme', 'public-space', '{"de":"Öffentlicher Raum","en":"Public space","fr":"Espace public"}', 5, CURRENT_TIMESTAMP),
('theme', 'housing', '{"de":"Wohnen","en":"Housing","fr":"Logement"}', 6, CURRENT_TIMESTAMP),
('theme', 'safety', '{"de":"Sicherheit und Gewaltprävention","en":"Safety and violence prevention","fr":"Sécurité et prévention de la violence"}', 7, CURRENT_TIMESTAMP),
('theme', 'education', '{"de":"Bildung","en":"Education","fr":"Éducation"}', 8, CURRENT_TIMESTAMP),
('theme', 'health', '{"de":"Gesundheit","en":"Health","fr":"Santé"}', 9, CURRENT_TIMESTAMP),
('theme', 'culture', '{"de":"Kultur","en":"Culture","fr":"Culture"}', 10, CURRENT_TIMESTAMP),
('theme', 'migration', '{"de":"Migration und Geflüchtete","en":"Migration and refugees","fr":"Migration et réfugiés"}', 11, CURRENT_TIMESTAMP),
('theme', 'employment', '{"de":"Arbeit und Ausbildung","en":"Work and training","fr":"Emploi et formation"}', 12, CURRENT_TIMESTAMP),
('theme', 'dialogue', '{"de":"Interreligiöser und interkultureller Dialog","en":"Interfaith and intercultural dialogue","fr":"Dialogue interreligieux et interculturel"}', 13, CURRENT_TIMESTAMP),
('group', 'children', '{"de":"Kinder","en":"Children","fr":"Enfants"}', 1, CURRENT_TIMESTAMP),
('group', 'youth', '{"de":"Jugendliche","en":"Young people","fr":"Jeunes"}', 2, CURRENT_TIMESTAMP),
('group', 'families', '{"de":"Familien","en":"Families","fr":"Familles"}', 3, CURRENT_TIMESTAMP),
('group', 'older-people', '{"de":"Ältere Menschen","en":"Older people","fr":"Personnes âgées"}', 4, CURRENT_TIMESTAMP),
('group', 'women', '{"de":"Frauen","en":"Women","fr":"Femmes"}', 5, CURRENT_TIMESTAMP),
('group', 'refugees', '{"de":"Geflüchtete und Zugewanderte","en":"Refugees and newcomers","fr":"Personnes réfugiées et nouveaux arrivants"}', 6, CURRENT_TIMESTAMP),
('group', 'disabilities', '{"de":"Menschen mit Behinderungen","en":"People with disabilities","fr":"Personnes en situation de handicap"}', 7, CURRENT_TIMESTAMP),
('group', 'lgbtiq', '{"de":"LSBTIQ*","en":"LGBTIQ+ people","fr":"Personnes LGBTIQ+"}', 8, CURRENT_TIMESTAMP),
('group', 'homeless', '{"de":"Wohnungslose Menschen","en":"People without a home","fr":"Personnes sans abri"}', 9, CURRENT_TIMESTAMP),
('group', 'neighbourhood', '{"de":"Nachbarschaften","en":"Neighbourhood residents","fr":"Habitants d''un quartier"}', 10, CURRENT_TIMESTAMP),
('group', 'city-staff', '{"de":"Stadtverwaltung","en":"City staff","fr":"Personnel municipal"}', 11, CURRENT_TIMESTAMP),
('group', 'everyone', '{"de":"Alle Einwohnerinnen und Einwohner","en":"All residents","fr":"Tous les habitants"}', 12, CURRENT_TIMESTAMP);
