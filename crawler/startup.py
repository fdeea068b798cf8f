"""Two Scrapy modules imported without costs the crawl does not need: the crawler calls `prepare()` first.

**The HTTP download handler.** Importing `scrapy.core.downloader.handlers.http11` defines three deprecated
aliases (`scrapy.utils.deprecate.create_deprecated_class`), and each calls `inspect.stack()` to learn the
module it is defined in. `inspect.stack()` builds a FrameInfo for every frame, looking up each frame's source
file and line (and, for the frozen import machinery's frames, searching every loaded module for their file):
the import took 50 ms of CPU, 30 ms without it, for one attribute (`__module__`) of classes the crawler never
uses. Only the frames are needed, so while the handler is imported `inspect.stack` returns just those.

**The cookies middleware.** `scrapy.downloadermiddlewares.cookies` builds a `tldextract.TLDExtract` when it is
imported, and importing tldextract imports requests, urllib3 and filelock: ~80 ms of every crawl's start,
for a public-suffix check that runs only when a site sets a cookie with a `Domain` attribute. While the
middleware is imported, `tldextract` is a stand-in whose `TLDExtract` imports the real one on its first use;
the middleware's check gives the same answers, later. Scrapy loads both modules when the crawl starts;
importing them here first changes nothing else.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from types import FrameType, ModuleType
from typing import Any

HANDLER = "scrapy.core.downloader.handlers.http11"
COOKIES = "scrapy.downloadermiddlewares.cookies"


def _frames(context: int = 1) -> list[tuple[FrameType]]:
    """The caller's frame and its callers', outermost last: what `inspect.stack()[i][0]` gives."""
    frame: FrameType | None = sys._getframe(1)
    out: list[tuple[FrameType]] = []
    while frame is not None:
        out.append((frame,))
        frame = frame.f_back
    return out


def import_http_handler() -> None:
    """Import Scrapy's HTTP/1.1 handler (and its TLS context factory) with the light `inspect.stack`."""
    if HANDLER in sys.modules:
        return
    real = inspect.stack
    inspect.stack = _frames  # type: ignore[assignment]
    try:
        importlib.import_module(HANDLER)
    finally:
        inspect.stack = real


class LazyTLDExtract:
    """`tldextract.TLDExtract(**options)`, built (and tldextract imported) on the first call."""

    def __init__(self, **options: Any):
        self._options = options
        self._real: Any = None

    def _extractor(self) -> Any:
        if self._real is None:
            from tldextract import TLDExtract

            self._real = TLDExtract(**self._options)
        return self._real

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._extractor()(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._extractor(), name)


def import_cookies_middleware() -> None:
    """Import Scrapy's cookies middleware with tldextract loaded only when a cookie's domain is checked."""
    if COOKIES in sys.modules or "tldextract" in sys.modules:
        return
    stand_in = ModuleType("tldextract")
    stand_in.TLDExtract = LazyTLDExtract  # type: ignore[attr-defined]
    sys.modules["tldextract"] = stand_in
    try:
        importlib.import_module(COOKIES)
    finally:
        if sys.modules.get("tldextract") is stand_in:
            del sys.modules["tldextract"]  # the real package is imported as usual by whoever needs it


def prepare() -> None:
    """Both imports, before Scrapy does them (crawler/__main__.py, before the crawl is built)."""
    import_http_handler()
    import_cookies_middleware()
