"""The baseline: a bare Scrapy spider that only follows links, run as its own process on the same plan.

Why: `throughput_ratio` asks what the product's extraction, bookkeeping and storage cost on top of Scrapy
itself. So this spider does nothing but fetch, as cheaply as Scrapy allows: it takes every `<a href>` (one
XPath), follows those on the site's hosts that are not files, skips those it already requested before building
a Request (as the product's spider does), uses Scrapy's default middlewares and stores nothing. A heavier
baseline would flatter the product: `LinkExtractor` (canonicalising every link) cost it 1.6× the CPU per page
here, and `response.follow` on every link without the seen-set spent most of its time fingerprinting
duplicates (~36 links a page). It reads the same plan JSON the product reads and
turns it into the same Scrapy settings the product's spider applies (crawler/spiders/college.py `_apply_plan`:
user agent, concurrency, per-host concurrency, delay, AutoThrottle and its start delay, timeout, size limit,
robots), and the plan's max_depth becomes DEPTH_LIMIT.

Run: `python -m bench.baseline PLAN.json` — prints one JSON line with the pages it fetched.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS

FILES = frozenset(IGNORED_EXTENSIONS)  # pdf, doc, jpg ...: files, not pages (the product HEADs them instead)


def settings_for(plan: dict[str, Any]) -> dict[str, Any]:
    """The Scrapy settings the product's spider derives from the same plan (plus quiet logging)."""
    per_host = int(plan.get("concurrency_per_host", 4))
    delay = float(plan.get("delay", 0.0))
    depth = max((int(s.get("max_depth", 8)) for s in plan["sites"]), default=8)
    return {
        "USER_AGENT": plan.get("user_agent", "xxgk-monitor/0.1"),
        "CONCURRENT_REQUESTS": int(plan.get("concurrency", 16)),
        "CONCURRENT_REQUESTS_PER_DOMAIN": per_host,
        "DOWNLOAD_DELAY": delay,
        "AUTOTHROTTLE_ENABLED": bool(plan.get("autothrottle", True)),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(per_host),
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.25),
        "DOWNLOAD_TIMEOUT": float(plan.get("timeout", 15.0)),
        "DOWNLOAD_MAXSIZE": int(plan.get("max_bytes", 5_000_000)),
        "ROBOTSTXT_OBEY": bool(plan.get("obey_robots", True)),
        "DEPTH_LIMIT": depth,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "RETRY_TIMES": 1,
    }


class FollowSpider(scrapy.Spider):
    """Fetches the start URLs and every link on the allowed hosts; yields nothing."""

    name = "follow"

    def __init__(self, start_urls: list[str], hosts: list[str], **kwargs: Any):
        super().__init__(**kwargs)
        self.start_urls = start_urls
        self.allowed_domains = sorted({h.split(":")[0] for h in hosts})
        self.hosts = frozenset(self.allowed_domains)
        self.seen: set[str] = set(start_urls)  # start requests bypass the duplicate filter
        self.pages = 0

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        self.pages += 1
        if not isinstance(response, TextResponse):
            return
        for href in response.xpath("//a/@href").getall():
            url = response.urljoin(href.strip()).split("#", 1)[0]
            if url in self.seen:
                continue
            self.seen.add(url)
            parts = urlsplit(url)
            if parts.hostname in self.hosts and parts.path.rpartition(".")[2].lower() not in FILES:
                yield scrapy.Request(url, callback=self.parse)


def run(plan: dict[str, Any]) -> dict[str, Any]:
    start_urls = [u for s in plan["sites"] for u in s["start_urls"]]
    hosts = [
        h
        for s in plan["sites"]
        for h in (s.get("allowed_hosts") or [urlsplit(u).netloc for u in s["start_urls"]])
    ]
    process = CrawlerProcess(settings_for(plan))
    crawler = process.create_crawler(FollowSpider)
    process.crawl(crawler, start_urls=start_urls, hosts=hosts)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return {
        "pages": int(stats.get("response_received_count", 0)),
        "bytes": int(stats.get("downloader/response_bytes", 0)),
        "requests": int(stats.get("downloader/request_count", 0)),
        "elapsed_time_seconds": float(stats.get("elapsed_time_seconds", 0.0)),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m bench.baseline PLAN.json", file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        plan = json.load(f)
    print(json.dumps(run(plan)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
