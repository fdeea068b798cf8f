"""crawl_history: everything a crawl reads before it starts, in one open, equal to the separate reads.

A real crawl of a loopback college (twice: a revisit rotation needs a finished run) makes the history.
"""

from __future__ import annotations

import pytest
from faultsite import Column, FaultSite, days_ago
from xxgkrun import SiteConf, crawl_ok, write_config, xxgk

import storage

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    news = Column.of_articles("xwdt", "校园新闻动态", [days_ago(d) for d in (1, 3, 50)])
    notices = Column.of_articles("tzgg", "通知公告", [days_ago(d) for d in range(2, 60, 5)])
    folder = tmp_path_factory.mktemp("history")
    with FaultSite(("127.0.0.14",), [news, notices]) as site:
        config = write_config(folder, [SiteConf("college", [site.url("/")], max_depth=3)])
        site.fail("/info/tzgg/2.htm", 503)  # a failing URL the rotation must always ask again
        crawl_ok(xxgk(config, "crawl"))
        crawl_ok(xxgk(config, "crawl"))
    return str(folder / "data" / "xxgk.duckdb")


def test_one_open_reads_what_the_separate_reads_do(db: str) -> None:
    sites = ["college", "never-crawled"]
    got = storage.crawl_history(db, sites)
    assert got.known == storage.known_columns_sites(db, sites)
    assert got.known["college"] and got.known["never-crawled"] == {}
    assert got.previous == storage.load_previous_sites(db, sites)
    assert got.previous["college"] and got.previous["never-crawled"] == {}
    assert got.revisits == {"college": storage.revisit_history(db, "college")}
    assert got.revisits["college"].finished_runs == 2 and got.revisits["college"].failing


def test_without_conditional_requests_only_the_columns_are_read(db: str) -> None:
    got = storage.crawl_history(db, ["college"], previous=False)
    assert got.known == storage.known_columns_sites(db, ["college"])
    assert got.previous == {"college": {}} and got.revisits == {}
    assert storage.crawl_history(db, ["college"], revisits=False).revisits == {}
