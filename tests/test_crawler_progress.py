"""The progress display (crawler/progress.py): counts per site, in-place lines on a TTY, the closing table."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.pipelines import CrawlItem
from crawler.progress import Progress
from storage.records import FetchRecord, PageParse, Row


def item(
    site: str, outcome: str, *, kind: str | None = None, via: str = "nav", role: str = "page"
) -> CrawlItem:
    record = FetchRecord(
        site, f"http://{site}/{outcome}", datetime(2026, 1, 1, tzinfo=UTC), outcome, role=role
    )
    parse = None
    if kind:
        rows = [Row("t", "http://x/1"), Row("u", "http://x/2")] if kind == "list" else []
        parse = PageParse(url=record.url, content_hash="h", kind=kind, rows=rows)
    return CrawlItem(record, parse, None, via)


def progress(mode: str) -> tuple[Progress, io.StringIO]:
    crawler = get_crawler(settings_dict={"XXGK_PROGRESS": mode})
    ext = Progress.from_crawler(crawler)
    out = io.StringIO()
    ext.out = out
    return ext, out


def feed(ext: Progress) -> None:
    for it in [
        item("xxgk", "ok", kind="list"),
        item("xxgk", "ok", kind="list", via="pager"),
        item("xxgk", "not_modified", kind="article"),
        item("xxgk", "http_error"),
        item("xxgk", "robots_denied"),
        item("xxgk", "ok", role="attachment"),
        item("dept", "timeout"),
    ]:
        ext.item_scraped(it)


def test_counts_per_site() -> None:
    ext, _ = progress("log")
    feed(ext)
    xxgk, dept = ext.sites["xxgk"], ext.sites["dept"]
    assert (xxgk.pages, xxgk.not_modified, xxgk.errors, xxgk.lists, xxgk.rows) == (3, 1, 1, 1, 4)
    assert (dept.pages, dept.errors) == (0, 1)


def test_a_terminal_gets_lines_redrawn_in_place() -> None:
    ext, out = progress("tty")
    feed(ext)
    ext.tick()
    ext.tick()
    text = out.getvalue()
    assert text.count("\x1b[2A") == 1, "the second draw should move up over the two site lines"
    assert "xxgk: 3 pages (1 unchanged), ~1 columns, 1 errors" in text


def test_a_log_gets_one_line_per_site(caplog: pytest.LogCaptureFixture) -> None:
    ext, out = progress("log")
    feed(ext)
    with caplog.at_level(logging.INFO, logger="crawler.progress"):
        ext.tick()
    assert [r.getMessage() for r in caplog.records] == [
        "progress xxgk: 3 pages (1 unchanged), ~1 columns, 1 errors",
        "progress dept: 0 pages (0 unchanged), ~0 columns, 1 errors",
    ]
    assert out.getvalue() == "", "nothing but log lines off a terminal"


def test_the_summary_table_takes_columns_and_items_from_the_run() -> None:
    ext, _ = progress("log")
    feed(ext)
    assert ext.crawler.stats is not None
    ext.crawler.stats.set_value("xxgk/columns/xxgk", 5)
    ext.crawler.stats.set_value("xxgk/items/xxgk", 33)
    ext.crawler.stats.set_value("xxgk/limited/xxgk", 2)
    lines = ext.summary().splitlines()
    assert lines[0].split() == ["site", "pages", "304s", "errors", "limited", "columns", "items", "time"]
    assert lines[1].split()[:7] == ["xxgk", "3", "1", "1", "2", "5", "33"]
    assert lines[2].split()[:7] == ["dept", "0", "0", "1", "-", "-", "-"]


def test_off_means_no_extension() -> None:
    with pytest.raises(NotConfigured):
        Progress.from_crawler(get_crawler(settings_dict={"XXGK_PROGRESS": "off"}))
