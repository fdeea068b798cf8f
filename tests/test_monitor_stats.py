"""`xxgk stats` over a year of fortnightly crawls: counts per site and column, the 清单 table, departments."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from judgedb import column, config_text, crawl

from monitor.configure import load_config
from monitor.stats import Stats, academic_year, compute, render
from monitor.stats.render import column_names
from storage import open_readonly

ROOT = Path(__file__).resolve().parents[1]
START, END = date(2025, 9, 1), date(2026, 8, 31)
FIRST = date(2025, 8, 25)
CRAWLS = [FIRST + timedelta(days=28 * k) for k in range(15)]  # 2025-08-25 .. 2026-09-07, every four weeks
HOSTILE = "<img src=x onerror=alert(1)>新闻"

# (site, slug, name, [(title, date shown, listed from)]): an item is listed by every crawl on or after
# `listed from` (default: its date) — except the deleted one, listed only until DELETED_AT.
NEWS = [
    (f"新闻{n}", date(2025, 6, 1) + timedelta(days=3 * n)) for n in range(155)
]  # 2025-06-01 .. 2026-09-03
CHARTER = [
    ("2025年招生章程", date(2025, 5, 20)),
    ("2026年招生章程", date(2026, 5, 18)),
    ("补充说明", date(2025, 11, 3)),
]
BACKDATED = ("补录的计划", date(2025, 10, 9), date(2026, 1, 12))  # dated in October, listed from January
REPORT = [("2023-2024学年报告", date(2024, 10, 30))]
DELETED = ("撤回的新闻", date(2025, 12, 1))
DELETED_AT = date(2026, 2, 1)


def listed(day: date) -> dict:
    news = [(t, d) for t, d in NEWS if d <= day]
    if DELETED[1] <= day < DELETED_AT:
        news.append(DELETED)
    charter = [(t, d) for t, d in CHARTER if d <= day]
    if BACKDATED[2] <= day:
        charter.append(BACKDATED[:2])
    return {
        "disclosure": [
            column("disclosure", "zszc", "招生章程", items=charter),
            column("disclosure", "ndbg", "信息公开年度报告", items=REPORT),
        ],
        "portal": [column("portal", "xwdt", HOSTILE, items=news)],
    }


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stats")
    for day in CRAWLS:
        at = datetime.combine(day, time(18, 0), UTC)  # 02:00 next day in Beijing
        crawl(str(folder / "y.duckdb"), at, listed(day))
    sites = [("disclosure", "disclosure", "党政办"), ("portal", "portal", "宣传部")]
    (folder / "config.toml").write_text(config_text("y.duckdb", sites), encoding="utf-8")
    return folder


def in_period(days: list[date]) -> int:
    return sum(START <= d <= END for d in days)


def first_listed(shown: date) -> date:
    """The Beijing day of the first crawl listing an item dated `shown` (crawls run at 02:00 the next day)."""
    return next(c for c in CRAWLS if c >= shown) + timedelta(days=1)


def stats_of(folder: Path, today: date = date(2026, 11, 26), start: date = START, end: date = END) -> Stats:
    config = load_config(folder / "config.toml")
    with open_readonly(str(config.db_path)) as conn:
        return compute(conn, config, start=start, end=end, today=today)


@pytest.fixture(scope="module")
def year(history: Path) -> Stats:
    """The statistics of the academic year 2025-26, judged after it ended."""
    return stats_of(history)


@pytest.mark.parametrize(
    ("year", "end", "period"),
    [(2026, "08-31", ("2025-09-01", "2026-08-31")), (2024, "08-31", ("2023-09-01", "2024-08-31")),
     (2026, "12-31", ("2026-01-01", "2026-12-31"))],
)  # fmt: skip
def test_academic_year(year: int, end: str, period: tuple[str, str]) -> None:
    assert academic_year(year, end) == tuple(date.fromisoformat(p) for p in period)


def test_counts_per_site_by_date_shown_and_by_appearance(year: Stats) -> None:
    stats = year
    news = [d for _, d in NEWS] + [DELETED[1]]
    charter = [d for _, d in CHARTER] + [BACKDATED[1]]
    assert stats.by_site == {"disclosure": in_period(charter), "portal": in_period(news)}
    assert stats.total == in_period(news) + in_period(charter)
    # seen to appear: not on the first crawl (Aug 25, 2025), first listed on a crawl day inside the period
    appeared = [d for d in news if d > FIRST and d <= CRAWLS[-1]]
    assert stats.appeared_by_site["portal"] == sum(START <= first_listed(d) <= END for d in appeared)
    assert stats.by_category["招生考试信息"] == in_period(charter)
    assert stats.deleted_by_site == {"portal": 1}
    assert stats.as_of == END and not any("尚未结束" in n for n in stats.notes)


def test_catalog_table_lists_every_applicable_item_with_columns_or_missing(year: Stats) -> None:
    stats = year
    assert len(stats.catalog) == 42  # a vocational college: 50 items minus graduate and degree items
    rows = {r.item_id: r for r in stats.catalog}
    charter = rows["admission.charter"]
    assert charter.columns == (("disclosure", "招生章程", "http://disclosure.test/zszc.htm"),)
    assert charter.items_in_period == 3 and charter.last_published == date(2026, 5, 18)
    assert charter.status == "fresh" and charter.working_days == 20
    # 3 items of the period appeared while watched; the back-dated one took three months
    assert (charter.met_working_days, charter.known_working_days) == (2, 3)
    report = rows["basic.annual_report"]
    assert report.status == "stale" and report.items_in_period == 0
    assert rows["finance.budget"].status == "missing" and rows["finance.budget"].columns == ()


def test_department_timeliness_from_the_weekly_crawls(year: Stats) -> None:
    stats = year
    by = {d.name: d for d in stats.departments}
    checked = [d + timedelta(days=1) for d in CRAWLS if START <= d + timedelta(days=1) <= END]
    assert by["党政办"].weeks == len(checked)
    # 招生章程 stays fresh (365-day limit); the 2024 annual report counts until Oct 31, 2025, then is stale
    shares = [1.0 if day <= date(2025, 10, 31) else 0.5 for day in checked]
    assert by["党政办"].mean_share == round(sum(shares) / len(shares), 4) and by["党政办"].columns == 2
    assert (by["党政办"].min_share, by["党政办"].last_share) == (0.5, 0.5)
    assert by["宣传部"].mean_share == 1.0  # news every 3 days: never older than 14 at a crawl


def test_a_period_not_over_is_judged_today_and_says_so(history: Path) -> None:
    stats = stats_of(history, today=date(2026, 3, 1))
    assert stats.as_of == date(2026, 3, 1) and any("尚未结束" in n for n in stats.notes)


def test_json_carries_the_contract(year: Stats) -> None:
    doc = json.loads(render(year, "json"))
    assert doc["period"] == ["2025-09-01", "2026-08-31"]
    assert set(doc["by_site"]) == {"disclosure", "portal"}
    for row in doc["catalog"]:
        assert {"category", "item", "columns", "items_in_period", "last_published", "status"} <= set(row)
        assert all(set(c) >= {"name", "url"} for c in row["columns"])
    assert {r["status"] for r in doc["catalog"]} >= {"fresh", "stale", "missing"}


def test_html_is_printable_and_escapes_everything(year: Stats) -> None:
    page = render(year, "html")
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;新闻" in page
    assert '<a href="http://disclosure.test/zszc.htm">招生章程</a>' in page
    assert "清单事项公开情况表" in page and "未找到栏目" in page


def test_cli_year_and_formats(history: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "monitor", "--config", str(history / "config.toml"), "stats", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=ROOT)

    out = run("--year", "2026", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {r["table"] for r in rows} >= {"site", "category", "column", "catalog", "department", "deleted"}
    assert all(r["period_start"] == "2025-09-01" for r in rows)
    text = run("--from", "2025-09-01", "--to", "2026-08-31")
    assert text.returncode == 0 and "清单事项公开情况表" in text.stdout and "\x1b" not in text.stdout
    bad = run("--from", "2026-09-01")
    assert bad.returncode == 2 and "--to" in bad.stderr


def test_a_period_before_monitoring_began_is_judged_on_what_is_known_today(history: Path) -> None:
    stats = stats_of(history, start=date(2023, 9, 1), end=date(2024, 8, 31))
    assert stats.as_of == date(2026, 11, 26) and any("尚无抓取记录" in n for n in stats.notes)
    rows = {r.item_id: r for r in stats.catalog}
    assert rows["admission.charter"].status == "fresh" and rows["admission.charter"].items_in_period == 0
    report = rows["basic.annual_report"]  # its one item is dated 2024-10-30, after the period
    assert (report.items_in_period, report.last_published, report.status) == (0, None, "stale")
    # departments likewise, on the last crawl (2026-09-22 Beijing): 党政办 half fresh (no 2025 annual report),
    # 宣传部's news stale (the newest, 2026-09-06, is 16 days old: over the 14-day limit)
    assert CRAWLS[-1] == date(2026, 9, 21) and NEWS[-1][1] == date(2026, 9, 6)
    by = {d.name: (d.weeks, d.mean_share) for d in stats.departments}
    assert by == {"党政办": (1, 0.5), "宣传部": (1, 0.0)}


def test_departments_follow_the_email_routes_when_configured(history: Path) -> None:
    routes = """
