"""Issue 13 on layouts no other test site has: PHPCMS v9, DedeCMS and EmpireCMS (tests/phpcmssite.py);
动易 SiteFactory, 动易 2006 (GBK tables) and a Vue front end (tests/dongyisite.py).

The real `xxgk crawl` reads each college's three sites twice (the second a weekly recrawl with the first
crawl's validators), and `xxgk report --format json` must hold every column the navigation shows with its
name, status, item count and newest date exactly as the hand-written truth says — nothing missing, nothing
more, nothing unreadable called `empty`, a category page of boxes no column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import dongyisite
import phpcmssite
import pytest
from columntruth import Expected, assert_column
from loopback import LoopbackHosts
from xxgkrun import SiteConf, crawl_ok, report_json, write_config, xxgk

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class College:
    """One test college: its server, its three sites (config id, host, kind, department) and its truth."""

    key: str
    start: Callable[[], LoopbackHosts]  # starts the college's server
    sites: tuple[tuple[str, str, str, str], ...]
    name: str
    as_of: date
    columns: list[Expected]
    not_columns: list[tuple[str, str]]  # (host, path) of the disclosure site that are no column


COLLEGES = (
    College(
        "phpcms",
        lambda: phpcmssite.PhpcmsSite().start(),
        (
            ("xxgk", phpcmssite.PHP, "disclosure", ""),
            ("jwc", phpcmssite.DEDE, "department", "教务处"),
            ("portal", phpcmssite.EMPIRE, "portal", ""),
        ),
        phpcmssite.COLLEGE,
        phpcmssite.AS_OF,
        phpcmssite.COLUMNS,
        phpcmssite.NOT_COLUMNS,
    ),
    College(
        "dongyi",
        lambda: dongyisite.DongyiSite().start(),
        (
            ("xxgk", dongyisite.SF, "disclosure", ""),
            ("lib", dongyisite.OLD, "department", "图书馆"),
            ("portal", dongyisite.VUE, "portal", ""),
        ),
        dongyisite.COLLEGE,
        dongyisite.AS_OF,
        dongyisite.COLUMNS,
        dongyisite.NOT_COLUMNS,
    ),
)
BY_KEY = {c.key: c for c in COLLEGES}


@dataclass
class Crawled:
    site: LoopbackHosts
    reports: list[dict[str, Any]]
    config: Path


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Crawled]]:
    """Each college crawled twice through the real CLI, once per module, on first use."""
    done: dict[str, Crawled] = {}
    with ExitStack() as stack:

        def crawl(key: str) -> Crawled:
            if key not in done:
                college = BY_KEY[key]
                folder = tmp_path_factory.mktemp(key)
                site = college.start()
                stack.callback(site.stop)
                sites = [
                    SiteConf(sid, [site.url(host, "/")], kind=kind, department=department)
                    for sid, host, kind, department in college.sites
                ]
                config = write_config(folder, sites, college=college.name)
                observed = f"{college.as_of.isoformat()}T10:00:00+08:00"
                reports = []
                for _ in range(2):
                    crawl_ok(xxgk(config, "crawl", "--observed-at", observed))
                    reports.append(report_json(config, "--as-of", college.as_of.isoformat()))
                done[key] = Crawled(site, reports, config)
            return done[key]

        yield crawl


def _columns(report: dict[str, Any], site: str) -> dict[str, dict[str, Any]]:
    return {s["url"]: s for s in report["sections"] if s["site"] == site and s["status"] != "missing"}


CASES = [(c.key, want) for c in COLLEGES for want in c.columns]


@pytest.mark.parametrize("attempt", [0, 1], ids=["first-crawl", "recrawl"])
@pytest.mark.parametrize(("key", "want"), CASES, ids=[f"{k}-{w.site}-{w.name}" for k, w in CASES])
def test_every_column_is_reported_exactly(
    crawls: Callable[[str], Crawled], key: str, attempt: int, want: Expected
) -> None:
    crawled = crawls(key)
    columns = _columns(crawled.reports[attempt], want.site)
    url = crawled.site.url(want.host, want.path)
    assert_column(columns, url, want, partial=want.partial)


@pytest.mark.parametrize("attempt", [0, 1], ids=["first-crawl", "recrawl"])
@pytest.mark.parametrize("key", list(BY_KEY))
def test_no_other_columns(crawls: Callable[[str], Crawled], key: str, attempt: int) -> None:
    college, crawled = BY_KEY[key], crawls(key)
    report = crawled.reports[attempt]
    for site, host, _, _ in college.sites:
        got = set(_columns(report, site))
        assert got == {crawled.site.url(host, c.path) for c in college.columns if c.site == site}
    for host, path in college.not_columns:
        assert crawled.site.url(host, path) not in _columns(report, "xxgk")
