"""The `college` spider: crawl each site of a plan within its hosts, and record every URL exactly once.

Every request ends in the callback or the errback, and both yield one `CrawlItem` (crawler/pipelines.py)
holding the URL's FetchRecord and, for a new HTML body, its parse. A 304 re-uses the parse stored by the
previous crawl: its links are followed and its rows feed column assembly without parsing anything. On a
recrawl, known articles and attachments are requested only on a rotation (crawler/revisit.py); one that is
not requested is no fetch, and its previous parse stands as after a 304.

Arguments: `plan=PLAN.json` (what `python -m crawler` passes), or for developers
`start_url=URL db=PATH [site=NAME] [timezone=ZONE]`; `run_id=N` when the run was already opened by
`python -m crawler` or by the monitor for a Scrapyd job, which also passes `sites=NAME,NAME` (crawl only
these sites of the plan) and `egg=VERSION` (the egg the monitor expects: another one is refused,
crawler/egg.py).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

import storage
from crawler.canonical import Canonicalizer, TrapGuard, canonical_page
from crawler.egg import refusal
from crawler.middlewares.conditional import PREVIOUS
from crawler.middlewares.redirects import HOSTS
from crawler.middlewares.timing import started
from crawler.outcomes import classify, not_html
from crawler.pipelines import CrawlItem, KeptPages
from crawler.plan import CrawlPlan, SitePlan
from crawler.postjson import is_post_key, split_post_key
from crawler.revisit import Revisits
from crawler.sniff import looks_json
from storage.records import LIMIT_NAMES, FetchRecord, PageParse, PreviousPage, Row

# Links whose path ends like this are files, not pages: checked with HEAD (when the plan says so), not parsed.
ATTACHMENT_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "zip", "rar", "7z", "gz", "tar"}
    | {"txt", "csv", "ofd", "caj", "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "mp3", "mp4", "avi"}
    | {"wmv", "flv", "mov", "swf", "exe", "apk"}
)
# Scheduling priorities: finish columns (nav targets, pager pages) before articles, attachments last.
# Items of a list page (rows) and their attachments go before the next list page: the scheduler then holds
# about one page of rows at a time instead of every article of the site (memory stays flat as sites grow).
PRIORITY = {"start": 30, "attachment": 28, "row": 25, "pager": 20, "nav": 10, "content": 0, "other": 0}


class CollegeSpider(scrapy.Spider):
    name = "college"

    def __init__(
        self,
        plan: str | None = None,
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
        self.sites: dict[str, SitePlan] = {s.name: s for s in self.plan.sites}
        self.hosts: dict[str, frozenset[str]] = {
            s.name: frozenset(h.lower() for h in s.hosts()) for s in self.plan.sites
        }
        self.run_id: int | None = int(run_id) if run_id is not None else None
        # the college's day when the crawl starts (or the day it is recorded as): year-less dates are read
        # against it, whatever the zone of this machine
        self.today: date = self.plan.today()
        self.previous: dict[str, dict[str, PreviousPage]] = {}
        # the columns earlier crawls found, per site (names by URL), read when the crawl starts: the end of
        # the crawl needs them, and the database may then be busy (the run's end is spooled, not lost)
        self.known: dict[str, dict[str, str]] = {s.name: {} for s in self.plan.sites}
        self.seen: dict[str, set[str]] = {s.name: set() for s in self.plan.sites}
        self.budget: dict[str, int] = {s.name: s.max_pages for s in self.plan.sites}
        self.revisits = Revisits()  # which known articles and attachments to ask for again
        self.failure: str | None = None  # why the crawl could not start (the database), said at its end
        self.canon = Canonicalizer(self.plan.ignore_query_keys)  # one URL per page: no session ids
        self.traps = {s.name: TrapGuard(self.today, self.plan.max_query_variants) for s in self.plan.sites}
        # raw links never to follow (off the site, not http, files when attachments are not checked)
        self.ignored: dict[str, set[str]] = {s.name: set() for s in self.plan.sites}
        # URLs a limit kept from being requested (budget, depth): recorded at the end unless reached after all
        self.dropped: dict[str, dict[str, tuple[FetchRecord, str]]] = {s.name: {} for s in self.plan.sites}

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
                request = self._request(
                    site.name, self.canon.url(url) or url, depth=0, via="start", text="", referer=None
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
        self.previous = history.previous
        for name, rotation in history.revisits.items():
            self.revisits.add_site(name, plan.revisit_every, rotation, self.previous[name])

    # -- requests ------------------------------------------------------------------------------------------

    def _request(
        self,
        site: str,
        url: str,
        *,
        depth: int,
        via: str,
        text: str,
        referer: str | None,
        priority: int | None = None,
    ) -> scrapy.Request | None:
        """A request for `url` unless it was already requested for this site or the page budget is spent;
        scheduled at `priority`, by default its way's (PRIORITY)."""
        seen = self.seen[site]
        if url in seen:
            return None
        attachment = via == "attachment"
        if not attachment:
            trap = self.traps[site].check(url, via)
            if trap is not None:
                self._drop(
                    site,
                    url,
                    "trap",
                    f"not requested: {trap}",
                    depth=depth,
                    via=via,
                    text=text,
                    referer=referer,
                )
                return None
            if self.budget[site] <= 0:
                why = self._budget_spent(site)
                self._drop(site, url, "budget", why, depth=depth, via=via, text=text, referer=referer)
                return None
            self.budget[site] -= 1
        seen.add(url)
        meta: dict[str, Any] = {
            "xxgk_site": site,
            "xxgk_url": url,
            "xxgk_depth": depth,
            "xxgk_via": via,
            "xxgk_text": text,
            "xxgk_referer": referer,
            HOSTS: self.hosts[site],
            "handle_httpstatus_all": True,
        }
        if not attachment:
            previous = self.previous.get(site, {}).pop(url, None)  # held by the request from now on
            if previous is not None and previous.parse is not None and not _unconditional(via, previous):
                meta[PREVIOUS] = previous
        return scrapy.Request(
            url,
            method="HEAD" if attachment else "GET",
            callback=self.parse,
            errback=self.failed,
            meta=meta,
            headers={"Referer": referer} if referer else None,
            priority=PRIORITY.get(via, 0) if priority is None else priority,
            dont_filter=True,
        )

    def _post(self, site: str, key: str, *, depth: int, referer: str | None) -> scrapy.Request | None:
        """The POST a script-filled list's page stands for (crawler/postjson.py), on the site's own hosts,
        within its page budget; filed under `key`. Never conditional: a 304 would carry no rows."""
        posted = split_post_key(key)
        if posted is None or urlsplit(posted.url).netloc.lower() not in self.hosts[site]:
            return None
        request = self._request(site, key, depth=depth, via="pager", text="", referer=referer)
        if request is None:
            return None
        body, content_type = posted.body()
        meta = {k: v for k, v in request.meta.items() if k != PREVIOUS} | {"xxgk_post": True}
        headers = {"Content-Type": content_type, "X-Requested-With": "XMLHttpRequest"}
        return request.replace(
            url=posted.url,
            method="POST",
            body=body,
            headers=headers | ({"Referer": referer} if referer else {}),
            meta=meta,
        )

    def _budget_spent(self, site: str) -> str:
        limit = self.sites[site].max_pages
        return f"not requested: the page budget ({LIMIT_NAMES['budget']} = {limit}) was spent"

    def _drop(
        self,
        site: str,
        url: str,
        outcome: str,
        why: str,
        *,
        depth: int,
        via: str,
        text: str,
        referer: str | None,
    ) -> None:
        """Remember a URL a limit kept from being requested (once per URL: the first reason stands)."""
        dropped = self.dropped[site]
        if url not in dropped:
            record = FetchRecord(
                site,
                url,
                datetime.now(UTC),
                outcome,
                error=why,
                depth=depth,
                referer=referer,
                link_text=text or None,
                role="attachment" if via == "attachment" else "page",
            )
            dropped[url] = (record, via)

    def unrequested(self) -> Iterator[tuple[FetchRecord, str]]:
        """(record, how it was linked) of every URL a limit dropped and no other path reached: the crawl's
        limits as fetch records (storage.records.LIMIT_OUTCOMES)."""
        for site, dropped in self.dropped.items():
            seen = self.seen[site]
            for url, (record, via) in dropped.items():
                if url not in seen:
                    yield record, via

    def allow_host(self, site: str, host: str) -> frozenset[str]:
        """Add the host a start URL redirected to: it is where the site now lives."""
        self.logger.info("site %s: start URL moved to %s; following it there", site, host)
        self.hosts[site] = self.hosts[site] | {host}
        return self.hosts[site]

    def _follow(self, site: str, page: PageParse, depth: int, referer: str) -> Iterator[Any]:
        """Requests for the links of a page (fresh or re-used from a 304) that stay on the site.

        A known page the revisit policy keeps is not requested: its previous parse stands, its links are
        followed in turn as after a 304, and the kept pages are yielded together as one `KeptPages` item
        (no fetch records: one item instead of thousands through Scrapy's item machinery).
        """
        plan = self.sites[site]
        hosts = self.hosts[site]
        check = self.plan.check_attachments
        seen, ignored = self.seen[site], self.ignored[site]
        kept: list[CrawlItem] = []
        stack: list[tuple[PageParse, int, str]] = [(page, depth, referer)]
        while stack:
            page, depth, referer = stack.pop()
            # a list page's items are among its links too (role content), and met there first: they are
            # scheduled as rows all the same, so the scheduler holds one page of items, not the site's
            listed = {row.url for row in page.rows}
            candidates: list[tuple[str, str, str, Row | None]] = [(u, "pager", "", None) for u in page.pager]
            if depth + 1 <= plan.max_depth:
                candidates += [(link.url, link.role, link.text, None) for link in page.links]
                candidates += [(row.url, "row", row.title, row) for row in page.rows]
            else:
                self._depth_limit(site, page, depth, referer)
            if check:
                candidates += [(link.url, "attachment", link.text, None) for link in page.attachments]
            for raw, role, text, row in candidates:
                if raw in seen or raw in ignored:  # most links were seen before: skip them before parsing
                    continue
                if is_post_key(raw):  # a page of a POSTed list (a row of one without a link is no page)
                    posted = self._post(site, raw, depth=depth, referer=referer) if role == "pager" else None
                    if posted is not None:
                        yield posted
                    continue
                target = _target(raw, self.canon)
                if target is None or target[1] not in hosts:
                    ignored.add(raw)
                    continue
                url, _, file_like = target
                if role == "attachment" or file_like:
                    if not check:
                        if role != "attachment":  # a file by its name, however linked
                            ignored.add(raw)
                        continue
                    role = "attachment"
                where = depth if role == "pager" else depth + 1
                rank = PRIORITY["row"] if raw in listed and role != "attachment" else PRIORITY.get(role, 0)
                reached = self._reach(
                    site, url, depth=where, via=role, text=text, referer=referer, row=row, priority=rank
                )
                if isinstance(reached, scrapy.Request):
                    yield reached
                elif reached is not None:
                    record = self._kept_record(site, url, where, text, referer)
                    kept.append(CrawlItem(record, reached, None, role, reused=True, requested=False))
                    if followable(reached):
                        stack.append((reached, where, url))
        if kept:
            yield KeptPages(site, kept)

    def _depth_limit(self, site: str, page: PageParse, depth: int, referer: str) -> None:
        """The page's links (not its rows: items, not columns) the depth limit keeps from being followed.

        A row's link is in the page's links too, as `content` (of the main list or another row group): it is
        an item, which the limit does not make missing, so it is not recorded (docs/schema.md, `depth`)."""
        hosts, seen, ignored = self.hosts[site], self.seen[site], self.ignored[site]
        why = f"not requested: deeper than {LIMIT_NAMES['depth']} = {self.sites[site].max_depth}"
        for link in page.links:
            raw = link.url
            if link.role == "content" or raw in seen or raw in ignored:
                continue
            target = _target(raw, self.canon)
            if target is None or target[1] not in hosts or target[2] or target[0] in seen:
                continue
            self._drop(
                site, target[0], "depth", why, depth=depth + 1, via=link.role, text=link.text, referer=referer
            )

    def _reach(
        self,
        site: str,
        url: str,
        *,
        depth: int,
        via: str,
        text: str,
        referer: str | None,
        row: Row | None,
        priority: int | None = None,
    ) -> scrapy.Request | PageParse | None:
        """A request for a linked URL; or the previous parse of a known page the revisit policy keeps; or
        None (seen already, over budget, kept attachment, or deferred until a list row decides)."""
        if url not in self.seen[site]:
            decision = self.revisits.decide(site, url, via, row, (depth, via, text, referer))
            if decision == "defer":
                return None
            if decision == "keep":
                self.seen[site].add(url)
                if via == "attachment":
                    return None
                previous = self.previous[site].pop(url, None)
                if previous is not None and previous.parse is not None:
                    return previous.parse
                self.seen[site].discard(url)  # nothing stored to stand for it after all: ask
        return self._request(site, url, depth=depth, via=via, text=text, referer=referer, priority=priority)

    def _kept_record(self, site: str, url: str, depth: int, text: str, referer: str | None) -> FetchRecord:
        """What column assembly reads of a kept page: it stands as it was (never written as a fetch)."""
        return FetchRecord(
            site, url, datetime.now(UTC), "not_modified", depth=depth, referer=referer, link_text=text or None
        )

    def idle(self) -> None:
        """Nothing left to crawl: request the known articles deferred because no list row listed them (the
        rotation covers listed ones only), and keep the spider open for them."""
        assert self.crawler.engine is not None
        requests = [
            self._request(site, url, depth=d, via=v, text=t, referer=r)
            for site, url, (d, v, t, r) in self.revisits.unlisted()
        ]
        for request in requests:
            if request is not None:
                self.crawler.engine.crawl(request)
        if any(requests):
            raise DontCloseSpider

    def closed(self, reason: str) -> None:
        """The revisit counts go to the crawl stats (kept pages, unlisted articles requested at the end)."""
        if self.crawler.stats is not None:
            for key, value in self.revisits.counts.items():
                self.crawler.stats.set_value(key, value)

    # -- outcomes ------------------------------------------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        request = response.request
        assert request is not None
        meta = response.meta
        site: str = meta["xxgk_site"]
        record = self._record(request, "ok", status=response.status)
        headers = response.headers
        record.etag = _header(headers, b"ETag")
        record.last_modified = _header(headers, b"Last-Modified")
        record.content_type = _header(headers, b"Content-Type")
        if response.url != record.url and "xxgk_postback" not in meta and "xxgk_post" not in meta:
            record.final_url = response.url
        status = response.status
        body = response.body

        if status == 304 and PREVIOUS in meta:
            previous: PreviousPage = meta[PREVIOUS]
            record.outcome = "not_modified"
            record.content_hash = previous.content_hash
            record.etag = record.etag or previous.etag
            record.last_modified = record.last_modified or previous.last_modified
            yield CrawlItem(record, previous.parse, None, meta["xxgk_via"], reused=True)
            if previous.parse is not None and followable(previous.parse):
                yield from self._follow(site, previous.parse, meta["xxgk_depth"], record.url)
            return
        if not 200 <= status < 300:
            record.outcome = "http_error"
            record.error = f"HTTP {status}"
            record.bytes = len(body)
            yield CrawlItem(record, None, None, meta["xxgk_via"])
            return
        record.bytes = len(body)
        if request.method == "HEAD":
            yield CrawlItem(record, None, None, meta["xxgk_via"])
            return
        if meta["xxgk_via"] == "pager" and looks_json(record.content_type, body):
            yield from self._json_list(site, record, body, meta)
            return
        why_not = not_html(record.content_type, body)
        if why_not:
            record.content_hash = hashlib.sha256(body).hexdigest()
            record.outcome = "not_html"
            record.error = why_not
            yield CrawlItem(record, None, None, meta["xxgk_via"])
            return
        # Imported on the first body to parse, not at start-up: an unchanged recrawl is all 304s and never
        # needs the extractor (its import is ~0.13 s of the crawler's fixed cost).
        from crawler.extract import parse_page

        try:
            page = parse_page(
                response.url,
                body,
                content_type=record.content_type,
                header_charset=_charset(record.content_type),
                link_text=meta["xxgk_text"] or None,
                selectors=self.sites[site].selectors,
                today=self.today,
            )
        except Exception as exc:  # a hostile page must not lose its fetch record
            self.logger.exception("parse failed for %s", response.url)
            record.error = f"parse failed: {type(exc).__name__}: {exc}"[:500]
            yield CrawlItem(record, None, None, meta["xxgk_via"])
            return
        page.url = (
            record.url
        )  # filed under the URL the site links (links inside were resolved on the final one)
        canonical_page(page, self.canon)  # stored and followed without session ids and fragments
        from crawler.softnotfound import soft_not_found

        soft = soft_not_found(page, body)
        if soft:  # an error template answered 200: a failure like a 404, never a column with no items
            record.outcome = "http_error"
            record.error = soft
            yield CrawlItem(record, None, None, meta["xxgk_via"])
            return
        record.content_hash = page.content_hash
        if meta["xxgk_via"] == "start" and not page.rows and page.kind != "list":
            moved = self._start_moved(site, record, page, body)
            if moved is not None:  # the page only sends the browser on: follow it as a redirect
                yield CrawlItem(record, page, body, "redirect")
                yield moved
                return
        if meta["xxgk_via"] != "start":
            _script_filled(page, body, self.hosts[site])
        postbacks = self._postbacks(site, response, page, body) if page.kind in ("list", "empty") else []
        yield CrawlItem(record, page, body, meta["xxgk_via"])
        yield from postbacks
        if followable(page):
            yield from self._follow(site, page, meta["xxgk_depth"], record.url)

    def _postbacks(
        self, site: str, response: Response, page: PageParse, body: bytes
    ) -> list[scrapy.FormRequest]:
        """Form POSTs for the pages an ASP.NET `__doPostBack` pager links (crawler/postback.py); the page's
        pager lists their keys, so column assembly joins them."""
        from crawler.postback import postback_key, postback_pager

        if not isinstance(response, TextResponse):
            return []
        meta = response.meta
        current = meta.get("xxgk_postback", 1)
        base = meta["xxgk_url"].split("#", 1)[0]
        requests = []
        for pb in postback_pager(body, page.encoding, current):
            key = postback_key(base, pb.target, pb.number)
            if key not in page.pager and key != page.url:
                page.pager.append(key)
            if key in self.seen[site]:
                continue
            if self.budget[site] <= 0:  # recorded like every request the budget drops: the column is partial
                why, depth = self._budget_spent(site), meta["xxgk_depth"]
                self._drop(site, key, "budget", why, depth=depth, via="pager", text="", referer=page.url)
                continue
            self.seen[site].add(key)
            self.budget[site] -= 1
            try:
                request = scrapy.FormRequest.from_response(
                    response,
                    formxpath="//form[.//input[@name='__VIEWSTATE']]",
                    formdata={"__EVENTTARGET": pb.target, "__EVENTARGUMENT": pb.argument},
                    dont_click=True,
                    callback=self.parse,
                    errback=self.failed,
                    priority=PRIORITY["pager"],
                    dont_filter=True,
                    meta={
                        **{k: v for k, v in meta.items() if k.startswith("xxgk_") or k == HOSTS},
                        "handle_httpstatus_all": True,
                        "xxgk_url": key,
                        "xxgk_via": "pager",
                        "xxgk_text": "",
                        "xxgk_referer": page.url,
                        "xxgk_postback": pb.number,
                    },
                )
            except ValueError:  # no such form after all
                self.seen[site].discard(key)
                self.budget[site] += 1
                continue
            requests.append(request)
        return requests

    def _start_moved(
        self, site: str, record: FetchRecord, page: PageParse, body: bytes
    ) -> scrapy.Request | None:
        """A request for where a start page redirects by meta refresh or script (within the site's hosts)."""
        from crawler.clientredirect import client_redirect
        from crawler.extract.dom import resolve_url

        written = client_redirect(body, page.encoding)
        target = resolve_url(record.final_url or record.url, written) if written else None
        clean = _target(target, self.canon) if target else None
        if clean is None or clean[1] not in self.hosts[site] or clean[0] == record.url:
            return None
        record.final_url = clean[0]
        return self._request(site, clean[0], depth=0, via="start", text="", referer=record.url)

    def _json_list(self, site: str, record: FetchRecord, body: bytes, meta: dict[str, Any]) -> Iterator[Any]:
        """One answer of the JSON endpoint a script-filled list requests: its rows, and its next page."""
        from crawler.jsonrows import json_page  # the extractor's date parser: imported on first use

        record.content_hash = hashlib.sha256(body).hexdigest()
        read = json_page(record.url, body, self.today, self.plan.zone())
        if read is None:
            page = PageParse(record.url, record.content_hash, "blocked", blocked_reason="needs_js")
        else:
            rows, following, partial = read
            page = PageParse(
                record.url,
                record.content_hash,
                "list" if rows else "empty",
                rows=rows,
                pager=[following] if following else [],
                pager_next=following,
                pager_partial=partial,
                text="\n".join(r.title for r in rows),
            )
        yield CrawlItem(record, page, body, meta["xxgk_via"])
        yield from self._follow(site, page, meta["xxgk_depth"], record.url)

    def failed(self, failure: Failure) -> Iterator[CrawlItem]:
        request = failure.request  # type: ignore[attr-defined]
        outcome, error, status, target = classify(failure, self.plan.max_bytes)
        record = self._record(request, outcome, status=status)
        record.error = error
        if target:
            record.final_url = target
        elif request.url != record.url:
            record.final_url = request.url
        yield CrawlItem(record, None, None, request.meta["xxgk_via"])

    def _record(self, request: scrapy.Request, outcome: str, *, status: int | None) -> FetchRecord:
        meta = request.meta
        when, elapsed = started(request)
        return FetchRecord(
            site=meta["xxgk_site"],
            url=meta["xxgk_url"],
            requested_at=when,
            outcome=outcome,
            status=status,
            elapsed_ms=elapsed,
            depth=meta["xxgk_depth"],
            referer=meta["xxgk_referer"],
            link_text=meta["xxgk_text"] or None,
            role="attachment" if meta["xxgk_via"] == "attachment" else "page",
        )


