-- dyad event store, schema version 1. Portable SQL: the same file runs on SQLite and
-- PostgreSQL (BIGINT, DOUBLE PRECISION and TEXT only; no autoincrement).

-- One row per stored article, keyed by id; text_hash tells a changed article.
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    date TEXT,
    source TEXT,
    url TEXT,
    title TEXT,
    language TEXT,
    text_hash TEXT NOT NULL
);

-- One row per coded event as `dyad code` wrote it (a report of an event). `json` is the
-- contract event. cluster_id is the stored event (events.id) it belongs to; merged_with and
-- reason say which mention of that event it matched and why. merge_key, day_lo/day_hi and
-- the place columns are what MergeRule compares.
CREATE TABLE mentions (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    sentence BIGINT NOT NULL,
    cluster_id TEXT NOT NULL,
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
CREATE INDEX mentions_article ON mentions (article_id);
CREATE INDEX mentions_cluster ON mentions (cluster_id);
CREATE INDEX mentions_match ON mentions (merge_key, day_lo);

-- One row per stored event (a cluster of mentions). id is its representative mention's id;
-- the contract fields are that mention's, as real columns for filters and groups, except
-- fatalities (the most any mention reports) and GDELT's three counts.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
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
CREATE INDEX events_day ON events (day, id);
CREATE INDEX events_country_day ON events (country, day);

-- Counts per day, place country, CAMEO root, PLOVER type and QuadClass, kept with the
-- events table: `count` reads it when the filters and groups need no other column, so a
-- weekly count by country reads a few hundred thousand rows, in key order on SQLite (a
-- clustered WITHOUT ROWID table), not every event. Unknown values are stored as '' and
-- day and week -999999999 (a primary key cannot hold null).
CREATE TABLE daily_counts (
    week BIGINT NOT NULL,
    country TEXT NOT NULL,
    day BIGINT NOT NULL,
    root TEXT NOT NULL,
    plover_type TEXT NOT NULL,
    quad_class BIGINT NOT NULL,
    month TEXT NOT NULL,
    n BIGINT NOT NULL,
    fatalities BIGINT NOT NULL,
    goldstein_sum DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (week, country, day, root, plover_type, quad_class)
) /*sqlite: WITHOUT ROWID*/;

-- Rejected input records, kept byte for byte (lossily decoded); the same record again adds
-- nothing.
CREATE TABLE rejects (
    file TEXT NOT NULL,
    line BIGINT NOT NULL,
    record_hash TEXT NOT NULL,
    reason TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (file, line, record_hash)
);
