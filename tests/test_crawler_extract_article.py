"""Article pages: publication date and its source, attachments, heading and main text."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawler.extract import parse_page
from storage.records import PageParse

PAGES = Path(__file__).parent / "pages"
TODAY = date(2026, 7, 20)
CASES: list[dict[str, Any]] = tomllib.loads((PAGES / "expected.toml").read_text("utf-8"))["page"]
ARTICLES = [c for c in CASES if c["kind"] == "article"]


@pytest.mark.parametrize("case", ARTICLES, ids=lambda c: c["file"])
def test_article_fixtures(case: dict[str, Any]) -> None:
    page = parse_page(case["url"], (PAGES / case["file"]).read_bytes(), today=case.get("today", TODAY))
    # an undated article (a text page) has neither key
    assert (page.published, page.published_source) == (case.get("published"), case.get("published_source"))
    assert len(page.attachments) == case["attachments"]
    assert all(a.role == "attachment" and a.url.startswith("http") for a in page.attachments)
    if "title" in case:
        assert page.title == case["title"]
    assert len(page.text) > 100 and "\ufffd" not in page.text


def article(
    head: str = "", info: str = "", body: str = "", url: str = "http://x.example.cn/info/1/2.htm"
) -> PageParse:
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


BODY = "各部门：现将有关事项通知如下，请认真贯彻执行。" * 6


def wrapped(inside: str) -> str:
    """The text of an article whose main block carries no known class: a wrapper holds heading, info line,
    body and whatever `inside` adds (the PubDate meta makes it an article whatever the block shows)."""
    html = (
        '<html><head><meta charset="utf-8"><title>某学院--关于某事的通知</title>'
        '<meta name="PubDate" content="2026-07-10"></head><body>'
        '<div class="menu"><a href="/">首页</a><a href="/tzgg/">通知公告</a></div>'
        f'<table class="wrap"><tr><td>{inside}</td></tr></table>'
        '<div class="foot">某学院 版权所有</div></body></html>'
    )
    page = parse_page("http://x.example.cn/info/1/2.htm", html.encode(), today=TODAY)
    assert page.kind == "article"
    return page.text


# (what the main block holds besides the body, texts that must be left out of the article's text, text that
# must stay in it)
FURNITURE = [
    ("<h1>关于某事的通知</h1>", ("关于某事的通知",), BODY),  # the heading
    ("<p><font><b>关于某事的通知</b></font></p>", ("关于某事的通知",), BODY),  # a heading that is no <h1>
    ('<div class="attr">发布时间：2026-07-10 来源：办公室 点击：<span>356</span></div>', ("356",), BODY),
    ("<p>来源：办公室 作者：张三 时间：2026-07-10 浏览次数：12</p>", ("浏览次数",), BODY),
    ("<p>来源：办公室 作者：张三</p>", ("张三",), BODY),
    # an info line written straight into the block, its hit count in a span of its own
    ("<b>通知</b>发布日期：2026-07-10 阅读：<span>356</span>", ("阅读", "356"), BODY),
    (
        '<div class="pn"><p>上一篇：<a href="/info/1/1.htm">较早的通知</a></p>'
        '<p>下一篇：<a href="/info/1/3.htm">较新的通知</a></p></div>',
        ("较早的通知", "较新的通知"),
        BODY,
    ),
    ("<p>下一篇：没有了</p>", ("没有了",), BODY),  # becomes a link when a newer item is published
    (
        '<div class="xg"><h3>相关文章</h3><ul><li><a href="/info/1/5.htm">关于甲的通知</a></li>'
        '<li><a href="/info/1/6.htm">关于乙的通知</a></li><li><a href="/info/1/7.htm">关于丙的通知</a></li>'
        "</ul></div>",
        ("关于甲的通知", "关于丙的通知"),
        BODY,
    ),
    ("<p>会议时间：2026年7月15日上午9:00</p>", (), "会议时间：2026年7月15日上午9:00"),  # body text stays
    ('<p>附件：<a href="/f/名单.pdf">名单.pdf</a></p>', (), "附件： 名单.pdf"),
    ("<p>某学院</p>", (), "某学院"),  # the site's name signing the notice stays
]


@pytest.mark.parametrize(("extra", "left_out", "kept"), FURNITURE)
def test_article_text_is_the_body_alone(extra: str, left_out: tuple[str, ...], kept: str) -> None:
    text = wrapped(f'<div class="box">{extra}<div class="zw"><p>{BODY}</p></div></div>')
    assert BODY in text and kept in text, text
    assert [gone for gone in left_out if gone in text] == [], text


def test_an_article_that_is_a_list_of_links_keeps_it() -> None:
    links = "".join(f'<li><a href="/dept/{n}.htm">第{n}学院网站</a></li>' for n in range(8))
    text = wrapped(f"<h1>关于某事的通知</h1><p>发布时间：2026-07-10</p><ul>{links}</ul>")
    assert "第7学院网站" in text
