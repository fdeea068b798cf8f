"""Issue 13 at crawl level: columns the menu does not reach are reported too, with a status that says why.

The real `xxgk crawl` crawls tests/coversite.py twice; the second time the department site's page budget is
small. `xxgk report --format json` must then hold: an undated single page as `undated` (never stale, never
fresh, never left out); the columns reached only through a box's MORE+ link or a directory page, the failing
ones `unreachable` with their reasons; and the ASP.NET list whose postback pages the budget dropped as a
column cut short by a limit (its dropped pages recorded `budget`, none of its items vanished).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from columntruth import assert_column
from coversite import AS_OF, COLUMNS, DEPT, DEPT_COLUMNS, GRID, NOTICES, XXGK, CoverSite, Expected
from xxgkrun import SiteConf, crawl_ok, query, report_json, write_config, xxgk

pytestmark = pytest.mark.slow

DAYS = [AS_OF - timedelta(days=1), AS_OF]


@dataclass
class Crawled:
    site: CoverSite
    reports: list[dict[str, Any]]
    db: Path
    config: Path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    folder = tmp_path_factory.mktemp("cover")
    site = CoverSite().start()
    try:
        reports = []
        for day, budget in zip(DAYS, (None, 4), strict=True):
            sites = [
                SiteConf("xxgk", [site.url(XXGK, "/")]),
                SiteConf("jwc", [site.url(DEPT, "/")], kind="department", max_pages=budget),
            ]
            config = write_config(folder, sites, college="某某职业技术学院")
            crawl_ok(xxgk(config, "crawl", "--observed-at", f"{day.isoformat()}T09:00:00+08:00"))
            reports.append(report_json(config, "--as-of", day.isoformat()))
        yield Crawled(site, reports, folder / "data" / "xxgk.duckdb", config)
    finally:
        site.stop()


def _columns(report: dict[str, Any], site: str) -> dict[str, dict[str, Any]]:
    return {s["url"]: s for s in report["sections"] if s["site"] == site and s["status"] != "missing"}


@pytest.mark.parametrize("attempt", [0, 1], ids=["first-crawl", "recrawl"])
@pytest.mark.parametrize(
    ("site", "host", "want"),
    [pytest.param("xxgk", XXGK, c, id=c.name) for c in COLUMNS]
    + [pytest.param("jwc", DEPT, c, id=f"jwc-{c.name}") for c in DEPT_COLUMNS],
)
def test_every_column_is_reported_with_its_status(
    crawled: Crawled, attempt: int, site: str, host: str, want: Expected
) -> None:
    columns = _columns(crawled.reports[attempt], site)
    url = crawled.site.url(host, want.path)
    assert_column(columns, url, want)


def test_nothing_else_is_a_column(crawled: Crawled) -> None:
    """The home page and the directory page are no columns; no article is taken for one."""
    for report in crawled.reports:
        assert set(_columns(report, "xxgk")) == {crawled.site.url(XXGK, c.path) for c in COLUMNS}


def test_an_undated_page_is_said_to_show_no_date(crawled: Crawled) -> None:
    """`undated` is a status of its own: no age, no limit, a reason in words, counted, and labelled in the
    text report (未标注日期), never stale and never fresh."""
    report = crawled.reports[1]
    about = _columns(report, "xxgk")[crawled.site.url(XXGK, "/xxgk/xxgk.shtml")]
    assert about["age_days"] is None and about["undated"] == 1, about
    assert "未标注发布日期" in about["reason"], about
    assert report["counts"]["undated"] == 1
    proc = xxgk(crawled.config, "report", "--as-of", AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if "学校概况" in x)
    assert "未标注日期" in line, line


def test_postback_pages_the_budget_dropped_are_recorded_and_vanish_nothing(crawled: Crawled) -> None:
    """The recrawl's budget ran out inside the GridView's pager: the pages not posted for are `budget`
    fetches, the column counts them as skipped, no item of theirs vanished, nothing is reported deleted."""
    list_url = crawled.site.url(DEPT, "/List.aspx?cid=3")
    dropped = {
        u
        for (u,) in query(
            crawled.db,
            "SELECT url FROM fetches WHERE run_id = 2 AND outcome = 'budget' AND url LIKE '%#postback=%'",
        )
    }
    posted = {n for (_, method, _), n in crawled.site.hits.items() if method == "POST"}
    assert dropped, "no postback page was recorded as dropped by the budget"
    assert all(u.startswith(f"{list_url}#postback={GRID}:") for u in dropped), dropped
    ((skipped,),) = query(
        crawled.db,
        "SELECT skipped_pages FROM column_snapshots WHERE run_id = 2 AND column_url = ?",
        [list_url],
    )
    assert skipped == len(dropped) and skipped >= 1, (skipped, dropped, posted)
    vanished = query(crawled.db, "SELECT url FROM items WHERE vanished_run IS NOT NULL")
    assert vanished == []
    column = _columns(crawled.reports[1], "jwc")[list_url]
    assert column["items"] == len(NOTICES), column
    assert not [f for f in crawled.reports[1]["findings"] if f["kind"] == "deleted"]
    (line,) = [s for s in crawled.reports[1]["sites"] if s["site"] == "jwc"]
    assert "max_pages" in (line["limits"] or ""), line
