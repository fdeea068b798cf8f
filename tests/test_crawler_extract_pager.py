"""Pagers: next, first and every other page of the same list, on every layout; never guessed."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawler.extract import analyse_page

PAGES = Path(__file__).parent / "pages"
TODAY = date(2026, 7, 20)
CASES: list[dict[str, Any]] = tomllib.loads((PAGES / "expected.toml").read_text("utf-8"))["page"]
LISTS = [c for c in CASES if c["kind"] == "list"]


def _id(case: dict[str, Any]) -> str:
    return f"{case['file']}@{case['url'].split('/', 3)[-1]}"


@pytest.mark.parametrize("case", LISTS, ids=_id)
def test_pager_of_each_layout(case: dict[str, Any]) -> None:
    analysis = analyse_page(case["url"], (PAGES / case["file"]).read_bytes(), today=case.get("today", TODAY))
    page = analysis.parse
    assert analysis.pager_next == case.get("next")
    assert page.pager_first == case.get("first")
    assert len(page.pager) == case.get("pager", 0)
    assert case["url"] not in page.pager
    if case.get("next"):
        assert case["next"] in page.pager
    assert {link.url for link in page.links if link.role == "pager"} == set(page.pager)


def test_vsb_reverse_numbered_pages_are_followed_not_guessed() -> None:
    case = next(c for c in CASES if c["file"] == "vsb_list.htm")
    page = analyse_page(
        case["url"], (PAGES / case["file"]).read_bytes(), today=case.get("today", TODAY)
    ).parse
    base = "http://www.hcvc.example.cn/tzgg/"
    assert page.pager == [base + "143.htm", base + "142.htm", base + "141.htm", base + "1.htm"]


LIST = "".join(f'<li><a href="/a/{i}.htm">第{i}条</a><span>2026-07-{i:02d}</span></li>' for i in range(1, 6))


def pager_of(extra: str, url: str = "http://x.example.cn/tzgg/list.htm", scripts: str = ""):  # type: ignore[no-untyped-def]
    html = (
        f'<html><head><meta charset="utf-8"><title>通知公告</title>{scripts}</head><body>'
        '<div class="menu"><a href="/">首页</a> <a href="/xxgk/">信息公开</a>'
        ' <a href="/jyjx/">教育教学</a></div>'
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; 通知公告</div>'
        f'<ul class="list">{LIST}</ul>{extra}'
        "</body></html>"
    )
    analysis = analyse_page(url, html.encode(), today=TODAY)
    return analysis.parse.pager, analysis.pager_next, analysis.parse.pager_first


@pytest.mark.parametrize(
    ("extra", "pages", "next_page", "first"),
    [
        (
            '<div class="page"><a href="?page=2">下一页</a><a href="?page=9">末页</a></div>',
            2,
            "?page=2",
            None,
        ),
        (
            '<div class="pages"><a href="list.htm">1</a> <a href="list2.htm">2</a>'
            ' <a href="list3.htm">3</a></div>',
            2,
            None,
            "list.htm",
        ),
        ('<p><a href="index_1.html">下页</a></p>', 1, "index_1.html", None),
        ('<div class="pg"><a href="p3.htm">‹</a><a href="p1.htm">›</a></div>', 2, "p1.htm", None),
        (
            '<div class="pg"><a href="p1.htm">« 首页</a> <a href="p5.htm">»</a>'
            ' 1 <a href="p2.htm">2</a></div>',
            3,
            "p5.htm",
            "p1.htm",
        ),
        (
            '<div class="pager"><a href="list2.htm"><img src="next.gif" alt="下一页"></a></div>',
            1,
            "list2.htm",
            None,
        ),
        (
            '<div class="fy"><a class="next" href="list2.htm"></a>'
            '<a class="last" href="list7.htm"></a></div>',
            2,
            "list2.htm",
            None,
        ),
    ],
)
def test_pager_forms(extra: str, pages: int, next_page: str | None, first: str | None) -> None:
    pager, nxt, first_url = pager_of(extra)
    base = "http://x.example.cn/tzgg/"
    assert len(pager) == pages
    assert nxt == (
        base + next_page
        if next_page and not next_page.startswith("?")
        else ("http://x.example.cn/tzgg/list.htm" + next_page if next_page else None)
    )
    assert first_url == (base + first if first else None)


@pytest.mark.parametrize(
    "extra",
    [
        '<p>上一篇：<a href="/a/9.htm">上一条通知</a></p><p>下一篇：<a href="/a/11.htm">下一条通知</a></p>',
        '<table class="calendar"><tr><td><a href="?d=1">1</a></td><td><a href="?d=2">2</a></td></tr></table>',
        '<div class="box"><a href="/">首页</a> <a href="/x.htm">学校概况</a></div>',
        '<div class="page"><a href="http://other.example.cn/list2.htm">下一页</a></div>',  # another host
        '<div class="page"><a href="javascript:goPage(2)">下一页</a></div>',
    ],
)
def test_not_pagers(extra: str) -> None:
    assert pager_of(extra)[:2] == ([], None)


def _jump(handler: str, values: list[str], texts: list[str] | None = None, selected: int = 0) -> str:
    labels = texts or [f"第{n + 1}页" for n in range(len(values))]
    options = "".join(
        f'<option value="{v}"{" selected" if n == selected else ""}>{labels[n]}</option>'
        for n, v in enumerate(values)
    )
    return f'<div class="page">共{len(values)}页 <select onchange="{handler}">{options}</select></div>'


def test_a_jump_menu_that_is_the_only_pager_is_followed() -> None:
    handler = "self.location.href=this.options[this.selectedIndex].value"
    pager, nxt, first = pager_of(_jump(handler, ["list.htm", "list2.htm", "list3.htm"]))
    base = "http://x.example.cn/tzgg/"
    assert (pager, nxt, first) == (
        [base + "list2.htm", base + "list3.htm"],
        base + "list2.htm",
        base + "list.htm",
    )
    # 动易: the handler writes the URL's prefix, the options hold page numbers
    handler = (
        "javascript:window.location='ShowClass.asp?ClassID=5&amp;page='"
        "+this.options[this.selectedIndex].value;"
    )
    pager, nxt, _ = pager_of(_jump(handler, ["1", "2", "3"], ["1", "2", "3"]))
    assert pager == [f"{base}ShowClass.asp?ClassID=5&page={n}" for n in (2, 3)]
    assert nxt == f"{base}ShowClass.asp?ClassID=5&page=2"


def test_a_select_of_other_sites_is_no_pager_and_a_stated_page_count_without_pages_is_partial() -> None:
    friends = _jump(
        "window.open(this.value)",
        ["http://www.moe.gov.cn/", "http://jyt.example.gov.cn/"],
        ["教育部", "教育厅"],
    )
    assert pager_of(friends)[:2] == ([], None)
    html = f'<html><body><ul class="list">{LIST}</ul><div class="page">共3页 当前第1页</div></body></html>'
    analysis = analyse_page("http://x.example.cn/tzgg/list.htm", html.encode(), today=TODAY)
    assert analysis.parse.pager == [] and analysis.parse.pager_partial  # its other pages cannot be read


def test_trs_script_pager_lists_every_page() -> None:
    script = '<script>createPageHTML(3, 1, "index", "html");</script>'
    pager, nxt, first = pager_of(
        f'<div class="page">{script}</div>', url="http://x.example.cn/xxgk/index_1.html"
    )
    assert pager == ["http://x.example.cn/xxgk/index.html", "http://x.example.cn/xxgk/index_2.html"]
    assert (nxt, first) == ("http://x.example.cn/xxgk/index_2.html", "http://x.example.cn/xxgk/index.html")


def test_trs_variable_pager() -> None:
    script = "<script>var currentPage = 0;var countPage = 3//共多少页\n</script>"
    pager, nxt, _ = pager_of("", url="http://x.example.cn/xxgk/index.shtml", scripts=script)
    assert pager == ["http://x.example.cn/xxgk/index_1.shtml", "http://x.example.cn/xxgk/index_2.shtml"]
    assert nxt == "http://x.example.cn/xxgk/index_1.shtml"


def test_pager_next_selector_override() -> None:
    html = (
        '<html><body><ul class="list">'
        + LIST
        + '</ul><div class="odd"><a href="/col/more-2.htm">继续</a></div>'
        "</body></html>"
    )
    analysis = analyse_page(
        "http://x.example.cn/col/", html.encode(), today=TODAY, selectors={"pager_next": "div.odd a"}
    )
    assert analysis.pager_next == "http://x.example.cn/col/more-2.htm"
    assert analysis.parse.pager == ["http://x.example.cn/col/more-2.htm"]
