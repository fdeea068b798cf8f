"""Year-less list dates over a whole column: all its pages read together, anchored on its articles' dates.

Real pages parsed by the extractor, assembled by `crawler.columns.ColumnCollector` with the college's today.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from crawler.columns import ColumnCollector
from crawler.extract import parse_page
from storage.records import FetchRecord, PageParse

S = "http://x.example.edu.cn"
TODAY = date(2026, 3, 10)
# Three pages of one column, newest first, numbered backwards as VSB does (tzgg.htm, tzgg/2.htm, tzgg/1.htm).
PAGES = {
    "/tzgg.htm": (["03-05", "11-20", "08-01", "04-02"], "tzgg/2.htm"),
    "/tzgg/2.htm": (["02-25", "12-01", "10-10", "06-18"], "1.htm"),
    "/tzgg/1.htm": (["03-03", "01-09", "11-11"], None),
}
TRUE_YEARS = [2026, 2025, 2025, 2025, 2025, 2024, 2024, 2024, 2024, 2024, 2023]


def list_page(path: str) -> bytes:
    days, nxt = PAGES[path]
    base = abs(hash(path)) % 1000
    rows = "".join(
        f'<tr><td><a href="/info/{base + i}.htm">关于第{base + i}项工作的通知</a></td><td>[{d}]</td></tr>'
        for i, d in enumerate(days)
    )
    pager = f'<a href="{nxt}">下一页</a>' if nxt else "<span>下一页</span>"
    return (
        '<html><body><div class="crumb">当前位置：<a href="/">首页</a> &gt; 通知公告</div>'
        f'<table class="list">{rows}</table><div class="pages">{pager}</div></body></html>'
    ).encode()


def article(url: str, shown: str) -> PageParse:
    body = (
        f"<html><head><title>通知</title></head><body><h1>关于某项工作的通知</h1><p>发布时间：{shown}</p>"
        f'<div class="v_news_content"><p>{"通知正文。" * 40}</p></div></body></html>'
    ).encode()
    return parse_page(url, body, today=TODAY)


def record(url: str, depth: int) -> FetchRecord:
    return FetchRecord("s", url, datetime(2026, 3, 10, tzinfo=UTC), "ok", status=200, depth=depth)


def column(today: date | None, articles: dict[str, str] | None = None) -> list[date | None]:
    collector = ColumnCollector("s", [f"{S}/"], today=today)
    for depth, path in enumerate(PAGES):
        url = S + path
        via = "nav" if depth == 0 else "pager"
        collector.add(record(url, 1), parse_page(url, list_page(path), today=TODAY), via)
    for url, shown in (articles or {}).items():
        collector.add(record(url, 2), article(url, shown), "content")
    (col,) = [c for c in collector.observations({}) if c.rows]
    return [r.date for r in col.rows]


def test_each_page_alone_seeds_from_today_and_gets_later_pages_wrong() -> None:
    """What a single page can know: page 3's top row 03-03 taken as this year's, two years off."""
    alone = parse_page(S + "/tzgg/1.htm", list_page("/tzgg/1.htm"), today=TODAY)
    assert alone.rows[0].date == date(2026, 3, 3)


def test_the_column_reads_its_pages_in_pager_order_as_one_list() -> None:
    got = column(TODAY)
    assert [d.year if d else None for d in got] == TRUE_YEARS
    assert got[0] == date(2026, 3, 5) and got[-1] == date(2023, 11, 11)


def test_an_article_date_anchors_a_column_that_stopped_two_years_ago() -> None:
    """Order alone says the newest row is this year's 03-05; its article says 2024-03-05: the column is stale,
    and every other year-less row moves with it."""
    first_item = parse_page(S + "/tzgg.htm", list_page("/tzgg.htm"), today=TODAY).rows[0].url
    got = column(TODAY, {first_item: "2024-03-05 09:30"})
    assert [d.year if d else None for d in got] == [y - 2 for y in TRUE_YEARS]


def test_an_anchor_deep_in_the_column_sets_the_years_above_it() -> None:
    deep = parse_page(S + "/tzgg/1.htm", list_page("/tzgg/1.htm"), today=TODAY).rows[1].url
    got = column(TODAY, {deep: "2022年01月09日"})
    assert got[9] == date(2022, 1, 9)
    assert [d.year if d else None for d in got] == [y - 2 for y in TRUE_YEARS]


def test_without_the_colleges_today_each_page_keeps_its_own_reading() -> None:
    got = column(None)
    assert got[8] == date(2026, 3, 3)  # page 3 alone, as its page parse says
