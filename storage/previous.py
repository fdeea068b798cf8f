"""What the next crawl needs from the last ones: validators for conditional GET, stored parses, known columns.

A 304 answer means "the body you have is still current"; the crawler then needs that body's parse without the
body, so `load_previous` rebuilds each URL's last `PageParse` from page_parses, page_rows and page_links.
Parses are stored by (url, content hash) and written in the same transaction as their rows and links, so even
the fetches of an interrupted run point at complete parses and may be used.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from storage.connection import DEFAULT_WAIT, open_readonly
from storage.records import Link, PageParse, PreviousPage, Row

# Per site and URL: the content hash of its latest successful fetch (200 or 304), and the validators last sent
# with it.
_LATEST = """
WITH f AS (
    SELECT site, url, run_id, requested_at, content_hash, etag, last_modified
    FROM fetches
    WHERE list_contains($sites, site) AND role = 'page' AND outcome IN ('ok', 'not_modified')
      AND content_hash IS NOT NULL
),
per_hash AS (
    SELECT site, url, content_hash, max(run_id) AS last_run, max(requested_at) AS last_at,
           arg_max(etag, run_id) FILTER (WHERE etag IS NOT NULL) AS etag,
           arg_max(last_modified, run_id) FILTER (WHERE last_modified IS NOT NULL) AS last_modified
    FROM f GROUP BY site, url, content_hash
)
SELECT h.site, h.url, h.content_hash, h.etag, h.last_modified
FROM per_hash h
WHERE EXISTS (SELECT 1 FROM page_parses p WHERE p.url = h.url AND p.content_hash = h.content_hash)
QUALIFY row_number() OVER (PARTITION BY h.site, h.url ORDER BY h.last_run DESC, h.last_at DESC) = 1
"""

# What a parse is made of, for every (site, url) of `prev`. Rows and links come one row per page (per page and
# part for links) with their values as lists in page order: grouping in DuckDB is cheaper than sorting every
# row and grouping in Python.
_PARSES = (
    "SELECT prev.site, p.url, p.content_hash, p.kind, p.encoding, p.title, p.column_name,"
    " p.column_name_source, p.breadcrumb, p.published, p.published_source, p.pager_first, p.pager_next,"
    " p.blocked_reason, p.pager_partial, p.menu_script"
    " FROM page_parses p JOIN prev USING (url, content_hash)"
)
_ROWS = (
    "SELECT prev.site, r.url, list(r.title ORDER BY r.pos), list(r.item_url ORDER BY r.pos),"
    " list(r.date_shown ORDER BY r.pos), list(r.date_text ORDER BY r.pos)"
    " FROM page_rows r JOIN prev USING (url, content_hash) GROUP BY prev.site, r.url"
)
_LINKS = (
    "SELECT prev.site, l.url, l.part, list(l.link_url ORDER BY l.pos), list(l.text ORDER BY l.pos),"
    " list(l.role ORDER BY l.pos)"
    " FROM page_links l JOIN prev USING (url, content_hash) GROUP BY prev.site, l.url, l.part"
)


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
    return load_previous_sites(path, [site], wait=wait)[site]


def load_previous_sites(
    path: str, sites: Iterable[str], *, wait: float = DEFAULT_WAIT
) -> dict[str, dict[str, PreviousPage]]:
    """`load_previous` of several sites at once: site -> url -> PreviousPage (empty for a site never crawled).

    One open of the file and one pass over each table for all sites: an open and close costs ~70 ms, and each
    pass over page_links as much again. The parses share their `Link` objects (links are frozen): a site's nav
    repeats the same few hundred links on every page (25,000 stored links, 1,700 distinct on the demo portal),
    and building each once is most of what rebuilding them costs.
    """
    with open_readonly(path, wait=wait) as conn:
        return previous_in(conn, sites)


def previous_in(conn: duckdb.DuckDBPyConnection, sites: Iterable[str]) -> dict[str, dict[str, PreviousPage]]:
    """`load_previous_sites` on an open connection (storage.history reads it with the rest in one open)."""
    wanted = list(dict.fromkeys(sites))
    conn.execute(f"CREATE OR REPLACE TEMP TABLE prev AS {_LATEST}", {"sites": wanted})
    latest = _fetch(conn, "SELECT site, url, content_hash, etag, last_modified FROM prev")
    parses = _fetch(conn, _PARSES)
    rows = _fetch(conn, _ROWS)
    links = _fetch(conn, _LINKS)
    by_page: dict[tuple[str, str], PageParse] = {}
    for (
        site,
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
        partial,
        menu_script,
    ) in parses:
        by_page[(site, url)] = PageParse(
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
            pager_partial=bool(partial),
            menu_script=menu_script,
        )
    for site, url, titles, items, shown, texts in rows:
        by_page[(site, url)].rows = [
            Row(title=title, url=item_url, date=date, date_text=text)
            for title, item_url, date, text in zip(titles, items, shown, texts, strict=True)
        ]
    known_links: dict[tuple[str, str, str], Link] = {}
    for site, url, part, targets, texts, roles in links:
        parse = by_page[(site, url)]
        if part == "pager":
            parse.pager = list(targets)
            continue
        found = []
        for key in zip(targets, texts, roles, strict=True):
            link = known_links.get(key)
            if link is None:
                link = known_links[key] = Link(*key)
            found.append(link)
        if part == "link":
            parse.links = found
        else:
            parse.attachments = found
    out: dict[str, dict[str, PreviousPage]] = {site: {} for site in wanted}
    for site, url, digest, etag, modified in latest:
        out[site][url] = PreviousPage(
            url=url, etag=etag, last_modified=modified, content_hash=digest, parse=by_page.get((site, url))
        )
    return out


def known_columns(path: str, site: str, *, wait: float = DEFAULT_WAIT) -> dict[str, str]:
    """Column first-page URL -> latest name, for every column of `site` ever seen by a finished run.

    The crawler reports these as 'unreachable' when it cannot reach them, instead of silently not seeing them.
    """
    with open_readonly(path, wait=wait) as conn:
        found = conn.execute("SELECT url, name FROM columns WHERE site = ? ORDER BY url", [site]).fetchall()
    return dict(found)


def known_columns_sites(
    path: str, sites: Iterable[str], *, wait: float = DEFAULT_WAIT
) -> dict[str, dict[str, str]]:
    """`known_columns` for several sites with one open of the file."""
    with open_readonly(path, wait=wait) as conn:
        return known_columns_in(conn, sites)


def known_columns_in(conn: duckdb.DuckDBPyConnection, sites: Iterable[str]) -> dict[str, dict[str, str]]:
    """`known_columns_sites` on an open connection."""
    wanted = list(sites)
    found: dict[str, dict[str, str]] = {site: {} for site in wanted}
    rows = conn.execute(
        "SELECT site, url, name FROM columns WHERE list_contains($sites, site) ORDER BY site, url",
        {"sites": wanted},
    ).fetchall()
    for site, url, name in rows:
        found[site][url] = name
    return found
