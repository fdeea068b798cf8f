"""Closing a run: the one transaction that turns a run's raw fetches and observed columns into history.

Everything the monitor judges from (column and site snapshots, the columns and items tables, article edits) is
written here, together with the run's 'ok' status. A run that never gets here (killed, failed) therefore never
counts, and a run that does is counted completely or, if the transaction fails, not at all.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

import duckdb
import pyarrow as pa

from storage import lake
from storage.arrowscan import copied
from storage.connection import DEFAULT_WAIT, begin, io_error, open_readwrite
from storage.errors import StorageError
from storage.records import COLUMN_STATES, LIMIT_NAMES, LIMIT_OUTCOMES, ColumnObservation, Row
from storage.runs import COUNTS_SQL, mark_run
from storage.runs import FAILED_SQL as _FAILED_SQL
from storage.runs import LIMIT_SQL as _LIMIT_SQL
from storage.timeutil import aware, now

# A page request that was made (a limit's dropped requests are recorded, but are no page of the run).
_PAGE = f"f.role = 'page' AND f.outcome NOT IN {_LIMIT_SQL}"
# Per site: each limit hit, with how many requests it dropped ("max_pages (23 requests not made)").
_LIMITS = (
    "nullif(concat_ws('; ', "
    + ", ".join(
        f"CASE WHEN count(f.url) FILTER (WHERE f.outcome = '{o}') > 0 THEN '{LIMIT_NAMES[o]} ('"
        f" || count(f.url) FILTER (WHERE f.outcome = '{o}') || ' requests not made)' END"
        for o in LIMIT_OUTCOMES
    )
    + "), '')"
)

_OBS_SCHEMA = pa.schema(
    [
        ("site", pa.string()),
        ("column_url", pa.string()),
        ("name", pa.string()),
        ("name_source", pa.string()),
        ("state", pa.string()),
        ("pages", pa.int32()),
        ("failed_pages", pa.int32()),
        ("items", pa.int32()),
        ("undated", pa.int32()),
        ("newest", pa.date32()),
        ("newest_title", pa.string()),
        ("newest_url", pa.string()),
        ("error", pa.string()),
        # complete: fetched without a failed page, so an item missing from it has really gone
        ("complete", pa.bool_()),
        ("skipped_pages", pa.int32()),
    ]
)
_ROW_SCHEMA = pa.schema(
    [
        ("site", pa.string()),
        ("column_url", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("date_shown", pa.date32()),
        ("date_text", pa.string()),
    ]
)

# Each statement runs with $run (the run id) and $at (its observed_at) in one transaction, in this order.
_STEPS = (
    # one snapshot per column
    """INSERT INTO column_snapshots
       (run_id, site, column_url, name, name_source, state, pages, failed_pages, items, undated,
        newest, newest_title, newest_url, error, skipped_pages)
       SELECT $run, site, column_url, name, name_source, state, pages, failed_pages, items, undated,
              newest, newest_title, newest_url, error, skipped_pages
       FROM f_obs""",
    # per site: how many pages answered, whether its start pages did, which limits cut the crawl short
    f"""INSERT INTO site_snapshots
       (run_id, site, pages, pages_ok, pages_failed, home_url, home_ok, error, not_requested, limits)
       SELECT $run, s.site,
              count(f.url) FILTER (WHERE {_PAGE}),
              count(f.url) FILTER (WHERE f.role = 'page' AND f.outcome IN ('ok', 'not_modified')),
              count(f.url) FILTER (WHERE f.role = 'page' AND f.outcome IN {_FAILED_SQL}),
              min(f.url) FILTER (WHERE f.depth = 0 AND f.role = 'page'),
              coalesce(
                  bool_and(f.outcome NOT IN {_FAILED_SQL}) FILTER (WHERE f.depth = 0 AND f.role = 'page'),
                  false),
              coalesce(min(f.error) FILTER (WHERE f.depth = 0 AND f.outcome IN {_FAILED_SQL}),
                       CASE WHEN count(f.url) FILTER (WHERE {_PAGE}) = 0
                            THEN 'no page of the site was fetched' END),
              count(f.url) FILTER (WHERE f.outcome IN {_LIMIT_SQL}),
              {_LIMITS}
       FROM (SELECT unnest(sites) AS site FROM runs WHERE run_id = $run) s
       LEFT JOIN fetches f ON f.run_id = $run AND f.site = s.site
       GROUP BY s.site""",
    # columns: refresh the names of known ones, add new ones
    """UPDATE columns SET name = o.name, name_source = o.name_source, last_seen_run = $run, last_seen_at = $at
       FROM f_obs o WHERE columns.site = o.site AND columns.url = o.column_url""",
    """INSERT INTO columns
       SELECT site, column_url, name, name_source, $run, $at, $run, $at FROM f_obs o
       WHERE NOT EXISTS (SELECT 1 FROM columns c WHERE c.site = o.site AND c.url = o.column_url)""",
    # items listed now: seen again (and back, if they had vanished) or new
    """UPDATE items SET title = r.title, date_shown = r.date_shown, date_text = r.date_text,
              last_seen_run = $run, last_seen_at = $at, vanished_run = NULL, vanished_at = NULL
       FROM f_rows r WHERE items.site = r.site AND items.column_url = r.column_url AND items.url = r.url""",
    """INSERT INTO items
       SELECT site, column_url, url, title, date_shown, date_text, $run, $at, $run, $at, NULL, NULL
       FROM f_rows r
       WHERE NOT EXISTS (SELECT 1 FROM items i
                         WHERE i.site = r.site AND i.column_url = r.column_url AND i.url = r.url)""",
    # a column a limit kept from being read whole: its unseen items stay as they were, so its snapshot counts
    # every item still listed as far as anyone knows (seen now, or before and not since gone)
    """UPDATE column_snapshots SET items = k.items, undated = k.undated, newest = k.newest,
              newest_title = k.newest_title, newest_url = k.newest_url,
              state = CASE WHEN k.items > 0 THEN 'ok' ELSE column_snapshots.state END
       FROM (SELECT i.site, i.column_url, count(*) AS items,
                    count(*) FILTER (WHERE i.date_shown IS NULL) AS undated, max(i.date_shown) AS newest,
                    arg_max(i.title, i.date_shown) AS newest_title, arg_max(i.url, i.date_shown) AS newest_url
             FROM items i JOIN f_obs o ON o.site = i.site AND o.column_url = i.column_url
             WHERE o.skipped_pages > 0 AND o.state IN ('ok', 'empty') AND i.vanished_run IS NULL
             GROUP BY i.site, i.column_url) k
       WHERE column_snapshots.run_id = $run AND column_snapshots.site = k.site
         AND column_snapshots.column_url = k.column_url""",
    # items absent from a column fetched completely have vanished; an unreachable column vanishes nothing
    """UPDATE items SET vanished_run = $run, vanished_at = $at
       FROM f_obs o
       WHERE items.site = o.site AND items.column_url = o.column_url AND o.complete
         AND o.state IN ('ok', 'empty') AND items.vanished_run IS NULL AND items.last_seen_run <> $run""",
    # edited articles: a new body at an article URL whose main text differs from the text of the URL's last
    # body in a finished run (both parsed as articles). Comparing texts, not bodies: an article's body also
    # changes with its prev/next links, sidebars and hit counters whenever anything else is published.
    """INSERT INTO page_changes
       SELECT $run, cur.site, cur.url, prev.old_hash, cur.content_hash
       FROM fetches cur
       JOIN page_parses np ON np.url = cur.url AND np.content_hash = cur.content_hash AND np.kind = 'article'
       JOIN (SELECT f.site, f.url, arg_max(f.content_hash, f.run_id) AS old_hash
             FROM fetches f JOIN runs r ON r.run_id = f.run_id AND r.status = 'ok'
             WHERE f.content_hash IS NOT NULL AND f.outcome IN ('ok', 'not_modified')
               AND f.url IN (SELECT url FROM fetches WHERE run_id = $run AND outcome = 'ok')
             GROUP BY f.site, f.url) prev ON prev.site = cur.site AND prev.url = cur.url
       JOIN page_parses op ON op.url = cur.url AND op.content_hash = prev.old_hash AND op.kind = 'article'
       WHERE cur.run_id = $run AND cur.outcome = 'ok' AND cur.role = 'page'
         AND prev.old_hash <> cur.content_hash
         AND op.text_hash IS DISTINCT FROM np.text_hash""",
)


def observation_tables(columns: list[ColumnObservation]) -> tuple[pa.Table, pa.Table]:
    """The run's columns (f_obs) and their listed items (f_rows) as the Arrow tables `finish_in` reads."""
    obs: dict[str, list] = {name: [] for name in _OBS_SCHEMA.names}
    rows: dict[str, list] = {name: [] for name in _ROW_SCHEMA.names}
    seen_columns: set[tuple[str, str]] = set()
    for col in columns:
        if col.state not in COLUMN_STATES:
            raise ValueError(f"column {col.url}: state {col.state!r} is not one of {COLUMN_STATES}")
        if (col.site, col.url) in seen_columns:
            raise ValueError(f"column {col.url} of site {col.site} observed twice in one run")
        seen_columns.add((col.site, col.url))
        unique: dict[str, Row] = {}
        for row in col.rows:
            unique.setdefault(row.url, row)
        dated = [(r.date, r) for r in unique.values() if r.date is not None]
        newest = max(dated, key=lambda pair: pair[0])[1] if dated else None
        for name, value in (
            ("site", col.site),
            ("column_url", col.url),
            ("name", col.name),
            ("name_source", col.name_source),
            ("state", col.state),
            ("pages", col.pages),
            ("failed_pages", col.failed_pages),
            ("items", len(unique)),
            ("undated", len(unique) - len(dated)),
            ("newest", newest.date if newest else None),
            ("newest_title", newest.title if newest else None),
            ("newest_url", newest.url if newest else None),
            ("error", col.error),
            ("complete", col.failed_pages == 0 and not col.partial and col.skipped_pages == 0),
            ("skipped_pages", col.skipped_pages),
        ):
            obs[name].append(value)
        for row in unique.values():
            for name, value in (
                ("site", col.site),
                ("column_url", col.url),
                ("url", row.url),
                ("title", row.title),
                ("date_shown", row.date),
                ("date_text", row.date_text),
            ):
                rows[name].append(value)
    return pa.table(obs, schema=_OBS_SCHEMA), pa.table(rows, schema=_ROW_SCHEMA)


