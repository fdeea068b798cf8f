"""What the next crawl needs from the last ones: validators for conditional GET, stored parses, known columns.

A 304 answer means "the body you have is still current"; the crawler then needs that body's parse without the
body, so `load_previous` rebuilds each URL's last `PageParse` from page_parses, page_rows and page_links.
Parses are stored by (url, content hash) and written in the same transaction as their rows and links, so even
the fetches of an interrupted run point at complete parses and may be used.
"""

from __future__ import annotations

from collections import defaultdict

import duckdb

from storage.connection import DEFAULT_WAIT, open_readonly
from storage.records import Link, PageParse, PreviousPage, Row

# Per URL: the content hash of its latest successful fetch (200 or 304), and the validators last sent with it.
_LATEST = """
WITH f AS (
    SELECT url, run_id, requested_at, content_hash, etag, last_modified
    FROM fetches
    WHERE site = $site AND role = 'page' AND outcome IN ('ok', 'not_modified') AND content_hash IS NOT NULL
),
per_hash AS (
    SELECT url, content_hash, max(run_id) AS last_run, max(requested_at) AS last_at,
           arg_max(etag, run_id) FILTER (WHERE etag IS NOT NULL) AS etag,
           arg_max(last_modified, run_id) FILTER (WHERE last_modified IS NOT NULL) AS last_modified
    FROM f GROUP BY url, content_hash
)
SELECT h.url, h.content_hash, h.etag, h.last_modified
FROM per_hash h
WHERE EXISTS (SELECT 1 FROM page_parses p WHERE p.url = h.url AND p.content_hash = h.content_hash)
QUALIFY row_number() OVER (PARTITION BY h.url ORDER BY h.last_run DESC, h.last_at DESC) = 1
"""


def _fetch(conn: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    """All rows of `sql`, through Arrow: for hundreds of thousands of short strings about 2x faster than
    fetchall()."""
    table = conn.sql(sql).to_arrow_table()
    return list(zip(*(column.to_pylist() for column in table.columns), strict=True))


def load_previous(path: str, site: str, *, wait: float = DEFAULT_WAIT) -> dict[str, PreviousPage]:
    """url -> validators, content hash and full parse of its last successfully fetched body, for one site.

    URLs whose parse is not stored (attachments, non-HTML, bodies never parsed) are left out: without a parse
    a 304 would be useless, so the crawler requests them unconditionally.
    """
    with open_readonly(path, wait=wait) as conn:
        conn.execute(f"CREATE TEMP TABLE prev AS {_LATEST}", {"site": site})
        latest = _fetch(conn, "SELECT url, content_hash, etag, last_modified FROM prev")
        parses = _fetch(
            conn,
            "SELECT p.url, p.content_hash, p.kind, p.encoding, p.title, p.column_name, p.column_name_source,"
            " p.breadcrumb, p.published, p.published_source, p.pager_first, p.pager_next, p.blocked_reason"
            " FROM page_parses p JOIN prev USING (url, content_hash)",
        )
        rows = _fetch(
            conn,
            "SELECT r.url, r.title, r.item_url, r.date_shown, r.date_text"
            " FROM page_rows r JOIN prev USING (url, content_hash) ORDER BY r.url, r.pos",
        )
        links = _fetch(
            conn,
            "SELECT l.url, l.part, l.link_url, l.text, l.role"
            " FROM page_links l JOIN prev USING (url, content_hash) ORDER BY l.url, l.part, l.pos",
        )

    by_url: dict[str, PageParse] = {}
    for (
        url,
        digest,
        kind,
        encoding,
        title,
        name,
        name_source,
        crumbs,
        published,
        source,
        first,
        nxt,
        blocked,
    ) in parses:
        by_url[url] = PageParse(
            url=url,
            content_hash=digest,
            kind=kind,
            encoding=encoding,
            title=title,
            column_name=name,
            column_name_source=name_source,
            breadcrumb=tuple(crumbs or ()),
            published=published,
            published_source=source,
            pager_first=first,
            pager_next=nxt,
            blocked_reason=blocked,
        )
    for url, title, item_url, shown, text in rows:
        by_url[url].rows.append(Row(title=title, url=item_url, date=shown, date_text=text))
    grouped: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for url, part, target, text, role in links:
        grouped[(url, part)].append(Link(url=target, text=text, role=role))
    for (url, part), found in grouped.items():
        parse = by_url[url]
        if part == "link":
            parse.links = found
        elif part == "pager":
            parse.pager = [link.url for link in found]
        else:
            parse.attachments = found
    return {
        url: PreviousPage(
            url=url, etag=etag, last_modified=modified, content_hash=digest, parse=by_url.get(url)
        )
        for url, digest, etag, modified in latest
    }


def known_columns(path: str, site: str, *, wait: float = DEFAULT_WAIT) -> dict[str, str]:
    """Column first-page URL -> latest name, for every column of `site` ever seen by a finished run.

    The crawler reports these as 'unreachable' when it cannot reach them, instead of silently not seeing them.
    """
    with open_readonly(path, wait=wait) as conn:
        found = conn.execute("SELECT url, name FROM columns WHERE site = ? ORDER BY url", [site]).fetchall()
    return dict(found)
