"""Dates in every form college sites print, and the nonsense that must not pass for a date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.extract import find_dates, parse_date
from crawler.extract.dates import (
    date_from_url,
    find_labelled_dates,
    parse_month_day,
    parse_relative,
    parse_split_date,
    resolve_yearless,
)

TODAY = date(2026, 7, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-07-13", date(2026, 7, 13)),
        ("2026/07/13", date(2026, 7, 13)),
        ("2026.07.13", date(2026, 7, 13)),
        ("2026-7-3", date(2026, 7, 3)),
        ("2026年7月13日", date(2026, 7, 13)),
        ("2026年07月13日 10:44", date(2026, 7, 13)),
        ("2023 年 9 月 1 日", date(2023, 9, 1)),
        ("[2026-07-13]", date(2026, 7, 13)),
        ("[2026年07月13日]", date(2026, 7, 13)),
        ("【2026-07-13】", date(2026, 7, 13)),
        ("(2026/07/13)", date(2026, 7, 13)),
        ("发布时间：2026-07-13 浏览量：128", date(2026, 7, 13)),
        ("发布日期:2026-07-13", date(2026, 7, 13)),
        ("时间: 2026年7月13日", date(2026, 7, 13)),
        ("更新时间：2026-07-13 19:02:33", date(2026, 7, 13)),
        ("生成日期：2026-07-13", date(2026, 7, 13)),
        ("[ 发布日期 ] 2023-06-03", date(2023, 6, 3)),
        ("發布日期：2023-06-03", date(2023, 6, 3)),
        ("2026-07-13T10:44:00+08:00", date(2026, 7, 13)),
        ("２０２６－０７－１３", date(2026, 7, 13)),
        ("二〇二四年十月三十一日", date(2024, 10, 31)),
        ("二〇二五年一月五日", date(2025, 1, 5)),
        ("1990-01-01", date(1990, 1, 1)),
        ("2027-07-19", date(2027, 7, 19)),  # within today + 1 year
        ("07-13", date(2026, 7, 13)),  # year-less: the most recent past 13 July
        ("[05-06]", date(2026, 5, 6)),
        ("12-28", date(2025, 12, 28)),  # December has not come yet this year: last year's
        ("7月13日", date(2026, 7, 13)),
        ("更新时间:07/13 10:44", date(2026, 7, 13)),
        # Unicode first: full-width digits and punctuation, ideographic spaces, dashes
        ("［２０２６／０７／１３］", date(2026, 7, 13)),
        ("２０２６．０７．０３", date(2026, 7, 3)),
        ("发布时间：２０２６－０７－１３　１５：２２", date(2026, 7, 13)),
        ("2026年\u30007月\u300013日", date(2026, 7, 13)),
        ("2026\u20137\u201313", date(2026, 7, 13)),
        ("１１－０３", date(2025, 11, 3)),
        ("2026/7/3", date(2026, 7, 3)),
        ("2026-07-13 14:22:10", date(2026, 7, 13)),
        ("2026年7月13日 星期一", date(2026, 7, 13)),
    ],
)
def test_parse_date_forms(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-13-45",  # no such month or day
        "2026-02-30",
        "0451-86661234",  # a phone number
        "电话：0451-8666-1234",
        "v2019.10.1",  # a version
        "Python 3.11.2",
        "1.2.3",
        "192.168.2020.1",
        "2026-07/13",  # two different separators
        "1989-12-31",  # before 1990
        "2028-01-01",  # more than a year ahead
        "3.5分",  # a score, not March 5 (year-less dates only as a whole cell)
        "共1-2人",
        "第2026期",
        "黑ICP备05001234号-1",
        "20260713",  # compact digits are not a shown date
    ],
)
def test_parse_date_rejects_nonsense(text: str) -> None:
    assert parse_date(text, today=TODAY) is None


@pytest.mark.parametrize(
    ("text", "context_year", "expected"),
    [
        ("[05-06]", 2024, date(2024, 5, 6)),  # the year of neighbouring rows
        ("05-06", 2019, date(2019, 5, 6)),
        ("02-29", 2024, date(2024, 2, 29)),
        ("02-29", 2025, None),  # no 29 February in 2025
        ("12月28日", 2025, date(2025, 12, 28)),
        ("2023-01-05", 2024, date(2023, 1, 5)),  # a full date ignores the context
    ],
)
def test_parse_date_year_from_context(text: str, context_year: int, expected: date | None) -> None:
    assert parse_date(text, today=TODAY, context_year=context_year) == expected


def test_find_dates_returns_each_date_with_its_text() -> None:
    text = "第一批 2026-07-13 公示，2026年8月1日截止；电话0451-86661234"
    assert find_dates(text, today=TODAY) == [
        (date(2026, 7, 13), "2026-07-13"),
        (date(2026, 8, 1), "2026年8月1日"),
    ]


def test_find_dates_yearless_only_when_asked() -> None:
    assert find_dates("[05-06] 通知", today=TODAY) == []
    assert find_dates("[05-06] 通知", today=TODAY, yearless=True, context_year=2024) == [
        (date(2024, 5, 6), "05-06")
    ]


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        (["2026-07", "13"], date(2026, 7, 13)),
        (["13", "2026-07"], date(2026, 7, 13)),
        (["13", "2026.07"], date(2026, 7, 13)),
        (["2026年07月", "13日"], date(2026, 7, 13)),
        (["2026", "07-13"], date(2026, 7, 13)),
        (["07-13", "2026"], date(2026, 7, 13)),
        (["2026-02", "30"], None),
        (["标题很长的一行文字", "13"], None),
    ],
)
def test_split_dates(chunks: list[str], expected: date | None) -> None:
    found = parse_split_date(chunks, today=TODAY)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[05-06]", (5, 6)),
        ("（07/13）", (7, 13)),
        ("07-13 10:44", (7, 13)),
        ("7月13日", (7, 13)),
        ("13-07", None),  # month 13
        ("1-2人", None),
        ("3.5分", None),
    ],
)
def test_month_day_cells(text: str, expected: tuple[int, int] | None) -> None:
    assert parse_month_day(text) == expected


def test_resolve_yearless_latest_past_occurrence() -> None:
    assert resolve_yearless(7, 20, today=TODAY) == date(2026, 7, 20)
    assert resolve_yearless(7, 21, today=TODAY) == date(2025, 7, 21)
    assert resolve_yearless(2, 29, today=TODAY) == date(2024, 2, 29)


def test_labelled_dates_know_strong_labels() -> None:
    text = "更新时间：2026-07-01 标题 发布时间：2026-06-30 [ 发布日期 ] 2023-06-03 时间:2026年5月1日"
    assert find_labelled_dates(text, today=TODAY) == [
        (date(2026, 7, 1), "更新时间", False),
        (date(2026, 6, 30), "发布时间", True),
        (date(2023, 6, 3), "发布日期", True),
        (date(2026, 5, 1), "时间", False),
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x.cn/xxgk/202407/t20240713_123.html", date(2024, 7, 13)),
        ("http://x.cn/2026/0713/c1234a98765/page.htm", date(2026, 7, 13)),
        ("http://x.cn/cw/2026-06/30/c-3320.html", date(2026, 6, 30)),
        ("http://x.cn/info/1074/65321.htm", None),
        ("http://x.cn/2026/1399/c1a2/page.htm", None),
    ],
)
def test_date_from_url(url: str, expected: date | None) -> None:
    assert date_from_url(url, today=TODAY) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120), st.one_of(st.none(), st.integers(1900, 2100)))
def test_parse_date_never_raises_and_stays_in_range(text: str, context_year: int | None) -> None:
    found = parse_date(text, today=TODAY, context_year=context_year)
    if found is not None:
        assert date(1990, 1, 1) <= found <= TODAY + timedelta(days=366)
    for d, matched in find_dates(text, today=TODAY, yearless=True, context_year=context_year):
        assert date(1990, 1, 1) <= d <= TODAY + timedelta(days=366)
        assert matched in text


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=TODAY), st.sampled_from(["-", "/", ".", "年"]))
def test_any_printed_date_round_trips(day: date, sep: str) -> None:
    text = (
        f"{day.year}年{day.month}月{day.day}日"
        if sep == "年"
        else f"{day.year}{sep}{day.month:02d}{sep}{day.day:02d}"
    )
    assert parse_date(f"发布时间：{text}", today=TODAY) == day


@pytest.mark.parametrize(
    ("text", "days_back"),
    [
        ("今天", 0),
        ("刚刚", 0),
        ("5分钟前", 0),
        ("3小时前", 0),
        ("昨天", 1),
        ("前天", 2),
        ("3天前", 3),
        ("［3天前］", 3),
        ("1周前", 7),
        ("2个月前", 60),
        ("发布：昨天", 1),
    ],
)
def test_relative_dates_count_back_from_the_colleges_today(text: str, days_back: int) -> None:
    today = date(2026, 11, 26)
    assert parse_relative(text, today=today) == today - timedelta(days=days_back)


@pytest.mark.parametrize(
    "text", ["3天", "天前", "三天前的会议", "2026-11-03", "前天下午召开了会议，部署了工作"]
)
def test_other_text_is_no_relative_date(text: str) -> None:
    assert parse_relative(text, today=date(2026, 11, 26)) is None
