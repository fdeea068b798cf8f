"""What the college spider makes of each answer: its `CrawlItem` (crawler/pipelines.py) and what it leads to.

A 304 re-uses the parse stored by the previous crawl: its links are followed and its rows feed column assembly
without parsing anything. An error answer, a HEAD of an attachment and a body that is not HTML are fetch
records only (a file's HEAD answered 405 / 501 or with an HTML page is asked again by GET, and a sign-in page
answered where a file was linked is kept as its parse: crawler/filecheck.py); a JSON answer to a
script-filled list's request is read as rows (crawler/jsonrows.py); an HTML body is parsed
(crawler/extract/), checked for an error template answering 200 (crawler/softnotfound.py), a start page that
only sends the browser on (crawler/clientredirect.py), a list a script fills (crawler/scripted.py) and a
pager of form posts (crawler/postback.py). What the page links goes to the frontier
(crawler/spiders/frontier.py).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.canonical import canonical_page
from crawler.filecheck import ask_again
from crawler.middlewares.conditional import PREVIOUS
from crawler.middlewares.redirects import HOSTS
from crawler.middlewares.timing import started
from crawler.outcomes import classify, not_html
from crawler.pipelines import CrawlItem
from crawler.sniff import looks_json
from crawler.spiders.frontier import PRIORITY, Frontier, followable, link_target
from storage.records import FetchRecord, PageParse, PreviousPage


def read_response(
    response: Response, frontier: Frontier, today: date, logger: logging.LoggerAdapter[Any]
) -> Iterator[Any]:
    """What one answer becomes: its CrawlItem (fetch record and, for a new HTML body, its parse), and the
    requests for what it links."""
    request = response.request
    assert request is not None
    meta = response.meta
    site: str = meta["xxgk_site"]
    record = fetch_record(request, "ok", status=response.status)
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
            yield from frontier.follow(site, previous.parse, _links_depth(meta), record.url)
        return
    if ask_again(request.method, status, record.content_type):  # a file link's HEAD that says nothing
        yield request.replace(method="GET", dont_filter=True)
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
    if meta["xxgk_via"] == "menu":  # a script-built menu's source: its entries are nav links
        yield from _menu_source(frontier, site, record, body, meta)
        return
    if meta["xxgk_via"] == "pager" and looks_json(record.content_type, body):
        yield from _json_list(frontier, today, site, record, body, meta)
        return
    why_not = not_html(record.content_type, body)
    if why_not and meta["xxgk_via"] == "attachment":  # the file itself, asked by GET: it is there
        record.content_hash = hashlib.sha256(body).hexdigest()
        yield CrawlItem(record, None, None, "attachment")
        return
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
            selectors=frontier.sites[site].selectors,
            today=today,
        )
    except Exception as exc:  # a hostile page must not lose its fetch record
        logger.exception("parse failed for %s", response.url)
        record.error = f"parse failed: {type(exc).__name__}: {exc}"[:500]
        yield CrawlItem(record, None, None, meta["xxgk_via"])
        return
    page.url = record.url  # filed under the URL the site links (links inside were resolved on the final one)
    canonical_page(page, frontier.canon)  # stored and followed without session ids and fragments
    from crawler.softnotfound import soft_not_found

    soft = soft_not_found(page, body)
    if soft:  # an error template answered 200: a failure like a 404, never a column with no items
        record.outcome = "http_error"
        record.error = soft
        yield CrawlItem(record, None, None, meta["xxgk_via"])
        return
    record.content_hash = page.content_hash
    if meta["xxgk_via"] == "attachment":  # a page where a file was linked: a sign-in page is a wall
        yield CrawlItem(record, page if page.kind == "blocked" else None, None, "attachment")
        return
    if meta["xxgk_via"] == "start" and not page.rows and page.kind != "list":
        moved = _start_moved(frontier, site, record, page, body)
        if moved is not None:  # the page only sends the browser on: follow it as a redirect
            yield CrawlItem(record, page, body, "redirect")
            yield moved
            return
    if meta["xxgk_via"] != "start":
        _script_filled(page, body, frontier.hosts[site])
    postbacks = _postbacks(frontier, site, response, page, body) if page.kind in ("list", "empty") else []
    yield CrawlItem(record, page, body, meta["xxgk_via"])
    yield from postbacks
    if followable(page):
        yield from frontier.follow(site, page, meta["xxgk_depth"], record.url)


def _postbacks(
    frontier: Frontier, site: str, response: Response, page: PageParse, body: bytes
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
        if key in frontier.seen[site]:
            continue
        if frontier.budget[site] <= 0:  # recorded like every request the budget drops: the column is partial
            why, depth = frontier.budget_spent(site), meta["xxgk_depth"]
            frontier.drop(site, key, "budget", why, depth=depth, via="pager", text="", referer=page.url)
            continue
        frontier.seen[site].add(key)
        frontier.budget[site] -= 1
        try:
            request = scrapy.FormRequest.from_response(
                response,
                formxpath="//form[.//input[@name='__VIEWSTATE']]",
                formdata={"__EVENTTARGET": pb.target, "__EVENTARGUMENT": pb.argument},
                dont_click=True,
                callback=frontier.callback,
                errback=frontier.errback,
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
            frontier.seen[site].discard(key)
            frontier.budget[site] += 1
            continue
        requests.append(request)
    return requests


def _start_moved(
    frontier: Frontier, site: str, record: FetchRecord, page: PageParse, body: bytes
) -> scrapy.Request | None:
    """A request for where a start page redirects by meta refresh or script (within the site's hosts)."""
    from crawler.clientredirect import client_redirect
    from crawler.extract.dom import resolve_url

    written = client_redirect(body, page.encoding)
    target = resolve_url(record.final_url or record.url, written) if written else None
    clean = link_target(target, frontier.canon) if target else None
    if clean is None or clean[1] not in frontier.hosts[site] or clean[0] == record.url:
        return None
    record.final_url = clean[0]
    return frontier.request(site, clean[0], depth=0, via="start", text="", referer=record.url)


def _json_list(
    frontier: Frontier, today: date, site: str, record: FetchRecord, body: bytes, meta: dict[str, Any]
) -> Iterator[Any]:
    """One answer of the JSON endpoint a script-filled list requests: its rows, and its next page."""
    from crawler.jsonrows import json_page  # the extractor's date parser: imported on first use

    record.content_hash = hashlib.sha256(body).hexdigest()
    read = json_page(record.url, body, today, frontier.plan.zone())
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
    yield from frontier.follow(site, page, meta["xxgk_depth"], record.url)


def _menu_source(
    frontier: Frontier, site: str, record: FetchRecord, body: bytes, meta: dict[str, Any]
) -> Iterator[Any]:
    """A fetched source of a script-built menu (a script, a JSON endpoint, an HTML fragment): its entries
    are followed as the navigation of the page that named it (crawler/menusource.py)."""
    from crawler.menusource import menu_page

    page = menu_page(record.url, body, record.content_type, _charset(record.content_type))
    record.content_hash = page.content_hash
    yield CrawlItem(record, page, body, "menu")
    yield from frontier.follow(site, page, _links_depth(meta), record.url)


def _links_depth(meta: dict[str, Any]) -> int:
    """The depth links of a page are counted from: a menu source's links are the links of the page that
    named it (one level up), not one level below it."""
    return meta["xxgk_depth"] - 1 if meta["xxgk_via"] == "menu" else meta["xxgk_depth"]


def failed_item(failure: Failure, max_bytes: int) -> CrawlItem:
    """What a request that failed becomes: its fetch record, saying why."""
    request = failure.request  # type: ignore[attr-defined]
    outcome, error, status, target = classify(failure, max_bytes)
    record = fetch_record(request, outcome, status=status)
    record.error = error
    if target:
        record.final_url = target
    elif request.url != record.url:
        record.final_url = request.url
    return CrawlItem(record, None, None, request.meta["xxgk_via"])


def fetch_record(request: scrapy.Request, outcome: str, *, status: int | None) -> FetchRecord:
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
