"""What became of a request that did not end in a page to parse: a failure, or a body that is no page.

Every request of the spider ends as one recorded outcome (storage.records.OUTCOMES). `classify` names the
outcome and the reason in words of a failed request (robots denial, off-site redirect, loop, timeout, size
limit, network error); `not_html` (crawler/sniff.py) says why a body answered with 2xx is not a page.
"""

from __future__ import annotations

from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError
from twisted.internet.error import TCPTimedOutError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure

from crawler.middlewares.redirects import OffsiteRedirect, RedirectLoop
from crawler.middlewares.robots import RobotsDenied
from crawler.sniff import not_html

__all__ = ["classify", "not_html"]


def classify(failure: Failure, max_bytes: int) -> tuple[str, str, int | None, str | None]:
    """(outcome, reason in words, HTTP status, redirect target) of a failed request."""
    exc = failure.value
    if isinstance(exc, RobotsDenied):
        return "robots_denied", "forbidden by robots.txt", None, None
    if isinstance(exc, OffsiteRedirect):
        return "offsite_redirect", str(exc), exc.status, exc.target
    if isinstance(exc, RedirectLoop):
        return "redirect_loop", str(exc), exc.status, None
    if isinstance(exc, DownloadTimeoutError | TwistedTimeoutError | TCPTimedOutError):
        return "timeout", f"no complete answer in time ({type(exc).__name__}: {exc})"[:500], None, None
    if isinstance(exc, DownloadCancelledError) and ("max size" in str(exc) or not str(exc)):
        # Scrapy cancels with a message when Content-Length announces too much, silently when the body
        # passes the limit while arriving; nothing else cancels a download in this crawler.
        return "too_large", str(exc)[:500] or f"body larger than the {max_bytes}-byte limit: cut", None, None
    text = str(exc) or type(exc).__name__
    return "network_error", f"{type(exc).__name__}: {text}"[:500], None, None
