"""Stamp the moment a request is first handed to the downloader, so its FetchRecord says when it was made.

Scrapy only measures `download_latency` for successful downloads; failures (timeouts, refusals, robots
denials) need a start time too, and a retried or redirected request keeps the stamp of its first attempt.
"""

from __future__ import annotations

from datetime import UTC, datetime
from time import monotonic

from scrapy import Request
from scrapy.crawler import Crawler

STARTED = "xxgk_started"  # meta key: (wall-clock datetime, monotonic seconds) of the first attempt


class TimingMiddleware:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TimingMiddleware:
        return cls()

    def process_request(self, request: Request) -> None:
        if STARTED not in request.meta:
            request.meta[STARTED] = (datetime.now(UTC), monotonic())


def started(request: Request) -> tuple[datetime, float | None]:
    """When `request` was first sent (wall clock) and the elapsed milliseconds since then."""
    stamp = request.meta.get(STARTED)
    if stamp is None:
        return datetime.now(UTC), None
    return stamp[0], round((monotonic() - stamp[1]) * 1000.0, 1)
