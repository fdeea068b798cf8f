"""The storage pipeline: CrawlItems into storage.RunWriter off the hot path; columns and run end at close.

Compressing bodies and writing Arrow batches takes time the reactor should spend downloading, so items are
buffered here and handed in batches to one writer thread, the only code that touches the RunWriter until the
crawl ends. At close the pipeline drains that thread, assembles the run's columns
(crawler/columns.py) and closes the run (storage.RunWriter.close: the last flush and finish_run, or, when the
database stays busy past [storage] lock_wait, all of it kept in the spool next to the database). No SQL
here: storage owns every statement.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

import storage
from crawler.columns import ColumnCollector
from storage.records import LIMIT_NAMES, FetchRecord, PageParse

log = logging.getLogger(__name__)

# A Scrapy signal `python -m crawler` sends on SIGINT / SIGTERM / the parent's death (crawler/lifeline.py):
# write what was fetched and mark the run interrupted now, without waiting for the requests in flight.
interrupt = object()

# Seconds the interrupted crawl waits for the database lock to write its last fetches (it must end promptly).
INTERRUPT_WAIT = 5.0


@dataclass(slots=True)
class CrawlItem:
    """One URL of the run: its fetch record, its page's parse (new, or re-used on a 304), the new body.

    A known page the revisit policy kept (crawler/revisit.py) was not requested (`requested=False`): its
    previous parse feeds column assembly, but nothing is written, so it has no fetch record in storage.
    """

    record: FetchRecord
    parse: PageParse | None
    body: bytes | None  # a body to store; None for failures, HEADs and 304s
    via: str = "start"  # how the spider reached it: start | nav | pager | content | row | other | attachment
    reused: bool = False  # the parse is the previous crawl's (304): not stored again
    requested: bool = True  # False: kept from the previous crawl without a request; not a fetch


@dataclass(slots=True)
class KeptPages:
    """Known pages of one site the revisit policy kept without a request (`CrawlItem.requested` False), in
    one item: column assembly reads their previous parses; nothing is written."""

    site: str
    items: list[CrawlItem]


class _WriterThread(threading.Thread):
    """Feeds batches to the RunWriter; remembers the first error so the run can be failed with it."""

    def __init__(self, writer: storage.RunWriter):
        super().__init__(name="xxgk-storage-writer", daemon=True)
        self.writer = writer
        self.batches: queue.Queue[list[CrawlItem] | None] = queue.Queue()
        self.error: BaseException | None = None

    def run(self) -> None:
        writer = self.writer
        while (batch := self.batches.get()) is not None:
            if self.error is not None:
                continue  # keep draining so the crawl can finish and report the failure
            try:
                for item in batch:
                    writer.add_fetch(item.record)
                    if item.body is not None and item.parse is not None:
                        writer.add_page(item.parse, item.body)
                writer.maybe_flush()
            except BaseException as exc:
                self.error = exc
                log.error("storage writer failed: %s", exc)


class StoragePipeline:
    def __init__(self, crawler: Crawler, flush_items: int, flush_seconds: float):
        self.crawler = crawler
        self.flush_items = flush_items
        self.flush_seconds = flush_seconds
        self.buffer: list[CrawlItem] = []
        self.since = time.monotonic()
        self.collectors: dict[str, ColumnCollector] = {}
        self.thread: _WriterThread | None = None
        self.ended = False  # the run was finished or marked: nothing more to write

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoragePipeline:
        s = crawler.settings
        pipeline = cls(crawler, s.getint("XXGK_FLUSH_ITEMS", 500), s.getfloat("XXGK_FLUSH_SECONDS", 2.0))
        # The run is finished on spider_closed, the first moment the close reason is known.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.interrupted, signal=interrupt)
        return pipeline

    @property
    def spider(self) -> Any:
        return self.crawler.spider

    def open_spider(self) -> None:
        spider = self.spider
        self.thread = _WriterThread(
            storage.RunWriter(spider.plan.db_path, spider.run_id, wait=spider.plan.lock_wait)
        )
        self.thread.start()
        for site in spider.plan.sites:
            self.collectors[site.name] = ColumnCollector(
                site.name, site.start_urls, dict(site.selectors), today=spider.today
            )

    def process_item(self, item: Any) -> Any:
        if isinstance(item, KeptPages):
            collector = self.collectors[item.site]
            for kept in item.items:
                collector.add(kept.record, kept.parse, kept.via)
            return item
        if not isinstance(item, CrawlItem):
            return item
        self.collectors[item.record.site].add(item.record, item.parse, item.via)
        if not item.requested:
            return item
        self.buffer.append(item)
        if len(self.buffer) >= self.flush_items or time.monotonic() - self.since >= self.flush_seconds:
            self._hand_over()
        return item

    def _hand_over(self) -> None:
        assert self.thread is not None
        if self.buffer:
            self.thread.batches.put(self.buffer)
            self.buffer = []
        self.since = time.monotonic()

    def _drain(self) -> None:
        """Hand the buffer over and let the writer thread finish. Raises its error."""
        assert self.thread is not None
        self._hand_over()
        self.thread.batches.put(None)
        self.thread.join()
        if self.thread.error is not None:
            raise self.thread.error

    def _close(
        self,
        columns: list[Any] | None,
        status: str,
        message: str | None,
        *,
        flush: bool = True,
        notices: dict[str, str] | None = None,
    ) -> str | None:
        """The run's last flush and end (storage.RunWriter.close); the spool file when the database was busy,
        recorded in the stats for the crawl's last word (python -m crawler)."""
        assert self.thread is not None
        writer = self.thread.writer
        kept = writer.close(columns, status=status, message=message, flush=flush, notices=notices)
        stats = self.crawler.stats
        if kept is not None and stats is not None:
            stats.set_value("xxgk/spooled", kept)
            stats.set_value("xxgk/spooled_files", len(writer.spooled))
        if writer.sites_down is not None and stats is not None:  # read in the same open as the finish
            stats.set_value("xxgk/sites_down", writer.sites_down)
        return kept

    def interrupted(self, reason: str) -> bool:
        """Stop now: write what was fetched, mark the run interrupted (both kept in the spool when the
        database stays busy). False: the run was not open here."""
        if self.ended:
            return True
        if self.thread is None:
            return False
        self.ended = True
        self.thread.writer.wait = min(self.thread.writer.wait, INTERRUPT_WAIT)
        try:
            self._drain()
        except Exception as exc:
            reason += f" (some of its last fetches could not be written: {exc})"
            log.error("run %s: %s", self.spider.run_id, reason)
        self._close(None, "interrupted", reason)
        return True

    def _limits(self, spider: Any, stats: Any) -> None:
        """Record the requests the crawl's limits dropped (one fetch each, outcome budget / depth / trap),
        feed them to column assembly (their columns are incomplete), count them per site, log each limit."""
        counts: dict[str, Counter[str]] = {name: Counter() for name in self.collectors}
        for record, via in spider.frontier.unrequested():
            self.collectors[record.site].add(record, None, via)
            self.buffer.append(CrawlItem(record, None, None, via))
            counts.setdefault(record.site, Counter())[record.outcome] += 1
        for name, found in counts.items():
            stats.set_value(f"xxgk/limited/{name}", sum(found.values()))
            if found:
                hit = ", ".join(f"{LIMIT_NAMES[o]} ({n} requests not made)" for o, n in sorted(found.items()))
                log.warning("site %s: crawl cut short by %s", name, hit)

    def spider_closed(self, reason: str) -> None:
        """Drain, assemble columns, finish the run; a crawl cut short, or any failure, is not ok. When the
        database stays busy past [storage] lock_wait, what was not written and the run's end are spooled."""
        if self.ended:
            return
        self.ended = True
        spider = self.spider
        stats = self.crawler.stats
        assert stats is not None and self.thread is not None
        run_id = spider.run_id
        try:
            self._limits(spider, stats)
            self._drain()
            if spider.failure:
                raise storage.StorageError(spider.failure)
            if reason != "finished":
                stats.set_value("xxgk/failure", f"crawl ended early: {reason}")
                self._close(None, "interrupted", f"crawl ended early: {reason}")
                return
            columns = []
            notices: dict[str, str] = {}
            for name, collector in self.collectors.items():
                notice = collector.menu_notice()
                if notice:  # a menu only a browser can draw: said on the site's line
                    notices[name] = notice
                    log.warning("site %s: %s", name, notice)
                observed = collector.observations(spider.known.get(name, {}))
                stats.set_value(f"xxgk/columns/{name}", len(observed))
                stats.set_value(f"xxgk/items/{name}", sum(len(c.rows) for c in observed))
                columns += observed
            self._close(columns, "ok", None, notices=notices)
            stats.set_value("xxgk/finished", True)
        except Exception as exc:
            told = isinstance(exc, storage.StorageError)  # said in words by `crawl failed:`; else a bug
            message = str(exc) if told else f"{type(exc).__name__}: {exc}"
            stats.set_value("xxgk/failure", message)
            log.log(logging.DEBUG if told else logging.ERROR, "run %s failed: %s", run_id, message)
            try:
                self._close(None, "failed", message, flush=False)
            except Exception as inner:  # the database itself may be what failed
                told = isinstance(inner, storage.StorageError)
                log.log(
                    logging.DEBUG if told else logging.ERROR,
                    "could not mark run %s failed: %s",
                    run_id,
                    inner,
                )
