"""Year-less list dates: years from the list's order (roll-over), full dates, year headings, and today."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from lxml import html as lxml_html

from crawler.extract import parse_page
from crawler.extract.yearless import Stamp, heading_year, heading_years, resolve_years

TODAY = date(2026, 11, 26)


def md(text: str, heading: int | None = None) -> Stamp:
    month, day = text.split("-")
    return Stamp(month_day=(int(month), int(day)), heading_year=heading)


def full(text: str) -> Stamp:
    return Stamp(full=date.fromisoformat(text))


NONE = Stamp()


@pytest.mark.parametrize(
    ("stamps", "expected"),
    [
        (  # newest first, seeded by today; going UP (01-15 -> 12-28) means the year went back
            [md("02-26"), md("01-15"), md("12-28"), md("12-10"), md("11-20")],
            ["2026-02-26", "2026-01-15", "2025-12-28", "2025-12-10", "2025-11-20"],
        ),
        (  # several roll-overs in one list: a column that publishes each quarter
            [md("10-01"), md("07-01"), md("04-01"), md("01-02"), md("10-03"), md("07-02"), md("04-05")],
            [
                "2026-10-01",
                "2026-07-01",
                "2026-04-01",
                "2026-01-02",
                "2025-10-03",
                "2025-07-02",
                "2025-04-05",
            ],
        ),
        (  # the newest row is later in the year than today: it is last year's
            [md("12-20"), md("12-01"), md("06-30")],
            ["2025-12-20", "2025-12-01", "2025-06-30"],
        ),
        (  # a pinned older row on top does not push the list a year back
            [md("03-01"), md("11-20"), md("11-15"), md("01-10"), md("12-20")],
            ["2026-03-01", "2026-11-20", "2026-11-15", "2026-01-10", "2025-12-20"],
        ),
        (  # seeded by a full date below: rows above it walk up, rows below walk down
            [md("01-05"), md("12-28"), full("2024-12-20"), md("12-02"), md("01-03")],
            ["2025-01-05", "2024-12-28", "2024-12-20", "2024-12-02", "2024-01-03"],
        ),
        (  # a full date on top seeds the rows below it
            [full("2024-05-06"), md("05-02"), md("04-28")],
            ["2024-05-06", "2024-05-02", "2024-04-28"],
        ),
        (  # rows above a full-date anchor never land after today: a pinned row keeps its latest past year
            [md("03-01"), full("2026-11-20"), md("11-15")],
            ["2026-03-01", "2026-11-20", "2026-11-15"],
        ),
        (  # year headings give the year outright, and also seed rows before the first heading
            [md("02-10"), md("12-20", 2024), md("05-01", 2024), md("11-03", 2023)],
            ["2025-02-10", "2024-12-20", "2024-05-01", "2023-11-03"],
        ),
        (  # oldest first: reading down, going DOWN means the year went forward; the last row is the newest
            [md("11-20"), md("12-15"), md("01-10"), md("03-02"), md("06-01")],
            ["2025-11-20", "2025-12-15", "2026-01-10", "2026-03-02", "2026-06-01"],
        ),
        (  # no order at all: each row its own latest past occurrence
            [md("03-01"), md("11-02"), md("01-15"), md("12-01"), md("02-01"), md("10-10")],
            ["2026-03-01", "2026-11-02", "2026-01-15", "2025-12-01", "2026-02-01", "2026-10-10"],
        ),
        (  # undated rows in between are skipped over, and stay undated
            [md("01-15"), NONE, md("12-28")],
            ["2026-01-15", None, "2025-12-28"],
        ),
        (  # February 29th steps back to a leap year
            [md("03-01"), md("02-29")],
            ["2026-03-01", "2024-02-29"],
        ),
        (  # nothing year-less: full dates as printed
            [full("2026-07-13"), NONE, full("2026-06-20")],
            ["2026-07-13", None, "2026-06-20"],
        ),
        ([], []),
    ],
)
def test_resolve_years(stamps: list[Stamp], expected: list[str | None]) -> None:
    got = resolve_years(stamps, TODAY)
    assert [d.isoformat() if d else None for d in got] == expected


def test_a_turn_of_the_year_at_the_top_is_not_a_pinned_row() -> None:
    got = resolve_years([md("01-05"), md("12-28"), md("12-20")], date(2026, 1, 10))
    assert got == [date(2026, 1, 5), date(2025, 12, 28), date(2025, 12, 20)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年", 2025),
        ("2025", 2025),
        (" 【2024年】 ", 2024),
        ("2023年度", 2023),
        ("2026 年 ▼", 2026),
        ("2025年工作总结", None),
        ("12-28", None),
        ("1888年", None),
        ("", None),
        (None, None),
    ],
)
def test_heading_year(text: str | None, expected: int | None) -> None:
    assert heading_year(text) == expected


def test_heading_years_per_row_and_before_the_list() -> None:
    root = lxml_html.fromstring(
        "<div><h3>2025年</h3><ul><li><a href='1'>a</a></li>"
        "<li class='y'>2024</li><li><a href='2'>b</a></li><li><a href='3'>c</a></li></ul></div>"
    )
    rows = [li for li in root.iter("li") if li.get("class") != "y"]
    years: dict[Any, int] = heading_years(rows)
    assert [years.get(r) for r in rows] == [2025, 2024, 2024]


def page_rows(body: str) -> list[tuple[str, str | None]]:
    page = parse_page("http://cwc.example.cn/list_2.htm", body.encode("utf-8"), today=TODAY)
    return [(r.url.rsplit("/", 1)[-1], r.date.isoformat() if r.date else None) for r in page.rows]


def test_a_legacy_table_with_year_heading_rows() -> None:
    """The old ASP layout: `MM-DD` cells, a `2025年` row before each year's rows; a page may start
    mid-year, without a heading."""
    rows = [("1", "03-02", None), ("2", "01-15", None), ("3", "12-20", 2025), ("4", "06-01", 2025)]
    rows += [("5", "11-30", 2024)]
    cells = []
    year = None
    for name, when, heading in rows:
        if heading is not None and heading != year:
            year = heading
            cells.append(f'<tr><td colspan="3" class="year"><b>{heading}年</b></td></tr>')
        cells.append(
            f'<tr><td>·</td><td><a href="/a/{name}.htm">第{name}条收费公示</a></td><td>{when}</td></tr>'
        )
    body = (
        "<html><head><title>收费公示</title></head><body><table><tr><td>收费公示</td></tr></table>"
        f'<table width="100%">{"".join(cells)}</table></body></html>'
    )
    assert page_rows(body) == [
        ("1.htm", "2026-03-02"),
        ("2.htm", "2026-01-15"),
        ("3.htm", "2025-12-20"),
        ("4.htm", "2025-06-01"),
        ("5.htm", "2024-11-30"),
    ]


def test_a_bracketed_list_without_any_year_rolls_over() -> None:
    items = [("1", "02-26"), ("2", "01-15"), ("3", "12-28"), ("4", "12-10"), ("5", "11-20")]
    lis = "".join(f'<li><span>[{d}]</span><a href="/x/{n}.html">系部动态第{n}条</a></li>' for n, d in items)
    body = f"<html><head><title>系部动态</title></head><body><ul>{lis}</ul></body></html>"
    assert page_rows(body) == [
        ("1.html", "2026-02-26"),
        ("2.html", "2026-01-15"),
        ("3.html", "2025-12-28"),
        ("4.html", "2025-12-10"),
        ("5.html", "2025-11-20"),
    ]


def test_the_demo_colleges_yearless_column_matches_its_ground_truth() -> None:
    """dept-cwc's 收费公示 prints `MM-DD` under year headings: every row's date is the item's own."""
    from demo import DemoCollege

    college = DemoCollege(scale=0.2)
    site = college.render()["dept-cwc"]
    base = "http://127.0.0.6:8000"
    truth = {
        base + site.articles[item.id]: item.day
        for item in college.timeline.visible("dept-cwc", "sfgs")
        if item.dated
    }
    got: dict[str, date | None] = {}
    for path in site.column_pages["sfgs"]:
        page = parse_page(base + path, site.pages[path].body, today=college.as_of)
        got.update((r.url, r.date) for r in page.rows)
    assert got == truth
    years = {d.year for d in truth.values()}
    assert len(years) >= 3, "the column should span several years for this test to mean anything"
    per_year = {y: sum(1 for d in got.values() if d and d.year == y) for y in years}
    for y, n in per_year.items():
        expected = college.count_items(date(y, 1, 1), date(y, 12, 31), site="dept-cwc")
        others = sum(
            1
            for key in ("cwgg", "zcfg", "xzzx", "hqgg")
            for item in college.timeline.visible("dept-cwc", key)
            if item.dated and item.day.year == y
        )
        assert n == expected - others, y
