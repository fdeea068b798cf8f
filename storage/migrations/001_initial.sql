-- 001_initial: the first schema. Every table and column is documented in docs/schema.md.
-- Raw, per-run tables (fetches) are append-only; content tables (bodies, page_parses, page_rows, page_links) hold
-- one copy per distinct content; derived tables (column_snapshots, site_snapshots, columns, items, page_changes)
-- are written only by finish_run, in the transaction that marks the run 'ok'.

CREATE TABLE runs (
    run_id      BIGINT PRIMARY KEY,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    observed_at TIMESTAMPTZ NOT NULL,
    status      VARCHAR NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
    sites       VARCHAR[] NOT NULL,
    pid         INTEGER,
    host        VARCHAR,
    pages       INTEGER NOT NULL DEFAULT 0,
    errors      INTEGER NOT NULL DEFAULT 0,
    items       INTEGER NOT NULL DEFAULT 0,
    message     VARCHAR
);

CREATE TABLE fetches (
    run_id        BIGINT NOT NULL,
    site          VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    requested_at  TIMESTAMPTZ NOT NULL,
    outcome       VARCHAR NOT NULL,
    status        SMALLINT,
    bytes         BIGINT NOT NULL,
    elapsed_ms    REAL,
    error         VARCHAR,
    etag          VARCHAR,
    last_modified VARCHAR,
    content_hash  VARCHAR,
    content_type  VARCHAR,
    final_url     VARCHAR,
    depth         SMALLINT NOT NULL,
    referer       VARCHAR,
    link_text     VARCHAR,
    role          VARCHAR NOT NULL
);

CREATE TABLE bodies (
    content_hash VARCHAR NOT NULL,
    codec        VARCHAR NOT NULL,
    size         INTEGER NOT NULL,
    body         BLOB NOT NULL,
    first_run    BIGINT NOT NULL
);

CREATE TABLE page_parses (
    url              VARCHAR NOT NULL,
    content_hash     VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,
    encoding         VARCHAR NOT NULL,
    title            VARCHAR,
    column_name        VARCHAR,
    column_name_source VARCHAR,
    breadcrumb         VARCHAR[] NOT NULL,
    published          DATE,
    published_source   VARCHAR,
    pager_first        VARCHAR,
    pager_next         VARCHAR,
    blocked_reason     VARCHAR,
    text_hash          VARCHAR,
    first_run          BIGINT NOT NULL
);

CREATE TABLE page_rows (
    url          VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    pos          INTEGER NOT NULL,
    title        VARCHAR NOT NULL,
    item_url     VARCHAR NOT NULL,
    date_shown   DATE,
    date_text    VARCHAR
);

CREATE TABLE page_links (
    url          VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    part         VARCHAR NOT NULL CHECK (part IN ('link', 'pager', 'attachment')),
    pos          INTEGER NOT NULL,
    link_url     VARCHAR NOT NULL,
    text         VARCHAR NOT NULL,
    role         VARCHAR NOT NULL
);

CREATE TABLE column_snapshots (
    run_id       BIGINT NOT NULL,
    site         VARCHAR NOT NULL,
    column_url   VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    name_source  VARCHAR NOT NULL,
    state        VARCHAR NOT NULL CHECK (state IN ('ok', 'empty', 'unreachable', 'blocked')),
    pages        INTEGER NOT NULL,
    failed_pages INTEGER NOT NULL,
    items        INTEGER NOT NULL,
    undated      INTEGER NOT NULL,
    newest       DATE,
    newest_title VARCHAR,
    newest_url   VARCHAR,
    error        VARCHAR
);

CREATE TABLE site_snapshots (
    run_id       BIGINT NOT NULL,
    site         VARCHAR NOT NULL,
    pages        INTEGER NOT NULL,
    pages_ok     INTEGER NOT NULL,
    pages_failed INTEGER NOT NULL,
    home_url     VARCHAR,
    home_ok      BOOLEAN NOT NULL,
    error        VARCHAR
);

