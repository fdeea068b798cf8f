"""Issue 9, point 2: a failure is `unreachable`, never `stale`; a site that is down is one line; it recovers.

A small college on loopback has a fresh news column, a stale notices column and a fresh other column. The
real `xxgk crawl` and `xxgk report` run against it while tests break it: single column pages answer 503 or
hang, then the whole site refuses connections for three crawls, then comes back.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from faultsite import HANG, Column, FaultSite, days_ago
from xxgkrun import SiteConf, crashes, crawl_ok, query, report_json, write_config, xxgk

pytestmark = pytest.mark.slow

SITE = "college"
UNREACHABLE_WORDS = ("无法访问", "不可访问", "unreachable")


def _college() -> FaultSite:
    return FaultSite(
        ("127.0.0.5",),
        [
            Column.of_articles("xwdt", "校园新闻动态", [days_ago(d) for d in (1, 5, 12)]),  # news: 14 days
            Column.of_articles(
                "tzgg", "学院通知公告", [days_ago(d) for d in (700, 800, 900)]
            ),  # notices: 183
            Column.of_articles("xyfc", "校园风采", [days_ago(d) for d in (3, 40)]),  # anything else: 365
        ],
        name="断网测试学院信息公开网",
    )


# What the report must say of each column while the site is healthy (the columns' true statuses).
BASELINE = {"xwdt": "fresh", "tzgg": "stale", "xyfc": "fresh"}


@pytest.fixture
def college(tmp_path: Path) -> Iterator[tuple[FaultSite, Path]]:
    with _college() as site:
        config = write_config(tmp_path, [SiteConf(SITE, [site.url("/")])], crawl={"timeout": 1.0})
        yield site, config


def _sections(report: dict[str, Any], site: FaultSite) -> dict[str, dict[str, Any]]:
    """The report's sections for our site's columns, by column slug; each column must appear exactly once."""
    by_url: dict[str, list[dict[str, Any]]] = {}
    for s in report["sections"]:
        if s.get("site") == SITE and s.get("url"):
            by_url.setdefault(s["url"], []).append(s)
    out = {}
    for c in site.columns:
        found = by_url.get(site.url(c.path), [])
        assert len(found) == 1, (
            f"column {c.name} ({site.url(c.path)}) appears {len(found)} times in the report"
        )
        out[c.slug] = found[0]
    return out


def _statuses(config: Path, site: FaultSite) -> dict[str, str]:
    return {slug: s["status"] for slug, s in _sections(report_json(config), site).items()}


def _crawl(config: Path) -> None:
    crawl_ok(xxgk(config, "crawl"))


def test_failing_column_is_unreachable_never_stale(college: tuple[FaultSite, Path]) -> None:
    site, config = college
    _crawl(config)
    assert _statuses(config, site) == BASELINE
    site.fail("/xwdt.htm", 503)
    site.fail("/tzgg.htm", HANG)  # the stale column now times out: it must not stay "stale"
    _crawl(config)
    report = report_json(config)
    sections = _sections(report, site)
    assert {k: s["status"] for k, s in sections.items()} == {
        "xwdt": "unreachable",
        "tzgg": "unreachable",
        "xyfc": "fresh",
    }
    # The judgement stands on what was fetched: the failures are recorded as such, with their reasons.
    db = config.parent / "data" / "xxgk.duckdb"
    last = query(db, "SELECT max(run_id) FROM runs")[0][0]
    outcomes = dict(
        query(
            db,
            "SELECT url, outcome FROM fetches WHERE run_id = ? AND url IN (?, ?)",
            [
                last,
                site.url("/xwdt.htm"),
                site.url("/tzgg.htm"),
            ],
        )
    )
    assert outcomes == {site.url("/xwdt.htm"): "http_error", site.url("/tzgg.htm"): "timeout"}
    site.heal()
    _crawl(config)
    assert _statuses(config, site) == BASELINE


def _site_lines(text: str, site: FaultSite, name: str) -> tuple[list[str], list[str]]:
    """(lines saying the site is unreachable, lines naming one of its columns) of a text report; `name`:
    the site as the report names it."""
    down = [ln for ln in text.splitlines() if any(w in ln.lower() for w in UNREACHABLE_WORDS) and name in ln]
    columns = [ln for ln in text.splitlines() if any(c.name in ln for c in site.columns)]
    return down, columns


def test_site_down_is_one_line_and_recovers_after_three_crawls(college: tuple[FaultSite, Path]) -> None:
    site, config = college
    db = config.parent / "data" / "xxgk.duckdb"
    _crawl(config)
    baseline = _sections(report_json(config), site)
    assert {k: s["status"] for k, s in baseline.items()} == BASELINE

    site.down()
    since: set[str] = set()
    for attempt in range(3):
        proc = xxgk(config, "crawl")
        assert crashes(proc.stderr) == [], proc.stderr
        (status,) = query(db, "SELECT status FROM runs ORDER BY run_id DESC LIMIT 1")[0]
        assert status == "ok", (
            f"down crawl {attempt + 1}: a crawl of an unreachable site is still a complete run"
        )
        sections = _sections(report_json(config), site)
        assert {s["status"] for s in sections.values()} == {"unreachable"}, sections
        assert all(s.get("since") for s in sections.values()), "an unreachable column must say since when"
        since |= {str(s["since"]) for s in sections.values()}
        assert len(since) == 1, f"unreachable since the first failed crawl, not since the latest one: {since}"

    text = xxgk(config, "report", "--format", "text")
    assert text.returncode == 0, text.stderr
    down, columns = _site_lines(text.stdout, site, report_json(config)["site_names"][SITE])
    assert len(down) == 1, f"expected one 'site unreachable' line for {SITE}, got {down}\n{text.stdout}"
    assert columns == [], f"a site that is down is one line, not a line per column: {columns}"

    site.up()
    _crawl(config)
    recovered = _sections(report_json(config), site)
    for slug, before in baseline.items():
        after = recovered[slug]
        for key in ("status", "last_published", "items", "name"):
            assert after.get(key) == before.get(key), (
                f"{slug}.{key}: {before.get(key)!r} -> {after.get(key)!r}"
            )
    text = xxgk(config, "report", "--format", "text")
    down, _columns = _site_lines(text.stdout, site, report_json(config)["site_names"][SITE])
    assert down == [], f"the site is back, yet the report still says it is unreachable: {down}"
