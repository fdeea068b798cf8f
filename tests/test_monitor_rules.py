"""Rule kinds as tables: (cadence, day, newest item) → status, age, limit, deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.rules import RULES, Cadence, Evidence, SpecError, cadence_from, deadline_window, evaluate
from monitor.rules.overrides import RuleOverride, choose, overrides_from_tables

D = date.fromisoformat
ANNUAL_REPORT = {"annual": {"due": "10-31", "period_end": "08-31"}}
BUDGET = {"annual": {"due": "05-31", "period_end": "12-31"}}


def cad(table: dict) -> Cadence:
    c = cadence_from(table, "", source="test", required=True)
    assert c is not None
    return c


# (cadence table, as_of, newest, generic limit, status, age, limit)
CASES = [
    # max_age: fresh up to and including the limit
    ({"max_age_days": 14}, "2026-11-26", "2026-11-12", 365, "fresh", 14, 14),
    ({"max_age_days": 14}, "2026-11-26", "2026-11-11", 365, "stale", 15, 14),
    ({"max_age_days": 365}, "2026-11-26", "2026-11-26", 14, "fresh", 0, 365),
    ({"max_age_days": 365}, "2026-11-26", None, 14, "stale", None, 365),  # undated only: not updated
    # event without its own limit: the generic limit of the column's name
    ({"event": {"working_days": 20}}, "2026-11-26", "2026-06-01", 183, "fresh", 178, 183),
    ({"event": {"working_days": 20}}, "2026-11-26", "2026-05-26", 183, "stale", 184, 183),
    ({"event": {"working_days": 20, "max_age_days": 30}}, "2026-11-26", "2026-10-27", 14, "fresh", 30, 30),
    ({"event": {"working_days": 20}}, "2026-11-26", None, 365, "stale", None, 365),
    # annual report: Oct 31 deadline for the year ending Aug 31
    (ANNUAL_REPORT, "2026-10-31", "2025-10-20", 365, "fresh", 376, 425),  # deadline day: last year's counts
    (ANNUAL_REPORT, "2026-11-01", "2025-10-20", 365, "stale", 377, 61),  # the day after: stale
    (ANNUAL_REPORT, "2026-11-01", "2026-09-01", 365, "fresh", 61, 61),  # published after Aug 31
    (ANNUAL_REPORT, "2026-11-01", "2026-08-31", 365, "stale", 62, 61),  # Aug 31 is inside the old period
    (ANNUAL_REPORT, "2026-11-26", "2026-11-03", 365, "fresh", 23, 86),  # late, but published
    (ANNUAL_REPORT, "2026-09-15", "2025-09-20", 365, "fresh", 360, 379),  # before this year's deadline
    (ANNUAL_REPORT, "2026-11-26", None, 365, "stale", None, 86),
    # budget: the year's budget by May 31
    (BUDGET, "2026-05-30", "2025-04-25", 365, "fresh", 400, 514),
    (BUDGET, "2026-06-01", "2025-04-25", 365, "stale", 402, 151),
    (BUDGET, "2026-06-01", "2026-01-05", 365, "fresh", 147, 151),
]


@pytest.mark.parametrize(("table", "as_of", "newest", "generic", "status", "age", "limit"), CASES)
def test_rule_table(
    table: dict, as_of: str, newest: str | None, generic: int, status: str, age: int | None, limit: int
) -> None:
    verdict = evaluate(cad(table), Evidence(D(as_of), D(newest) if newest else None, 5, 0, generic))
    assert (verdict.status, verdict.age_days, verdict.limit_days) == (status, age, limit)
    assert verdict.reason


@pytest.mark.parametrize(
    ("as_of", "due", "period", "upcoming"),
    [
        ("2026-10-30", "2025-10-31", "2025-08-31", "2026-10-31"),
        ("2026-10-31", "2025-10-31", "2025-08-31", "2026-10-31"),  # the deadline day itself: not yet passed
        ("2026-11-01", "2026-10-31", "2026-08-31", "2027-10-31"),
        ("2027-01-15", "2026-10-31", "2026-08-31", "2027-10-31"),
    ],
)
def test_deadline_window_around_oct_31(as_of: str, due: str, period: str, upcoming: str) -> None:
    assert deadline_window(D(as_of), "10-31", "08-31") == (D(due), D(period), D(upcoming))


def test_annual_verdict_names_the_deadline_that_decided() -> None:
    v = evaluate(cad(ANNUAL_REPORT), Evidence(D("2026-11-26"), D("2025-11-01"), 3))
    assert v.status == "stale" and v.due == D("2026-10-31") and v.next_due == D("2027-10-31")
    assert "2026年10月31日" in v.reason and "2026年8月31日" in v.reason


@given(
    kind=st.sampled_from([{"max_age_days": 14}, {"event": {"working_days": 20}}, ANNUAL_REPORT, BUDGET]),
    as_of=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    back=st.one_of(st.none(), st.integers(min_value=-5, max_value=900)),
)
def test_every_verdict_is_explained_by_its_two_numbers(kind: dict, as_of: date, back: int | None) -> None:
    newest = None if back is None else as_of - timedelta(days=back)
    v = evaluate(cad(kind), Evidence(as_of, newest, 3, 0, 183))
    assert v.status == ("stale" if v.age_days is None or v.age_days > v.limit_days else "fresh")


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ({"annual": {"due": "10-31"}}, "x.annual.period_end"),
        ({"annual": {"due": "13-01", "period_end": "08-31"}}, "x.annual.due"),
        ({"annual": "10-31"}, "x.annual"),
        ({"event": {"working_days": 0}}, "x.event.working_days"),
        ({"event": {"working_days": 20, "grace": 3}}, "x.event.grace"),
        ({"max_age_days": "14"}, "x.max_age_days"),
        ({"max_age_days": 14, "annual": {"due": "10-31", "period_end": "08-31"}}, "x.annual"),
        ({}, "x"),
    ],
)
def test_spec_errors_name_the_key(table: dict, key: str) -> None:
    with pytest.raises(SpecError) as info:
        cadence_from(table, "x.", source="t", required=True)
    assert info.value.key == key


def test_registry_declares_every_kind_with_a_function_and_documented_parameters() -> None:
    assert set(RULES) == {"max_age_days", "annual", "event"}
    for kind in RULES.values():
        assert callable(kind.func) and kind.label and kind.doc
        assert all(p.help for p in kind.params)


OVERRIDES = overrides_from_tables(
    [
        {"max_age_days": 100},  # 0: everything
        {"site": "portal", "max_age_days": 30},  # 1
        {"category": "招生考试信息", "max_age_days": 60},  # 2
        {"item": "admission.charter", "max_age_days": 90},  # 3
        {"column": "招生章程", "max_age_days": 120},  # 4
        {"site": "portal", "column": "http://p/zszc.htm", "max_age_days": 7},  # 5
        {"category": "招生考试信息", "max_age_days": 61},  # 6: same specificity as 2, later wins
    ]
)


@pytest.mark.parametrize(
    ("site", "category", "items", "name", "url", "chosen"),
    [
        ("disclosure", None, (), "新闻", "http://d/xw.htm", 0),
        ("portal", None, (), "新闻", "http://p/xw.htm", 1),
        ("disclosure", "招生考试信息", (), "招生动态", "http://d/zs.htm", 6),
        ("disclosure", "招生考试信息", ("admission.charter",), "招生简章", "http://d/a.htm", 3),
        ("disclosure", "招生考试信息", ("admission.charter",), "招生章程", "http://d/b.htm", 4),
        ("portal", "招生考试信息", ("admission.charter",), "招生章程", "http://p/zszc.htm", 5),
    ],
)
def test_most_specific_override_wins(
    site: str, category: str | None, items: tuple[str, ...], name: str, url: str, chosen: int
) -> None:
    found = choose(OVERRIDES, site=site, category=category, items=items, name=name, url=url)
    assert isinstance(found, RuleOverride) and found.index == chosen


def test_no_override_applies_when_a_selector_differs() -> None:
    only = overrides_from_tables([{"site": "portal", "category": "其他", "max_age_days": 5}])
    assert choose(only, site="portal", category="基本信息", items=(), name="x", url="u") is None