# -- helpers -------------------------------------------------------------------------------------------------


def _unconditional(via: str, previous: PreviousPage) -> bool:
    """Pages asked for in full every time: a start page that may only redirect by meta refresh or script (a
    304 would not say where it sends the browser), and a list paged by form posts."""
    parse = previous.parse
    if parse is not None and any("#postback=" in u for u in parse.pager):
        return True  # a 304 carries no form to post the pager's pages from
    return via == "start" and parse is not None and not parse.rows and len(parse.links) <= 3


def followable(page: PageParse) -> bool:
    """Links of a login or challenge page lead nowhere of the site's; a page only a script fills still has its
    menus."""
    return page.kind != "blocked" or page.blocked_reason == "needs_js"


def _script_filled(page: PageParse, body: bytes, hosts: frozenset[str]) -> None:
    """A page whose list a script fills: its JSON endpoint becomes its next page (read as rows), or, when the
    request cannot be read from the script, the page is blocked with the reason `needs_js`."""
    from crawler.scripted import may_be_script_filled, script_source

    if not may_be_script_filled(page):
        return
    source = script_source(body, page.encoding, page.url, hosts)
    if source is None:
        return
    if source.endpoint:
        page.kind = "list"
        page.pager = [source.endpoint]
        page.pager_next = source.endpoint
    else:
        page.kind = "blocked"
        page.blocked_reason = "needs_js"


def _load_plan(
    plan: str | None, start_url: str | None, db: str | None, site: str | None, timezone: str | None
) -> CrawlPlan:
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


@functools.lru_cache(maxsize=16384)
def _target(raw: str, canon: Canonicalizer) -> tuple[str, str, bool] | None:
    """A link as written -> (its clean URL, that URL's host in lower case, whether its name says it is a
    file); None when it is not an http(s) URL.

    Cached: known articles the revisit policy defers are met again on every page that links them, and a site's
    nav and sidebars repeat the same links (a recrawl of the demo college splits 8,400 links, 3,900 distinct;
    ~18 us each uncached).
    """
    url = canon.url(raw)
    if url is None:
        return None
    parts = urlsplit(url)
    return url, parts.netloc.lower(), _is_attachment(url)


def _is_attachment(url: str) -> bool:
    path = urlsplit(url).path
    dot = path.rfind(".")
    return dot > path.rfind("/") and path[dot + 1 :].lower() in ATTACHMENT_EXTENSIONS


def _header(headers: Any, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
