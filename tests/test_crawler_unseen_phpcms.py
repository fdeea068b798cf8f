"""Issue 13 on layouts no other test site has: PHPCMS v9, DedeCMS and EmpireCMS (tests/phpcmssite.py).

The real `xxgk crawl` reads the three sites twice (the second a weekly recrawl with the first crawl's
validators), and `xxgk report --format json` must hold every column the navigation shows with its name,
status, item count and newest date exactly as the hand-written truth says — nothing missing, nothing more,
nothing unreadable called `empty`, the category page of boxes no column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from phpcmssite import AS_OF, COLLEGE, COLUMNS, DEDE, EMPIRE, NOT_COLUMNS, PHP, Expected, PhpcmsSite
from xxgkrun import SiteConf, crawl_ok, report_json, write_config, xxgk

pytestmark = pytest.mark.slow

OBSERVED = f"{AS_OF.isoformat()}T10:00:00+08:00"
SITES = (("xxgk", PHP), ("jwc", DEDE), ("portal", EMPIRE))


@dataclass
class Crawled:
    site: PhpcmsSite
    reports: list[dict[str, Any]]
    config: Path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    folder = tmp_path_factory.mktemp("unseen")
    site = PhpcmsSite().start()
    try:
        sites = [
            SiteConf("xxgk", [site.url(PHP, "/")]),
            SiteConf("jwc", [site.url(DEDE, "/")], kind="department", department="教务处"),
            SiteConf("portal", [site.url(EMPIRE, "/")], kind="portal"),
        ]
        config = write_config(folder, sites, college=COLLEGE)
        reports = []
        for _ in range(2):
            crawl_ok(xxgk(config, "crawl", "--observed-at", OBSERVED))
            reports.append(report_json(config, "--as-of", AS_OF.isoformat()))
        yield Crawled(site, reports, config)
    finally:
        site.stop()


def _columns(report: dict[str, Any], site: str) -> dict[str, dict[str, Any]]:
    return {s["url"]: s for s in report["sections"] if s["site"] == site and s["status"] != "missing"}


@pytest.mark.parametrize("attempt", [0, 1], ids=["first-crawl", "recrawl"])
@pytest.mark.parametrize("want", COLUMNS, ids=[f"{c.site}-{c.name}" for c in COLUMNS])
def test_every_column_is_reported_exactly(crawled: Crawled, attempt: int, want: Expected) -> None:
    columns = _columns(crawled.reports[attempt], want.site)
    url = crawled.site.url(want.host, want.path)
    assert url in columns, f"{want.name} ({url}) is missing; reported: {sorted(columns)}"
    got = columns[url]
    newest = want.newest.isoformat() if want.newest else None
    assert (got["name"], got["status"], got["items"], got["last_published"]) == (
        want.name,
        want.status,
        want.items,
        newest,
    ), got
    assert got.get("partial", False) is want.partial, got
    if want.error:
        assert want.error in (got["error"] or ""), got


@pytest.mark.parametrize("attempt", [0, 1], ids=["first-crawl", "recrawl"])
def test_no_other_columns(crawled: Crawled, attempt: int) -> None:
    report = crawled.reports[attempt]
    for site, host in SITES:
        got = set(_columns(report, site))
        assert got == {crawled.site.url(host, c.path) for c in COLUMNS if c.site == site}
    for host, path in NOT_COLUMNS:
        assert crawled.site.url(host, path) not in _columns(report, "xxgk")
