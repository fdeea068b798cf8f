"""Crawl progress for people: a live line per site on a terminal, periodic log lines otherwise, a summary.

A Scrapy extension fed by `item_scraped` (one CrawlItem per requested URL). On a TTY the lines are redrawn in
place on stderr; in a log (the scheduler, CI) a line per site every XXGK_PROGRESS_INTERVAL_LOG seconds. When
the engine stops it prints a table per site: pages, 304s, errors, requests a limit dropped (`limited`:
max_pages, max_depth, traps), columns, items, time. The plan's `progress`
chooses: auto | tty | log | off.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

log = logging.getLogger(__name__)

QUIET = frozenset({"ok", "not_modified", "robots_denied"})  # outcomes that are not errors of the site


@dataclass(slots=True)
class SiteProgress:
    pages: int = 0
    not_modified: int = 0
    errors: int = 0
    lists: int = 0  # list pages entered from outside a pager: an estimate of columns while crawling
    rows: int = 0
    kept: int = 0  # known pages not requested this time (revisit policy): their last parse stands
    first: float | None = None
    last: float | None = None

    def line(self, name: str) -> str:
        kept = f", {self.kept} kept from the last crawl" if self.kept else ""
        return (
            f"{name}: {self.pages} pages ({self.not_modified} unchanged{kept}), "
            f"~{self.lists} columns, {self.errors} errors"
        )

    @property
    def seconds(self) -> float:
        return (self.last - self.first) if self.first is not None and self.last is not None else 0.0


class Progress:
    def __init__(self, crawler: Crawler, mode: str, interval: float, out: TextIO):
        self.crawler = crawler
        self.mode = mode
        self.interval = interval
        self.out = out
        self.sites: dict[str, SiteProgress] = {}
        self.drawn = 0
        self.loop: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        s = crawler.settings
        mode = s.get("XXGK_PROGRESS", "auto")
        if mode == "off":
            raise NotConfigured("progress is off in the crawl plan")
        if mode == "auto":
            mode = "tty" if sys.stderr.isatty() else "log"
        interval = s.getfloat("XXGK_PROGRESS_INTERVAL_TTY" if mode == "tty" else "XXGK_PROGRESS_INTERVAL_LOG")
        ext = cls(crawler, mode, interval, sys.stderr)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def spider_opened(self, spider: Any) -> None:
        for site in getattr(spider, "sites", {}):
            self.sites.setdefault(site, SiteProgress())
        self.loop = LoopingCall(self.tick)
        self.loop.start(self.interval, now=self.mode == "tty")

    def item_scraped(self, item: Any) -> None:
        kept = getattr(item, "items", None)  # KeptPages: known pages not requested this time
        if kept is not None:
            self.sites.setdefault(item.site, SiteProgress()).kept += len(kept)
            return
        record = getattr(item, "record", None)
        if record is None:
            return
        site = self.sites.setdefault(record.site, SiteProgress())
        now = time.monotonic()
        site.first = site.first if site.first is not None else now
        site.last = now
        if record.outcome not in QUIET:
            site.errors += 1
        if record.role != "page" or record.outcome not in ("ok", "not_modified"):
            return
        site.pages += 1
        if record.outcome == "not_modified":
            site.not_modified += 1
        parse = item.parse
        if parse is not None and parse.kind in ("list", "empty"):
            site.rows += len(parse.rows)
            if item.via != "pager":
                site.lists += 1

    def tick(self) -> None:
        if self.mode == "tty":
            self._redraw()
        else:
            for name, site in self.sites.items():
                log.info("progress %s", site.line(name))

    def _redraw(self) -> None:
        lines = [site.line(name) for name, site in self.sites.items()]
        up = f"\x1b[{self.drawn}A" if self.drawn else ""
        self.out.write(up + "".join(f"\r\x1b[2K{line}\n" for line in lines))
        self.out.flush()
        self.drawn = len(lines)

    def engine_stopped(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.mode == "tty":
            self._redraw()
        self.out.write(self.summary() + "\n")
        self.out.flush()

    def summary(self) -> str:
        """The closing table: columns and items as assembled at the end of the run (from the crawl stats)."""
        stats = self.crawler.stats
        head = ("site", "pages", "304s", "errors", "limited", "columns", "items", "time")
        table = [head]
        for name, site in self.sites.items():
            columns = stats.get_value(f"xxgk/columns/{name}") if stats else None
            items = stats.get_value(f"xxgk/items/{name}") if stats else None
            limited = stats.get_value(f"xxgk/limited/{name}") if stats else None
            table.append(
                (
                    name,
                    str(site.pages),
                    str(site.not_modified),
                    str(site.errors),
                    "-" if limited is None else str(limited),
                    "-" if columns is None else str(columns),
                    "-" if items is None else str(items),
                    f"{site.seconds:.1f}s",
                )
            )
        widths = [max(len(row[i]) for row in table) for i in range(len(head))]
        return "\n".join(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in table
        )
