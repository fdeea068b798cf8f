"""Build real DuckDB files for the judgement's tests through storage's public write API.

`crawl(path, at, {site: [column(...), ...]}, down=[...], titles={site: "<title>"})` records one finished
run as the crawler would: `start_run`, a `RunWriter` with one fetch per start page and column page (a start
page named in `titles` with a body and its parse, whose <title> that is), `finish_run` with the observed
columns. A site in `down` answers nothing in that run. `column(...)` builds a `ColumnObservation` whose rows
have stable URLs (one per title), so an item keeps its URL from crawl to crawl.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

import storage
from storage.records import ColumnObservation, FetchRecord, PageParse, Row


def column(
    site: str,
    slug: str,
    name: str,
    state: str = "ok",
    items: Sequence[tuple[str, date | None]] = (),
    error: str | None = None,
) -> ColumnObservation:
    """A column at http://{site}.test/{slug}.htm with rows (title, date shown or None)."""
    rows = [
        Row(title=title, url=f"http://{site}.test/info/{slug}/{zlib.crc32(title.encode())}.htm", date=day)
        for title, day in items
    ]
    return ColumnObservation(
        site=site,
        url=f"http://{site}.test/{slug}.htm",
        name=name,
        state=state,
        rows=rows,
        pages=1,
        failed_pages=1 if state == "unreachable" else 0,
        error=error,
    )


def crawl(
    path: str,
    at: datetime,
    sites: Mapping[str, Iterable[ColumnObservation]],
    down: Iterable[str] = (),
    titles: Mapping[str, str] | None = None,
) -> int:
    """Record one finished crawl observed at `at`; returns its run id."""
    observed = {site: list(cols) for site, cols in sites.items()}
    down = list(down)
    run = storage.start_run(path, [*observed, *down], observed_at=at)
    writer = storage.RunWriter(path, run)
    for site, cols in observed.items():
        home = f"http://{site}.test/"
        title = (titles or {}).get(site)
        digest = hashlib.sha256(title.encode()).hexdigest() if title is not None else None
        writer.add_fetch(
            FetchRecord(site=site, url=home, requested_at=at, outcome="ok", status=200, content_hash=digest)
        )
        if title is not None and digest is not None:
            body = f"<html><head><title>{title}</title></head><body></body></html>".encode()
            writer.add_page(PageParse(url=home, content_hash=digest, kind="other", title=title), body)
        for c in cols:
            ok = c.state != "unreachable"
            writer.add_fetch(
                FetchRecord(
                    site=site,
                    url=c.url,
                    requested_at=at,
                    outcome="ok" if ok else "http_error",
                    status=200 if ok else 503,
                    error=None if ok else "HTTP 503",
                    depth=1,
                )
            )
    for site in down:
        writer.add_fetch(
            FetchRecord(
                site=site,
                url=f"http://{site}.test/",
                requested_at=at,
                outcome="network_error",
                error="Connection refused",
            )
        )
    writer.flush()
    storage.finish_run(path, run, [c for cols in observed.values() for c in cols])
    return run


CONFIG_HEAD = """
[college]
name = "示例职业学院"

[storage]
path = "{db}"

[catalog]
programs = ["vocational"]
"""

SITE = """
[[sites]]
name = "{name}"
kind = "{kind}"
start_urls = ["http://{name}.test/"]
department = "{department}"
"""


def config_text(db: str, sites: Sequence[tuple[str, str, str]], extra: str = "") -> str:
    """A config.toml for sites given as (name, kind, department)."""
    text = CONFIG_HEAD.format(db=db) + extra
    for name, kind, department in sites:
        text += SITE.format(name=name, kind=kind, department=department)
    return text
