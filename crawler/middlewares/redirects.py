"""Follow redirects inside the site; record, never follow, a redirect off the site or round in a loop.

Replaces Scrapy's RedirectMiddleware and MetaRefreshMiddleware: theirs send the redirected request back
through the scheduler, where it can be dropped, and they follow any host. Here the redirected request keeps
the original's meta (so its FetchRecord is filed under the URL the site linked), bypasses duplicate
filtering, and an off-site target or a loop raises an exception the spider's errback records as
`offsite_redirect` or `redirect_loop`. Hosts allowed for a request are in `request.meta["xxgk_hosts"]`.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.html import get_meta_refresh

HOSTS = "xxgk_hosts"  # meta key: frozenset of lower-case netlocs the request's site may visit
CHAIN = "redirect_urls"  # meta key (Scrapy's name): URLs redirected from, in order
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


class OffsiteRedirect(IgnoreRequest):
    """A redirect to a host outside the site: recorded, not followed."""

    def __init__(self, target: str, status: int):
        super().__init__(f"redirected ({status}) to {target}, outside the site")
        self.target = target
        self.status = status


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL already in the chain, or more redirects than allowed."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class SiteRedirectMiddleware:
    def __init__(self, max_times: int, max_refresh_delay: float, crawler: Crawler | None = None):
        self.max_times = max_times
        self.max_refresh_delay = max_refresh_delay
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteRedirectMiddleware:
        s = crawler.settings
        return cls(s.getint("REDIRECT_MAX_TIMES", 10), s.getfloat("METAREFRESH_MAXDELAY", 100.0), crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_redirect"):
            return response
        target = self._target(request, response)
        if target is None:
            return response
        status = response.status
        chain = [*request.meta.get(CHAIN, ()), request.url]
        if target in chain:
            raise RedirectLoop(f"redirect loop ({status}): {target} again after {len(chain)} hops", status)
        if len(chain) > self.max_times:
            raise RedirectLoop(f"more than {self.max_times} redirects ({status})", status)
        hosts = request.meta.get(HOSTS)
        netloc = urlsplit(target).netloc.lower()
        if hosts is not None and netloc not in hosts:
            # A start URL that moved (www. → bare host, http → another name) takes its site along: the
            # host it lands on becomes one of the site's hosts. Any other redirect off the site is recorded.
            widen = getattr(self.crawler.spider, "allow_host", None) if self.crawler else None
            if request.meta.get("xxgk_via") != "start" or widen is None:
                raise OffsiteRedirect(target, status)
            hosts = widen(request.meta["xxgk_site"], netloc)
        method = "GET" if status in (302, 303) and request.method not in ("GET", "HEAD") else request.method
        redirected = request.replace(url=target, method=method, dont_filter=True)
        redirected.meta[CHAIN] = chain
        if hosts is not None:
            redirected.meta[HOSTS] = hosts
        return redirected

    def _target(self, request: Request, response: Response) -> str | None:
        """Where the response sends us: a Location header, or a short meta refresh in an HTML body."""
        if response.status in REDIRECT_CODES:
            location = response.headers.get(b"Location")
            if not location:
                return None
            return _clean(urljoin(response.url, location.decode("latin-1").strip()))
        if response.status != 200 or request.method == "HEAD":
            return None
        head = response.body[:4096]
        if b"refresh" not in head.lower():
            return None
        interval, url = get_meta_refresh(head.decode("latin-1"), baseurl=response.url)
        if url is None or interval is None or interval >= self.max_refresh_delay:
            return None
        target = _clean(url)
        return None if target in (response.url, request.url) else target  # a page that reloads itself


def _clean(url: str) -> str | None:
    """The absolute http(s) URL without its fragment, or None for anything else (javascript:, mailto: ...)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    return parts._replace(fragment="").geturl()
