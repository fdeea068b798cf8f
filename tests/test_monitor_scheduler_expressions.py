"""Schedule expressions, daylight saving, and the start-up "was a run missed?" test
(monitor/scheduler/expressions.py, monitor/scheduler/timetable.py)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.config import Config, ConfigError
from monitor.configure import load_config
from monitor.scheduler.expressions import (
    check_schedule,
    check_timezone,
    cron_weekdays,
    interval_of,
    missed_run,
    parse_schedule,
)
from monitor.scheduler.timetable import LastRuns, plan_jobs

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("every 20s", 20),
        ("every 6h", 6 * 3600),
        ("every 7d", 7 * 86400),
        ("Every 2 M", 120),
        ("every 1w", 604800),
    ],
)
def test_interval_forms(text: str, seconds: int) -> None:
    assert interval_of(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("0 2 * * *", True),
        ("*/15 8-18 * * mon-fri", True),
        ("", True),  # off
        ("every 20s", True),
        ("0 2 * *", False),  # 4 fields
        ("0 25 * * *", False),
        ("every 0s", False),
        ("every 5 minutes", False),
        ("daily", False),
    ],
)
def test_check_schedule(text: str, ok: bool) -> None:
    assert (check_schedule(text) is None) is ok


@pytest.mark.parametrize(
    ("name", "ok"), [("Asia/Shanghai", True), ("", True), ("Beijing", False), ("UTC+8", False)]
)
def test_check_timezone(name: str, ok: bool) -> None:
    assert (check_timezone(name) is None) is ok


@pytest.mark.parametrize(
    ("field", "days"),
    [
        ("1", "mon"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("*/2", "sun,tue,thu,sat"),
        ("5-7", "sun,fri,sat"),
        ("sat,sun", "sun,sat"),
        ("*", "*"),
    ],
)
def test_cron_weekdays_count_from_sunday_as_cron_does(field: str, days: str) -> None:
    """APScheduler 3 counts 0 = Monday even in from_crontab; cron's 1 is Monday."""
    assert cron_weekdays(field) == days


def _fires(expr: str, tz: ZoneInfo, start: datetime, n: int) -> list[datetime]:
    trigger = parse_schedule(expr, tz)
    assert trigger is not None
    out: list[datetime] = []
    prev = None
    nxt = trigger.get_next_fire_time(None, start)
    while nxt is not None and len(out) < n:
        out.append(nxt)
        prev = nxt
        nxt = trigger.get_next_fire_time(prev, prev)
    return out


def test_cron_in_the_configured_zone() -> None:
    (first,) = _fires("0 8 * * 1", SH, datetime(2026, 1, 7, tzinfo=ZoneInfo("UTC")), 1)
    assert first == datetime(2026, 1, 12, 8, 0, tzinfo=SH)


def test_cron_runs_once_on_the_night_clocks_go_back() -> None:
    fires = _fires("30 2 * * *", BERLIN, datetime(2025, 10, 25, 12, 0, tzinfo=BERLIN), 3)
    assert [f.astimezone(BERLIN).strftime("%m-%d %H:%M") for f in fires] == [
        "10-26 02:30",
        "10-27 02:30",
        "10-28 02:30",
    ]
    assert len({f.timestamp() for f in fires}) == 3


def test_cron_runs_once_on_the_night_clocks_go_forward() -> None:
    fires = _fires("30 2 * * *", BERLIN, datetime(2025, 3, 29, 12, 0, tzinfo=BERLIN), 3)
    gaps = [(b - a) for a, b in itertools.pairwise(fires)]
    assert fires[0].date().isoformat() == "2025-03-30" and all(g >= timedelta(hours=23) for g in gaps)


T = datetime(2026, 3, 9, 12, 0, tzinfo=SH)  # a Monday noon

# (schedule, last run, now, the missed slot expected or None)
MISSED = [
    ("0 2 * * *", T - timedelta(hours=3), T, None),  # ran at 09:00 today, next slot tomorrow 02:00
    ("0 2 * * *", T - timedelta(days=1, hours=10), T, datetime(2026, 3, 9, 2, 0, tzinfo=SH)),  # off overnight
    ("0 2 * * *", T - timedelta(days=9), T, datetime(2026, 3, 1, 2, 0, tzinfo=SH)),  # off 9 days: one run
    ("0 8 * * 1", datetime(2026, 3, 2, 8, 0, 5, tzinfo=SH), T, datetime(2026, 3, 9, 8, 0, tzinfo=SH)),
    ("0 8 * * 1", datetime(2026, 3, 9, 8, 0, 5, tzinfo=SH), T, None),  # this week's was sent
    ("every 6h", T - timedelta(hours=5), T, None),
    ("every 6h", T - timedelta(hours=7), T, T - timedelta(hours=1)),
    ("0 2 * * *", None, T, None),  # nothing recorded yet: wait for the first slot
]


@pytest.mark.parametrize(("expr", "last", "now", "expected"), MISSED)
def test_missed_run(expr: str, last: datetime | None, now: datetime, expected: datetime | None) -> None:
    trigger = parse_schedule(expr, SH, start=now)
    assert trigger is not None
    assert missed_run(trigger, last, now) == expected


def _config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(
        text + '[[sites]]\nname = "a"\nkind = "portal"\nstart_urls = ["http://127.0.0.2/"]\n', "utf-8"
    )
    return load_config(path)


def test_plan_says_what_is_off_and_why(tmp_path: Path) -> None:
    config = _config(tmp_path, '[schedule]\ncrawl = "every 6h"\nemail = "0 8 * * 1"\n')
    crawl, email = plan_jobs(config, LastRuns(T - timedelta(hours=7), None), T)
    assert crawl.enabled and crawl.missed == T - timedelta(hours=1) and crawl.next_run(T) == T
    assert not email.enabled and "no recipients" in email.reason
    config = _config(
        tmp_path, '[schedule]\ncrawl = ""\ncatch_up = false\n[email]\nto = ["o@example.edu.cn"]\n'
    )
    crawl, email = plan_jobs(config, LastRuns(None, T - timedelta(days=30)), T)
    assert not crawl.enabled and crawl.reason == "schedule.crawl is empty"
    assert not email.enabled and email.reason == "[email] sender is empty"


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        ('crawl = "0 2 * *"', ["schedule.crawl", "5-field cron"]),
        ('timezone = "Beijing"', ["schedule.timezone"]),
    ],
)
def test_config_names_a_bad_schedule(tmp_path: Path, schedule: str, words: list[str]) -> None:
    with pytest.raises(ConfigError) as info:
        _config(tmp_path, f"[schedule]\n{schedule}\n")
    for word in words:
        assert word in str(info.value)
