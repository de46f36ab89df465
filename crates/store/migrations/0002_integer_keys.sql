-- dyad event store, schema version 2: integer keys for mentions and events.
--
-- Version 1 keyed mentions and events by their 32-hex-digit ids, so every insert went to a
-- random place in a text index. Here `key` is the id's first 64 bits (sign bit flipped, so
-- that integer order is id order) in a unique integer index, while the rows themselves are
-- appended (SQLite's implicit rowid); the merge rule's blocking key is hashed to an integer;
-- a mention's `cluster` is its event's key. Ids stay in `id` for output. The store moves a
-- version-1 database over by re-adding its mentions (engine.rs, `apply_migration`); these
-- statements create the new tables.

-- When the store took an article in (seconds since 1970): GDELT's DATEADDED.
ALTER TABLE articles ADD COLUMN added BIGINT;

CREATE TABLE mentions (
    key BIGINT NOT NULL,
    id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    sentence BIGINT NOT NULL,
    cluster BIGINT NOT NULL,
    match_hash BIGINT NOT NULL,
    merge_key TEXT NOT NULL,
    day_lo BIGINT,
    day_hi BIGINT,
    has_place BIGINT NOT NULL,
    geonames_id BIGINT,
    place_country TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    precise BIGINT NOT NULL,
    fatalities BIGINT,
    rank_key TEXT NOT NULL,
    merged_with TEXT,
    reason TEXT,
    json TEXT NOT NULL
);
CREATE UNIQUE INDEX mentions_key ON mentions (key);
CREATE INDEX mentions_article ON mentions (article_id);
CREATE INDEX mentions_cluster ON mentions (cluster);
CREATE INDEX mentions_match ON mentions (match_hash, day_lo);

CREATE TABLE events (
    key BIGINT NOT NULL,
    id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    sentence BIGINT NOT NULL,
    date TEXT,
    day BIGINT,
    week BIGINT,
    month TEXT,
    date_precision TEXT,
    source_code TEXT,
    source_country TEXT,
    source_sector TEXT,
    target_code TEXT,
    target_country TEXT,
    target_sector TEXT,
    dyad TEXT,
    cameo_code TEXT NOT NULL,
    root TEXT NOT NULL,
    quad_class BIGINT NOT NULL,
    goldstein DOUBLE PRECISION NOT NULL,
    plover_type TEXT,
    acled_type TEXT,
    acled_sub_type TEXT,
    country TEXT,
    admin1 TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    geonames_id BIGINT,
    fatalities BIGINT,
    num_mentions BIGINT NOT NULL,
    num_sources BIGINT NOT NULL,
    num_articles BIGINT NOT NULL
);
CREATE UNIQUE INDEX events_key ON events (key);
-- Listing newest first (day descending, undated last, then key descending) reads this index
-- backwards on SQLite, forwards on PostgreSQL, whose nulls sort high.
CREATE INDEX events_day ON events (day /*pg: DESC NULLS LAST*/, key /*pg: DESC*/);
CREATE INDEX events_country_day ON events (country, day);
