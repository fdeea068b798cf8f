"""The `college` spider: crawl each site of a plan within its hosts, and record every URL exactly once.

Every request ends in the callback or the errback, and both yield one `CrawlItem` (crawler/pipelines.py)
holding the URL's FetchRecord and, for a new HTML body, its parse: what each answer becomes is
crawler/spiders/responses.py, which URL is requested (once, within the site's hosts and limits, known pages on
the revisit rotation) is the frontier, crawler/spiders/frontier.py. This module is the Scrapy side: the
arguments and the plan, the run, the previous crawls' history, the callbacks, idle and close.

Arguments: `plan=PLAN.json` (what `python -m crawler` passes), or for developers
`start_url=URL db=PATH [site=NAME] [timezone=ZONE]`; `run_id=N` when the run was already opened by
`python -m crawler` or by the monitor for a Scrapyd job, which also passes `sites=NAME,NAME` (crawl only
these sites of the plan) and `egg=VERSION` (the egg the monitor expects: another one is refused,
crawler/egg.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

import storage
from crawler.egg import refusal
from crawler.pipelines import CrawlItem
from crawler.plan import CrawlPlan, SitePlan
from crawler.spiders.frontier import Frontier
from crawler.spiders.responses import failed_item, read_response


class CollegeSpider(scrapy.Spider):
    name = "college"

    def __init__(
        self,
        plan: str | CrawlPlan | None = None,  # a path (`scrapy crawl -a plan=…`), or the plan already read
        start_url: str | None = None,
        db: str | None = None,
        site: str | None = None,
        run_id: str | int | None = None,
        timezone: str | None = None,
        sites: str | None = None,
        egg: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.plan = _load_plan(plan, start_url, db, site, timezone)
        if sites is not None:
            self.plan.sites = _chosen(self.plan, sites)
        self.refused = refusal(egg)  # a stale egg: the run is marked failed, nothing is fetched
        self.job = egg is not None  # a Scrapyd job of the monitor's dispatcher (monitor/cluster/dispatch.py)
        self.run_id: int | None = int(run_id) if run_id is not None else None
        # the college's day when the crawl starts (or the day it is recorded as): year-less dates are read
        # against it, whatever the zone of this machine
        self.today: date = self.plan.today()
        # the columns earlier crawls found, per site (names by URL), read when the crawl starts: the end of
        # the crawl needs them, and the database may then be busy (the run's end is spooled, not lost)
        self.known: dict[str, dict[str, str]] = {s.name: {} for s in self.plan.sites}
        self.failure: str | None = None  # why the crawl could not start (the database), said at its end
        self.frontier = Frontier(self.plan, self.today, callback=self.parse, errback=self.failed)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CollegeSpider:
        spider: CollegeSpider = super().from_crawler(crawler, *args, **kwargs)
        if spider.refused is not None:
            if spider.run_id is not None:
                storage.mark_run(
                    spider.plan.db_path, spider.run_id, "failed", spider.refused, wait=spider.plan.lock_wait
                )
            raise ValueError(spider.refused)
        if spider.job and spider.run_id is not None:
            # a job the dispatcher already gave up (lost, then run elsewhere) may still start, say from the
            # queue of a node that comes back: its run is closed, and it must not crawl the hosts again
            closed = storage.run_is_open(spider.plan.db_path, spider.run_id, wait=spider.plan.lock_wait)
            if closed is not None:
                raise ValueError(
                    f"run {spider.run_id} is already {closed}: this job was given up, nothing is crawled"
                )
        _apply_plan(crawler, spider.plan)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        if spider.run_id is None:  # `scrapy crawl college ...` without python -m crawler: open the run here
            spider.run_id = storage.start_run(
                spider.plan.db_path,
                [s.name for s in spider.plan.sites],
                observed_at=spider.plan.observed_datetime(),
                wait=spider.plan.lock_wait,
            )
            spider.logger.info("run_id=%d", spider.run_id)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        try:
            self._read_history()
        except storage.StorageError as exc:  # busy, damaged: nothing is requested, the run fails with it
            self.failure = str(exc)
            return
        for site in self.plan.sites:
            for url in site.start_urls:
                request = self.frontier.request(
                    site.name,
                    self.frontier.canon.url(url) or url,
                    depth=0,
                    via="start",
                    text="",
                    referer=None,
                )
                if request is not None:
                    yield request

    def _read_history(self) -> None:
        """What the previous crawls stored: known columns, validators and parses (conditional requests),
        revisit rotation."""
        plan = self.plan
        history = storage.crawl_history(  # one open of the file for all of it
            plan.db_path,
            [s.name for s in plan.sites],
            previous=plan.conditional,
            revisits=plan.revisit_every > 1,
            wait=plan.lock_wait,
        )
        self.known = history.known
        if not plan.conditional:
            return
        frontier = self.frontier
        frontier.previous = history.previous
        for name, rotation in history.revisits.items():
            frontier.revisits.add_site(name, plan.revisit_every, rotation, frontier.previous[name])

    def allow_host(self, site: str, host: str) -> frozenset[str]:
        """Add the host a start URL redirected to: it is where the site now lives (called by
        crawler/middlewares/redirects.py)."""
        self.logger.info("site %s: start URL moved to %s; following it there", site, host)
        hosts = self.frontier.hosts
        hosts[site] = hosts[site] | {host}
        return hosts[site]

    def idle(self) -> None:
        """Nothing left to crawl: request the known articles deferred because no list row listed them (the
        rotation covers listed ones only), and keep the spider open for them."""
        assert self.crawler.engine is not None
        requests = [
            self.frontier.request(site, url, depth=d, via=v, text=t, referer=r)
            for site, url, (d, v, t, r) in self.frontier.revisits.unlisted()
        ]
        for request in requests:
            if request is not None:
                self.crawler.engine.crawl(request)
        if any(requests):
            raise DontCloseSpider

    def closed(self, reason: str) -> None:
        """The revisit counts go to the crawl stats (kept pages, unlisted articles requested at the end)."""
        if self.crawler.stats is not None:
            for key, value in self.frontier.revisits.counts.items():
                self.crawler.stats.set_value(key, value)

    # -- callbacks -----------------------------------------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        yield from read_response(response, self.frontier, self.today, self.logger)

    def failed(self, failure: Failure) -> Iterator[CrawlItem]:
        yield failed_item(failure, self.plan.max_bytes)


# -- the plan ------------------------------------------------------------------------------------------------


def _load_plan(
    plan: str | CrawlPlan | None,
    start_url: str | None,
    db: str | None,
    site: str | None,
    timezone: str | None,
) -> CrawlPlan:
    if isinstance(plan, CrawlPlan):  # python -m crawler read it already
        return plan
    if plan:
        return CrawlPlan.load(plan)
    if not start_url or not db:
        raise ValueError("the college spider needs -a plan=PLAN.json, or -a start_url=URL -a db=PATH")
    name = site or urlsplit(start_url).netloc
    made = CrawlPlan(db_path=db, sites=[SitePlan(name=name, kind="disclosure", start_urls=[start_url])])
    if timezone:
        made.timezone = timezone
    return made


def _chosen(plan: CrawlPlan, names: str) -> list[SitePlan]:
    """The sites of `plan` named in `names` (comma-separated), in the plan's order; an unknown name is an
    error."""
    wanted = [n for n in (part.strip() for part in names.split(",")) if n]
    known = {s.name for s in plan.sites}
    unknown = [n for n in wanted if n not in known]
    if unknown or not wanted:
        missing = ", ".join(unknown) or "(none given)"
        raise ValueError(f"sites={names!r}: the plan has no site named {missing}")
    return [s for s in plan.sites if s.name in wanted]


def _apply_plan(crawler: Crawler, plan: CrawlPlan) -> None:
    """Plan values become Scrapy settings (at spider priority, before the crawler freezes its settings)."""
    per_host = plan.concurrency_per_host
    values = {
        "USER_AGENT": plan.user_agent,
        "CONCURRENT_REQUESTS": plan.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": per_host,
        "DOWNLOAD_DELAY": plan.delay,
        "AUTOTHROTTLE_ENABLED": plan.autothrottle,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(per_host),
        # Scrapy's 5 s start would stall the first requests; begin at the plan's delay (or a quarter second).
        "AUTOTHROTTLE_START_DELAY": max(plan.delay, 0.25),
        "DOWNLOAD_TIMEOUT": plan.timeout,
        "DOWNLOAD_MAXSIZE": plan.max_bytes,
        "ROBOTSTXT_OBEY": plan.obey_robots,
        "XXGK_CONDITIONAL": plan.conditional,
        "XXGK_PROGRESS": plan.progress,
    }
    crawler.settings.setdict(values, priority="spider")
