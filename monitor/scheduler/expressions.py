"""Schedule expressions: a 5-field cron line or "every 20s / 6h / 7d", turned into an APScheduler 3.x trigger.

Also the pure "was a run missed while we were down?" test the daemon asks at start-up: APScheduler's
in-memory job store forgets everything when the process ends, so the last run recorded in the database is
compared with the trigger instead. Imports nothing of ours, so `monitor.config.keys` can use the checks
without an import cycle.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

__all__ = [
    "CronWallClock",
    "check_schedule",
    "check_timezone",
    "cron_weekdays",
    "interval_of",
    "missed_run",
    "parse_schedule",
    "zone",
]

_EVERY = re.compile(r"^every\s+(\d+)\s*(s|m|h|d|w)$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class CronWallClock(BaseTrigger):
    """A cron trigger that fires once per wall-clock time, as cron does across a daylight-saving change.

    APScheduler 3.x fires `30 2 * * *` twice on the night clocks go back (02:30 summer time, then 02:30
    winter time); a job scheduled in the repeated hour runs only once here. A skipped time (clocks go
    forward) fires once, an hour later in absolute terms, as APScheduler already does.
    """

    __slots__ = ("cron", "expression")

    def __init__(self, expression: str, timezone: tzinfo):
        self.expression = expression
        fields = expression.split()
        if len(fields) != 5:
            raise ValueError(f"wrong number of fields; got {len(fields)}, expected 5")
        minute, hour, day, month, weekday = fields
        self.cron = CronTrigger(
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=cron_weekdays(weekday),
            timezone=timezone,
        )

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        nxt = self.cron.get_next_fire_time(previous_fire_time, now)
        if previous_fire_time is not None and nxt is not None:
            before = previous_fire_time.astimezone(self.cron.timezone).replace(tzinfo=None)
            if nxt.replace(tzinfo=None) == before:  # the same wall time again: the repeated hour
                nxt = self.cron.get_next_fire_time(nxt, nxt)
        return nxt

    def __str__(self) -> str:
        return f"cron[{self.expression}]"

    def __repr__(self) -> str:
        return f"CronWallClock({self.expression!r}, {self.cron.timezone})"


_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _weekday(value: str) -> int:
    v = value.strip().lower()
    if v in _DAY_NAMES:
        return _DAY_NAMES.index(v)
    if v.isdigit() and 0 <= int(v) <= 7:
        return int(v)
    raise ValueError(f"{value!r} is not a day of the week (0-7 or sun-sat)")


def cron_weekdays(field: str) -> str:
    """The cron day-of-week field (0 or 7 = Sunday, 1 = Monday) as APScheduler names ("mon,fri").

    APScheduler 3.x counts 0 = Monday even in `CronTrigger.from_crontab`, so "0 8 * * 1" would fire on
    Tuesdays; the days are named explicitly instead.
    """
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise ValueError(f"{part!r}: the step must be a positive number")
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            a, _, b = span.partition("-")
            first, last = _weekday(a), _weekday(b)
        else:
            first = _weekday(span)
            last = 6 if step else first
        if last < first:
            raise ValueError(f"{part!r}: the range runs backwards")
        days.update(d % 7 for d in range(first, last + 1, step or 1))
    return ",".join(_DAY_NAMES[d] for d in sorted(days))


def interval_of(text: str) -> timedelta | None:
    """The interval of "every 20s" / "every 6h" / "every 7d" (also m for minutes, w for weeks), else None."""
    match = _EVERY.match(text.strip())
    if not match or int(match.group(1)) <= 0:
        return None
    return timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; raises ValueError naming it when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {name!r}") from exc


def parse_schedule(text: str, timezone: tzinfo, *, start: datetime | None = None) -> BaseTrigger | None:
    """The trigger for a schedule expression; None for "" (the job is off). Raises ValueError when malformed.

    An interval counts from `start` (default: now), so "every 6h" first fires six hours after start-up.
    """
    text = text.strip()
    if not text:
        return None
    every = interval_of(text)
    if every is not None:
        first = (start or datetime.now(timezone)) + every
        return IntervalTrigger(seconds=int(every.total_seconds()), timezone=timezone, start_date=first)
    if text.lower().startswith("every"):
        raise ValueError(f"{text!r} is not an interval such as 'every 20s', 'every 6h', 'every 7d'")
    return CronWallClock(text, timezone)


def check_schedule(value: str) -> str | None:
    """Config check (a `check` in monitor.config.keys): what was expected, or None for a valid schedule."""
    try:
        parse_schedule(value, ZoneInfo("UTC"))
    except ValueError as exc:
        return (
            "a 5-field cron expression such as '0 2 * * *', an interval such as 'every 6h' (s, m, h, d, w), "
            f"or '' for off; {exc}"
        )
    return None


def check_timezone(value: str) -> str | None:
    """Config check: an IANA zone name such as 'Asia/Shanghai' ('' means [college] timezone)."""
    if value == "":
        return None
    try:
        zone(value)
    except ValueError:
        return f"an IANA timezone name such as 'Asia/Shanghai', got {value!r}"
    return None


def missed_run(trigger: BaseTrigger, last_run: datetime | None, now: datetime) -> datetime | None:
    """The first fire time after `last_run` when it is already past (a run was missed), else None.

    With no recorded run nothing was missed: the first run waits for its slot. Several missed slots give one
    answer (the earliest), so the caller runs the job once however long the machine was off.
    """
    if last_run is None:
        return None
    nxt = trigger.get_next_fire_time(last_run, now)
    if nxt is not None and nxt <= now:
        return nxt
    return None