CREATE TABLE columns (
    site           VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    name_source    VARCHAR NOT NULL,
    first_seen_run BIGINT NOT NULL,
    first_seen_at  TIMESTAMPTZ NOT NULL,
    last_seen_run  BIGINT NOT NULL,
    last_seen_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE items (
    site           VARCHAR NOT NULL,
    column_url     VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    date_shown     DATE,
    date_text      VARCHAR,
    first_seen_run BIGINT NOT NULL,
    first_seen_at  TIMESTAMPTZ NOT NULL,
    last_seen_run  BIGINT NOT NULL,
    last_seen_at   TIMESTAMPTZ NOT NULL,
    vanished_run   BIGINT,
    vanished_at    TIMESTAMPTZ
);

CREATE TABLE page_changes (
    run_id   BIGINT NOT NULL,
    site     VARCHAR NOT NULL,
    url      VARCHAR NOT NULL,
    old_hash VARCHAR NOT NULL,
    new_hash VARCHAR NOT NULL
);

CREATE TABLE email_sends (
    week       VARCHAR NOT NULL,
    recipient  VARCHAR NOT NULL,
    message_id VARCHAR NOT NULL,
    subject    VARCHAR NOT NULL,
    sent_at    TIMESTAMPTZ NOT NULL
);

-- The runs that count as of a moment: the 'ok' runs observed at or before it.
CREATE MACRO ok_runs_at(as_of) AS TABLE
SELECT run_id, observed_at, sites FROM runs WHERE status = 'ok' AND observed_at <= as_of;

-- Each site's latest counting run as of a moment.
CREATE MACRO latest_site_runs_at(as_of) AS TABLE
SELECT site, run_id, observed_at
FROM (SELECT unnest(sites) AS site, run_id, observed_at FROM ok_runs_at(as_of))
QUALIFY row_number() OVER (PARTITION BY site ORDER BY observed_at DESC, run_id DESC) = 1;

-- The state of every column as of a moment: the runs that count are the 'ok' runs observed at or before it.
CREATE MACRO column_status_at(as_of) AS TABLE
WITH ok_runs AS (SELECT * FROM ok_runs_at(as_of)),
site_runs AS (SELECT * FROM latest_site_runs_at(as_of)),
snaps AS (
    SELECT s.*, r.observed_at FROM column_snapshots s JOIN ok_runs r USING (run_id)
),
per_column AS (
    SELECT site, column_url,
           min(observed_at) AS first_seen,
           arg_max(name, observed_at) AS name,
           arg_max(name_source, observed_at) AS name_source,
           max(observed_at) FILTER (WHERE state IN ('ok', 'empty')) AS last_ok_at,
           arg_max(run_id, observed_at) FILTER (WHERE state IN ('ok', 'empty')) AS last_ok_run
    FROM snaps GROUP BY site, column_url
),
streak AS (
    SELECT s.site, s.column_url, min(s.observed_at) AS failing_since
    FROM snaps s JOIN per_column p USING (site, column_url)
    WHERE s.state IN ('unreachable', 'blocked') AND (p.last_ok_at IS NULL OR s.observed_at > p.last_ok_at)
    GROUP BY s.site, s.column_url
)
SELECT p.site, p.column_url AS url, p.name, p.name_source, p.first_seen,
       CASE WHEN cur.state IS NOT NULL THEN cur.state
            WHEN coalesce(ss.pages_ok, 0) = 0 THEN 'unreachable'
            ELSE 'gone' END AS state,
       sr.observed_at, sr.run_id,
       coalesce(good.items, 0) AS items, coalesce(good.undated, 0) AS undated,
       good.newest, good.newest_title, good.newest_url,
       p.last_ok_at,
       CASE WHEN cur.state IN ('unreachable', 'blocked') THEN st.failing_since
            WHEN cur.state IS NULL AND coalesce(ss.pages_ok, 0) = 0 THEN coalesce(st.failing_since, sr.observed_at)
       END AS failing_since,
       CASE WHEN cur.state IS NULL AND coalesce(ss.pages_ok, 0) = 0 THEN coalesce(ss.error, 'site unreachable')
            ELSE cur.error END AS error,
       coalesce(cur.pages, 0) AS pages, coalesce(cur.failed_pages, 0) AS failed_pages
FROM per_column p
JOIN site_runs sr ON sr.site = p.site
LEFT JOIN column_snapshots cur
       ON cur.run_id = sr.run_id AND cur.site = p.site AND cur.column_url = p.column_url
LEFT JOIN site_snapshots ss ON ss.run_id = sr.run_id AND ss.site = p.site
LEFT JOIN column_snapshots good
       ON good.run_id = p.last_ok_run AND good.site = p.site AND good.column_url = p.column_url
LEFT JOIN streak st ON st.site = p.site AND st.column_url = p.column_url;

-- Every site's last run as of a moment, and whether it was down (no page fetched) and since when.
CREATE MACRO site_status_at(as_of) AS TABLE
WITH ok_runs AS (SELECT * FROM ok_runs_at(as_of)),
site_runs AS (SELECT * FROM latest_site_runs_at(as_of)),
snaps AS (
    SELECT s.site, s.pages_ok, r.observed_at FROM site_snapshots s JOIN ok_runs r USING (run_id)
),
last_up AS (
    SELECT site, max(observed_at) FILTER (WHERE pages_ok > 0) AS last_up_at FROM snaps GROUP BY site
),
down_streak AS (
    SELECT s.site, min(s.observed_at) AS down_since
    FROM snaps s JOIN last_up u USING (site)
    WHERE s.pages_ok = 0 AND (u.last_up_at IS NULL OR s.observed_at > u.last_up_at)
    GROUP BY s.site
)
SELECT sr.site, sr.run_id, sr.observed_at,
       coalesce(ss.pages, 0) AS pages, coalesce(ss.pages_ok, 0) AS pages_ok,
       coalesce(ss.pages_failed, 0) AS pages_failed,
       ss.home_url, coalesce(ss.home_ok, false) AS home_ok,
       CASE WHEN ss.run_id IS NULL THEN 'no page of the site was requested' ELSE ss.error END AS error,
       coalesce(ss.pages_ok, 0) = 0 AS down,
       CASE WHEN coalesce(ss.pages_ok, 0) = 0 THEN coalesce(ds.down_since, sr.observed_at) END AS down_since
FROM site_runs sr
LEFT JOIN site_snapshots ss ON ss.run_id = sr.run_id AND ss.site = sr.site
LEFT JOIN down_streak ds ON ds.site = sr.site;

-- Links and attachments whose fetch failed in their site's last run as of a moment, and since when they fail.
CREATE MACRO broken_links_at(as_of) AS TABLE
WITH ok_runs AS (SELECT * FROM ok_runs_at(as_of)),
site_runs AS (SELECT * FROM latest_site_runs_at(as_of)),
broken AS (
    SELECT f.site, f.url, f.referer, f.link_text, f.role, f.outcome, f.status, f.error, sr.observed_at
    FROM fetches f JOIN site_runs sr ON f.run_id = sr.run_id AND f.site = sr.site
    WHERE f.outcome IN ('http_error', 'network_error', 'timeout', 'redirect_loop')
),
history AS (
    SELECT f.site, f.url, r.observed_at,
           f.outcome IN ('http_error', 'network_error', 'timeout', 'redirect_loop') AS failed
    FROM fetches f
    JOIN ok_runs r USING (run_id)
    JOIN broken b ON b.site = f.site AND b.url = f.url
),
last_good AS (
    SELECT site, url, max(observed_at) FILTER (WHERE NOT failed) AS good_at FROM history GROUP BY site, url
),
since AS (
    SELECT h.site, h.url, min(h.observed_at) AS since
    FROM history h JOIN last_good g USING (site, url)
    WHERE h.failed AND (g.good_at IS NULL OR h.observed_at > g.good_at)
    GROUP BY h.site, h.url
)
SELECT b.site, b.url, b.referer, b.link_text, b.role, b.outcome, b.status, b.error,
       coalesce(s.since, b.observed_at) AS since, b.observed_at
FROM broken b LEFT JOIN since s USING (site, url);

CREATE VIEW v_column_status AS SELECT * FROM column_status_at(now());

CREATE VIEW v_site_status AS SELECT * FROM site_status_at(now());

CREATE VIEW v_broken_links AS SELECT * FROM broken_links_at(now());

CREATE VIEW v_item_history AS
SELECT i.site, i.column_url, c.name AS column_name, i.url, i.title, i.date_shown, i.date_text,
       i.first_seen_at, i.last_seen_at, i.vanished_at, i.vanished_at IS NULL AS listed,
       i.first_seen_run, i.last_seen_run, i.vanished_run
FROM items i LEFT JOIN columns c ON c.site = i.site AND c.url = i.column_url;

CREATE VIEW v_run_summary AS
SELECT r.run_id, r.status, r.observed_at, r.started_at, r.finished_at,
       date_diff('second', r.started_at, r.finished_at) AS seconds,
       r.sites, r.pages, r.errors, r.items,
       (SELECT count(*) FROM column_snapshots s WHERE s.run_id = r.run_id) AS columns,
       (SELECT count(*) FROM column_snapshots s WHERE s.run_id = r.run_id AND s.state IN ('unreachable', 'blocked'))
           AS columns_failing,
       r.message
FROM runs r;

CREATE VIEW v_page_edits AS
SELECT c.site, c.url, p.kind, p.title, r.observed_at, c.run_id, c.old_hash, c.new_hash
FROM page_changes c
JOIN runs r USING (run_id)
LEFT JOIN page_parses p ON p.url = c.url AND p.content_hash = c.new_hash;
