"""robots.txt, as Scrapy obeys it, but with a denial the spider can tell apart from other ignored requests.

Scrapy's RobotsTxtMiddleware raises a bare IgnoreRequest; the errback needs to record `robots_denied` (the URL
was never requested), so this subclass raises `RobotsDenied` instead. robots.txt fetches themselves carry
`dont_obey_robotstxt` and are not pages of the site: they are never recorded.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.robotstxt import RobotParser


class RobotsDenied(IgnoreRequest):
    """robots.txt forbids this URL for our user agent."""


class RobotsMiddleware(RobotsTxtMiddleware):
    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:
            raise RobotsDenied("forbidden by robots.txt") from exc
