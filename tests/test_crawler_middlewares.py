"""The downloader middlewares (crawler/middlewares/): redirects, conditional GET, robots denial, timing.

Each is built through `from_crawler` with Scrapy's test crawler and fed real Request/Response objects; the
whole-crawl behaviour (one record per URL, nothing off-site fetched) is in test_crawler_crawl.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler.middlewares.conditional import PREVIOUS, ConditionalGetMiddleware
from crawler.middlewares.redirects import HOSTS, OffsiteRedirect, RedirectLoop, SiteRedirectMiddleware
from crawler.middlewares.robots import RobotsDenied, RobotsMiddleware
from crawler.middlewares.timing import STARTED, TimingMiddleware, started
from storage.records import PageParse, PreviousPage

SITE = "http://a.edu.cn"
HOSTS_AB = frozenset({"a.edu.cn", "b.edu.cn"})


def redirects(**settings: Any) -> SiteRedirectMiddleware:
    return SiteRedirectMiddleware.from_crawler(get_crawler(settings_dict=settings))


def request(url: str = f"{SITE}/x", **meta: Any) -> Request:
    return Request(url, meta={HOSTS: HOSTS_AB, "xxgk_url": url, **meta})


def answer(req: Request, status: int, location: str | None = None, body: bytes = b"") -> Response:
    headers = {"Location": location} if location else {}
    return HtmlResponse(req.url, status=status, headers=headers, body=body, request=req)


@pytest.mark.parametrize(
    ("status", "location", "expected"),
    [
        (301, "/x/", f"{SITE}/x/"),
        (302, "http://b.edu.cn/y#frag", "http://b.edu.cn/y"),  # another allowed host of the site
        (307, "y?page=2", f"{SITE}/y?page=2"),
        (200, None, None),
        (304, None, None),
        (302, None, None),  # no Location: nothing to follow, the response stands
    ],
)
def test_redirects_inside_the_site_keep_the_original_meta(
    status: int, location: str | None, expected: str | None
) -> None:
    req = request()
    out = redirects().process_response(req, answer(req, status, location))
    if expected is None:
        assert isinstance(out, Response) and out.status == status
        return
    assert isinstance(out, Request)
    assert out.url == expected
    assert out.meta["xxgk_url"] == f"{SITE}/x", "the record must be filed under the URL the site linked"
    assert out.meta["redirect_urls"] == [f"{SITE}/x"]
    assert out.dont_filter


def test_a_redirect_off_the_site_is_refused_with_its_target() -> None:
    req = request()
    with pytest.raises(OffsiteRedirect) as caught:
        redirects().process_response(req, answer(req, 302, "http://evil.example.com/login"))
    assert (caught.value.target, caught.value.status) == ("http://evil.example.com/login", 302)
    assert isinstance(caught.value, IgnoreRequest), "so the request's errback records it"


def test_a_redirect_back_into_the_chain_is_a_loop() -> None:
    mw = redirects()
    req = request(f"{SITE}/a")
    step = mw.process_response(req, answer(req, 302, "/b"))
    assert isinstance(step, Request)
    with pytest.raises(RedirectLoop, match="loop"):
        mw.process_response(step, answer(step, 302, "/a"))


def test_too_many_redirects_is_a_loop_too() -> None:
    mw = redirects(REDIRECT_MAX_TIMES=3)
    req: Request = request(f"{SITE}/0")
    with pytest.raises(RedirectLoop, match="more than 3"):
        for n in range(1, 10):
            out = mw.process_response(req, answer(req, 302, f"/{n}"))
            assert isinstance(out, Request)
            req = out


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta http-equiv="refresh" content="0;url=/xxgk/">', f"{SITE}/xxgk/"),
        ('<meta http-equiv="refresh" content="0;URL=\'http://evil.example.com/\'">', OffsiteRedirect),
        ('<meta http-equiv="refresh" content="60;url=/x">', None),  # a page that reloads itself
        ('<meta http-equiv="refresh" content="600;url=/elsewhere">', None),  # too slow to be a redirect
        ("<p>refresh your browser</p>", None),
    ],
)
def test_meta_refresh_is_a_redirect(head: str, expected: Any) -> None:
    req = request()
    resp = answer(req, 200, body=f"<html><head>{head}</head><body>hi</body></html>".encode())
    if expected is OffsiteRedirect:
        with pytest.raises(OffsiteRedirect):
            redirects().process_response(req, resp)
        return
    out = redirects().process_response(req, resp)
    assert (out.url if isinstance(out, Request) else None) == expected


def previous(etag: str | None, modified: str | None) -> PreviousPage:
    parse = PageParse(url=f"{SITE}/x", content_hash="h", kind="list")
    return PreviousPage(f"{SITE}/x", etag, modified, "h", parse)


@pytest.mark.parametrize(
    ("prev", "headers"),
    [
        (
            previous('"abc"', "Mon, 05 Jan 2026 02:00:00 GMT"),
            {b"If-None-Match": b'"abc"', b"If-Modified-Since": b"Mon, 05 Jan 2026 02:00:00 GMT"},
        ),
        (previous('"abc"', None), {b"If-None-Match": b'"abc"'}),
        (previous(None, None), {}),
        (None, {}),
    ],
)
def test_conditional_get_sends_the_stored_validators(
    prev: PreviousPage | None, headers: dict[bytes, bytes]
) -> None:
    mw = ConditionalGetMiddleware.from_crawler(get_crawler())
    req = request(f"{SITE}/x", **({PREVIOUS: prev} if prev else {}))
    mw.process_request(req)
    sent = {k: req.headers.get(k) for k in (b"If-None-Match", b"If-Modified-Since") if req.headers.get(k)}
    assert sent == headers


def test_conditional_get_can_be_switched_off_by_the_plan() -> None:
    with pytest.raises(NotConfigured):
        ConditionalGetMiddleware.from_crawler(get_crawler(settings_dict={"XXGK_CONDITIONAL": False}))


def test_a_robots_denial_is_its_own_exception() -> None:
    class DenyAll:
        def allowed(self, url: str, agent: Any) -> bool:
            return False

    mw = RobotsMiddleware.from_crawler(get_crawler(settings_dict={"ROBOTSTXT_OBEY": True}))
    with pytest.raises(RobotsDenied):
        mw.process_request_2(DenyAll(), request())  # type: ignore[arg-type]


def test_timing_keeps_the_first_attempt() -> None:
    mw = TimingMiddleware.from_crawler(get_crawler())
    req = request()
    mw.process_request(req)
    first = req.meta[STARTED]
    mw.process_request(req.replace(url=f"{SITE}/retry"))
    mw.process_request(req)
    assert req.meta[STARTED] == first
    when, elapsed = started(req)
    assert when == first[0] and elapsed is not None and elapsed >= 0
