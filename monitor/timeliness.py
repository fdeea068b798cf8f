"""Timeliness beyond age: working days, publication lag, back-dated, deleted and edited items.

The 清单 asks for publication within 20 working days (工作日): Chinese working days, public holidays off
and the swapped weekend days (调休) on. `chinese_calendar` holds that calendar for the years the State
Council has announced (up to its data: 2026 for version 1.11); for a date beyond it the calendar falls back
to Monday-Friday and `calendar_note()` says so in the report.

Publication lag = first seen (the college's local day) − date shown. A long lag alone proves nothing (on a
site's first crawl every old item is "first seen" today), so an item is flagged `backdated` only when the
column was checked *after* its shown date without listing it: the item then provably appeared at least that
many days after the date it carries (late, or a faked date — 伪造发稿日期 is itself a failure for inspectors).

Everything here is pure: facts in, findings out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

from monitor.findings import Finding
from storage.facts import EditFacts, ItemFacts, SnapshotFacts


@lru_cache(maxsize=1)
def calendar_years() -> tuple[int, int]:
    """The first and last year chinese_calendar has holiday data for."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def in_calendar(day: date) -> bool:
    first, last = calendar_years()
    return first <= day.year <= last


def is_workday(day: date) -> bool:
    """A Chinese working day (调休 included); Monday-Friday for a year the calendar has no data for."""
    if in_calendar(day):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def workdays_between(start: date, end: date) -> int:
    """Working days in (start, end]: 0 when end <= start. The day of the fact itself does not count."""
    if end <= start:
        return 0
    return sum(1 for n in range(1, (end - start).days + 1) if is_workday(start + timedelta(days=n)))


def add_workdays(start: date, n: int) -> date:
    """The day on which the n-th working day after `start` falls (the deadline of an n-working-day rule)."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def calendar_note(days: Iterable[date]) -> str | None:
    """A Chinese caveat when any of `days` lies beyond the calendar's data (Monday-Friday was assumed)."""
    first, last = calendar_years()
    beyond = sorted({d.year for d in days if not first <= d.year <= last})
    if not beyond:
        return None
    years = "、".join(str(y) for y in beyond)
    return (
        f"工作日日历（chinese_calendar）只有{first}–{last}年的数据："
        f"{years}年按周一至周五计算工作日，未计节假日调休。"
    )


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def publication_lag(item: ItemFacts, zone: ZoneInfo) -> int | None:
    """First seen (local day) − date shown, in days; None for an undated item."""
    if item.date_shown is None:
        return None
    return (local_day(item.first_seen, zone) - item.date_shown).days


def backdated_items(
    items: Iterable[ItemFacts],
    snapshots: Iterable[SnapshotFacts],
    *,
    threshold_days: int,
    zone: ZoneInfo,
    since: datetime,
    until: datetime,
) -> list[Finding]:
    """Items first seen in (since, until] whose column was checked after their shown date, not listing them.

    Flagged when that check came more than `threshold_days` after the shown date. `absent_on` is the latest
    such check (the strongest evidence), `lag_days` the full first-seen − shown lag.
    """
    checks: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    for snap in snapshots:
        if snap.state in ("ok", "empty"):
            checks[(snap.site, snap.column_url)].append(snap.observed_at)
    found: list[Finding] = []
    for item in items:
        if item.date_shown is None or not since < item.first_seen <= until:
            continue
        before = [t for t in checks.get((item.site, item.column_url), ()) if t < item.first_seen]
        if not before:
            continue  # the column's first crawl: no evidence of when the item really appeared
        absent = local_day(max(before), zone)
        proven = (absent - item.date_shown).days
        if proven <= threshold_days:
            continue
        seen = local_day(item.first_seen, zone)
        lag = (seen - item.date_shown).days
        found.append(
            Finding(
                kind="backdated",
                site=item.site,
                url=item.url,
                title=item.title,
                column_url=item.column_url,
                date_shown=item.date_shown,
                first_seen=item.first_seen,
                when=item.first_seen,
                lag_days=lag,
                lag_working_days=workdays_between(item.date_shown, seen),
                absent_on=absent,
                detail=f"标注日期{item.date_shown.isoformat()}，但{absent.isoformat()}检查该栏目时尚未出现，"
                f"{seen.isoformat()}才首次发现（晚{lag}天）",
            )
        )
    return found


def deleted_findings(items: Iterable[ItemFacts], zone: ZoneInfo) -> list[Finding]:
    """Items that vanished from a completely fetched column (storage.deleted_items), as findings."""
    out: list[Finding] = []
    for item in items:
        gone = item.vanished_at
        last = local_day(item.last_seen, zone).isoformat()
        out.append(
            Finding(
                kind="deleted",
                site=item.site,
                url=item.url,
                title=item.title,
                column_url=item.column_url,
                date_shown=item.date_shown,
                first_seen=item.first_seen,
                when=gone,
                detail=f"最后一次见于{last}，"
                + (f"{local_day(gone, zone).isoformat()}起从栏目中消失" if gone else "已从栏目中消失"),
            )
        )
    return out


def edited_findings(edits: Iterable[EditFacts], items: Iterable[ItemFacts], zone: ZoneInfo) -> list[Finding]:
    """Article pages whose body changed after publication, joined to the item that lists them."""
    by_url = {i.url: i for i in items}
    out: list[Finding] = []
    for edit in edits:
        item = by_url.get(edit.url)
        if item is None:
            continue  # an article no column lists: not an item of ours
        out.append(
            Finding(
                kind="edited",
                site=edit.site,
                url=edit.url,
                title=edit.title or item.title,
                column_url=item.column_url,
                date_shown=item.date_shown,
                first_seen=item.first_seen,
                when=edit.observed_at,
                detail=f"{local_day(edit.observed_at, zone).isoformat()}的抓取发现正文已改动"
                + (f"（标注发布日期{item.date_shown.isoformat()}）" if item.date_shown else ""),
            )
        )
    return out


def within_working_days(item: ItemFacts, zone: ZoneInfo, working_days: int) -> bool:
    """Whether the item appeared within `working_days` working days of the date it shows."""
    assert item.date_shown is not None
    return workdays_between(item.date_shown, local_day(item.first_seen, zone)) <= working_days
