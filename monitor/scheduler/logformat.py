"""The daemon's log lines stamped in the college's time with the zone named, whatever the machine's zone.

`logging`'s own `asctime` is the host's local time (UTC on most servers): an office reading "02:00" in a log
of a crawl that ran at 10:00 Beijing time would look for the wrong run.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from storage.timeutil import shown

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class ZoneFormatter(logging.Formatter):
    """`asctime` as "2026-12-03 10:00:00 Asia/Shanghai": the record's moment in `zone`."""

    def __init__(self, zone: str, fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self.zone = zone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return shown(datetime.fromtimestamp(record.created, UTC), self.zone)
