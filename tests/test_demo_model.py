"""The demo college's timeline, rendering and ground truth, without a server."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, timedelta

import pytest

from demo import DemoCollege
from demo.layout import MISSING_ITEMS, NOT_APPLICABLE_ITEMS, SITES
from demo.model import FRESH_MAX_AGE, FUTURE_DAYS, HOSTILE_TITLE, STALE_MIN_AGE
from demo.truth import academic_year_of, expected_status


def _digest(college: DemoCollege, days_later: int = 0) -> str:
    h = hashlib.sha256()
    for site, rendered in sorted(college.render(days_later).items()):
        for path, page in sorted(rendered.pages.items()):
            h.update(f"{site}{path}{page.status}{page.content_type}".encode())
            h.update(page.body)
    return h.hexdigest()


@pytest.fixture(scope="module")
def college() -> DemoCollege:
    return DemoCollege(as_of=date(2026, 11, 26), scale=1.0)


def test_same_arguments_give_the_same_bytes_and_truth(college: DemoCollege) -> None:
    twin = DemoCollege(as_of=date(2026, 11, 26), scale=1.0)
    assert _digest(twin) == _digest(college)
    assert twin.ground_truth() == college.ground_truth()
    assert _digest(twin, 7) == _digest(college, 7)


def test_other_arguments_give_other_bytes(college: DemoCollege) -> None:
    assert _digest(DemoCollege(as_of=date(2026, 11, 27), scale=1.0)) != _digest(college)
    assert _digest(DemoCollege(as_of=date(2026, 11, 26), scale=0.5)) != _digest(college)


def test_full_scale_has_a_few_thousand_pages_and_every_status(college: DemoCollege) -> None:
    truth = college.ground_truth()
    assert 2500 <= truth["pages_total"] <= 6000
    assert truth["articles"] >= 2500
    statuses = Counter(c["expected_status"] for c in truth["columns"])
    assert set(statuses) == {"fresh", "stale", "empty", "unreachable", "blocked", "undated"}
    assert statuses["undated"] == 1  # the portal's 学院概况: a text page with no date
    disclosure = {c["expected_status"] for c in truth["columns"] if c["site"] == "disclosure"}
    assert {"fresh", "stale", "empty", "unreachable", "blocked"} <= disclosure
    assert len(truth["missing_items"]) >= 5
    assert {s["kind"] for s in truth["sites"].values()} == {"disclosure", "portal", "department"}
    assert len({s["host"] for s in truth["sites"].values()}) == len(truth["sites"]) == 5


def test_disclosure_columns_follow_the_fourteen_category_directory() -> None:
    disclosure = SITES[0]
    seed_directory = (
        "学校概况、制度规范、整体工作、学生事务、教育教学、重点建设、校企合作、"
        "帮困助学、教师人事、收费管理、财务、资产和采购、后勤保障、监督工作"
    )
    assert [name for _, name in disclosure.categories] == seed_directory.split("、")
    assert {c.parent for c in disclosure.columns} == {key for key, _ in disclosure.categories}


def test_catalog_items_mapped_missing_and_not_applicable_are_disjoint() -> None:
    mapped = {c.catalog_item for s in SITES for c in s.columns if c.catalog_item}
    assert not mapped & set(MISSING_ITEMS)
    assert not mapped & set(NOT_APPLICABLE_ITEMS)
    assert not set(MISSING_ITEMS) & set(NOT_APPLICABLE_ITEMS)
    assert len(mapped | set(MISSING_ITEMS) | set(NOT_APPLICABLE_ITEMS)) >= 40


@pytest.mark.parametrize(
    ("as_of", "days_later"),
    [
        (date(2026, 11, 26), 0),
        (date(2026, 11, 26), 7),
        (date(2026, 11, 26), FUTURE_DAYS),
        (date(2028, 2, 29), 0),
        (date(2025, 1, 1), 30),
        (date(2031, 9, 1), 61),
    ],
)
def test_fresh_and_stale_margins_hold_on_any_day(as_of: date, days_later: int) -> None:
    college = DemoCollege(as_of=as_of, scale=0.3)
    day = as_of + timedelta(days=days_later)
    truth = college.ground_truth(days_later)  # raises if a column falls between the margins
    for column in truth["columns"]:
        if column["expected_status"] == "fresh":
            assert (day - date.fromisoformat(column["newest"])).days <= FRESH_MAX_AGE
        elif column["expected_status"] == "stale":
            assert (day - date.fromisoformat(column["newest"])).days >= STALE_MIN_AGE
        elif column["expected_status"] == "undated":  # a single text page with no date
            assert column["newest"] is None and column["items"] == column["undated"] == 1
        else:
            assert column["newest"] is None and column["items"] == 0


@pytest.mark.parametrize(
    ("status", "newest", "expected"),
    [
        ("fresh", date(2026, 11, 26), "fresh"),
        ("fresh", date(2026, 11, 16), "fresh"),
        ("stale", date(2025, 10, 22), "stale"),
        ("empty", None, "empty"),
        ("unreachable", None, "unreachable"),
        ("blocked", None, "blocked"),
    ],
)
def test_expected_status(status: str, newest: date | None, expected: str) -> None:
    assert expected_status(status, newest, date(2026, 11, 26)) == expected


def test_expected_status_refuses_the_grey_band() -> None:
    with pytest.raises(AssertionError):
        expected_status("fresh", date(2026, 10, 1), date(2026, 11, 26))


def test_page_count_grows_about_linearly_with_scale(college: DemoCollege) -> None:
    def served(c: DemoCollege) -> int:
        return sum(len(site.pages) for site in c.render().values())

    one = served(college)
    assert 0.4 < served(DemoCollege(scale=0.5)) / one < 0.65
    assert 1.7 < served(DemoCollege(scale=2.0)) / one < 2.2


def test_count_items_agrees_with_the_columns(college: DemoCollege) -> None:
    truth = college.ground_truth()
    dated = sum(c["items"] - c["undated"] for c in truth["columns"])
    assert college.count_items(date(2000, 1, 1), college.as_of) == dated
    per_site = sum(college.count_items(date(2000, 1, 1), college.as_of, site) for site in truth["sites"])
    assert per_site == dated
    assert college.count_items(college.as_of + timedelta(days=1), college.as_of + timedelta(days=30)) == 0
    assert (
        college.count_items(
            college.as_of + timedelta(days=1), college.as_of + timedelta(days=7), days_later=7
        )
        > 0
    )


def test_three_full_statistics_years_have_realistic_counts(college: DemoCollege) -> None:
    periods = college.ground_truth()["period_counts"]
    assert len(periods) == 3
    for label, counts in periods.items():
        start, end = (date.fromisoformat(d) for d in label.split(".."))
        assert (start.month, start.day, end.month, end.day) == (9, 1, 8, 31)
        assert academic_year_of(start) == (start, end)
        assert counts["total"] == college.count_items(start, end)
        assert 150 <= counts["disclosure"] <= 500  # the seed school published 320-odd items a year
        assert 200 <= counts["portal"] <= 600


def test_titles_are_gbk_and_one_portal_title_is_hostile(college: DemoCollege) -> None:
    titles = [i.title for c in college.timeline.columns.values() for i in c.items]
    for title in titles:
        title.encode("gbk")
    hostile = [
        (c.site, c.spec.key)
        for c in college.timeline.columns.values()
        for i in c.items
        if i.title == HOSTILE_TITLE
    ]
    assert hostile == [("portal", "xwdt")]
    raw = HOSTILE_TITLE.encode()
    assert not any(raw in p.body for r in college.render().values() for p in r.pages.values())


def test_pinned_and_undated_rows_exist_where_declared(college: DemoCollege) -> None:
    columns = {(c["site"], c["key"]): c for c in college.ground_truth()["columns"]}
    assert columns[("disclosure", "zzzc")]["pinned"] == 2
    assert columns[("portal", "tzgg")]["pinned"] == 2
    assert columns[("dept-cwc", "xzzx")]["undated"] == 4
    pinned = college.timeline.visible("portal", "tzgg")[0]
    assert pinned.pinned and pinned.day < college.timeline.visible("portal", "tzgg")[2].day


def test_days_later_changes_only_what_it_says(college: DemoCollege) -> None:
    before = college.ground_truth()
    after = college.ground_truth(7)
    changes = after["changes"]
    assert changes["edited"] and changes["deleted"] and changes["new_items"]
    assert before["changes"] == {"new_items": [], "edited": None, "deleted": None}
    assert after["articles"] == before["articles"] + len(changes["new_items"]) - 1
    tl = college.timeline
    new = [
        i
        for c in tl.columns.values()
        if not c.spec.robots
        for i in c.items
        if tl.as_of < i.day <= tl.view_day(7)
    ]
    assert len(new) == len(changes["new_items"])
    old_cols = {(c["site"], c["key"]): c for c in before["columns"]}
    for column in after["columns"]:
        old = old_cols[(column["site"], column["key"])]
        if column["expected_status"] == "stale":
            assert column == old  # nothing happens in a stale column


# Days around every deadline of the shipped table (Mar 31, May 31, Sep 30, Oct 31, Dec 31) and across a year.
RULE_DAYS = [
    date(2026, 1, 1),
    date(2026, 3, 31),
    date(2026, 4, 1),
    date(2026, 6, 1),
    date(2026, 9, 1),
    date(2026, 9, 30),
    date(2026, 10, 1),
    date(2026, 10, 31),
    date(2026, 11, 1),
    date(2026, 12, 31),
    date(2027, 2, 28),
    date(2028, 2, 29),
]


@pytest.mark.parametrize("as_of", RULE_DAYS, ids=[d.isoformat() for d in RULE_DAYS])
def test_expected_statuses_are_what_the_shipped_rules_say(as_of: date) -> None:
    """The ground truth is derived from the demo's data and the shipped rules table; on any day it must
    agree with the monitor's own rule functions applied to the cadence of the column's 清单 item (annual
    deadlines included), or with the generic limit of the column's name."""
    from monitor.catalog import load_catalog, normalize
    from monitor.rules import Evidence, evaluate

    catalog = load_catalog()
    by_name = {item.name: item for item in catalog.items}
    truth = DemoCollege(as_of=as_of, scale=0.1).ground_truth()
    checked = 0
    for column in truth["columns"]:
        if column["expected_status"] not in ("fresh", "stale"):
            continue
        newest = date.fromisoformat(column["newest"])
        generic = catalog.generic_for(normalize(column["name"]))[0]
        item = by_name.get(column["catalog_item"] or "")
        if item is not None and item.cadence is not None:
            evidence = Evidence(as_of=as_of, newest=newest, items=column["items"], generic_limit=generic)
            said = evaluate(item.cadence, evidence).status
        else:
            said = "fresh" if (as_of - newest).days <= generic else "stale"
        assert column["expected_status"] == said, (column["site"], column["name"], column["newest"])
        checked += 1
    assert checked > 50
