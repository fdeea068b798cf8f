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
    return parse_page(case["url"], (PAGES / case["file"]).read_bytes(), today=TODAY)


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
