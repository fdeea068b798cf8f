"""The crawl plan: what the monitor asks one crawler process to do, as plain JSON.

The monitor validates config.toml and writes a plan file; `python -m crawler --plan FILE` reads it. Keeping
this format small and explicit is what lets the crawler run without importing the monitor.

The monitor writes every field. The defaults below serve only a plan written by hand (tests, a developer's
`scrapy crawl college -a start_url=URL -a db=PATH`); they are the config's defaults, declared in
monitor/config/keys.py, which the crawler cannot import: tests/test_monitor_config.py keeps them equal.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from crawler.canonical import DEFAULT_IGNORED_KEYS

# [college] timezone's default, the crawler's one copy of it (the plan, `python -m crawler.inspect`, the JSON
# reader's epoch times); tests/test_monitor_config.py keeps it equal to the key table's.
DEFAULT_TIMEZONE = "Asia/Shanghai"


@dataclass(slots=True)
class SitePlan:
    name: str
    kind: str  # disclosure | portal | department
    start_urls: list[str]
    institution: str = ""
    allowed_hosts: list[str] = field(default_factory=list)  # empty: the hosts of start_urls
    max_pages: int = 5000
    max_depth: int = 8
    # Rare per-site overrides (CSS selectors): row, row_date, pager_next, column_name. Empty: general
    # extraction.
    selectors: dict[str, str] = field(default_factory=dict)

    def hosts(self) -> list[str]:
        if self.allowed_hosts:
            return list(self.allowed_hosts)
        return sorted({urlsplit(u).netloc.lower() for u in self.start_urls})


@dataclass(slots=True)
class CrawlPlan:
    db_path: str
    sites: list[SitePlan]
    user_agent: str = "xxgk-monitor/0.1 (+college disclosure monitor)"
    concurrency: int = 16
    concurrency_per_host: int = 4
    delay: float = 0.0  # seconds between requests to one host
    autothrottle: bool = True
    timeout: float = 15.0  # seconds per request
    max_bytes: int = 5_000_000  # body size limit; larger bodies are cut and recorded as too_large
    obey_robots: bool = True
    check_attachments: bool = True  # HEAD each attachment link of an article
    conditional: bool = True  # send If-None-Match / If-Modified-Since from the previous crawl
    # known articles and attachments are requested at least every this many finished crawls, on a rotation
    # (crawler/revisit.py); list pages every crawl. 1: every page every crawl. Needs `conditional`.
    revisit_every: int = 7
    # query keys dropped from every URL (session ids, tracking tags): crawler/canonical.py
    ignore_query_keys: list[str] = field(default_factory=lambda: list(DEFAULT_IGNORED_KEYS))
    # distinct queries of one path (and key set) followed among navigation and other links: more is a trap
    max_query_variants: int = 500
    observed_at: str | None = None  # ISO datetime to record instead of now (replaying or backfilling history)
    progress: str = "auto"  # auto | tty | log | off
    # The college's zone ([college] timezone): "today" for year-less dates and the day a naive observed_at
    # means are reckoned in it, never in the zone of the machine that crawls.
    timezone: str = DEFAULT_TIMEZONE
    # [storage] lock_wait: seconds every open of the database waits for another process's lock; past it, a
    # flush or the run's end is kept in the spool next to the database (storage/spool.py), not dropped
    lock_wait: float = 30.0

    def __post_init__(self) -> None:
        try:
            self.zone()
        except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(
                f"timezone: expected an IANA zone such as Asia/Shanghai, got {self.timezone!r}"
            ) from None
        try:
            self.observed_datetime()
        except ValueError:
            raise ValueError(f"observed_at: expected an ISO date-time, got {self.observed_at!r}") from None

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def observed_datetime(self) -> datetime | None:
        """The recorded time of the crawl, timezone-aware; a naive `observed_at` is college time."""
        if not self.observed_at:
            return None
        moment = datetime.fromisoformat(self.observed_at)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=self.zone())

    def today(self) -> date:
        """The college's calendar day of the crawl: that of `observed_at` when set, else of now."""
        moment = self.observed_datetime() or datetime.now(self.zone())
        return moment.astimezone(self.zone()).date()

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: dict) -> CrawlPlan:
        data = dict(data)
        sites = [SitePlan(**s) for s in data.pop("sites", [])]
        return cls(sites=sites, **data)

    @classmethod
    def load(cls, path: str | Path) -> CrawlPlan:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
