"""Working days with 调休, publication lag, back-dated / deleted / edited items, from hand-built facts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from monitor import timeliness as t
from storage.facts import EditFacts, ItemFacts, SnapshotFacts

D = date.fromisoformat
BJ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        ("2026-09-20", True),  # Sunday, worked for the National Day holiday (调休)
        ("2026-09-25", False),  # Friday, Mid-Autumn Festival
        ("2026-10-01", False),
        ("2026-10-05", False),  # Monday inside the National Day week
        ("2026-10-08", True),
        ("2026-10-10", True),  # Saturday, worked (调休)
        ("2026-10-11", False),  # an ordinary Sunday
        ("2026-02-14", True),  # Saturday before the Spring Festival, worked
        ("2026-02-16", False),  # Monday, Spring Festival
        ("2026-02-28", True),  # Saturday after it, worked
        ("2026-11-26", True),  # an ordinary Thursday
    ],
)
def test_is_workday_knows_the_swapped_days(day: str, workday: bool) -> None:
    assert t.is_workday(D(day)) is workday


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2026-09-30", "2026-10-08", 1),  # the whole holiday week counts one working day
        ("2026-09-18", "2026-09-21", 2),  # Sat off, Sun 9-20 on, Mon on
        ("2026-02-13", "2026-02-28", 6),
        ("2026-11-26", "2026-11-26", 0),
        ("2026-11-26", "2026-11-20", 0),
    ],
)
def test_workdays_between(start: str, end: str, days: int) -> None:
    assert t.workdays_between(D(start), D(end)) == days


@pytest.mark.parametrize(
    ("start", "n", "deadline"),
    [
        ("2026-09-24", 20, "2026-10-29"),  # 20 working days across 中秋 and 国庆
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-02-13", 5, "2026-02-27"),
        ("2026-11-02", 20, "2026-11-30"),  # no holiday: four weeks
    ],
)
def test_twenty_working_day_deadline(start: str, n: int, deadline: str) -> None:
    assert t.add_workdays(D(start), n) == D(deadline)


def test_beyond_the_calendar_falls_back_to_monday_to_friday_and_says_so() -> None:
    _, last = t.calendar_years()
    beyond = date(last + 1, 1, 1)
    assert t.is_workday(beyond) is (beyond.weekday() < 5)  # New Year's Day not known: a plain weekday
    assert t.is_workday(date(last + 1, 1, 3)) is (date(last + 1, 1, 3).weekday() < 5)
    note = t.calendar_note([beyond])
    assert note is not None and str(last + 1) in note and "周一至周五" in note
    assert t.calendar_note([date(last, 6, 1)]) is None


def at(day: str, hour: int = 2) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def item(url: str, shown: str | None, first: datetime, column: str = "http://d/zs.htm") -> ItemFacts:
    return ItemFacts(
        site="d",
        column_url=column,
        url=url,
        title=f"标题{url[-5:]}",
        date_shown=D(shown) if shown else None,
        first_seen=first,
        last_seen=first,
        vanished_at=None,
    )


def snap(observed: datetime, column: str = "http://d/zs.htm", state: str = "ok") -> SnapshotFacts:
    return SnapshotFacts(1, observed, "d", column, "招生章程", state, None, 3)


WEEKLY = [snap(at("2026-10-01") + timedelta(weeks=k)) for k in range(9)]  # Oct 1 .. Nov 26
SINCE, UNTIL = at("2026-09-01"), at("2026-11-27")

# (date shown, first seen, flagged?, why)
BACKDATED = [
    ("2026-11-18", at("2026-11-19"), False, "appeared the day after its date"),
    ("2026-10-20", at("2026-11-19"), True, "absent on Oct 22 .. Nov 12, its date is Oct 20"),
    ("2026-11-10", at("2026-11-19"), False, "absent on Nov 12 only: 2 days after its date, within 14"),
    ("2026-09-15", at("2026-10-01"), False, "first seen on the column's first crawl: nothing known before"),
    (None, at("2026-11-19"), False, "undated"),
]


@pytest.mark.parametrize(("shown", "first", "flagged", "why"), BACKDATED)
def test_backdated_only_with_evidence(shown: str | None, first: datetime, flagged: bool, why: str) -> None:
    found = t.backdated_items(
        [item("http://d/a/00001.htm", shown, first)],
        WEEKLY,
        threshold_days=14,
        zone=BJ,
        since=SINCE,
        until=UNTIL,
    )
    assert bool(found) is flagged, why
    if found:
        f = found[0]
        assert f.kind == "backdated" and f.absent_on == D("2026-11-12") and f.lag_days == 30
        assert f.lag_working_days == t.workdays_between(D("2026-10-20"), D("2026-11-19"))
        assert "2026-11-12" in f.detail


def test_backdated_ignores_failed_checks_and_items_outside_the_window() -> None:
    failing = [snap(at("2026-11-05"), state="unreachable"), snap(at("2026-10-01"))]
    late = item("http://d/a/00002.htm", "2026-10-01", at("2026-11-19"))
    found = t.backdated_items([late], failing, threshold_days=14, zone=BJ, since=SINCE, until=UNTIL)
    assert found == []  # only the Oct 1 check (the day of its date) saw the column, and it was not after it
    outside = t.backdated_items(
        [late], WEEKLY, threshold_days=14, zone=BJ, since=at("2026-11-20"), until=UNTIL
    )
    assert outside == []


def test_publication_lag_uses_the_local_day() -> None:
    late_evening_utc = datetime(2026, 11, 18, 17, 30, tzinfo=UTC)  # 01:30 on Nov 19 in Beijing
    assert t.publication_lag(item("u", "2026-11-18", late_evening_utc), BJ) == 1
    assert t.publication_lag(item("u", None, late_evening_utc), BJ) is None


def test_deleted_and_edited_findings() -> None:
    gone = ItemFacts(
        "d",
        "http://d/zs.htm",
        "http://d/a/1.htm",
        "旧通知",
        D("2026-10-01"),
        at("2026-10-02"),
        at("2026-11-12"),
        at("2026-11-19"),
    )
    deleted = t.deleted_findings([gone], BJ)
    assert deleted[0].kind == "deleted" and deleted[0].when == at("2026-11-19")
    assert "2026-11-12" in deleted[0].detail and "2026-11-19" in deleted[0].detail
    edit = EditFacts("d", "http://d/a/1.htm", "article", "旧通知（更正）", at("2026-11-19"), 9, "a", "b")
    stray = EditFacts("d", "http://d/about.htm", "article", "关于我们", at("2026-11-19"), 9, "c", "d")
    edited = t.edited_findings([edit, stray], [gone], BJ)
    assert [f.url for f in edited] == ["http://d/a/1.htm"]  # a page no column lists is not an item
    assert edited[0].column_url == "http://d/zs.htm" and edited[0].title == "旧通知（更正）"


@pytest.mark.parametrize(
    ("shown", "first", "within"),
    [("2026-09-24", at("2026-10-29"), True), ("2026-09-24", at("2026-10-30"), False)],
)
def test_within_working_days(shown: str, first: datetime, within: bool) -> None:
    assert t.within_working_days(item("u", shown, first), BJ, 20) is within
