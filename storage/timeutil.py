"""Time normalisation: every timestamp storage writes or compares is timezone-aware, so nothing mixes zones.

The database stores TIMESTAMPTZ. A naive datetime handed in is refused: storage cannot know which zone it
means (the machine's is not the college's, and a UTC server crawling at 02:00 Beijing time would file the
crawl under the wrong day). Callers give the zone: the monitor reckons in [college] timezone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import duckdb

_ZONE_NAME = re.compile(r"[A-Za-z0-9_+\-/]+")


def aware(value: datetime) -> datetime:
    """`value` in UTC; raises ValueError for a naive value (its zone is unknown here)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} reached storage: give it a timezone")
    return value.astimezone(UTC)


def now() -> datetime:
    return datetime.now(UTC)


def set_session_zone(conn: duckdb.DuckDBPyConnection, zone: str | None) -> None:
    """Show and cast TIMESTAMPTZ values in `zone` on this connection (DuckDB's default is the machine's).

    Analysts' `observed_at::DATE`, the text, CSV and JSON of `xxgk sql` and the CSV of `xxgk export` then
    speak college time on a UTC server too. None leaves the connection as it is.
    """
    if zone is None:
        return
    if not _ZONE_NAME.fullmatch(zone):
        raise ValueError(f"not a timezone name: {zone!r}")
    conn.execute(f"SET TimeZone = '{zone}'")


def shown(value: datetime | None, zone: str, *, seconds: bool = True, empty: str = "—") -> str:
    """A moment as people read it: in `zone` (the college's), the zone named — "2026-12-03 05:03:16
    Asia/Shanghai". A naive value is taken as UTC (how DuckDB hands back a plain TIMESTAMP)."""
    if value is None:
        return empty
    from zoneinfo import ZoneInfo

    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%Y-%m-%d %H:%M:%S} {zone}" if seconds else f"{local:%Y-%m-%d %H:%M} {zone}"
