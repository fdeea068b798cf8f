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
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit


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
    observed_at: str | None = None  # ISO datetime to record instead of now (replaying or backfilling history)
    progress: str = "auto"  # auto | tty | log | off

    def observed_datetime(self) -> datetime | None:
        return datetime.fromisoformat(self.observed_at) if self.observed_at else None

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
