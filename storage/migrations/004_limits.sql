-- 004_limits: a crawl cut short by a limit (page budget, depth, crawler trap) says so, and is no verdict.
-- Requests a limit dropped are fetches with outcome budget / depth / trap. A column whose pages were not all
-- requested records how many (skipped_pages): it vanishes none of its items. A site snapshot records the
-- limits its run hit; a known column such a run did not see is 'unchecked', not 'gone', and a column seen
-- before and not now carries the reason (not linked any more, no list page any more) and since when.

ALTER TABLE column_snapshots ADD COLUMN skipped_pages INTEGER DEFAULT 0;

ALTER TABLE site_snapshots ADD COLUMN not_requested INTEGER DEFAULT 0;

ALTER TABLE site_snapshots ADD COLUMN limits VARCHAR;

CREATE OR REPLACE MACRO column_status_at(as_of) AS TABLE
WITH ok_runs AS (SELECT * FROM ok_runs_at(as_of)),
site_runs AS (SELECT * FROM latest_site_runs_at(as_of)),
snaps AS (
    SELECT s.*, r.observed_at FROM column_snapshots s JOIN ok_runs r USING (run_id)
),
per_column AS (
    SELECT site, column_url,
           min(observed_at) AS first_seen,
           max(observed_at) AS last_seen,
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
),
-- the first run of its site after a column's last snapshot: since when it is not seen
absent AS (
    SELECT p.site, p.column_url, min(r.observed_at) AS absent_since
    FROM per_column p
    JOIN (SELECT unnest(sites) AS site, observed_at FROM ok_runs) r
      ON r.site = p.site AND r.observed_at > p.last_seen
    GROUP BY p.site, p.column_url
),
judged AS (
    SELECT p.*, sr.observed_at, sr.run_id, cur.state AS cur_state, cur.error AS cur_error,
           cur.pages AS cur_pages, cur.failed_pages AS cur_failed, cur.skipped_pages AS cur_skipped,
           coalesce(ss.pages_ok, 0) AS site_ok, ss.error AS site_error, ss.limits AS site_limits,
           lf.outcome AS last_outcome, lf.error AS last_error, lp.kind AS last_kind,
           good.items AS good_items, good.undated AS good_undated, good.newest, good.newest_title,
           good.newest_url, st.failing_since AS streak_since, a.absent_since
    FROM per_column p
    JOIN site_runs sr ON sr.site = p.site
    LEFT JOIN column_snapshots cur
           ON cur.run_id = sr.run_id AND cur.site = p.site AND cur.column_url = p.column_url
    LEFT JOIN site_snapshots ss ON ss.run_id = sr.run_id AND ss.site = p.site
    LEFT JOIN fetches lf ON lf.run_id = sr.run_id AND lf.site = p.site AND lf.url = p.column_url
                        AND lf.role = 'page' AND cur.state IS NULL
    LEFT JOIN page_parses lp ON lp.url = lf.url AND lp.content_hash = lf.content_hash
    LEFT JOIN column_snapshots good
           ON good.run_id = p.last_ok_run AND good.site = p.site AND good.column_url = p.column_url
    LEFT JOIN streak st ON st.site = p.site AND st.column_url = p.column_url
    LEFT JOIN absent a ON a.site = p.site AND a.column_url = p.column_url
),
stated AS (
    SELECT *,
           CASE WHEN cur_state IS NOT NULL THEN cur_state
                WHEN site_ok = 0 THEN 'unreachable'
                WHEN last_outcome IN ('budget', 'depth', 'trap') THEN 'unchecked'
                WHEN last_outcome IN ('ok', 'not_modified') THEN 'gone'
                WHEN regexp_matches(coalesce(site_limits, ''), 'max_pages|max_depth') THEN 'unchecked'
                ELSE 'gone' END AS state
    FROM judged
)
SELECT site, column_url AS url, name, name_source, first_seen, state, observed_at, run_id,
       coalesce(good_items, 0) AS items, coalesce(good_undated, 0) AS undated,
       newest, newest_title, newest_url, last_ok_at,
       CASE WHEN cur_state IN ('unreachable', 'blocked') THEN streak_since
            WHEN cur_state IS NULL AND site_ok = 0 THEN coalesce(streak_since, observed_at)
       END AS failing_since,
       CASE WHEN cur_state IS NOT NULL THEN cur_error
            WHEN site_ok = 0 THEN coalesce(site_error, 'site unreachable')
            WHEN last_outcome IN ('budget', 'depth', 'trap') THEN 'limit: ' || coalesce(last_error, last_outcome)
            WHEN last_outcome IN ('ok', 'not_modified') AND last_kind IN ('list', 'empty')
                 THEN 'its page is now part of another column'
            WHEN last_outcome IN ('ok', 'not_modified')
                 THEN 'not a list page any more: ' || coalesce(last_kind, 'not parsed')
            WHEN regexp_matches(coalesce(site_limits, ''), 'max_pages|max_depth') THEN 'limit: ' || site_limits
            ELSE 'not linked any more' END AS error,
       coalesce(cur_pages, 0) AS pages, coalesce(cur_failed, 0) AS failed_pages,
       coalesce(cur_skipped, 0) AS skipped_pages,
       CASE WHEN state IN ('gone', 'unchecked') THEN coalesce(absent_since, observed_at) END AS absent_since
FROM stated;

CREATE OR REPLACE MACRO site_status_at(as_of) AS TABLE
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
       CASE WHEN coalesce(ss.pages_ok, 0) = 0 THEN coalesce(ds.down_since, sr.observed_at) END AS down_since,
       coalesce(ss.not_requested, 0) AS not_requested, ss.limits
FROM site_runs sr
LEFT JOIN site_snapshots ss ON ss.run_id = sr.run_id AND ss.site = sr.site
LEFT JOIN down_streak ds ON ds.site = sr.site;

CREATE OR REPLACE VIEW v_column_status AS SELECT * FROM column_status_at(now());

CREATE OR REPLACE VIEW v_site_status AS SELECT * FROM site_status_at(now());

CREATE OR REPLACE VIEW v_run_summary AS
SELECT r.run_id, r.status, r.observed_at, r.started_at, r.finished_at,
       date_diff('second', r.started_at, r.finished_at) AS seconds,
       r.sites, r.pages, r.errors, r.items,
       (SELECT count(*) FROM column_snapshots s WHERE s.run_id = r.run_id) AS columns,
       (SELECT count(*) FROM column_snapshots s WHERE s.run_id = r.run_id AND s.state IN ('unreachable', 'blocked'))
           AS columns_failing,
       r.message,
       (SELECT sum(s.not_requested) FROM site_snapshots s WHERE s.run_id = r.run_id) AS not_requested
FROM runs r;