@lake.retrying
def finish_run(
    path: str,
    run_id: int,
    columns: list[ColumnObservation],
    *,
    status: str = "ok",
    message: str | None = None,
    wait: float = DEFAULT_WAIT,
    notices: dict[str, str] | None = None,
) -> None:
    """Record the columns observed by `run_id` and mark it `status`, all in one transaction. `notices`: per
    site, the run's word that its menu is built by a script whose entries could not be read
    (`site_snapshots.menu_notice`).

    Flushes nothing: call `RunWriter.flush()` first (or `RunWriter.close`, which also keeps everything in the
    spool when the database stays busy). With a status other than 'ok' this is `mark_run`: the observations
    are dropped, because only complete runs count.
    """
    if status != "ok":
        mark_run(path, run_id, status, message, wait=wait)
        return
    obs, rows = observation_tables(columns)
    with open_readwrite(path, wait=wait) as conn:
        finish_on(conn, path, run_id, obs, rows, message, wait=wait, notices=notices)


def finish_on(
    conn: duckdb.DuckDBPyConnection,
    path: str,
    run_id: int,
    obs: pa.Table,
    rows: pa.Table,
    message: str | None,
    *,
    wait: float = DEFAULT_WAIT,
    notices: dict[str, str] | None = None,
) -> None:
    """`finish_run` on a connection the caller opened read-write (RunWriter.close: after its last flush, in
    the same open), in a transaction of its own."""
    found = conn.execute("SELECT status FROM runs WHERE run_id = ?", [run_id]).fetchone()
    if found is None:
        raise StorageError(f"database {path} has no run {run_id}")
    if found[0] != "running":
        raise StorageError(f"run {run_id} in {path} is already '{found[0]}': it cannot be finished again")
    try:
        begin(conn, path, wait)
        finish_in(conn, run_id, obs, rows, message, now(), notices)
        conn.execute("COMMIT")
    except Exception as exc:
        with contextlib.suppress(Exception):  # already invalidated (disk full): closing discards it
            conn.execute("ROLLBACK")
        raise io_error(path, exc, "finish the run in") from exc


