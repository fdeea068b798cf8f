"""Scrapy's HTTP download handler, imported without reading the source of every frame on the stack.

Importing `scrapy.core.downloader.handlers.http11` defines three deprecated aliases
(`scrapy.utils.deprecate.create_deprecated_class`), and each calls `inspect.stack()` to learn the module it is
defined in. `inspect.stack()` builds a FrameInfo for every frame, looking up each frame's source file and line
(and, for the frozen import machinery's frames, searching every loaded module for their file): the import
took 50 ms of CPU, 30 ms without it, for one attribute (`__module__`) of classes the crawler never uses.
Only the frames are needed, so while the handler is imported `inspect.stack` returns just those. Scrapy loads
the handler when the crawl starts; importing it here first changes nothing else.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from types import FrameType

HANDLER = "scrapy.core.downloader.handlers.http11"


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
