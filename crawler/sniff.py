"""Is a body a page at all? One answer for the spider (outcome `not_html`) and the extractor (kind "other").

Kept free of Scrapy and of the extractor's own imports, so both can use it without slowing start-up.
"""

from __future__ import annotations

import re

__all__ = ["looks_json", "not_html"]

_JSONP = re.compile(rb"^[A-Za-z_$][\w$.]{0,60}\s*\(\s*[\[{]")
CONTROL_BYTES = bytes((*range(0, 9), *range(14, 32)))
BINARY_MAGIC = (
    b"%PDF",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"Rar!",
    b"7z\xbc\xaf",
)


def not_html(content_type: str | None, body: bytes) -> str | None:
    """Why this body is not a page to parse (a declared or sniffed binary type), or None when it is one."""
    if content_type:
        mime = content_type.split(";", 1)[0].strip().lower()
        if mime and not (mime.startswith("text/") or "html" in mime or "xml" in mime):
            return f"content type {mime}"
    head = body[:1024].lstrip()
    if head.startswith(BINARY_MAGIC):
        return "binary body"
    # A stray NUL is broken HTML, still worth parsing; a body a tenth control bytes is not text at all.
    # (counted in one pass: the length lost when they are deleted)
    if head and (len(head) - len(head.translate(None, CONTROL_BYTES))) * 10 > len(head):
        return "binary body"
    return None


def looks_json(content_type: str | None, body: bytes) -> bool:
    """A JSON answer: declared so, or a body that starts like a JSON object or array."""
    if content_type and "json" in content_type.lower():
        return True
    head = body[:64].lstrip()
    if _JSONP.match(head):  # callback({...}): JSONP
        return True
    return head.startswith((b"{", b"[")) and not head.startswith(b"[if")
