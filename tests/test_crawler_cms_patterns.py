"""Issue 13, §1 and §3 at crawl level: every column the navigation shows is reported, with the right status.

The real `xxgk crawl` crawls tests/cmssite.py (client-side redirects on the start pages, single-page
columns, soft 404s, a column group, an ASP.NET postback pager, lists filled from JSON, script pagers)
twice — the second time as a weekly recrawl with the first crawl's validators — and
`xxgk report --format json` must then hold each column with its exact status, item count, newest date
and partial flag. Nothing may be missing, nothing unreadable may be `empty`, and the column group's own
page is no column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cmssite import AS_OF, COLUMNS, JXKY, NOT_COLUMNS, PORTAL, PORTAL_COLUMNS, XXGK, CmsSite, Expected
from columntruth import assert_column
from xxgkrun import SiteConf, crawl_ok, query, report_json, write_config, xxgk

pytestmark = pytest.mark.slow

OBSERVED = f"{AS_OF.isoformat()}T10:00:00+08:00"


@dataclass
class Crawled:
    site: CmsSite
    reports: list[dict[str, Any]]
    db: Path
    config: Path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    folder = tmp_path_factory.mktemp("cms")
    site = CmsSite().start()
    try:
        sites = [
            SiteConf("xxgk", [site.url(XXGK, "/")]),
            SiteConf("portal", [site.url(PORTAL, "/")], kind="portal"),
        ]
        config = write_config(folder, sites, college="示范学院")
        reports = []
        for _ in range(2):
            crawl_ok(xxgk(config, "crawl", "--observed-at", OBSERVED))
            reports.append(report_json(config, "--as-of", AS_OF.isoformat()))
        yield Crawled(site, reports, folder / "data" / "xxgk.duckdb", config)
    finally:
        site.stop()


def _columns(report: dict[str, Any], site: str) -> dict[str, dict[str, Any]]:
    return {s["url"]: s for s in report["sections"] if s["site"] == site and s["status"] != "missing"}


PENDING: set[str] = set()  # columns whose pattern is not read yet (none)
CASES = [
    pytest.param(
        site,
        host,
        c,
        id=c.name,
        marks=[pytest.mark.xfail(strict=True, reason="pager not read yet")] if c.name in PENDING else [],
    )
    for site, host, wanted in (("xxgk", XXGK, COLUMNS), ("portal", PORTAL, PORTAL_COLUMNS))
    for c in wanted
]


@pytest.mark.parametrize("attempt", [0, 1], ids=["first-crawl", "recrawl"])
@pytest.mark.parametrize(("site", "host", "want"), CASES)
def test_every_column_is_reported_exactly(
    crawled: Crawled, attempt: int, site: str, host: str, want: Expected
) -> None:
    columns = _columns(crawled.reports[attempt], site)
    url = crawled.site.url(host, want.path)
    assert_column(columns, url, want, partial=want.partial)


@pytest.mark.parametrize("attempt", [0, 1], ids=["first-crawl", "recrawl"])
def test_no_other_columns(crawled: Crawled, attempt: int) -> None:
    """The column group's page is no column, and nothing beyond the navigation's columns is reported."""
    report = crawled.reports[attempt]
    for site, host, wanted in (("xxgk", XXGK, COLUMNS), ("portal", PORTAL, PORTAL_COLUMNS)):
        got = set(_columns(report, site))
        assert got == {crawled.site.url(host, c.path) for c in wanted}
    for path in NOT_COLUMNS:
        assert crawled.site.url(XXGK, path) not in _columns(report, "xxgk")


def test_client_redirects_of_start_pages_are_followed_like_http_redirects(crawled: Crawled) -> None:
    """The meta-refresh and window.location targets are the sites' start pages (depth 0), in both crawls:
    a meta refresh is followed in the request itself (crawler/middlewares/redirects.py), a script's
    location by a start request of its own."""
    rows = query(crawled.db, "SELECT run_id, url, depth, final_url FROM fetches WHERE depth = 0")
    refresh, script = crawled.site.url(XXGK, "/"), crawled.site.url(PORTAL, "/")
    refreshed, moved = crawled.site.url(XXGK, "/xxgk/index.htm"), crawled.site.url(PORTAL, "/main/index.htm")
    want = [(run, refresh, 0, refreshed) for run in (1, 2)]
    want += [(run, script, 0, moved) for run in (1, 2)] + [(run, moved, 0, None) for run in (1, 2)]
    assert sorted(rows) == sorted(want)


def test_postbacks_carry_the_form_state(crawled: Crawled) -> None:
    """Every page of the GridView was asked for by a POST with its page's __VIEWSTATE, __EVENTVALIDATION."""
    assert crawled.site.bad_posts == []
    posts = [k for k in crawled.site.hits if k[1] == "POST"]
    assert len(posts) == 1 and crawled.site.hits[posts[0]] >= 2  # pages 2 and 3, each crawl


def test_partial_count_is_said_in_the_text_report(crawled: Crawled) -> None:
    """The text report marks the 合作交流 count as partial (10+) and says why; other counts are plain."""
    proc = xxgk(crawled.config, "report", "--as-of", AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr
    lines = {
        line.split()[1]: line
        for line in proc.stdout.splitlines()
        if line.startswith("    ") and line.split()[1:]
    }
    assert " 10+ " in lines["合作交流"] and "仅统计已读到的部分页面" in lines["合作交流"]
    assert f" {len(JXKY)} " in lines["教学科研"] and "+" not in lines["教学科研"].split("教学科研", 1)[1][:40]
