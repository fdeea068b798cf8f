"""The benchmark's generated college and its server: pages link up, validators give 304, bytes are counted."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from datetime import date

import pytest

from bench.site import SiteServer
from bench.sitegen import GeneratedSite, SiteShape

TINY = SiteShape(hosts=2, columns=2, list_pages=2, rows=3, attachment_every=2)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


@pytest.fixture
def served():
    site = GeneratedSite(TINY, as_of=date(2026, 6, 1))
    with SiteServer(site) as server:
        yield site, server


def test_every_page_is_reachable_by_links_from_the_home_page(served) -> None:
    site, server = served
    base = server.base_url(0)
    todo, seen = ["/index.htm"], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        status, body, _ = fetch(base + path)
        assert status == 200, path
        todo += [p for p in re.findall(r'href="(/[^"#]*\.htm)"', body.decode()) if p not in seen]
    assert seen == set(site.html_paths(0))


def test_conditional_requests_get_304_until_the_page_changes(served) -> None:
    site, server = served
    url = server.list_urls()[0]
    status, _, headers = fetch(url)
    assert status == 200
    assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    site.versions[(0, "/list/c0.htm")] = 1  # an edit
    server.advance(3600)
    status, _, new = fetch(url, {"If-None-Match": headers["ETag"]})
    assert status == 200 and new["ETag"] != headers["ETag"]
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 200


def test_server_counts_pages_and_bytes_and_resets(served) -> None:
    _, server = served
    url = server.sites["disclosure0"]
    _, body, headers = fetch(url)
    fetch(url, {"If-None-Match": headers["ETag"]})
    fetch(server.base_url(0) + "/nowhere.htm")
    stats = server.reset_stats()
    assert (
        stats.requests["html_200"] == 1
        and stats.requests["html_304"] == 1
        and stats.requests["not_found"] == 1
    )
    assert stats.pages == 2
    assert stats.bytes_sent > len(body)
    assert server.stats.pages == 0


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.01, 1), (0.5, None)],  # at least one page, else that share of them
)
def test_edit_changes_the_requested_share_of_pages(fraction: float, expected: int | None) -> None:
    site = GeneratedSite(TINY, as_of=date(2026, 6, 1))
    total = site.page_count()
    before = {(h, p): site.render(h, p).body for h in range(TINY.hosts) for p in site.html_paths(h)}  # type: ignore[union-attr]
    n = site.edit(fraction)
    changed = [k for k, body in before.items() if site.render(*k).body != body]  # type: ignore[union-attr]
    assert n == len(changed) == (expected if expected is not None else round(fraction * total))


def test_active_columns_grow_as_days_pass_and_the_scale_multiplies_columns() -> None:
    site = GeneratedSite(TINY, as_of=date(2026, 6, 1))
    day0 = site.page_count()
    site.set_day(70)
    assert site.page_count() > day0
    big = GeneratedSite(
        SiteShape(**{**{f: getattr(TINY, f) for f in TINY.__dataclass_fields__}, "scale": 10})
    )
    assert len(big.list_pages()) == 10 * len(GeneratedSite(TINY).list_pages())
