-- 007_script_menu: navigation a script builds (crawler/extract/scriptmenu.py).
-- page_parses.menu_script: why a page's menu is built by a script whose entries are not on the page (its
-- `menu` links are where they come from), kept so a 304 keeps saying it.
-- site_snapshots.menu_notice: a run's word that a site's menu is built by a script whose entries could not
-- be read, so columns it links may be missing from the report: said, never a quiet absence.

ALTER TABLE page_parses ADD COLUMN menu_script VARCHAR;

ALTER TABLE site_snapshots ADD COLUMN menu_notice VARCHAR;

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
       coalesce(ss.not_requested, 0) AS not_requested, ss.limits, ss.menu_notice
FROM site_runs sr
LEFT JOIN site_snapshots ss ON ss.run_id = sr.run_id AND ss.site = sr.site
LEFT JOIN down_streak ds ON ds.site = sr.site;

CREATE OR REPLACE VIEW v_site_status AS SELECT * FROM site_status_at(now());
