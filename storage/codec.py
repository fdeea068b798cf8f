"""Page bodies compressed for storage: zlib from the standard library (no extra dependency, ~5-8x on HTML)."""

from __future__ import annotations

import zlib

CODEC = "zlib"
_LEVEL = 6  # the usual speed/size balance; level 9 saves ~2 % more on HTML for twice the time


def compress(body: bytes) -> bytes:
    return zlib.compress(body, _LEVEL)


def decompress(codec: str, blob: bytes) -> bytes:
    """The original body bytes; `codec` is the `bodies.codec` the blob was written with."""
    if codec == "zlib":
        return zlib.decompress(blob)
    if codec == "none":
        return bytes(blob)
    raise ValueError(f"unknown body codec {codec!r}")