def finish_in(
    conn: duckdb.DuckDBPyConnection,
    run_id: int,
    obs: pa.Table,
    rows: pa.Table,
    message: str | None,
    finished_at: datetime,
    notices: dict[str, str] | None = None,
) -> None:
    """The statements of `finish_run` inside the caller's transaction (also for a finish replayed from the
    spool, with the time the crawl ended)."""
    found = conn.execute("SELECT observed_at FROM runs WHERE run_id = ?", [run_id]).fetchall()
    if not found:
        raise StorageError(f"no run {run_id}")
    params = {"run": run_id, "at": found[0][0]}
    with copied(conn, {"f_obs": obs, "f_rows": rows}):  # read by several statements (storage/arrowscan.py)
        # a site seen in the observations belongs to the run even if the plan forgot it
        conn.execute(
            "UPDATE runs SET sites = list_distinct(list_concat(sites, (SELECT list(site) FROM f_obs)))"
            " WHERE run_id = $run AND EXISTS (SELECT 1 FROM f_obs WHERE NOT list_contains(sites, site))",
            {"run": run_id},
        )
        for statement in _STEPS:
            conn.execute(statement, _used(statement, params))
        for site, notice in sorted((notices or {}).items()):
            conn.execute(
                "UPDATE site_snapshots SET menu_notice = $notice WHERE run_id = $run AND site = $site",
                {"run": run_id, "site": site, "notice": notice},
            )
        conn.execute(
            f"""UPDATE runs SET status = 'ok', finished_at = $now,
                   message = nullif(concat_ws('; ', $message,
                       (SELECT 'limits hit: ' || string_agg(site || ': ' || limits, '; ' ORDER BY site)
                        FROM site_snapshots WHERE run_id = $run AND limits IS NOT NULL)), ''),
                   {COUNTS_SQL},
                   items = (SELECT count(*) FROM f_rows)
                WHERE run_id = $run""",
            {"run": run_id, "now": aware(finished_at), "message": message},
        )


def _used(statement: str, params: dict) -> dict:
    """Only the named parameters a statement uses (DuckDB refuses unused ones)."""
    return {k: v for k, v in params.items() if f"${k}" in statement}
