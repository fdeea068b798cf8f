"""Row groups on every fixture layout: which repeated structure is the list; previews; split lists."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_crawler_extract_row import D1, D2, rows_of, wrap

from crawler.extract import analyse_page, parse_page

PAGES = Path(__file__).parent / "pages"
TODAY = date(2026, 7, 20)
CASES: list[dict[str, Any]] = tomllib.loads((PAGES / "expected.toml").read_text("utf-8"))["page"]
LISTS = [c for c in CASES if c["kind"] == "list"]


def _id(case: dict[str, Any]) -> str:
    return f"{case['file']}@{case['url'].split('/', 3)[-1]}"


def parse_fixture(case: dict[str, Any]):  # type: ignore[no-untyped-def]
    return parse_page(case["url"], (PAGES / case["file"]).read_bytes(), today=case.get("today", TODAY))


@pytest.mark.parametrize("case", LISTS, ids=_id)
def test_rows_of_each_layout(case: dict[str, Any]) -> None:
    page = parse_fixture(case)
    dated = [r.date for r in page.rows if r.date]
    assert (len(page.rows), len(dated), max(dated)) == (case["rows"], case["dated"], case["newest"])
    if "first_title" in case:
        assert page.rows[0].title == case["first_title"]
    urls = [r.url for r in page.rows]
    assert len(set(urls)) == len(urls)
    assert all(u.startswith("http") and "#" not in u for u in urls)
    assert all(r.title and "\ufffd" not in r.title and not r.title.endswith(("…", "...")) for r in page.rows)


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] != "list"], ids=_id)
def test_pages_that_are_not_lists_have_no_rows(case: dict[str, Any]) -> None:
    assert parse_fixture(case).rows == []


def test_a_box_with_a_more_link_is_a_preview_not_a_column() -> None:
    html = wrap(
        '<li><a href="1.htm">第一条</a><span>2026-07-13</span></li>'
        '<li><a href="2.htm">第二条</a><span>2026-07-01</span></li>'
        '<li><a href="/tzgg/more.htm">更多&gt;&gt;</a></li>'
    )
    analysis = analyse_page("http://x.example.cn/col/list.htm", html.encode(), today=TODAY)
    assert [len(g.rows) for g in analysis.groups] == [2]
    assert analysis.groups[0].teaser
    assert analysis.parse.kind == "other"


def test_one_list_split_over_identical_sibling_containers() -> None:
    rows = "".join(
        f'<li><a href="{i}.htm">第{i}条</a><span>2026-07-{10 + i:02d}</span></li>' for i in range(1, 4)
    )
    more = "".join(
        f'<li><a href="{i}.htm">第{i}条</a><span>2026-06-{10 + i:02d}</span></li>' for i in range(4, 7)
    )
    html = wrap(f'<ul class="l">{rows}</ul><ul class="l">{more}</ul>', "div")
    assert [u for _, u, _ in rows_of(html)] == [f"{i}.htm" for i in range(1, 7)]


def test_selectors_override_the_general_method() -> None:
    html = wrap(
        '<li><a href="1.htm">第一条</a><em>2026-07-13</em><i>2020-01-01</i></li>'
        '<li><a href="2.htm">第二条</a><em>2026-07-01</em><i>2020-01-02</i></li>'
    )
    assert [d for _, _, d in rows_of(html, selectors={"row": "ul.list li", "row_date": "i"})] == [
        date(2020, 1, 1),
        date(2020, 1, 2),
    ]
    # a broken selector falls back to the general method instead of failing the page
    assert [d for _, _, d in rows_of(html, selectors={"row": "ul[[["})] == [D1, D2]


def test_main_group_is_the_one_next_to_the_pager() -> None:
    side = "".join(f'<li><a href="/s{i}.htm">侧栏{i}</a><span>2026-07-{i + 10}</span></li>' for i in range(6))
    main = "".join(f'<li><a href="m{i}.htm">正文{i}</a><span>2026-05-0{i + 1}</span></li>' for i in range(3))
    html = wrap(
        f'<li><div class="side"><ul>{side}</ul></div></li><li><div class="main"><ul>{main}</ul>'
        '<div class="page"><a href="list2.htm">下一页</a> <a href="list5.htm">尾页</a></div></div></li>',
        "ul",
    )
    analysis = analyse_page("http://x.example.cn/col/list.htm", html.encode(), today=TODAY)
    assert [r.title for r in analysis.parse.rows] == ["正文0", "正文1", "正文2"]
    assert len(analysis.groups) == 2


def test_a_sidebar_more_link_does_not_make_the_main_list_a_preview() -> None:
    main = "".join(
        f'<li><a href="m{i}.htm">正文{i}</a><span>2026-06-{i + 1:02d}</span></li>' for i in range(20)
    )
    side = "".join(f'<li><a href="/s{i}.htm">侧栏{i}</a><span>2026-07-{i + 10}</span></li>' for i in range(4))
    html = (
        '<html><body><div class="wrap"><div class="main"><ul class="list">' + main + "</ul></div>"
        '<div class="side"><div class="hd">最新<a href="/zx/">更多</a></div><ul>' + side + "</ul></div>"
        "</div></body></html>"
    )
    analysis = analyse_page("http://x.example.cn/col/list.htm", html.encode(), today=TODAY)
    assert [g.teaser for g in analysis.groups] == [False, True]
    assert (analysis.parse.kind, len(analysis.parse.rows)) == ("list", 20)


ROW_FORMS = {
    "full-width digits": '<li><a href="/a/{i}.htm">第{i}条通知</a><span>２０２６－０７－１{i}</span></li>',
    "full-width brackets": (
        '<li><a href="/a/{i}.htm">第{i}条通知</a><span>［２０２６／０７／１{i}］</span></li>'
    ),
    "ideographic space": '<li><a href="/a/{i}.htm">第{i}条通知</a><span>2026年7月\u30001{i}日</span></li>',
    "date in <em> before": '<li><em>2026-07-1{i}</em><a href="/a/{i}.htm">第{i}条通知</a></li>',
    "date in <i> first in the link": '<li><a href="/a/{i}.htm"><i>2026.07.1{i}</i>第{i}条通知</a></li>',
    "[MM-DD] leading the link text": '<li><a href="/a/{i}.htm">[07-1{i}] 第{i}条通知</a></li>',
    "MM-DD ending the link text": '<li><a href="/a/{i}.htm">第{i}条通知 07-1{i}</a></li>',
    "[MM-DD] before the link": '<li><span>[07-1{i}]</span> <a href="/a/{i}.htm">第{i}条通知</a></li>',
    "YYYY/M/D": '<li><a href="/a/{i}.htm">第{i}条通知</a><span>2026/7/1{i}</span></li>',
    "with seconds": '<li><a href="/a/{i}.htm">第{i}条通知</a><span>2026-07-1{i} 14:22:10</span></li>',
    "with the weekday": '<li><a href="/a/{i}.htm">第{i}条通知</a><span>2026年7月1{i}日 星期二</span></li>',
    "labelled inside the link": (
        '<li><a href="/a/{i}.htm"><b>第{i}条通知</b><i>时间：2026-07-1{i}</i></a></li>'
    ),
    "window.open in onclick": (
        '<li><a href="javascript:void(0)" onclick="window.open(\'/a/{i}.htm\')">第{i}条通知</a>'
        "<span>2026-07-1{i}</span></li>"
    ),
    "location.href in onclick": (
        '<li><a href="javascript:;" onclick="location.href=\'/a/{i}.htm\';return false">第{i}条通知</a>'
        "<span>2026-07-1{i}</span></li>"
    ),
    "javascript: href": (
        "<li><a href=\"javascript:window.open('/a/{i}.htm','_blank')\">第{i}条通知</a>"
        "<span>2026-07-1{i}</span></li>"
    ),
    "a row clicked by script": (
        '<li onclick="window.location.href=\'/a/{i}.htm\'"><span class="t">第{i}条通知</span>'
        "<span>2026-07-1{i}</span></li>"
    ),
    "a call naming the page": (
        '<li><a href="#" onclick="openArticle(\'/a/{i}.htm\', 3)">第{i}条通知</a>'
        "<span>2026-07-1{i}</span></li>"
    ),
}


@pytest.mark.parametrize("form", list(ROW_FORMS), ids=list(ROW_FORMS))
def test_row_forms(form: str) -> None:
    """Five rows of one form: each counted, titled, dated and linked to its item."""
    rows = "".join(ROW_FORMS[form].format(i=i) for i in range(5, 0, -1))
    page = parse_page(
        "http://x.example.cn/c/list.htm", f"<html><body><ul>{rows}</ul></body></html>".encode(), today=TODAY
    )
    assert page.kind == "list"
    got = [(r.title, r.url, r.date) for r in page.rows]
    assert got == [
        (f"第{i}条通知", f"http://x.example.cn/a/{i}.htm", date(2026, 7, 10 + i)) for i in range(5, 0, -1)
    ]
    assert {link.url: link.role for link in page.links if link.url.startswith("http://x.example.cn/a/")} == {
        f"http://x.example.cn/a/{i}.htm": "content" for i in range(1, 6)
    }


@pytest.mark.parametrize(
    "onclick",
    [
        "__doPostBack('GridView1','Page$2')",
        "goPage(2)",
        "showDetail(1234)",
        "alert('请登录')",
        "return false",
    ],
)
def test_scripts_that_name_no_page_give_no_link(onclick: str) -> None:
    rows = "".join(
        f'<li><a href="javascript:void(0)" onclick="{onclick}">第{i}条通知</a><span>2026-07-1{i}</span></li>'
        for i in range(1, 4)
    )
    page = parse_page(
        "http://x.example.cn/c/list.htm", f"<html><body><ul>{rows}</ul></body></html>".encode(), today=TODAY
    )
    assert page.rows == [] and page.links == []


CATALOG_HEAD = "<tr><th>索引号</th><th>名称</th><th>文号</th><th>{a}</th><th>{b}</th></tr>"
CATALOG_ROW = (
    '<tr><td>11230000MB0123456X/2026-0003{i}</td><td><a href="/t{i}.html">第{i}号文件</a></td>'
    "<td>北城职院发〔2026〕{i}号</td><td>2026-06-0{i}</td><td>2026-07-0{i}</td></tr>"
)


@pytest.mark.parametrize(
    ("a", "b", "day"),
    [
        ("成文日期", "发布日期", 7),
        ("发布日期", "成文日期", 6),
        ("成文日期", "生成日期", 7),
        ("成文日期", "备注", 6),
    ],
)
def test_catalogue_date_is_the_column_its_header_names(a: str, b: str, day: int) -> None:
    """索引号 | 名称 | 文号 | 成文日期 | 发布日期: the publication column wherever it stands; a header naming
    only the writing date (成文日期) gives that one."""
    rows = "".join(CATALOG_ROW.format(i=i) for i in range(1, 4))
    html = f"<html><body><table>{CATALOG_HEAD.format(a=a, b=b)}{rows}</table></body></html>"
    page = parse_page("http://x.example.cn/ml/", html.encode(), today=TODAY)
    assert [r.date for r in page.rows] == [date(2026, day, i) for i in range(1, 4)]


def test_catalogue_header_in_a_thead_and_an_undated_cell() -> None:
    head = "<thead><tr><th>名称</th><th>成文日期</th><th>发布日期</th></tr></thead>"
    rows = (
        '<tr><td><a href="/a.html">甲</a></td><td>2026-06-01</td><td>2026-07-01</td></tr>'
        '<tr><td><a href="/b.html">乙</a></td><td>2026-06-02</td><td></td></tr>'
        '<tr><td><a href="/c.html">丙</a></td><td>2026-06-03</td><td>2026-07-03</td></tr>'
    )
    html = f"<html><body><table>{head}<tbody>{rows}</tbody></table></body></html>"
    page = parse_page("http://x.example.cn/ml/", html.encode(), today=TODAY)
    assert [r.date for r in page.rows] == [date(2026, 7, 1), None, date(2026, 7, 3)]
