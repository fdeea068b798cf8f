"""List rows on every fixture layout, and the row extractor on the shapes rows take on real sites."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

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


def rows_of(
    html: str, url: str = "http://x.example.cn/col/list.htm", **kw: Any
) -> list[tuple[str, str, date | None]]:
    page = parse_page(url, html.encode("utf-8"), today=TODAY, **kw)
    return [(r.title, r.url.rsplit("/", 1)[-1], r.date) for r in page.rows]


def wrap(rows: str, container: str = "ul") -> str:
    return (
        '<html><head><meta charset="utf-8"><title>通知公告</title></head><body>'
        '<div class="nav"><a href="/">首页</a><a href="/a/">学校概况</a><a href="/b/">新闻中心</a></div>'
        f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; 通知公告</div><{container} class="list">{rows}'
        f"</{container}></body></html>"
    )


D1, D2, D3 = date(2026, 7, 13), date(2026, 7, 1), date(2026, 6, 20)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (  # VSB: the date in <i> as YYYY/MM/DD, full title in the title attribute
            wrap(
                '<li><a href="1.htm" title="关于暑假放假安排的完整通知标题">关于暑假放假安排的…</a><i>2026/07/13</i></li>'
                '<li><a href="2.htm">第二条</a><i>2026/07/01</i></li>'
            ),
            [("关于暑假放假安排的完整通知标题", "1.htm", D1), ("第二条", "2.htm", D2)],
        ),
        (  # date inside the link, in its own span
            wrap(
                '<li><a href="1.htm"><span class="t">第一条</span><span class="d">2026-07-13</span></a></li>'
                '<li><a href="2.htm"><span class="t">第二条</span><span class="d">2026-07-01</span></a></li>'
            ),
            [("第一条", "1.htm", D1), ("第二条", "2.htm", D2)],
        ),
        (  # date printed at the end of the link text
            wrap(
                '<li><a href="1.htm">第一条 [2026-07-13]</a></li><li><a href="2.htm">第二条 [2026-07-01]</a></li>'
            ),
            [("第一条", "1.htm", D1), ("第二条", "2.htm", D2)],
        ),
        (  # table rows with the date in a later cell, a header row without links
            wrap(
                "<tr><th>标题</th><th>日期</th></tr>"
                '<tr><td><a href="1.htm">第一条</a></td><td>教务处</td><td>2026年7月13日</td></tr>'
                '<tr><td><a href="2.htm">第二条</a></td><td>教务处</td><td>2026年7月1日</td></tr>',
                "table",
            ),
            [("第一条", "1.htm", D1), ("第二条", "2.htm", D2)],
        ),
        (  # day and year-month in separate elements, day first
            wrap(
                '<li><div class="d"><b>13</b><span>2026-07</span></div><a href="1.htm">第一条</a></li>'
                '<li><div class="d"><b>01</b><span>2026-07</span></div><a href="2.htm">第二条</a></li>'
            ),
            [("第一条", "1.htm", D1), ("第二条", "2.htm", D2)],
        ),
        (  # dt link with the date in the following dd
            wrap(
                '<dt><a href="1.htm">第一条</a></dt><dd>2026-07-13</dd><dt><a href="2.htm">第二条</a></dt><dd>2026-07-01</dd>',
                "dl",
            ),
            [("第一条", "1.htm", D1), ("第二条", "2.htm", D2)],
        ),
        (  # bare links separated by <br>, date after the link
            wrap('<a href="1.htm">第一条</a> 2026-07-13<br><a href="2.htm">第二条</a> 2026-07-01<br>', "div"),
            [("第一条", "1.htm", D1), ("第二条", "2.htm", D2)],
        ),
        (  # an image link named by its alt text, bullets and [置顶] stripped from titles
            wrap(
                '<li>· <a href="1.htm"><img src="n.jpg" alt="图片新闻标题"></a><span>2026-07-13</span></li>'
                '<li>· <a href="2.htm">[置顶] 第二条</a><span>2026-07-01</span></li>'
            ),
            [("图片新闻标题", "1.htm", D1), ("第二条", "2.htm", D2)],
        ),
        (  # a row without a date in the same structure is still a row
            wrap(
                '<li><a href="1.htm">第一条</a><span>2026-07-13</span></li>'
                '<li><a href="2.htm">第二条</a><span></span></li>'
                '<li><a href="3.htm">第三条</a><span>2026-06-20</span></li>'
            ),
            [("第一条", "1.htm", D1), ("第二条", "2.htm", None), ("第三条", "3.htm", D3)],
        ),
        (  # year-less dates take the year of the nearest fully dated row
            wrap(
                '<li><a href="1.htm">第一条</a><span>2024-05-06</span></li>'
                '<li><a href="2.htm">第二条</a><span>[05-02]</span></li>'
                '<li><a href="3.htm">第三条</a><span>[04-28]</span></li>'
            ),
            [
                ("第一条", "1.htm", date(2024, 5, 6)),
                ("第二条", "2.htm", date(2024, 5, 2)),
                ("第三条", "3.htm", date(2024, 4, 28)),
            ],
        ),
        (  # the same link twice (pinned and in place) is one row
            wrap(
                '<li><a href="1.htm">第一条</a><span>2026-07-13</span></li>'
                '<li><a href="2.htm">第二条</a><span>2026-07-01</span></li>'
                '<li><a href="1.htm">第一条</a><span>2026-07-13</span></li>'
            ),
            [("第一条", "1.htm", D1), ("第二条", "2.htm", D2)],
        ),
    ],
)
def test_row_shapes(html: str, expected: list[tuple[str, str, date | None]]) -> None:
    assert rows_of(html) == expected


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
