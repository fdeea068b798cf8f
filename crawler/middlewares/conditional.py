"""Conditional GET: ask with the validators learnt in the previous crawl, so an unchanged page costs a 304.

The spider puts the URL's `storage.records.PreviousPage` in `request.meta["xxgk_previous"]`; this sets
If-None-Match / If-Modified-Since from it. The spider, not Scrapy's HTTP cache, handles the 304: a cache would
answer for a site that is down, and a 304 here must mean "alive and unchanged". Off when the plan says
`conditional = false` (XXGK_CONDITIONAL).
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

PREVIOUS = "xxgk_previous"  # meta key: the PreviousPage of this URL, when there is one with a stored parse


class ConditionalGetMiddleware:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        if not crawler.settings.getbool("XXGK_CONDITIONAL", True):
            raise NotConfigured("conditional GET is off in the crawl plan")
        return cls()

    def process_request(self, request: Request) -> None:
        previous = request.meta.get(PREVIOUS)
        if previous is None or request.method != "GET":
            return
        if previous.etag:
            request.headers.setdefault(b"If-None-Match", previous.etag)
        if previous.last_modified:
            request.headers.setdefault(b"If-Modified-Since", previous.last_modified)