[[email.routes]]
to = ["zsb@example.edu.cn"]
name = "招生办"
categories = ["招生考试信息"]

[[email.routes]]
to = ["xcb@example.edu.cn"]
name = "宣传部"
sites = ["portal"]
"""
    text = (history / "config.toml").read_text(encoding="utf-8")
    (history / "routes.toml").write_text(text + routes, encoding="utf-8")
    config = load_config(history / "routes.toml")
    with open_readonly(str(config.db_path)) as conn:
        stats = compute(conn, config, start=START, end=END, today=date(2026, 11, 26))
    by = {d.name: d for d in stats.departments}
    assert set(by) == {"招生办", "宣传部"}  # the annual report column belongs to no route
    assert (by["招生办"].columns, by["招生办"].mean_share) == (1, 1.0)


# Issue 19 §4: a college watched only since November 2026, two sites with a 学籍管理 column each. Crawls at
# 10:00 Beijing on 2026-11-20 and 2026-12-02; 通知公告 matches no 清单 item (generic rule, 183 days).
XJGL = [("2026年学籍管理规定", date(2026, 3, 10)), ("学籍异动通知", date(2026, 9, 15)),
        ("2026年11月修订", date(2026, 11, 18))]  # fmt: skip
BACKFILLED = ("补发的通知", date(2026, 10, 12))  # listed from the second crawl on: 36 working days late
JWC_XJGL = [("旧规定", date(2025, 10, 15))]  # 414 days old on 2026-12-03: stale (365-day limit)


@pytest.fixture(scope="module")
def recent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("recent")
    db = str(folder / "r.duckdb")
    for at, extra in (
        (datetime(2026, 11, 20, 2, 0, tzinfo=UTC), []),
        (datetime(2026, 12, 2, 2, 0, tzinfo=UTC), [BACKFILLED]),
    ):
        news = [("通知一", date(2026, 11, 19))] + ([("通知二", date(2026, 12, 1))] if extra else [])
        jwc = [
            column("jwc", "xjgl", "学籍管理", items=JWC_XJGL),
            column("jwc", "tzgg", "通知公告", items=news),
        ]
        crawl(
            db, at, {"disclosure": [column("disclosure", "xjgl", "学籍管理", items=XJGL + extra)], "jwc": jwc}
        )
    sites = [("disclosure", "disclosure", "党政办"), ("jwc", "department", "教务处")]
    (folder / "config.toml").write_text(config_text("r.duckdb", sites), encoding="utf-8")
    return folder


def test_catalog_newest_is_the_newest_of_the_period_across_columns(recent: Path) -> None:
    # Year 2025-26 ended before monitoring began: judged on the crawl of 2026-12-02. In the period: the
    # disclosure site's 2026-03-10 and jwc's 2025-10-15; disclosure's newest overall (2026-11-18) is after it.
    stats = stats_of(recent, today=date(2026, 12, 3))
    row = {r.item_id: r for r in stats.catalog}["students.status"]
    assert (row.items_in_period, row.last_published, row.status) == (2, date(2026, 3, 10), "stale")
    text = render(stats, "text")
    line = next(x for x in text.splitlines() if "学籍管理办法" in x)
    # each site by its display name (no title: its department's), never its config id
    assert "教务处网站：学籍管理；党政办信息公开网：学籍管理" in line and "2026-03-10" in line
    assert "无法判断" in line  # both items were first listed months after their dates
    assert "党政办信息公开网：" in render(stats, "html") and "disclosure：" not in render(stats, "html")
    two = replace(row, columns=(("a", "学校章程", "u1"), ("b", "章程", "u2"), ("a", "规章制度", "u3")))
    named = replace(stats, site_names={"a": "甲网站", "b": "乙网站"})
    assert column_names(named, two) == "甲网站：学校章程、规章制度；乙网站：章程"  # each site named once


def test_working_days_known_from_a_first_crawl_within_the_limit(recent: Path) -> None:
    # 2026-09-01 – 2027-08-31, judged 2026-12-03. Items of the period on the 学籍管理 columns: 09-15 (first
    # listed 11-20: more than 20 working days, unknown), 11-18 (listed 11-20: 2 working days, met), 10-12
    # (appeared 12-02, 36 working days: not met).
    stats = stats_of(recent, today=date(2026, 12, 3), start=date(2026, 9, 1), end=date(2027, 8, 31))
    row = {r.item_id: r for r in stats.catalog}["students.status"]
    assert (row.items_in_period, row.last_published) == (3, date(2026, 11, 18))
    assert (row.met_working_days, row.known_working_days) == (1, 2)
    assert "1/2（50%）" in render(stats, "text")


def test_departments_of_a_period_without_crawls_are_judged_on_the_last_crawl(recent: Path) -> None:
    # At 2026-12-02: 党政办's one column fresh; 教务处's 学籍管理 stale, 通知公告 fresh.
    stats = stats_of(recent, today=date(2026, 12, 3))
    by = {d.name: (d.columns, d.weeks, d.mean_share, d.last_share) for d in stats.departments}
    assert by == {"党政办": (1, 1, 1.0, 1.0), "教务处": (2, 1, 0.5, 0.5)}
    assert any("各部门时效" in n for n in stats.notes)
