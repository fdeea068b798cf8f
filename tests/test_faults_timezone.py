"""Issue 14, point 2: "today" is the college's today, whatever the zone of the machine that runs xxgk.

A small college on loopback lists its items with year-less dates (`12-31`, `01-01`) around New Year. The
real `xxgk crawl` (a child process) runs under TZ=America/Los_Angeles, TZ=UTC, TZ=Asia/Shanghai and a zone
always a day behind Beijing, at recorded times either side of midnight in Beijing, or at the real now. What
must hold: the year of `01-01` and `12-31` is Beijing's, a naive `--observed-at` is Beijing time, and the
same stored history gives the same report under every zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from faultsite import Column, FaultSite, Row
from xxgkrun import SiteConf, crawl_ok, query, write_config, xxgk

pytestmark = pytest.mark.slow

SITE = "college"
BEIJING = ZoneInfo("Asia/Shanghai")
# POSIX zone 16 hours behind UTC: its calendar day is always the day before Beijing's (at the same wall time)
DAY_BEHIND = "<M16>+16"


def _column(slug: str, name: str, days: list[date]) -> Column:
    rows = [Row(f"{name}第{i + 1}号通知", f"/info/{slug}/{i + 1}.htm", d) for i, d in enumerate(days)]
    return Column(slug, name, rows, yearless=True)


def _college(days: list[date]) -> FaultSite:
    """One year-less 通知公告 column (rows newest first) and one dated 规章制度 column."""
    return FaultSite(
        ("127.0.0.31",),
        [
            _column("tzgg", "通知公告", days),
            Column.of_articles("gzzd", "规章制度", [date(2025, 9, 1), date(2025, 3, 1)]),
        ],
        name="时区测试学院信息公开网",
    )


NEW_YEAR = [date(2026, 1, 1), date(2025, 12, 31), date(2025, 12, 30), date(2025, 12, 20)]
OLD_YEAR = NEW_YEAR[1:]  # what the site shows before the first item of 2026 is published


@pytest.fixture
def new_year() -> Iterator[FaultSite]:
    with _college(NEW_YEAR) as site:
        yield site


@pytest.fixture
def old_year() -> Iterator[FaultSite]:
    with _college(OLD_YEAR) as site:
        yield site


def _config(folder: Path, site: FaultSite) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_config(folder, [SiteConf(SITE, [site.url("/")])], college="时区测试学院")


def _crawl(config: Path, tz: str, *args: str) -> None:
    crawl_ok(xxgk(config, "crawl", *args, env={"TZ": tz}))


def _shown(config: Path, site: FaultSite) -> list[date]:
    """The dates stored for the 通知公告 column's items, newest first."""
    rows = query(
        config.parent / "data" / "xxgk.duckdb",
        "SELECT date_shown FROM items WHERE column_url = ? ORDER BY date_shown DESC",
        [site.url("/tzgg.htm")],
    )
    return [r[0] for r in rows]


def _observed(config: Path) -> list[datetime]:
    rows = query(config.parent / "data" / "xxgk.duckdb", "SELECT observed_at FROM runs ORDER BY run_id")
    return [r[0].astimezone(UTC) for r in rows]


def _report(config: Path, tz: str, *args: str) -> str:
    proc = xxgk(config, "report", *args, env={"TZ": tz})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


@pytest.mark.parametrize("tz", ["America/Los_Angeles", "UTC"])
def test_just_after_midnight_in_beijing_01_01_is_this_year(
    tmp_path: Path, new_year: FaultSite, tz: str
) -> None:
    """00:30 on 1 January in Beijing is still 31 December in UTC and in Los Angeles: `01-01` is today."""
    config = _config(tmp_path, new_year)
    _crawl(config, tz, "--observed-at", "2025-12-31T16:30:00+00:00")
    assert _shown(config, new_year) == NEW_YEAR
    assert _observed(config) == [datetime(2025, 12, 31, 16, 30, tzinfo=UTC)]
    # an analyst's day of the crawl is the college's too
    sql = xxgk(config, "sql", "SELECT observed_at::DATE AS day FROM runs", "--format", "csv", env={"TZ": tz})
    assert sql.returncode == 0, sql.stderr
    assert sql.stdout.split() == ["day", "2026-01-01"]


@pytest.mark.parametrize("tz", ["America/Los_Angeles", "UTC"])
def test_a_naive_observed_at_is_college_time(tmp_path: Path, old_year: FaultSite, tz: str) -> None:
    """23:30 on 31 December means Beijing's: the crawl counts for 2025-12-31, the last day of the year."""
    config = _config(tmp_path, old_year)
    _crawl(config, tz, "--observed-at", "2025-12-31T23:30")
    assert _observed(config) == [datetime(2025, 12, 31, 15, 30, tzinfo=UTC)]
    assert _shown(config, old_year) == OLD_YEAR
    text = _report(config, tz, "--as-of", "2025-12-31")
    assert "最近抓取 2025-12-31" in text and "尚未抓取" not in text, text


def test_the_same_report_under_every_machine_zone(tmp_path: Path, new_year: FaultSite) -> None:
    """Crawled and reported under UTC, Asia/Shanghai or Los Angeles at one (naive) time: equal reports."""
    outputs: dict[str, list[str]] = {}
    for tz in ("UTC", "Asia/Shanghai", "America/Los_Angeles"):
        config = _config(tmp_path / tz.replace("/", "-"), new_year)
        _crawl(config, tz, "--observed-at", "2026-01-01T00:30")
        assert _shown(config, new_year) == NEW_YEAR, tz
        outputs[tz] = [
            _report(config, tz, "--as-of", "2026-01-01", "--format", fmt) for fmt in ("json", "text", "csv")
        ]
        assert outputs[tz] == [
            _report(config, other, "--as-of", "2026-01-01", "--format", fmt)
            for other, fmt in zip(
                ("Asia/Shanghai", "UTC", "Europe/Berlin"), ("json", "text", "csv"), strict=True
            )
        ], f"the report of one database differs by the machine's zone ({tz})"
    assert outputs["UTC"] == outputs["Asia/Shanghai"] == outputs["America/Los_Angeles"]


def test_a_crawl_at_the_real_now_reads_year_less_dates_against_beijing_today(tmp_path: Path) -> None:
    """No --observed-at: on a machine whose day is always the day before Beijing's, `MM-DD` of Beijing's
    today is today, not a year ago."""
    today = datetime.now(BEIJING).date()
    days = [today, today - timedelta(days=3), today - timedelta(days=40)]
    with _college(days) as site:
        config = _config(tmp_path, site)
        _crawl(config, DAY_BEHIND)
        shown = _shown(config, site)
        inspected = xxgk(config, "inspect", site.url("/tzgg.htm"), "--json", env={"TZ": DAY_BEHIND})
    if datetime.now(BEIJING).date() != today:
        pytest.skip("midnight passed in Beijing during the test")
    assert shown == days
    assert inspected.returncode == 0, inspected.stderr[-2000:]
    assert f'"date": "{today.isoformat()}"' in inspected.stdout, inspected.stdout[:3000]
