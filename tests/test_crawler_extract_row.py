"""One row read right: which link is the item, its title, and the date printed beside it (many shapes)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from crawler.extract import parse_page

TODAY = date(2026, 7, 20)


def rows_of(
    html: str, url: str = "http://x.example.cn/col/list.htm", **kw: Any
) -> list[tuple[str, str, date | None]]:
    page = parse_page(url, html.encode("utf-8"), today=TODAY, **kw)
    return [(r.title, r.url.rsplit("/", 1)[-1], r.date) for r in page.rows]


def wrap(rows: str, container: str = "ul") -> str:
    return (
        '<html><head><meta charset="utf-8"><title>通知公告</title></head><body>'
        '<div class="nav"><a href="/">首页</a><a href="/a/">学校概况</a><a href="/b/">新闻中心</a></div>'
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; 通知公告</div>'
        f'<{container} class="list">{rows}'
        f"</{container}></body></html>"
    )


D1, D2, D3 = date(2026, 7, 13), date(2026, 7, 1), date(2026, 6, 20)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (  # VSB: the date in <i> as YYYY/MM/DD, full title in the title attribute
            wrap(
                '<li><a href="1.htm" title="关于暑假放假安排的完整通知标题">关于暑假放假安排的…</a>'
                "<i>2026/07/13</i></li>"
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
                '<li><a href="1.htm">第一条 [2026-07-13]</a></li>'
                '<li><a href="2.htm">第二条 [2026-07-01]</a></li>'
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
                '<dt><a href="1.htm">第一条</a></dt><dd>2026-07-13</dd>'
                '<dt><a href="2.htm">第二条</a></dt><dd>2026-07-01</dd>',
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


CARD = (
    '<a class="card" href="/n/{i}.html"><img src="{i}.jpg">'
    '<div class="card-body"><h3 class="card-title">{t}</h3>'
    '<p>摘要内容摘要内容。</p><div class="time"><span>2026</span><span>{md}</span></div></div></a>'
)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (  # links wrapping whole cards: titled by their heading, year and month-day in separate spans
            wrap(
                CARD.format(i=1, t="学院召开会议", md="07-13")
                + CARD.format(i=2, t="学院举行活动", md="07-01"),
                "div",
            ),
            [("学院召开会议", "1.html", D1), ("学院举行活动", "2.html", D2)],
        ),
        (  # a short card whose date sits outside the link: still titled by its heading, not heading + summary
            wrap(
                '<article><a href="1.htm"><h3>运动会开幕</h3><p>学校举办……</p></a>'
                "<time>2026-07-13</time></article>"
                '<article><a href="2.htm"><h3>安全会议</h3><p>会议要求……</p></a>'
                "<time>2026-07-01</time></article>",
                "section",
            ),
            [("运动会开幕", "1.htm", D1), ("安全会议", "2.htm", D2)],
        ),
        (  # a table row with a title link and a download link: one row, titled by the title link
            wrap(
                '<tr><td>1</td><td><a href="1.htm">部门预算</a></td><td><a href="/f/1.pdf">下载</a></td>'
                "<td>2026年07月13日</td></tr>"
                '<tr><td>2</td><td><a href="2.htm">部门决算</a></td><td><a href="/f/2.pdf">下载</a></td>'
                "<td>2026年07月01日</td></tr>",
                "table",
            ),
            [("部门预算", "1.htm", D1), ("部门决算", "2.htm", D2)],
        ),
        (  # the date is a second link to the same item
            wrap(
                '<li><a href="1.htm">标题一</a><a href="1.htm">2026-07-13</a></li>'
                '<li><a href="2.htm">标题二</a><a href="2.htm">2026-07-01</a></li>'
            ),
            [("标题一", "1.htm", D1), ("标题二", "2.htm", D2)],
        ),
        (  # a [category] link in front of the title
            wrap(
                '<li><a href="/c/1/">[通知公告]</a><a href="1.htm">关于暑假安排的通知</a>'
                "<span>2026-07-13</span></li>"
                '<li><a href="/c/2/">[学院新闻]</a><a href="2.htm">学院召开会议</a>'
                "<span>2026-07-01</span></li>"
            ),
            [("关于暑假安排的通知", "1.htm", D1), ("学院召开会议", "2.htm", D2)],
        ),
        (  # a thumbnail link and a title link to the same item in separate blocks
            wrap(
                '<li><div class="pic"><a href="1.htm"><img src="1.jpg"></a></div>'
                '<div class="txt"><h3><a href="1.htm">学院召开会议</a></h3><span>2026-07-13</span></div></li>'
                '<li><div class="pic"><a href="2.htm"><img src="2.jpg"></a></div>'
                '<div class="txt"><h3><a href="2.htm">学院举行活动</a></h3><span>2026-07-01</span></div></li>'
            ),
            [("学院召开会议", "1.htm", D1), ("学院举行活动", "2.htm", D2)],
        ),
        (  # a deadline beside the publication date is not when the row was published
            wrap(
                '<li><a href="1.htm">招聘公告一</a><span>报名截止：2026-08-10</span>'
                "<span>发布：2026-07-13</span></li>"
                '<li><a href="2.htm">招聘公告二</a><span>报名截止：2026-07-30</span>'
                "<span>发布：2026-07-01</span></li>"
            ),
            [("招聘公告一", "1.htm", D1), ("招聘公告二", "2.htm", D2)],
        ),
        (  # relative dates (今天, 3天前) count back from the crawl's day
            wrap(
                '<li><a href="1.htm">今天的新闻</a><span>今天</span></li>'
                '<li><a href="2.htm">昨天的新闻</a><span>昨天</span></li>'
                '<li><a href="3.htm">前几天的新闻</a><span>7天前</span></li>'
            ),
            [
                ("今天的新闻", "1.htm", TODAY),
                ("昨天的新闻", "2.htm", TODAY - timedelta(days=1)),
                ("前几天的新闻", "3.htm", TODAY - timedelta(days=7)),
            ],
        ),
        (  # a month alone (a monthly report's row): its first day
            wrap(
                '<li><a href="1.htm">2026年7月财务报表</a><span>2026-07</span></li>'
                '<li><a href="2.htm">2026年6月财务报表</a><span>2026年6月</span></li>'
            ),
            [
                ("2026年7月财务报表", "1.htm", date(2026, 7, 1)),
                ("2026年6月财务报表", "2.htm", date(2026, 6, 1)),
            ],
        ),
        (  # an event's dates after the row's own
            wrap(
                '<li><a href="1.htm">讲座预告一</a><span>2026-07-13</span>'
                "<span>活动时间：2026-09-01</span></li>"
                '<li><a href="2.htm">讲座预告二</a><span>2026-07-01</span>'
                "<span>活动时间：2026-08-20</span></li>"
            ),
            [("讲座预告一", "1.htm", D1), ("讲座预告二", "2.htm", D2)],
        ),
    ],
)
def test_more_row_shapes(html: str, expected: list[tuple[str, str, date | None]]) -> None:
    assert rows_of(html) == expected
