"""A page budget or a depth limit is not a deletion (issue 14 point 1).

The site (tests/crawlsite.py) is crawled whole once, then again, unchanged, with a limit too small to reach
every page: the requests the limit dropped are recorded (outcome `budget` / `depth`), the column whose later
pager pages were dropped vanishes none of its items, the known columns the crawl never reached are
`unchecked` (本次未检查) with the limit as the reason instead of gone, no 清单 item turns `missing`, and the
run, the crawl summary table and the report's site line say which limit cut the crawl short.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from crawlsite import DEPT, MAIN, CrawlSite, news_rows
from xxgkrun import SiteConf, crawl_ok, query, report_json, write_config, xxgk

pytestmark = pytest.mark.slow

FIRST, SECOND = "2024-07-01T08:00:00", "2024-07-02T08:00:00"
AS_OF = "2024-07-02"


@dataclass
class Limited:
    site: CrawlSite
    db: Path
    config: Path
    procs: list[subprocess.CompletedProcess[str]]
    reports: list[dict[str, Any]]  # the report after the full crawl, after the limited one


def _crawl_twice(folder: Path, **limit: int | None) -> Iterator[Limited]:
    site = CrawlSite().start()
    try:

        def conf(max_pages: int | None = None, max_depth: int | None = None) -> Path:
            hosts = [site.netloc(MAIN), site.netloc(DEPT)]
            s = SiteConf(
                "xxgk", [site.url(MAIN, "/")], allowed_hosts=hosts, max_pages=max_pages, max_depth=max_depth
            )
            return write_config(folder, [s])

        config = conf()
        procs = [xxgk(config, "crawl", "--observed-at", FIRST)]
        reports = [report_json(config, "--as-of", "2024-07-01")]
        config = conf(**limit)
        procs.append(xxgk(config, "crawl", "--observed-at", SECOND))
        reports.append(report_json(config, "--as-of", AS_OF))
        yield Limited(site, folder / "data" / "xxgk.duckdb", config, procs, reports)
    finally:
        site.stop()


@pytest.fixture(scope="module")
def budget(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Limited]:
    yield from _crawl_twice(tmp_path_factory.mktemp("budget"), max_pages=4)


@pytest.fixture(scope="module")
def depth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Limited]:
    yield from _crawl_twice(tmp_path_factory.mktemp("depth"), max_depth=0)


def _columns(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["url"]: s for s in report["sections"] if s["status"] != "missing"}


def _missing(report: dict[str, Any]) -> set[str]:
    return {s["item_id"] for s in report["sections"] if s["status"] == "missing"}


def test_the_limited_crawl_is_an_ok_run_that_names_its_limit(budget: Limited) -> None:
    for proc in budget.procs:
        crawl_ok(proc)
    status, message = query(budget.db, "SELECT status, message FROM runs WHERE run_id = 2")[0]
    assert status == "ok"
    assert message and "max_pages" in message, message
    ((full_message,),) = query(budget.db, "SELECT message FROM runs WHERE run_id = 1")
    assert not full_message or "max_pages" not in full_message


def test_requests_dropped_for_the_budget_are_recorded(budget: Limited) -> None:
    dropped = {
        u for (u,) in query(budget.db, "SELECT url FROM fetches WHERE run_id = 2 AND outcome = 'budget'")
    }
    site = budget.site
    # the pager pages of 通知公告 and the columns after the first three links of the menu
    assert site.url(MAIN, "/col.jsp?id=7&page=2") in dropped
    assert site.url(DEPT, "/dept/list.asp") in dropped
    requested = [p for (h, m, p), n in site.hits.items() if h == MAIN and p == "/col.jsp?id=7&page=2"]
    assert requested, "the first crawl requested page 2"
    # never counted as pages fetched, nor as errors
    pages, errors = query(budget.db, "SELECT pages, errors FROM runs WHERE run_id = 2")[0]
    assert pages <= 4
    assert errors == 0


def test_the_summary_table_counts_the_dropped_requests(budget: Limited) -> None:
    log = budget.procs[1].stderr
    header = next(line for line in log.splitlines() if line.startswith("site ") and "pages" in line)
    assert "limited" in header, header
    ((dropped,),) = query(budget.db, "SELECT count(*) FROM fetches WHERE run_id = 2 AND outcome = 'budget'")
    row = next(line for line in log.splitlines() if line.startswith("xxgk "))
    assert str(dropped) in row.split(), (row, dropped)


def test_no_item_vanishes_from_a_column_whose_pages_were_not_all_fetched(budget: Limited) -> None:
    vanished = query(budget.db, "SELECT url FROM items WHERE vanished_run IS NOT NULL")
    assert vanished == []
    news = budget.site.url(MAIN, "/col.jsp?id=7")
    ((skipped,),) = query(
        budget.db, "SELECT skipped_pages FROM column_snapshots WHERE run_id = 2 AND column_url = ?", [news]
    )
    assert skipped >= 2
    kinds = {f["kind"] for f in budget.reports[1]["findings"]}
    assert "deleted" not in kinds


def test_no_column_drops_out_and_unreached_ones_are_unchecked(budget: Limited) -> None:
    before, after = (_columns(r) for r in budget.reports)
    assert set(after) == set(before), "a column dropped out of the report"
    assert budget.reports[1]["gone"] == []
    site = budget.site
    for url in (site.url(DEPT, "/dept/list.asp"), site.url(MAIN, "/col.jsp?id=404")):
        section = after[url]
        assert section["status"] == "unchecked", section
        assert "max_pages" in (section["error"] or ""), section
    assert budget.reports[1]["counts"]["unchecked"] == 2
    # the column reached keeps its verdict, judged from what was read
    news = after[site.url(MAIN, "/col.jsp?id=7")]
    assert news["status"] == before[site.url(MAIN, "/col.jsp?id=7")]["status"]
    assert news["items"] == len(news_rows())


def test_no_list_item_turns_missing(budget: Limited) -> None:
    assert _missing(budget.reports[1]) == _missing(budget.reports[0])


def test_the_report_says_the_crawl_was_cut_short_and_by_what(budget: Limited) -> None:
    (line,) = budget.reports[1]["sites"]
    assert line["limits"] and "max_pages" in line["limits"], line
    (first,) = budget.reports[0]["sites"]
    assert not first["limits"]
    text = xxgk(budget.config, "report", "--as-of", AS_OF)
    assert text.returncode == 0, text.stderr
    name = budget.reports[1]["site_names"]["xxgk"]  # people read the site's name, not its config id
    site_line = next(x for x in text.stdout.splitlines() if x.startswith(f"  {name}"))
    assert "页数上限" in site_line, site_line
    assert "本次未检查" in text.stdout


def test_a_depth_limit_is_no_deletion_either(depth: Limited) -> None:
    for proc in depth.procs:
        crawl_ok(proc)
    ((message,),) = query(depth.db, "SELECT message FROM runs WHERE run_id = 2")
    assert message and "max_depth" in message, message
    assert query(depth.db, "SELECT url FROM items WHERE vanished_run IS NOT NULL") == []
    before, after = (_columns(r) for r in depth.reports)
    assert set(after) == set(before)
    assert {s["status"] for s in after.values()} == {"unchecked"}
    assert _missing(depth.reports[1]) == _missing(depth.reports[0])
    (line,) = depth.reports[1]["sites"]
    assert "max_depth" in (line["limits"] or "")
    dropped = query(depth.db, "SELECT count(*) FROM fetches WHERE run_id = 2 AND outcome = 'depth'")
    assert dropped[0][0] > 0
