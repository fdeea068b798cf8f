"""清单 coverage from evidence (monitor.coverage through the pure `assess`): a table of hand-built facts.

The item is 收支预算表 (annual: published by May 31 for the year ending Dec 31). On 2026-11-26 the deadline
that decides is 2026-05-31: something dated after 2025-12-31 must be out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from test_monitor_judge import AS_OF, CRAWL, SITES, col, ctx

from monitor.judge import assess
from monitor.judge_context import Context
from storage.facts import ItemFacts, SiteFacts

SITE_OK = [SiteFacts("disclosure", 9, CRAWL, 10, 10, 0, "http://disclosure.test/", True, None, False, None)]
GENERIC = col("信息公开目录", slug="xxgkml", age=20)
BUDGET_FRESH = col("部门预算", slug="bmys", age=200)  # 2026-05-10
BUDGET_STALE = col("部门预算", slug="bmys", age=600)  # 2025-04-05
UNDATED = "undated: the page shows no publication date, so its timeliness cannot be judged"
UNDATED_PAGE = col("预算公开说明", slug="ysgk", items=1, undated=1, age=None, error=UNDATED)  # 单页, no date


def item(title: str, shown: date | None, column=GENERIC, vanished: datetime | None = None) -> ItemFacts:
    return ItemFacts(
        site=column.site,
        column_url=column.url,
        url=f"http://disclosure.test/info/{abs(hash(title)) % 10**6}.htm",
        title=title,
        date_shown=shown,
        first_seen=CRAWL - timedelta(days=30),
        last_seen=CRAWL,
        vanished_at=vanished,
    )


THIS_YEAR = item("2026年部门预算", date(2026, 3, 1))
LAST_YEAR = item("2025年部门预算", date(2025, 3, 1))
MEETING = item("学校召开2026年预算工作会议", date(2026, 11, 1))

# (columns, items, expected (status, via, decided_by, newest date))
CASES = [
    ("titles only, this cycle", [GENERIC], [THIS_YEAR], ("fresh", "titles", "titles", date(2026, 3, 1))),
    ("titles only, last cycle", [GENERIC], [LAST_YEAR], ("stale", "titles", "titles", date(2025, 3, 1))),
    ("a meeting is no budget", [GENERIC], [MEETING], ("missing", "none", "", None)),
    (
        "stale column, fresh title elsewhere",
        [GENERIC, BUDGET_STALE],
        [THIS_YEAR],
        ("fresh", "column+titles", "titles", date(2026, 3, 1)),
    ),
    (
        "fresh column, old title elsewhere",
        [GENERIC, BUDGET_FRESH],
        [LAST_YEAR],
        ("fresh", "column+titles", "column", date(2026, 5, 10)),
    ),
    (
        "fresh column, fresh title: the column decides",
        [GENERIC, BUDGET_FRESH],
        [THIS_YEAR],
        ("fresh", "column+titles", "column", date(2026, 5, 10)),
    ),
    (
        "stale column, stale title: the column's status",
        [GENERIC, BUDGET_STALE],
        [LAST_YEAR],
        ("stale", "column+titles", "column", date(2025, 4, 5)),
    ),
    (
        "unreachable column, no title",
        [GENERIC, replace(BUDGET_FRESH, state="unreachable")],
        [],
        ("unreachable", "column", "column", date(2026, 5, 10)),
    ),
    ("an undated title", [GENERIC], [item("2026年部门预算", None)], ("stale", "titles", "titles", None)),
    # an undated single page is no verdict: the dated column beside it decides, fresh or stale
    (
        "fresh column and an undated single page",
        [GENERIC, BUDGET_FRESH, UNDATED_PAGE],
        [],
        ("fresh", "column", "column", date(2026, 5, 10)),
    ),
    (
        "stale column and an undated single page",
        [GENERIC, BUDGET_STALE, UNDATED_PAGE],
        [],
        ("stale", "column", "column", date(2025, 4, 5)),
    ),
    ("an undated single page alone", [GENERIC, UNDATED_PAGE], [], ("undated", "column", "column", None)),
    (
        "a vanished item is no evidence",
        [GENERIC],
        [item("2026年部门预算", date(2026, 3, 1), vanished=CRAWL - timedelta(days=2))],
        ("missing", "none", "", None),
    ),
    (
        "an item of a gone column is no evidence",
        [GENERIC, replace(col("旧目录", slug="old"), state="gone")],
        [item("2026年部门预算", date(2026, 3, 1), column=col("旧目录", slug="old"))],
        ("missing", "none", "", None),
    ),
]


@pytest.mark.parametrize(("columns", "items", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_budget_coverage(columns, items, expected) -> None:
    judgement = assess(columns, SITE_OK, ctx(), as_of=AS_OF, items=items)
    (budget,) = [c for c in judgement.coverage if c.item_id == "finance.budget"]
    assert (budget.status, budget.via, budget.decided_by, budget.last_published) == expected
    missing = {s.item_id for s in judgement.missing}
    assert ("finance.budget" in missing) == (expected[0] == "missing")
    if budget.decided_by == "titles":
        assert budget.due == date(2026, 5, 31) and budget.newest_title == budget.titles[0].title
        assert budget.next_due == date(2027, 5, 31)
        assert budget.reason.startswith("由条目标题确认")


def test_every_applicable_item_has_one_coverage_and_wording_follows_programmes() -> None:
    from monitor.catalog import load_catalog

    catalog = replace(load_catalog(), institutions={"示例学院": (frozenset({"vocational"}), frozenset())})
    judgement = assess([GENERIC, col("质量年报", slug="zlnb")], SITE_OK, Context(catalog, SITES), as_of=AS_OF)
    ids = [c.item_id for c in judgement.coverage]
    assert ids == [i.id for i in catalog.applicable("示例学院")] and len(ids) == len(set(ids))
    quality = next(c for c in judgement.coverage if c.item_id == "teaching.quality_report")
    assert quality.item == "高等职业教育质量年度报告" and quality.via == "column"
    (column,) = [s for s in judgement.columns if s.item_id == "teaching.quality_report"]
    assert column.item == "高等职业教育质量年度报告" and column.covers == ("高等职业教育质量年度报告",)
    missing = next(s for s in judgement.missing if s.item_id == "teaching.students_staff")
    assert missing.name == missing.item == "在校生结构与教师数量及结构"


def test_json_lists_the_newest_titles_and_counts_them_all() -> None:
    tenders = [item(f"第{n}号设备采购项目中标公告", date(2026, 1, 1) + timedelta(days=n)) for n in range(30)]
    judgement = assess([GENERIC], SITE_OK, ctx(), as_of=AS_OF, items=tenders)
    (doc,) = [c for c in judgement.to_json()["coverage"] if c["item_id"] == "finance.procurement"]
    assert doc["title_count"] == 30 and len(doc["titles"]) == 20
    assert doc["titles"][0]["title"] == "第29号设备采购项目中标公告" == doc["newest_title"]


def test_an_article_listed_by_two_columns_is_one_piece_of_evidence() -> None:
    own = col("财务公开", slug="cwgk", age=20)
    listed_twice = [THIS_YEAR, replace(THIS_YEAR, column_url=own.url), LAST_YEAR]
    judgement = assess([GENERIC, own], SITE_OK, ctx(), as_of=AS_OF, items=listed_twice)
    (budget,) = [c for c in judgement.coverage if c.item_id == "finance.budget"]
    assert [t.title for t in budget.titles] == ["2026年部门预算", "2025年部门预算"]
