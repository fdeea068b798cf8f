"""The monitor's questions, as named read-only queries over an open connection.

Every function takes a connection (the CLI opens it with `open_readonly` and passes it in) and answers "as of"
a moment: only runs with status 'ok' observed at or before it count, so a replayed history and a killed crawl
are both handled by the same rule. Time ranges (`since`, `until`) are half-open on the left: since < t <=
until, matching "as of until, minus what was already true as of since". Date ranges (`start`, `end`) are
inclusive.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import duckdb

from storage.facts import (
    ColumnFacts,
    EditFacts,
    ItemFacts,
    LinkFacts,
    PublishedCount,
    RunFacts,
    SiteFacts,
    SnapshotFacts,
)
from storage.timeutil import aware

Conn = duckdb.DuckDBPyConnection

# The zone in which a first-seen time becomes a calendar day (colleges publish on Beijing days).
LOCAL_ZONE = "Asia/Shanghai"


def _rows(conn: Conn, sql: str, params: dict[str, Any], times: tuple[str, ...] = ()) -> list[tuple]:
    """Rows of `sql`; the TIMESTAMPTZ columns named in `times` come back as aware UTC datetimes.

    DuckDB turns a TIMESTAMPTZ value into a Python datetime ~8x slower than a plain TIMESTAMP (a zone lookup
    per value): with 100,000 items that is seconds. So they are read as UTC wall time and given the zone here.
    """
    if times:
        replace = ", ".join(f"timezone('UTC', {name}) AS {name}" for name in times)
        sql = f"SELECT * REPLACE ({replace}) FROM ({sql})"
    cursor = conn.execute(sql, params)
    rows = cursor.fetchall()
    if not times:
        return rows
    names = [d[0] for d in cursor.description or ()]
    positions = [names.index(name) for name in times]
    converted = []
    for row in rows:
        values = list(row)
        for pos in positions:
            if values[pos] is not None:
                values[pos] = values[pos].replace(tzinfo=UTC)
        converted.append(tuple(values))
    return converted


def column_facts(conn: Conn, *, as_of: datetime, site: str | None = None) -> list[ColumnFacts]:
    """Every column ever seen (by runs as of `as_of`), with its current state; see `ColumnFacts`."""
    found = _rows(
        conn,
        "SELECT site, url, name, name_source, first_seen, state, observed_at, run_id, items, undated, newest,"
        " newest_title, newest_url, last_ok_at, failing_since, error, pages, failed_pages, skipped_pages,"
        " absent_since FROM column_status_at($as_of) WHERE $site IS NULL OR site = $site ORDER BY site, url",
        {"as_of": aware(as_of), "site": site},
        ("first_seen", "observed_at", "last_ok_at", "failing_since", "absent_since"),
    )
    return [ColumnFacts(*row) for row in found]


def site_facts(conn: Conn, *, as_of: datetime) -> list[SiteFacts]:
    """Every site's latest finished run as of `as_of`: pages fetched and failed, start pages, down since."""
    found = _rows(
        conn,
        "SELECT site, run_id, observed_at, pages, pages_ok, pages_failed, home_url, home_ok, error, down,"
        " down_since, not_requested, limits, menu_notice FROM site_status_at($as_of) ORDER BY site",
        {"as_of": aware(as_of)},
        ("observed_at", "down_since"),
    )
    return [SiteFacts(*row) for row in found]


_SITE_TITLES = """
SELECT site, title FROM (
    SELECT f.site, trim(p.title) AS title,
           row_number() OVER (PARTITION BY f.site ORDER BY r.observed_at DESC, f.requested_at, f.url) AS n
    FROM fetches f
    JOIN runs r USING (run_id)
    JOIN page_parses p ON p.url = f.url AND p.content_hash = f.content_hash
    WHERE r.status = 'ok' AND r.observed_at <= $as_of AND f.depth = 0
      AND f.outcome IN ('ok', 'not_modified') AND p.kind <> 'blocked' AND trim(coalesce(p.title, '')) <> ''
)
WHERE n = 1
ORDER BY site
"""


def site_titles(conn: Conn, *, as_of: datetime) -> dict[str, str]:
    """Each site's own name as its start page says it (`<title>`): from the latest ok run as of `as_of` that
    read a start page with a title (a login or challenge page's title is not the site's). Sites without one
    are left out."""
    return dict(_rows(conn, _SITE_TITLES, {"as_of": aware(as_of)}))


_ITEMS = """
WITH ok_runs AS (SELECT run_id, observed_at FROM runs WHERE status = 'ok' AND observed_at <= $as_of),
last_good AS (
    SELECT s.site, s.column_url, max(r.observed_at) AS good_at
    FROM column_snapshots s JOIN ok_runs r USING (run_id)
    WHERE s.state IN ('ok', 'empty')
    GROUP BY s.site, s.column_url
)
SELECT i.site, i.column_url, i.url, i.title, i.date_shown, i.first_seen_at,
       CASE WHEN i.last_seen_at <= $as_of THEN i.last_seen_at
            ELSE greatest(i.first_seen_at, coalesce(g.good_at, i.first_seen_at)) END AS last_seen,
       CASE WHEN i.vanished_at <= $as_of THEN i.vanished_at END AS vanished_at
FROM items i
LEFT JOIN last_good g ON g.site = i.site AND g.column_url = i.column_url
WHERE i.first_seen_at <= $as_of AND ($site IS NULL OR i.site = $site)
ORDER BY i.site, i.column_url, i.url
"""


