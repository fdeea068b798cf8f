"""Time normalisation: every timestamp storage writes is timezone-aware, so comparisons never mix zones.

The database stores TIMESTAMPTZ. A naive datetime handed in is read as the machine's local time (what
`datetime.now()` gives), never silently as UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime


def aware(value: datetime) -> datetime:
    """`value` with a timezone: naive values are taken as local time; the result is in UTC."""
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(UTC)


def now() -> datetime:
    return datetime.now(UTC)
