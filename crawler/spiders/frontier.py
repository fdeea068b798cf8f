"""The college spider's frontier: which URL of each site is requested, once, within the site's limits.

Holds what the crawl knows per site (its hosts, the URLs requested, the page budget left, links ignored, the
previous crawl's pages and the revisit rotation) and turns a page's links into requests: each URL once, on the
site's hosts, within the page budget, the depth limit and the trap guard (crawler/canonical.py), at the
priority of how it was linked (PRIORITY). A known page the revisit policy keeps (crawler/revisit.py) is not
requested: its previous parse stands. What a limit kept from being requested is remembered and, unless
another path reached it, recorded at the end (`unrequested`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy

from crawler.canonical import Canonicalizer, TrapGuard
from crawler.middlewares.conditional import PREVIOUS
from crawler.middlewares.redirects import HOSTS
from crawler.pipelines import CrawlItem, KeptPages
from crawler.plan import CrawlPlan, SitePlan
from crawler.postjson import is_post_key, split_post_key
from crawler.revisit import Revisits
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
# A script-built menu's source (crawler/menusource.py) goes first after the start page: it holds the nav.
PRIORITY = {
    "start": 30,
    "menu": 29,
    "attachment": 28,
    "row": 25,
    "pager": 20,
    "nav": 10,
    "content": 0,
    "other": 0,
}


class Frontier:
    """The requests of one crawl, site by site (`callback` and `errback` are the spider's)."""

    def __init__(
        self, plan: CrawlPlan, today: date, *, callback: Callable[..., Any], errback: Callable[..., Any]
    ):
        self.plan = plan
        self.callback = callback
        self.errback = errback
        self.sites: dict[str, SitePlan] = {s.name: s for s in plan.sites}
        self.hosts: dict[str, frozenset[str]] = {
            s.name: frozenset(h.lower() for h in s.hosts()) for s in plan.sites
        }
        self.previous: dict[str, dict[str, PreviousPage]] = {}
        self.seen: dict[str, set[str]] = {s.name: set() for s in plan.sites}
        self.budget: dict[str, int] = {s.name: s.max_pages for s in plan.sites}
        self.revisits = Revisits()  # which known articles and attachments to ask for again
        self.canon = Canonicalizer(plan.ignore_query_keys)  # one URL per page: no session ids
        self.traps = {s.name: TrapGuard(today, plan.max_query_variants) for s in plan.sites}
        # raw links never to follow (off the site, not http, files when attachments are not checked)
        self.ignored: dict[str, set[str]] = {s.name: set() for s in plan.sites}
        # URLs a limit kept from being requested (budget, depth): recorded at the end unless reached after all
        self.dropped: dict[str, dict[str, tuple[FetchRecord, str]]] = {s.name: {} for s in plan.sites}

    def request(
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
                self.drop(
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
                why = self.budget_spent(site)
                self.drop(site, url, "budget", why, depth=depth, via=via, text=text, referer=referer)
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
            callback=self.callback,
            errback=self.errback,
            meta=meta,
            headers={"Referer": referer} if referer else None,
            priority=PRIORITY.get(via, 0) if priority is None else priority,
            dont_filter=True,
        )

    def post(self, site: str, key: str, *, depth: int, referer: str | None) -> scrapy.Request | None:
        """The POST a script-filled list's page stands for (crawler/postjson.py), on the site's own hosts,
        within its page budget; filed under `key`. Never conditional: a 304 would carry no rows."""
        posted = split_post_key(key)
        if posted is None or urlsplit(posted.url).netloc.lower() not in self.hosts[site]:
            return None
        request = self.request(site, key, depth=depth, via="pager", text="", referer=referer)
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

    def budget_spent(self, site: str) -> str:
        limit = self.sites[site].max_pages
        return f"not requested: the page budget ({LIMIT_NAMES['budget']} = {limit}) was spent"

    def drop(
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

    def follow(self, site: str, page: PageParse, depth: int, referer: str) -> Iterator[Any]:
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
                    posted = self.post(site, raw, depth=depth, referer=referer) if role == "pager" else None
                    if posted is not None:
                        yield posted
                    continue
                target = link_target(raw, self.canon)
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
            target = link_target(raw, self.canon)
            if target is None or target[1] not in hosts or target[2] or target[0] in seen:
                continue
            self.drop(
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
        return self.request(site, url, depth=depth, via=via, text=text, referer=referer, priority=priority)

    def _kept_record(self, site: str, url: str, depth: int, text: str, referer: str | None) -> FetchRecord:
        """What column assembly reads of a kept page: it stands as it was (never written as a fetch)."""
        return FetchRecord(
            site, url, datetime.now(UTC), "not_modified", depth=depth, referer=referer, link_text=text or None
        )


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


@functools.lru_cache(maxsize=16384)
def link_target(raw: str, canon: Canonicalizer) -> tuple[str, str, bool] | None:
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