def item_facts(conn: Conn, *, as_of: datetime, site: str | None = None) -> list[ItemFacts]:
    """Every item first seen as of `as_of`, with first/last seen and vanished times.

    The items table keeps each item's latest state; for an `as_of` in the past, `last_seen` is the column's
    last successful look before it, and a vanishing that was later undone (the item came back) is not shown.
    """
    found = _rows(
        conn, _ITEMS, {"as_of": aware(as_of), "site": site}, ("first_seen_at", "last_seen", "vanished_at")
    )
    return [ItemFacts(*row) for row in found]


def deleted_items(conn: Conn, *, since: datetime, until: datetime) -> list[ItemFacts]:
    """Items that vanished from a completely fetched column in a run observed in (since, until]."""
    found = _rows(
        conn,
        "SELECT site, column_url, url, title, date_shown, first_seen_at, last_seen_at, vanished_at FROM items"
        " WHERE vanished_at > $since AND vanished_at <= $until ORDER BY site, column_url, vanished_at, url",
        {"since": aware(since), "until": aware(until)},
        ("first_seen_at", "last_seen_at", "vanished_at"),
    )
    return [ItemFacts(*row) for row in found]


def edited_items(conn: Conn, *, since: datetime, until: datetime) -> list[EditFacts]:
    """Articles edited in a finished run observed in (since, until]: same URL, a new body whose main text
    (`page_parses.text_hash`) differs from the last one's. A body that changed only around the text (prev/next
    links, sidebars, hit counters) is no edit."""
    found = _rows(
        conn,
        "SELECT c.site, c.url, p.kind, p.title, r.observed_at, c.run_id, c.old_hash, c.new_hash"
        " FROM page_changes c JOIN runs r USING (run_id)"
        " JOIN page_parses p ON p.url = c.url AND p.content_hash = c.new_hash"
        " WHERE r.status = 'ok' AND r.observed_at > $since AND r.observed_at <= $until AND p.kind = 'article'"
        " ORDER BY r.observed_at, c.site, c.url",
        {"since": aware(since), "until": aware(until)},
        ("observed_at",),
    )
    return [EditFacts(*row) for row in found]


def broken_links(conn: Conn, *, as_of: datetime) -> list[LinkFacts]:
    """Links and attachments that failed (HTTP error, network error, timeout, redirect loop) in their site's
    latest finished run as of `as_of`, with the start of their failing streak."""
    found = _rows(
        conn,
        "SELECT site, url, referer, link_text, role, outcome, status, error, since, observed_at"
        " FROM broken_links_at($as_of) ORDER BY site, role, url",
        {"as_of": aware(as_of)},
        ("since", "observed_at"),
    )
    return [LinkFacts(*row) for row in found]


def column_snapshots(conn: Conn, *, since: datetime, until: datetime) -> list[SnapshotFacts]:
    """Every column snapshot of the finished runs observed in (since, until], oldest first."""
    found = _rows(
        conn,
        "SELECT s.run_id, r.observed_at, s.site, s.column_url, s.name, s.state, s.newest, s.items"
        " FROM column_snapshots s JOIN runs r USING (run_id)"
        " WHERE r.status = 'ok' AND r.observed_at > $since AND r.observed_at <= $until"
        " ORDER BY r.observed_at, s.run_id, s.site, s.column_url",
        {"since": aware(since), "until": aware(until)},
        ("observed_at",),
    )
    return [SnapshotFacts(*row) for row in found]


def items_published(conn: Conn, *, start: date, end: date, zone: str = LOCAL_ZONE) -> list[PublishedCount]:
    """Per known column, items published in [start, end] (inclusive dates), counted two ways.

    `by_date_shown`: items whose shown date falls in the range. `by_first_seen`: items first listed by a run
    on a day (in `zone`) in the range — on a site's first crawl that is every item it lists.
    `undated_first_seen`: those of the latter that show no date.
    """
    found = _rows(
        conn,
        """WITH i AS (
               SELECT site, column_url, url, date_shown,
                      (first_seen_at AT TIME ZONE $zone)::DATE BETWEEN $start AND $end AS new_in_range
               FROM items)
           SELECT c.site, c.url, c.name,
                  count(i.url) FILTER (WHERE i.date_shown BETWEEN $start AND $end),
                  count(i.url) FILTER (WHERE i.new_in_range),
                  count(i.url) FILTER (WHERE i.new_in_range AND i.date_shown IS NULL)
           FROM columns c LEFT JOIN i ON i.site = c.site AND i.column_url = c.url
           GROUP BY c.site, c.url, c.name ORDER BY c.site, c.url""",
        {"start": start, "end": end, "zone": zone},
    )
    return [PublishedCount(*row) for row in found]


def runs_summary(conn: Conn, *, limit: int = 20) -> list[RunFacts]:
    """The latest `limit` runs, newest first, whatever their status."""
    found = _rows(
        conn,
        "SELECT run_id, status, started_at, finished_at, observed_at, sites, pages, errors, items, message"
        " FROM runs ORDER BY run_id DESC LIMIT $limit",
        {"limit": limit},
        ("started_at", "finished_at", "observed_at"),
    )
    return [
        RunFacts(
            run_id=row[0],
            status=row[1],
            started_at=row[2],
            finished_at=row[3],
            observed_at=row[4],
            sites=tuple(row[5]),
            pages=row[6],
            errors=row[7],
            items=row[8],
            message=row[9],
        )
        for row in found
    ]


def crawl_times(conn: Conn, *, until: datetime) -> list[datetime]:
    """When each finished (ok) run was observed, as of `until`, oldest first: the crawl weeks of a history."""
    found = _rows(
        conn,
        "SELECT observed_at FROM runs WHERE status = 'ok' AND observed_at <= $until ORDER BY observed_at",
        {"until": aware(until)},
        ("observed_at",),
    )
    return [row[0] for row in found]
