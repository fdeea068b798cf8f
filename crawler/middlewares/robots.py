"""robots.txt, as Scrapy obeys it, but with a denial the spider can tell apart from other ignored requests.

Scrapy's RobotsTxtMiddleware raises a bare IgnoreRequest; the errback needs to record `robots_denied` (the URL
was never requested), so this subclass raises `RobotsDenied` instead. robots.txt fetches themselves carry
`dont_obey_robotstxt` and are not pages of the site: they are never recorded.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.robotstxt import RobotParser


class RobotsDenied(IgnoreRequest):
    """robots.txt forbids this URL for our user agent."""


class _SiteFault(logging.Filter):
    """A robots.txt that cannot be downloaded (refused, timed out) is the site's fault, not a crash of ours:
    Scrapy logs it with a traceback; keep its one line, drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and str(record.msg).startswith("Error downloading"):
            record.exc_info = None
            record.exc_text = None
        return True


class RobotsMiddleware(RobotsTxtMiddleware):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        robots_log = logging.getLogger(RobotsTxtMiddleware.__module__)
        if not any(isinstance(f, _SiteFault) for f in robots_log.filters):
            robots_log.addFilter(_SiteFault())

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:
            raise RobotsDenied("forbidden by robots.txt") from exc
