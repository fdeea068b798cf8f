"""Page kinds: blocked before article before list before empty; teasers and related boxes are not columns."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawler.extract import analyse_page, parse_page
from crawler.extract.classify import is_home_url

PAGES = Path(__file__).parent / "pages"
TODAY = date(2026, 7, 20)
CASES: list[dict[str, Any]] = tomllib.loads((PAGES / "expected.toml").read_text("utf-8"))["page"]


def _id(case: dict[str, Any]) -> str:
    return f"{case['file']}@{case['url'].split('/', 3)[-1]}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_kind_of_each_fixture(case: dict[str, Any]) -> None:
    page = parse_page(case["url"], (PAGES / case["file"]).read_bytes(), today=case.get("today", TODAY))
    assert (page.kind, page.blocked_reason) == (case["kind"], case.get("blocked"))


def kind_of(body: str, url: str = "http://x.example.cn/col/list.htm") -> tuple[str, str | None]:
    page = parse_page(url, body.encode("utf-8"), today=TODAY)
    return page.kind, page.blocked_reason


ROWS = "".join(
    f'<li><a href="/a/{i}.htm">第{i}条通知</a><span>2026-07-{i:02d}</span></li>' for i in range(1, 9)
)
MENU = "".join(f'<a href="/m{i}/">栏目{i}</a>' for i in range(12))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "<html><body><p>请输入验证码</p><input name=code><img src=/captcha.jpg></body></html>",
            ("blocked", "captcha"),
        ),
        (
            "<html><head><title>403</title></head><body><h1>您的访问被拦截</h1><p>网站防火墙</p></body></html>",
            ("blocked", "waf"),
        ),
        (
            "<html><head><script src=/c.js></script></head><body><script>x()</script></body></html>",
            ("blocked", "js_challenge"),
        ),
        (
            '<html><head><script>document.cookie="a";location.href="/x.htm"</script></head><body></body></html>',
            ("other", None),
        ),
        (
            '<html><head><meta http-equiv="refresh" content="0;url=/main.htm"></head><body></body></html>',
            ("other", None),
        ),
        (  # a home page's small login box does not make it a login wall
            f'<html><body><div class="nav">{MENU}</div><ul class="news">{ROWS}</ul>'
            '<form><input name=u><input type="password" name=p></form></body></html>',
            ("list", None),
        ),
        (  # a list with a stray 更新时间 label is still a list
            f"<html><body><p>更新时间：2026-07-19</p><ul>{ROWS}</ul></body></html>",
            ("list", None),
        ),
        (  # 没有相关信息 under a breadcrumb
            '<html><body><div class="crumb">当前位置：首页 &gt; 招生信息</div>'
            "<p>没有相关信息</p></body></html>",
            ("empty", None),
        ),
        ('<html><body><div class="pages">共0条 1/1页</div></body></html>', ("empty", None)),
        ("<html><body><h1>学校简介</h1><p>短短一句。</p></body></html>", ("other", None)),
        (  # an article without a date: the trail ends in 正文
            '<html><body><div class="position">当前位置：<a href="/">首页</a> &gt; 教学文件 &gt; 正文</div>'
            "<h2>教学管理办法</h2><p>第一条 为规范教学管理……</p></body></html>",
            ("article", None),
        ),
        ("", ("other", None)),
    ],
)
def test_kinds_of_small_pages(body: str, expected: tuple[str, str | None]) -> None:
    assert kind_of(body) == expected


def test_empty_marker_on_the_home_page_is_not_an_empty_column() -> None:
    body = '<html><body><div class="box"><h3>通知公告</h3><p>暂无内容</p></div></body></html>'
    assert kind_of(body, "http://x.example.cn/") == ("other", None)
    assert kind_of(body, "http://x.example.cn/tzgg/") == ("empty", None)


def test_empty_column_beside_a_dated_sidebar_is_empty() -> None:
    side = "".join(
        f'<li><a href="/a/{i}.htm">公告{i}</a><span>2026-07-{i:02d}</span></li>' for i in range(1, 6)
    )
    body = (
        f'<html><body><div class="sidebar"><h3>最新公告</h3><ul>{side}</ul></div>'
        '<div class="main"><div class="crumb">当前位置：首页 &gt; 资产管理</div>'
        "<p>暂无内容</p></div></body></html>"
    )
    assert kind_of(body) == ("empty", None)


def test_article_beats_its_related_box_and_list_beats_a_stray_meta() -> None:
    related = f'<div class="related"><h3>相关文章</h3><ul>{ROWS}</ul></div>'
    article = (
        '<html><head><meta name="PubDate" content="2026-07-13 10:00"></head><body><h1>标题</h1>'
        f'<div class="content"><p>{"正文内容。" * 60}</p></div>{related}</body></html>'
    )
    assert kind_of(article) == ("article", None)
    listing = (
        '<html><head><meta name="pubdate" content="2026-07-19"></head><body>'
        f'<ul>{ROWS}</ul><div class="page"><a href="list2.htm">下一页</a></div></body></html>'
    )
    assert kind_of(listing) == ("list", None)


CARD_ROWS = "".join(
    f'<li><a href="../info/1/{i}.htm" title="某某学院"><p>关于第{i}项工作的通知</p>'
    f"<span>2026-07-{i:02d}</span></a></li>"
    for i in range(1, 16)
)


def test_a_list_inside_an_article_named_wrapper_is_a_list() -> None:
    """The class name says article; fifteen links that each wrap a title and a date say list."""
    pager = (
        '<span class="p_pages"><a href="tz/3.htm">2</a>'
        '<span class="p_next"><a href="tz/3.htm">下一页</a></span></span>'
    )
    for inner in (f"<ul>{CARD_ROWS}</ul>{pager}", f"<ul>{CARD_ROWS}</ul>"):
        body = f'<html><body><div class="article-content">{inner}</div></body></html>'
        assert kind_of(body) == ("list", None)
        page = parse_page("http://x.example.cn/col/list.htm", body.encode(), today=TODAY)
        assert (len(page.rows), page.rows[0].title, page.published) == (15, "关于第1项工作的通知", None)


def test_an_article_whose_body_shares_its_wrapper_with_a_related_list_stays_an_article() -> None:
    related = "".join(
        f'<li><a href="/info/1/{i}.htm">相关通知{i}</a><span>2026-07-{i:02d}</span></li>' for i in range(1, 7)
    )
    short = "各单位：请于本周五前报送材料。" * 4
    for body_text, head in (("正文内容。" * 70, ""), (short, "发布时间：2026-07-13")):
        body = (
            f'<html><body><div class="article-content"><h1>关于报送材料的通知</h1><p>{head}</p>'
            f'<div class="text"><p>{body_text}</p></div><h3>相关文章</h3><ul>{related}</ul></div>'
            "</body></html>"
        )
        assert kind_of(body) == ("article", None), head


def test_an_app_shell_needs_javascript_and_an_inline_request_is_left_to_the_spider() -> None:
    shell = (
        "<html><head><title>通知公告</title></head><body><noscript>We are sorry but this site does not work"
        ' without JavaScript.</noscript><div id="app"></div><script src="/js/app.1c2d.js"></script>'
        "</body></html>"
    )
    assert kind_of(shell) == ("blocked", "needs_js")
    inline = shell.replace(
        '<script src="/js/app.1c2d.js"></script>',
        "<script>fetch('/api/list?page=1').then(r => r.json())</script>",
    )
    assert kind_of(inline)[1] != "needs_js"  # crawler/scripted.py reads the endpoint from the page
    # an empty mount point under a menu the server wrote is no shell: the menu's links are the site's
    menu = "".join(f'<li><a href="/news/list.html?cid={n}">栏目{n}</a></li>' for n in range(1, 4))
    served = shell.replace(
        '<div id="app">', f'<ul class="nav"><li><a href="/">首页</a></li>{menu}</ul><div id="app">'
    )
    assert kind_of(served)[0] != "blocked"


def test_kind_reason_is_given_in_words() -> None:
    analysis = analyse_page("http://x.example.cn/", (PAGES / "home.html").read_bytes(), today=TODAY)
    assert "更多" in analysis.kind_reason or "home" in analysis.kind_reason


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x.cn/", True),
        ("http://x.cn", True),
        ("http://x.cn/index.htm", True),
        ("http://x.cn/main.htm", True),
        ("http://x.cn/default.aspx", True),
        ("http://x.cn/xxgk/index.html", False),
        ("http://x.cn/?page=2", False),
        ("http://x.cn/tzgg.htm", False),
    ],
)
def test_is_home_url(url: str, expected: bool) -> None:
    assert is_home_url(url) is expected


def test_the_first_row_under_a_list_heading_is_not_the_pages_own_date() -> None:
    """A list's heading box with the rows right below it: the first row's date is a row's, not the page's."""
    analysis = analyse_page(
        "http://jwc.hcvc.example.cn/jwtz.htm", (PAGES / "vsb_span_em_list.htm").read_bytes(), today=TODAY
    )
    assert analysis.parse.kind == "list"
    assert analysis.trace[1].startswith("not an article: no publication date of its own;"), analysis.trace
