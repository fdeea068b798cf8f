"""The digest model: who gets which findings, in what order, and what counts as news (monitor/mail/digest.py,
monitor/mail/routing.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.config import Config, ConfigError
from monitor.configure import load_config
from monitor.mail.digest import (
    ColumnLine,
    ItemLine,
    MissingItem,
    SiteDown,
    WeekFacts,
    build_digest,
    iso_week,
    week_grid,
    worst_first,
)
from monitor.mail.routing import OFFICE_NAME, Route, routes_from_config

AS_OF = date(2026, 3, 9)


def col(site: str, name: str, status: str, **kw: object) -> ColumnLine:
    return ColumnLine(site=site, name=name, url=f"http://{site}.example/{name}", status=status, **kw)  # type: ignore[arg-type]


FACTS = WeekFacts(
    college="示例职业学院",
    as_of=AS_OF,
    columns=[
        col("xxgk", "通知公告", "stale", category="基本信息", age_days=40, limit_days=14),
        col("xxgk", "招生章程", "stale", category="招生考试信息", age_days=400, limit_days=365),
        col("xxgk", "财务信息", "fresh", category="财务、资产及收费信息", age_days=3, limit_days=365),
        col("dept", "学院动态", "unreachable", category="基本信息", department="经管学院", note="timeout"),
        col("dept", "空栏目", "empty", department="经管学院"),
    ],
    sites_down=[SiteDown("dept", "http://dept.example/", "connection refused", department="经管学院")],
    missing=[MissingItem("招生考试信息", "录取查询渠道"), MissingItem("基本信息", "学校章程")],
    items=[ItemLine("backdated", "xxgk", "通知公告", "旧闻新发", "http://xxgk.example/a/1")],
)

OFFICE = Route(to=("office@example.edu.cn",), name=OFFICE_NAME, office=True, send_empty=True)
DEPT = Route(to=("dept@example.edu.cn",), name="经管学院", sites=frozenset({"dept"}))
ADMISSIONS = Route(to=("zsb@example.edu.cn",), name="招生办", categories=frozenset({"招生考试信息"}))
NOBODY = Route(to=("x@example.edu.cn",), name="无", columns=frozenset({"不存在的栏目"}))


@pytest.mark.parametrize(
    ("route", "late", "down", "missing", "items"),
    [
        (OFFICE, ["学院动态", "招生章程", "通知公告", "空栏目"], 1, 2, 1),
        (DEPT, ["学院动态", "空栏目"], 1, 0, 0),
        (ADMISSIONS, ["招生章程"], 0, 1, 0),
        (NOBODY, [], 0, 0, 0),
    ],
)
def test_each_route_gets_only_its_part(
    route: Route, late: list[str], down: int, missing: int, items: int
) -> None:
    d = build_digest(FACTS, route)
    assert [c.name for c in d.late] == late
    assert (len(d.sites_down), len(d.missing), len(d.items)) == (down, missing, items)
    assert d.has_news == bool(late or down or missing or items)
    assert d.office is route.office


def test_office_counts_every_column_by_status() -> None:
    d = build_digest(FACTS, OFFICE)
    assert d.counts == {"stale": 2, "fresh": 1, "unreachable": 1, "empty": 1}
    assert d.total == 5 and d.week == "2026-W11"


# (columns, expected order): unreachable, stale, blocked, empty; the most overdue first.
ORDERS = [
    (
        [
            col("a", "s1", "stale", age_days=20, limit_days=14),
            col("a", "s2", "stale", age_days=90, limit_days=30),
        ],
        ["s2", "s1"],
    ),
    ([col("a", "e", "empty"), col("a", "b", "blocked"), col("a", "u", "unreachable")], ["u", "b", "e"]),
    ([col("a", "f", "fresh"), col("a", "s", "stale", age_days=None, limit_days=14)], ["s"]),
]


@pytest.mark.parametrize(("columns", "names"), ORDERS)
def test_worst_first(columns: list[ColumnLine], names: list[str]) -> None:
    assert [c.name for c in worst_first(columns)] == names


def test_week_grid_counts_late_columns_and_keeps_the_worst_status() -> None:
    history = [
        ("第9周", [col("a", "x", "fresh", category="基本信息"), col("a", "y", "fresh", category="基本信息")]),
        (
            "第10周",
            [col("a", "x", "stale", category="基本信息"), col("a", "y", "unreachable", category="基本信息")],
        ),
        ("第11周", [col("a", "x", "stale", category="基本信息"), col("b", "z", "empty", category="其他")]),
    ]
    grid = week_grid(history, lambda c: True)
    assert grid.weeks == ["第9周", "第10周", "第11周"]
    cells = dict(grid.rows)
    assert [(c.late, c.total, c.worst) if c else None for c in cells["基本信息"]] == [
        (0, 2, "fresh"),
        (2, 2, "unreachable"),
        (1, 1, "stale"),
    ]
    assert cells["其他"][:2] == [None, None]
    only_a = week_grid(history, lambda c: c.site == "a")
    assert [cat for cat, _ in only_a.rows] == ["基本信息"]


@pytest.mark.parametrize(("day", "week"), [(date(2026, 1, 1), "2026-W01"), (date(2027, 1, 1), "2026-W53")])
def test_iso_week(day: date, week: str) -> None:
    assert iso_week(day) == week


SITES = '[[sites]]\nname = "xxgk"\nkind = "disclosure"\nstart_urls = ["http://127.0.0.2:8000/"]\n'


def _config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_routes_from_config_office_first_then_contacts(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        '[email]\nto = ["Office@Example.edu.cn", "b@example.edu.cn"]\n'
        '[[email.routes]]\nto = ["dept@example.edu.cn"]\nname = "经管学院"\nsites = ["xxgk"]\n' + SITES,
    )
    office, dept = routes_from_config(config)
    assert office.office and office.recipient == "b@example.edu.cn,office@example.edu.cn"
    assert not dept.office and dept.sites == {"xxgk"} and dept.audience == "经管学院"


# (route table, words of the message)
ROUTE_MISTAKES = [
    ('to = ["d@example.edu.cn"]\n', ["email.routes[0]", "at least one of sites"]),
    ('to = ["d@example.edu.cn"]\nsites = ["nope"]\n', ["email.routes[0].sites", "'nope'", "known: xxgk"]),
    ('to = []\nsites = ["xxgk"]\n', ["email.routes[0].to", "at least one e-mail address"]),
    ('to = ["not an address"]\nsites = ["xxgk"]\n', ["email.routes[0].to", "'not an address'"]),
]


@pytest.mark.parametrize(("route", "words"), ROUTE_MISTAKES)
def test_route_mistakes_are_named(tmp_path: Path, route: str, words: list[str]) -> None:
    with pytest.raises(ConfigError) as info:
        routes_from_config(_config(tmp_path, "[[email.routes]]\n" + route + SITES))
    for word in words:
        assert word in str(info.value)


def test_an_undated_page_is_listed_without_a_verdict_and_is_no_news() -> None:
    """A single page that shows no date is neither late nor fresh: it is listed with the columns that have no
    verdict (with its reason, in both renderings), and alone it makes no digest news."""
    from monitor.mail.render_html import render_html
    from monitor.mail.render_text import render_text

    about = col("xxgk", "学校概况", "undated", note="页面可以访问且有内容，但未标注发布日期")
    facts = WeekFacts(college="示例职业学院", as_of=AS_OF, columns=[about])
    d = build_digest(facts, OFFICE)
    assert (d.late, d.absent, d.has_news) == ([], [about], False)
    text = render_text(d, title="周报")
    assert "未标注日期" in text and "原因：页面可以访问且有内容，但未标注发布日期" in text
    html = render_html(d, title="周报")
    assert "未标注日期（1）" in html and "页面可以访问且有内容" in html


def test_a_site_with_no_column_found_is_a_row_to_act_on_in_words_of_its_own() -> None:
    """A site that answered but in which no column was found is on the to-do (and in the subject's count) as
    网站未发现栏目, with why and where, never a quiet absence; it is no 网站无法访问."""
    from monitor.mail.digest import EMPTY_SITE_WHY, todo_rows
    from monitor.mail.render_html import render_html
    from monitor.mail.render_text import render_text

    empty = SiteDown("vue", "http://vue.example/", EMPTY_SITE_WHY, kind="site_empty")
    facts = WeekFacts("示例职业学院", AS_OF, [], sites_down=[empty], site_names={"vue": "门户网站"})
    d = build_digest(facts, OFFICE)
    assert d.has_news and d.tally() == [("网站未发现栏目", 1)]
    ((_, row),) = todo_rows(d)
    assert (row.kind, row.label, row.site, row.url) == (
        "site_empty",
        "网站未发现栏目",
        "门户网站",
        "http://vue.example/",
    )
    text = render_text(d, title="周报")
    assert "[网站未发现栏目] 门户网站" in text and "未发现任何栏目" in text and "[网站无法访问]" not in text
    html = render_html(d, title="周报")
    assert "网站未发现栏目" in html and "http://vue.example/" in html
