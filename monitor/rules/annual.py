"""`annual = {due = "MM-DD", period_end = "MM-DD"}`: a yearly publication with a deadline.

The information of a period ending `period_end` must be public by the next `due` (the annual report: the year
ending Aug 31, by Oct 31). On `as_of`, the deadline that decides is the last `due` before `as_of`; the
column is fresh when something dated after the `period_end` preceding that deadline has been published:
"past its deadline with nothing new since" is stale. Before the year's deadline the previous cycle's
publication still counts, which is why an annual column may legitimately be older than a year in September.

`limit_days` is the largest age that is fresh today (as_of - period_end - 1), so `age > limit` ⇔ stale holds
here as for the other kinds.
"""

from __future__ import annotations

from datetime import date, timedelta

from .base import Evidence, Params, Verdict, cn_date


def month_day(text: str) -> tuple[int, int]:
    """ "10-31" -> (10, 31); validated by spec.py before any rule runs."""
    month, day = text.split("-")
    return int(month), int(day)


def last_on_or_before(md: tuple[int, int], day: date) -> date:
    """The latest date with month-day `md` that is on or before `day`."""
    candidate = date(day.year, *md)
    return candidate if candidate <= day else date(day.year - 1, *md)


def deadline_window(as_of: date, due: str, period_end: str) -> tuple[date, date, date]:
    """(last deadline passed, end of the period it concerns, next deadline) on `as_of`.

    A deadline is passed the day after it: on Oct 31 itself the school still has the day.
    """
    passed = last_on_or_before(month_day(due), as_of - timedelta(days=1))
    period = last_on_or_before(month_day(period_end), passed - timedelta(days=1))
    upcoming = date(passed.year + 1, *month_day(due))
    return passed, period, upcoming


def annual(e: Evidence, p: Params) -> Verdict:
    """Fresh when something dated after the period end preceding the last passed deadline is published."""
    passed, period, upcoming = deadline_window(e.as_of, str(p["due"]), str(p["period_end"]))
    limit = (e.as_of - period).days - 1
    window = f"{cn_date(period)}后的新信息应于{cn_date(passed)}前发布"
    if e.newest is None:
        return Verdict(
            "stale", None, limit, f"{e.items}条信息均未标注发布日期，视为未更新；{window}", passed, upcoming
        )
    age = (e.as_of - e.newest).days
    if e.newest <= period:
        reason = f"已过截止日期，最新信息为{cn_date(e.newest)}；{window}"
        return Verdict("stale", age, limit, reason, passed, upcoming)
    reason = f"{cn_date(e.newest)}已发布本周期信息；下一截止日期{cn_date(upcoming)}"
    return Verdict("fresh", age, limit, reason, passed, upcoming)
