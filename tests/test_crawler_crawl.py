"""Whole crawls as child processes (`python -m crawler --plan`) over tests/crawlsite.py, a non-demo layout.

One crawl, then a recrawl of the unchanged site: every URL ends as exactly one fetch record with the right
outcome, the columns are assembled exactly, and the recrawl is 304s that reproduce the same columns.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from crawlsite import (
    DEPT,
    DEPT_ROWS,
    ELSEWHERE,
    FAILING_ARTICLE,
    MAIN,
    NEWS_NEWEST,
    RULES,
    CrawlSite,
    news_rows,
)

from storage import open_readonly

pytestmark = pytest.mark.slow


@dataclass
class Crawled:
    site: CrawlSite
    db: str
    procs: list[subprocess.CompletedProcess[str]] = field(default_factory=list)
    hits: list[dict[tuple[str, str, str], int]] = field(
        default_factory=list
    )  # the server's hits after each crawl

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        with open_readonly(self.db) as conn:
            return conn.execute(sql, params or []).fetchall()


def write_plan(path: Path, site: CrawlSite, db: Path, **extra: Any) -> Path:
    plan = {
        "db_path": str(db),
        "progress": "log",
        "observed_at": "2024-07-01T08:00:00",
        "sites": [
            {
                "name": "xxgk",
                "kind": "disclosure",
                "start_urls": [site.url(MAIN, "/")],
                "allowed_hosts": [site.netloc(MAIN), site.netloc(DEPT)],
            }
        ],
        **extra,
    }
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return path


def crawl(plan: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler", "--plan", str(plan)], capture_output=True, text=True, timeout=240
    )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    tmp = tmp_path_factory.mktemp("crawl")
    site = CrawlSite().start()
    try:
        result = Crawled(site, str(tmp / "x.duckdb"))
        # every URL every crawl: conditional GET is tested here, the revisit rotation in test_crawler_revisit
        plan = write_plan(tmp / "plan.json", site, Path(result.db), revisit_every=1)
        for _ in range(2):
            result.procs.append(crawl(plan))
            result.hits.append(dict(site.hits))
        yield result
    finally:
        site.stop()


def expected_outcomes(site: CrawlSite, recrawl: bool) -> dict[str, tuple[str, int | None, str, str | None]]:
    """URL → (outcome, status, role, final URL) of every URL a crawl of the site must record."""
    page = "not_modified" if recrawl else "ok"
    code = 304 if recrawl else 200
    m = lambda path: site.url(MAIN, path)  # noqa: E731
    d = lambda path: site.url(DEPT, path)  # noqa: E731
    out: dict[str, tuple[str, int | None, str, str | None]] = {}
    html = ["/", "/col.jsp?id=8", "/col.jsp?id=9"] + [
        f"/col.jsp?id=7{q}" for q in ("", "&page=1", "&page=2", "&page=3")
    ]
    html += [f"/art.jsp?id={i}" for i, _, _ in news_rows() if i != FAILING_ARTICLE]
    html += [f"/art.jsp?id={800 + i}" for i in range(len(RULES))]
    for path in html:
        out[m(path)] = (page, code, "page", None)
    for path in ["/dept/", "/dept/list.asp"] + [f"/dept/view.asp?id={i}" for i in range(len(DEPT_ROWS))]:
        out[d(path)] = (page, code, "page", None)
    out[m("/about")] = (page, code, "page", m("/about/"))
    out[m(f"/art.jsp?id={FAILING_ARTICLE}")] = ("http_error", 500, "page", None)
    out[m("/col.jsp?id=404")] = ("http_error", 404, "page", None)
    out[m("/private/")] = ("robots_denied", None, "page", None)
    out[m("/go/out")] = ("offsite_redirect", 302, "page", site.url(ELSEWHERE, "/"))
    out[m("/files/report.pdf")] = ("ok", 200, "attachment", None)
    return out


@pytest.mark.parametrize("attempt", [0, 1], ids=["first", "recrawl"])
def test_the_crawl_finishes_and_prints_its_run_id(crawled: Crawled, attempt: int) -> None:
    proc = crawled.procs[attempt]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"run_id={attempt + 1}" in proc.stdout.splitlines()
    assert crawled.query("SELECT status FROM runs WHERE run_id = ?", [attempt + 1]) == [("ok",)]


@pytest.mark.parametrize("attempt", [0, 1], ids=["first", "recrawl"])
def test_every_url_has_exactly_one_record_with_its_outcome(crawled: Crawled, attempt: int) -> None:
    rows = crawled.query(
        "SELECT url, outcome, status, role, final_url FROM fetches WHERE run_id = ? ORDER BY url",
        [attempt + 1],
    )
    urls = [r[0] for r in rows]
    assert len(urls) == len(set(urls)), "a URL was recorded twice in one run"
    got = {url: (outcome, status, role, final) for url, outcome, status, role, final in rows}
    assert got == expected_outcomes(crawled.site, recrawl=attempt == 1)


def test_failures_carry_their_reason_in_words(crawled: Crawled) -> None:
    errors = dict(crawled.query("SELECT url, error FROM fetches WHERE run_id = 1 AND error IS NOT NULL"))
    site = crawled.site
    assert errors[site.url(MAIN, "/col.jsp?id=404")] == "HTTP 404"
    assert errors[site.url(MAIN, "/private/")] == "forbidden by robots.txt"
    assert site.url(ELSEWHERE, "/") in errors[site.url(MAIN, "/go/out")]


def test_denied_and_offsite_urls_are_never_requested_and_errors_retried_once(crawled: Crawled) -> None:
    first = crawled.hits[0]
    assert not [k for k in first if k[2].startswith("/private/")]
    assert not [k for k in first if k[0] == ELSEWHERE]
    assert first[(MAIN, "GET", f"/art.jsp?id={FAILING_ARTICLE}")] == 2
    assert first[(MAIN, "HEAD", "/files/report.pdf")] == 1
    assert (MAIN, "GET", "/files/report.pdf") not in first, "an attachment was downloaded"


COLUMNS = [
    # (path on MAIN or DEPT, state, pages, failed pages, items, newest, error)
    ((MAIN, "/col.jsp?id=7"), "ok", 3, 0, len(news_rows()), NEWS_NEWEST, None),
    ((MAIN, "/col.jsp?id=8"), "ok", 1, 0, len(RULES), RULES[0][1], None),
    ((MAIN, "/col.jsp?id=9"), "empty", 1, 0, 0, None, None),
    ((MAIN, "/col.jsp?id=404"), "unreachable", 0, 1, 0, None, "http_error: HTTP 404"),
    ((DEPT, "/dept/list.asp"), "ok", 1, 0, len(DEPT_ROWS), DEPT_ROWS[0][1], None),
]


@pytest.mark.parametrize("run", [1, 2], ids=["first", "recrawl"])
def test_columns_are_assembled_exactly(crawled: Crawled, run: int) -> None:
    rows = crawled.query(
        "SELECT column_url, state, pages, failed_pages, items, newest, error FROM column_snapshots"
        " WHERE run_id = ?",
        [run],
    )
    expected = {(crawled.site.url(*where), *rest) for where, *rest in COLUMNS}
    assert set(rows) == expected


def test_columns_carry_the_names_a_person_sees(crawled: Crawled) -> None:
    names = dict(crawled.query("SELECT column_url, name FROM column_snapshots WHERE run_id = 1"))
    assert names[crawled.site.url(MAIN, "/col.jsp?id=7")] == "通知公告"
    assert names[crawled.site.url(MAIN, "/col.jsp?id=8")] == "规章制度"
    assert names[crawled.site.url(MAIN, "/col.jsp?id=404")] == "招生信息"
    assert names[crawled.site.url(MAIN, "/col.jsp?id=9")] == "财务信息"
    assert names[crawled.site.url(DEPT, "/dept/list.asp")] == "院系动态"


def test_undeclared_gbk_is_decoded_from_the_raw_body(crawled: Crawled) -> None:
    rows = crawled.query(
        "SELECT newest_title FROM column_snapshots WHERE run_id = 1 AND column_url = ?",
        [crawled.site.url(DEPT, "/dept/list.asp")],
    )
    assert rows == [(DEPT_ROWS[0][0],)]


def test_recrawl_reuses_the_stored_parses_and_costs_almost_no_bytes(crawled: Crawled) -> None:
    ((first,),), ((second,),) = (
        crawled.query("SELECT sum(bytes) FROM fetches WHERE run_id = ?", [r]) for r in (1, 2)
    )
    assert second < 0.05 * first
    assert crawled.query("SELECT count(*) FROM page_parses WHERE first_run = 2") == [(0,)], (
        "a 304 page was re-parsed"
    )
    news = crawled.query(
        "SELECT newest FROM column_snapshots WHERE run_id = 2 AND column_url = ?",
        [crawled.site.url(MAIN, "/col.jsp?id=7")],
    )
    assert news == [(NEWS_NEWEST,)]
    assert news_rows()[0][2] == date(2019, 1, 1), "the pinned first row is older than the newest"
