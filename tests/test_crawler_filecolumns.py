"""Issue 13 at crawl level (tests/filesite.py): files the menu links, and how each fails.

The real `xxgk crawl` reads the site twice (the second a recrawl with the first crawl's validators), and
`xxgk report --format json` must hold every column the menu shows exactly as the hand-written truth says:
a file that fails is `unreachable` or `blocked` with its reason — never `undated`, as if it were there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from columntruth import Expected, assert_column
from filesite import AS_OF, COLUMNS, SITE, FileSite
from xxgkrun import SiteConf, crawl_ok, report_json, write_config, xxgk

pytestmark = pytest.mark.slow

DAYS = [AS_OF - timedelta(days=1), AS_OF]


@dataclass
class Crawled:
    site: FileSite
    reports: list[dict[str, Any]]
    config: Path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    folder = tmp_path_factory.mktemp("files")
    site = FileSite().start()
    try:
        config = write_config(folder, [SiteConf("site", [site.url(SITE, "/")])], college="东湖职业技术学院")
        reports = []
        for day in DAYS:
            crawl_ok(xxgk(config, "crawl", "--observed-at", f"{day.isoformat()}T09:00:00+08:00"))
            reports.append(report_json(config, "--as-of", day.isoformat()))
        yield Crawled(site, reports, config)
    finally:
        site.stop()


def _columns(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["url"]: s for s in report["sections"] if s["site"] == "site" and s["status"] != "missing"}


@pytest.mark.parametrize("attempt", [0, 1], ids=["first-crawl", "recrawl"])
@pytest.mark.parametrize("want", [pytest.param(c, id=c.name) for c in COLUMNS])
def test_every_column_is_reported_exactly(crawled: Crawled, attempt: int, want: Expected) -> None:
    columns = _columns(crawled.reports[attempt])
    assert_column(columns, crawled.site.url(want.host, want.path), want, partial=want.partial)


def test_no_other_columns(crawled: Crawled) -> None:
    for report in crawled.reports:
        assert set(_columns(report)) == {crawled.site.url(c.host, c.path) for c in COLUMNS}


def test_a_file_the_server_will_not_head_is_asked_for_by_get(crawled: Crawled) -> None:
    hits = crawled.site.hits
    assert hits[(SITE, "HEAD", "/files/xxzc.pdf")] >= 1 and hits[(SITE, "GET", "/files/xxzc.pdf")] >= 1
