"""Column names as a person reads them: breadcrumb leaf, list heading, ColumnName meta, <title>, link text."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawler.extract import analyse_page
from crawler.extract.names import title_without_site

PAGES = Path(__file__).parent / "pages"
TODAY = date(2026, 7, 20)
CASES: list[dict[str, Any]] = tomllib.loads((PAGES / "expected.toml").read_text("utf-8"))["page"]
NAMED = [c for c in CASES if "name" in c]


def _id(case: dict[str, Any]) -> str:
    return f"{case['file']}@{case['url'].split('/', 3)[-1]}"


@pytest.mark.parametrize("case", NAMED, ids=_id)
def test_column_name_of_each_fixture(case: dict[str, Any]) -> None:
    analysis = analyse_page(case["url"], (PAGES / case["file"]).read_bytes(), today=case.get("today", TODAY))
    assert (analysis.parse.column_name, analysis.column_name_source) == (case["name"], case["name_source"])
    assert "\ufffd" not in "".join(analysis.parse.breadcrumb)


ROWS = "".join(f'<li><a href="/a/{i}.htm">第{i}条</a><span>2026-07-{i:02d}</span></li>' for i in range(1, 4))


def name_of(
    top: str, head: str = "", link_text: str | None = None, **kw: Any
) -> tuple[str | None, str | None, tuple]:
    html = (
        f'<html><head><meta charset="utf-8">{head}</head>'
        f'<body>{top}<ul class="list">{ROWS}</ul></body></html>'
    )
    analysis = analyse_page(
        "http://x.example.cn/c/list.htm", html.encode(), today=TODAY, link_text=link_text, **kw
    )
    return analysis.parse.column_name, analysis.column_name_source, analysis.parse.breadcrumb


@pytest.mark.parametrize(
    ("top", "name", "trail"),
    [
        (
            '<div>当前位置：<a href="/">首页</a> &gt; <a href="/x/">信息公开</a> &gt; 规章制度</div>',
            "规章制度",
            ("首页", "信息公开", "规章制度"),
        ),
        (
            '<div>您的位置: <a href="/">首页</a> » <a href="/x/">学校概况</a></div>',
            "学校概况",
            ("首页", "学校概况"),
        ),
        (
            '<p>您现在的位置：<a href="/">网站首页</a> / 招生考试 / 招生章程</p>',
            "招生章程",
            ("网站首页", "招生考试", "招生章程"),
        ),
        (
            '<div class="position"><a href="/">首页</a><span>›</span><a href="/j/">教学</a>'
            "<span>›</span><span>教学质量报告</span></div>",
            "教学质量报告",
            ("首页", "教学", "教学质量报告"),
        ),
        (
            '<ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/a/">通知</a></li>'
            "<li>校内通知</li></ol>",
            "校内通知",
            ("Home", "通知", "校内通知"),
        ),
        (
            '<div class="path">当前位置：<a href="/">首页</a>&nbsp;&nbsp;<a href="/x/">财务信息</a></div>',
            "财务信息",
            ("首页", "财务信息"),
        ),
        ("<div>当前位置：首页 → 学生事务 → 正文</div>", "学生事务", ("首页", "学生事务", "正文")),
        (  # items joined by a spaced hyphen
            '<div class="crumb">位置： 首页 - 学生工作 - 通知公告</div>',
            "通知公告",
            ("首页", "学生工作", "通知公告"),
        ),
        (  # a bare 位置： is the label too, not a crumb
            '<div class="position">位置：<a href="/">首页</a> / <a href="/x/">通知公告</a></div>',
            "通知公告",
            ("首页", "通知公告"),
        ),
        (  # "是" belongs to the label, not to the trail
            '<div>您现在的位置是：<a href="/">首页</a> &gt; <a href="/x/">学生工作</a></div>',
            "学生工作",
            ("首页", "学生工作"),
        ),
        ('<p>当前位置为：<a href="/">首页</a> » 教务通知</p>', "教务通知", ("首页", "教务通知")),
        (  # no label, no telling class: a 首页 link and links joined by arrows, inside the heading box
            '<div class="list-title"><span class="am-fl">学生通知</span><span class="am-fr">'
            '<a href="/">首页</a> &gt; <a href="/tz/">通知公告</a> &gt; <a href="/tz/xs.htm">学生通知</a>'
            "</span></div>",
            "学生通知",
            ("首页", "通知公告", "学生通知"),
        ),
        (
            '<div class="lm"><a href="/">网站首页</a> &gt;&gt; <a href="/j/">机构设置</a>'
            " &gt;&gt; 党政办公室</div>",
            "党政办公室",
            ("网站首页", "机构设置", "党政办公室"),
        ),
    ],
)
def test_breadcrumb_forms(top: str, name: str, trail: tuple[str, ...]) -> None:
    assert name_of(top) == (name, "breadcrumb", trail)


@pytest.mark.parametrize(
    "top",
    [
        '<div class="menu"><a href="/">首页</a> | <a href="/a/">学校概况</a> | '
        '<a href="/b/">新闻中心</a></div>',
        '<ul class="menu"><li><a href="/">首页</a></li><li><a href="/a/">学校概况</a></li></ul>',
        '<p><a href="/">首页</a> 欢迎访问 <a href="/a/">学校概况</a></p>',
    ],
)
def test_a_menu_starting_with_home_is_no_trail(top: str) -> None:
    assert name_of(top)[2] == ()


def test_a_heading_box_is_named_without_the_links_beside_the_name() -> None:
    top = (
        '<div class="list-title"><span>学生通知</span><span class="am-fr"><a href="/x/">学生工作处</a> '
        '<a href="/y/">通知公告</a></span></div>'
    )
    assert name_of(top)[:2] == ("学生通知", "heading")


def test_a_bilingual_heading_is_named_by_its_chinese() -> None:
    top = '<div class="list-title"><h2>通知公告</h2><span class="en">NOTICE</span></div>'
    assert name_of(top)[:2] == ("通知公告", "heading")
    top = '<div class="list-title"><span>News &amp; Events</span><h2>新闻动态</h2></div>'
    assert name_of(top)[:2] == ("新闻动态", "heading")


def test_fallbacks_in_order() -> None:
    assert name_of('<h2 class="tit">收费管理</h2>')[:2] == ("收费管理", "heading")
    assert name_of("", '<meta name="ColumnName" content="资产和采购">')[:2] == ("资产和采购", "meta")
    assert name_of("", "<title>后勤保障 - 某某职业学院</title>")[:2] == ("后勤保障", "title")
    assert name_of("", "<title>某某职业学院</title>", link_text=" 监督工作 ")[:2] == ("监督工作", "link_text")
    assert name_of("", "", selectors={"column_name": "ul.list li a"})[:2] == ("第1条", "config")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("通知公告-北方城市职业学院", "通知公告"),
        ("北方城市职业学院 - 通知公告", "通知公告"),
        ("规章制度_北方城市职业学院信息公开网", "规章制度"),
        ("招生信息 | 龙江工程职业技术学院招生就业网", "招生信息"),
        ("北方城市职业学院", None),
        ("", None),
    ],
)
def test_title_without_site(title: str, expected: str | None) -> None:
    assert title_without_site(title) == expected


def test_blocked_page_is_named_by_the_link_that_led_there() -> None:
    body = (PAGES / "login_wall.html").read_bytes()
    analysis = analyse_page("http://ids.example.cn/login", body, today=TODAY, link_text="内部资料")
    assert (analysis.parse.column_name, analysis.column_name_source) == ("内部资料", "link_text")
