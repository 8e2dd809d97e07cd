-- 0001_initial: articles, their place mentions, incidents and which articles report them.
-- Dates are ISO 'YYYY-MM-DD' text so they sort and compare as strings.

CREATE TABLE articles (
    id          TEXT PRIMARY KEY,            -- Article.content_hash: the same text is the same article
    url         TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    published   TEXT,                        -- NULL when unknown
    text        TEXT NOT NULL,
    origin      TEXT NOT NULL DEFAULT '',
    warnings    TEXT NOT NULL DEFAULT '[]',  -- JSON list of strings
    ingested_at TEXT NOT NULL
);
-- Many articles have no URL (files, pasted text), so uniqueness holds only where there is one.
CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url <> '';

CREATE TABLE mentions (
    id            INTEGER PRIMARY KEY,
    article_id    TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    text          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('place', 'demonym')),
    label         TEXT NOT NULL DEFAULT '',
    place_id      TEXT,                      -- NULL when the resolver abstained
    name          TEXT,
    feature_class TEXT,
    country_code  TEXT,
    admin1        TEXT,
    lat           REAL CHECK (lat BETWEEN -90 AND 90),
    lon           REAL CHECK (lon BETWEEN -180 AND 180),
    radius_km     REAL,
    geo_precision INTEGER CHECK (geo_precision IN (1, 2, 3)),
    confidence    REAL,
    candidates    TEXT NOT NULL DEFAULT '[]', -- JSON list of scored candidates
    sentence      INTEGER NOT NULL DEFAULT -1,
    CHECK (0 <= start AND start <= "end")
);
CREATE INDEX mentions_article ON mentions(article_id);

-- One row per distinct event. Fields that depend on the reporting articles (fatalities,
-- n_sources, and title/url/source/published/snippet of the earliest-published article)
-- are kept here, recomputed from incident_sources on each add, so that reading a million
-- incidents for the map needs no join.
CREATE TABLE incidents (
    id             TEXT PRIMARY KEY,         -- hash of (event_type, place, date_start, date_end)
    event_type     TEXT NOT NULL CHECK (event_type <> ''),
    sub_event_type TEXT NOT NULL DEFAULT '',
    date_start     TEXT,
    date_end       TEXT,
    date_precision TEXT NOT NULL DEFAULT 'unknown'
                   CHECK (date_precision IN ('day', 'week', 'month', 'year', 'unknown')),
    date_text      TEXT NOT NULL DEFAULT '',
    fatalities     INTEGER CHECK (fatalities >= 0),
    place_id       TEXT,
    place          TEXT,
    country        TEXT,
    admin1         TEXT,
    feature_class  TEXT,
    lat            REAL CHECK (lat BETWEEN -90 AND 90),
    lon            REAL CHECK (lon BETWEEN -180 AND 180),
    radius_km      REAL,
    geo_precision  INTEGER CHECK (geo_precision IN (1, 2, 3)),
    confidence     REAL,
    snippet        TEXT NOT NULL DEFAULT '',
    article_id     TEXT REFERENCES articles(id) ON DELETE SET NULL,  -- earliest-published source
    title          TEXT,
    url            TEXT,
    source         TEXT,
    published      TEXT,
    n_sources      INTEGER NOT NULL DEFAULT 1 CHECK (n_sources >= 0),
    CHECK (date_end IS NULL OR date_start IS NULL OR date_start <= date_end),
    CHECK ((lat IS NULL) = (lon IS NULL))
);
-- The dashboard filters: timeline window, event type and country.
CREATE INDEX incidents_date_start ON incidents(date_start);
CREATE INDEX incidents_event_type ON incidents(event_type);
CREATE INDEX incidents_country ON incidents(country);

-- Which articles report which incident, with what each one said.
CREATE TABLE incident_sources (
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    snippet     TEXT NOT NULL DEFAULT '',
    fatalities  INTEGER CHECK (fatalities >= 0),
    PRIMARY KEY (incident_id, article_id)
);
CREATE INDEX incident_sources_article ON incident_sources(article_id);
