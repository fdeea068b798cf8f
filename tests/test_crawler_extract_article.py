"""Article pages: publication date and its source, attachments, heading and main text."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawler.extract import parse_page

PAGES = Path(__file__).parent / "pages"
TODAY = date(2026, 7, 20)
CASES: list[dict[str, Any]] = tomllib.loads((PAGES / "expected.toml").read_text("utf-8"))["page"]
ARTICLES = [c for c in CASES if c["kind"] == "article"]


@pytest.mark.parametrize("case", ARTICLES, ids=lambda c: c["file"])
def test_article_fixtures(case: dict[str, Any]) -> None:
    page = parse_page(case["url"], (PAGES / case["file"]).read_bytes(), today=TODAY)
    assert (page.published, page.published_source) == (case["published"], case["published_source"])
    assert len(page.attachments) == case["attachments"]
    assert all(a.role == "attachment" and a.url.startswith("http") for a in page.attachments)
    if "title" in case:
        assert page.title == case["title"]
    assert len(page.text) > 100 and "\ufffd" not in page.text


def article(head: str = "", info: str = "", body: str = "", url: str = "http://x.example.cn/info/1/2.htm"):  # type: ignore[no-untyped-def]
    html = (
        f'<html><head><meta charset="utf-8"><title>关于某事的通知-某学院</title>{head}</head><body>'
        f'<div class="nav"><a href="/">首页</a></div><h1>关于某事的通知</h1><div class="info">{info}</div>'
        f'<div class="article-content"><p>{"各部门：现将有关事项通知如下。" * 12}</p>'
        f"{body}</div></body></html>"
    )
    return parse_page(url, html.encode(), today=TODAY)


@pytest.mark.parametrize(
    ("head", "info", "expected", "source"),
    [
        ('<META Name="PubDate" Content="2026-07-13 19:02">', "", date(2026, 7, 13), "meta:pubdate"),
        (
            '<meta property="article:published_time" content="2026-07-12T08:00:00+08:00">',
            "",
            date(2026, 7, 12),
            "meta:article:published_time",
        ),
        ('<meta name="publishdate" content="2026年07月11日">', "", date(2026, 7, 11), "meta:publishdate"),
        ("", "发布时间：2026-07-10 浏览：12", date(2026, 7, 10), "label:发布时间"),
        ("", "发布日期: 2026/07/09", date(2026, 7, 9), "label:发布日期"),
        ("", "[ 发布日期 ] 2026-07-08", date(2026, 7, 8), "label:发布日期"),
        ("", "發布日期：2026年7月7日", date(2026, 7, 7), "label:發布日期"),
        ("", "生成日期：2026-07-06", date(2026, 7, 6), "label:生成日期"),
        ("", "更新时间：2026-07-05 10:00", date(2026, 7, 5), "label:更新时间"),
        ("", "作者：办公室 2026-07-04", date(2026, 7, 4), "heading"),
        (
            "",
            "更新时间：2026-07-03 发布时间：2026-07-01",
            date(2026, 7, 1),
            "label:发布时间",
        ),  # the stronger label
        (
            '<meta name="PubDate" content="garbage">',
            "发布时间：2026-07-02",
            date(2026, 7, 2),
            "label:发布时间",
        ),
    ],
)
def test_publication_date_sources(head: str, info: str, expected: date, source: str) -> None:
    page = article(head, info)
    assert (page.kind, page.published, page.published_source) == ("article", expected, source)


def test_url_date_is_only_a_last_resort_hint() -> None:
    page = article(url="http://x.example.cn/2026/0630/c12a345/page.htm")
    assert (page.published, page.published_source) == (date(2026, 6, 30), "url")


def test_last_modified_style_dates_in_the_footer_are_not_used_for_a_heading_date() -> None:
    page = article(info="作者：办公室")
    assert page.published is None


@pytest.mark.parametrize(
    ("link", "is_attachment"),
    [
        ('<a href="/upload/a.pdf">附件一</a>', True),
        ('<a href="/upload/B.PDF">附件</a>', True),
        ('<a href="/upload/b.docx?v=2">附件</a>', True),
        (
            '<a href="/system/_content/download.jsp?urltype=news.DownloadAttachUrl&amp;wbfileid=1">'
            "预算表.xlsx</a>",
            True,
        ),
        ('<a href="/download.jsp?filename=%E9%A2%84%E7%AE%97.xls">下载</a>', True),
        ('<a href="/down.asp?id=3">名单.rar</a>', True),
        ('<a href="/f/a.wps">a</a>', True),
        ('<a href="/info/1/3.htm">另一篇通知</a>', False),
        ('<a href="/pdf/index.htm">PDF 专区</a>', False),
        ('<a href="mailto:a@b.cn">a.pdf</a>', False),
    ],
)
def test_attachment_links(link: str, is_attachment: bool) -> None:
    page = article(body=f"<p>附件：{link}</p>")
    assert bool(page.attachments) is is_attachment
