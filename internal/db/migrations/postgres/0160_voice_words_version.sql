-- The moderators' word list's change counter: the ideas' writer on every
-- app server reads it with each batch and reads the list again when it moved.
CREATE TABLE voice_words_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	value BIGINT NOT NULL
);
INSERT INTO voice_words_version (id, value) VALUES (1, 1);
