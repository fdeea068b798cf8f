"""Scheduling order: a list page's items go before the next list page, however the page links them.

Why it matters: Scrapy holds every pending request in memory. When items waited behind list pages, a big site
had its whole article list pending at once (14,000 requests on the bench's 10× site); items first keep about
one page of them pending. A list page links its items twice — in its rows and among its links (content) — and
the links come first, so the order must come from the rows whichever way the URL is met.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import scrapy

from bench.sitegen import GeneratedSite, SiteShape
from crawler.extract import parse_page
from crawler.spiders.college import CollegeSpider
from crawler.spiders.frontier import PRIORITY

BASE = "http://127.0.0.2:8000"


def parsed(path: str, site: GeneratedSite):
    page = site.render(0, path)
    assert page is not None
    return parse_page(
        BASE + path,
        page.body,
        content_type=page.content_type,
        header_charset="utf-8",
        link_text=None,
        selectors={},
        today=date(2026, 6, 1),
    )


def test_a_list_pages_items_are_scheduled_before_its_next_page_and_the_nav(tmp_path: Path) -> None:
    site = GeneratedSite(SiteShape(hosts=1, columns=8, list_pages=3, rows=15), as_of=date(2026, 6, 1))
    spider = CollegeSpider(start_url=BASE + "/index.htm", db=str(tmp_path / "x.duckdb"), site="s")
    col = site.columns[0][0]
    page = parsed(site.list_path(col, 1), site)
    rows = {row.url for row in page.rows}
    assert rows and rows <= {link.url for link in page.links}  # the items are among its links too

    requests = [r for r in spider.frontier.follow("s", page, 1, page.url) if isinstance(r, scrapy.Request)]
    by_url = {r.url: r for r in requests}
    assert rows <= set(by_url)
    assert {by_url[u].priority for u in rows} == {PRIORITY["row"]}
    pager = [by_url[u] for u in page.pager]
    nav = [r for r in requests if r.meta["xxgk_via"] == "nav"]
    assert pager and nav
    assert PRIORITY["row"] > max(r.priority for r in pager) > max(r.priority for r in nav)
    # each URL is still recorded as the page linked it first (the record does not change, only the order)
    assert {by_url[u].meta["xxgk_via"] for u in rows} == {"content"}
