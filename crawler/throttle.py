"""AutoThrottle that counts a 304 as a normal answer and stays out of the way of a healthy server.

Scrapy's AutoThrottle never lowers a host's delay on a non-200 response (error pages are small and fast, and
would make it speed up against a failing site). But a recrawl is mostly 304s: with the stock policy the delay
stays at its start value for the whole recrawl, which then takes longer than the first crawl. Here 200 and
304 both may lower the delay; everything else still only raises it.

And while a host answers fast (the delay AutoThrottle would want is under XXGK_THROTTLE_NEGLIGIBLE), no delay
is imposed at all: the per-host concurrency limit is then the politeness bound. Scrapy sends one request per
delay interval, so even a tiny delay serialises a slot and, on a noisy machine, its slow decay after a
latency spike halves the crawl rate against a server that is perfectly well.

A lowered delay applies at once. Scrapy's downloader, after sending a slot's first request (a host's
robots.txt), books the slot's next send one delay later (AUTOTHROTTLE_START_DELAY, 0.25 s) even with nothing
queued, and sends nothing before then: every crawl's first page of each host waited that long after a
robots.txt that had answered in milliseconds. When the delay drops, that booking is cancelled; the downloader
looks at the slot's queue again right after this signal and books the next send at the new delay.
"""

from __future__ import annotations

from scrapy.core.downloader import Slot
from scrapy.crawler import Crawler
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response

NORMAL = frozenset({200, 304})


class Throttle(AutoThrottle):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.negligible = crawler.settings.getfloat("XXGK_THROTTLE_NEGLIGIBLE", 0.05)

    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        target_delay = latency / self.target_concurrency
        new_delay = max(target_delay, (slot.delay + target_delay) / 2.0)
        if response.status in NORMAL and target_delay < self.negligible:
            new_delay = 0.0  # a healthy, fast host: only the concurrency limit applies
        new_delay = min(max(self.mindelay, new_delay), self.maxdelay)
        if response.status not in NORMAL and new_delay <= slot.delay:
            return
        lowered = new_delay < slot.delay
        slot.delay = new_delay
        if lowered and slot.latercall is not None:  # booked at the old delay: re-booked at the new one
            slot.latercall.cancel()
            slot.latercall = None
