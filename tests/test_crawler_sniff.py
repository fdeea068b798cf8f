"""One answer to "is this body a page?" for the spider and the extractor."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extract import analyse_page
from crawler.sniff import not_html

TODAY = date(2026, 7, 20)
PAGE = "<html><body><ul><li><a href='/a.htm'>通知</a><span>2026-07-13</span></li></ul></body></html>".encode()


@pytest.mark.parametrize(
    ("content_type", "body", "why"),
    [
        ("text/html; charset=utf-8", PAGE, None),
        (None, PAGE, None),
        ("text/plain", PAGE, None),
        ("application/xhtml+xml", PAGE, None),
        ("text/html", PAGE.replace(b"\xe9\x80\x9a", b"\x00\xe9\x80\x9a"), None),  # a stray NUL is still HTML
        ("application/pdf", b"%PDF-1.7 ...", "content type application/pdf"),
        ("text/html", b"  %PDF-1.7 ...", "binary body"),  # binary served as text/html
        ("text/html", b"7z\xbc\xaf\x27\x1c rest", "binary body"),
        ("text/html", bytes(range(32)) * 20, "binary body"),  # a body mostly of control bytes
    ],
)
def test_not_html(content_type: str | None, body: bytes, why: str | None) -> None:
    assert not_html(content_type, body) == why


def test_the_extractor_agrees_with_the_spider() -> None:
    png = analyse_page(
        "http://x.edu.cn/f.htm", b"\x89PNG\r\n\x1a\n...", content_type="text/html", today=TODAY
    )
    assert png.parse.kind == "other" and png.kind_reason == "not HTML: binary body"
    page = analyse_page("http://x.edu.cn/l.htm", PAGE, content_type="text/html", today=TODAY)
    assert not page.kind_reason.startswith("not HTML")
