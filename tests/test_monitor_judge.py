"""The judgement from hand-built facts: statuses per column, missing items, a site down as one line."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from monitor.catalog import load_catalog
from monitor.findings import Finding
from monitor.judge import assess
from monitor.judge_context import Context, SiteInfo
from storage.facts import ColumnFacts, SiteFacts

AS_OF = date(2026, 11, 26)
CRAWL = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # Nov 26, 02:00 in Beijing
CATALOG = load_catalog()
SITES = [
    SiteInfo("disclosure", "disclosure", "示例学院", "党政办"),
    SiteInfo("portal", "portal", "示例学院", "宣传部"),
]


def ctx(**kw) -> Context:
    return Context(catalog=CATALOG, sites=kw.pop("sites", SITES), **kw)


def col(
    name: str,
    *,
    site: str = "disclosure",
    slug: str | None = None,
    state: str = "ok",
    items: int = 5,
    undated: int = 0,
    age: int | None = 3,
    failing: datetime | None = None,
    error: str | None = None,
) -> ColumnFacts:
    return ColumnFacts(
        site=site,
        url=f"http://{site}.test/{slug or abs(hash(name)) % 10**6}.htm",
        name=name,
        name_source="breadcrumb",
        first_seen=CRAWL - timedelta(days=300),
        state=state,
        observed_at=CRAWL,
        run_id=9,
        items=items,
        undated=undated,
        newest=AS_OF - timedelta(days=age) if age is not None else None,
        newest_title="最新一条",
        newest_url=f"http://{site}.test/a/1.htm",
        last_ok_at=CRAWL if state in ("ok", "empty") else CRAWL - timedelta(days=14),
        failing_since=failing,
        error=error,
        pages=1,
        failed_pages=0,
    )


def site(name: str, down: bool = False, since: datetime | None = None) -> SiteFacts:
    error = "Connection refused" if down else None
    ok = 0 if down else 10
    return SiteFacts(name, 9, CRAWL, 10, ok, 10 - ok, f"http://{name}.test/", not down, error, down, since)


UP = [site("disclosure"), site("portal")]
UNDATED = "undated: the page shows no publication date, so its timeliness cannot be judged"
WEEK_AGO = CRAWL - timedelta(days=7)

# (column facts, status, age_days, limit_days)
TABLE = [
    (col("新闻动态", site="portal", age=10), "fresh", 10, 14),
    (col("新闻动态", site="portal", age=15), "stale", 15, 14),
    (col("通知公告", site="portal", age=183), "fresh", 183, 183),
    (col("通知公告", site="portal", age=184), "stale", 184, 183),
    (col("招生章程", age=400), "stale", 400, 365),  # 清单 item: event with a 365-day limit
    (col("规章制度", age=100), "fresh", 100, 183),  # event without a limit: the generic 制度 limit
    (col("信息公开年度报告", age=26), "fresh", 26, 86),  # published after Aug 31
    (col("信息公开年度报告", age=100), "stale", 100, 86),  # Oct 31 passed with nothing new since Aug 31
    (col("校园风光", age=364), "fresh", 364, 365),
    (col("资助公示", items=3, undated=3, age=None), "stale", None, 183),  # only undated items: not updated
    (col("学生申诉", state="empty", items=0, age=None), "empty", None, None),
    # a single page read with content and no date: no verdict, said so (never stale, never fresh)
    (col("学校概况", items=1, undated=1, age=None, error=UNDATED), "undated", None, None),
    (col("教学改革", items=0, age=None), "empty", None, None),  # reachable, no row at all
    (
        col("产教融合", state="unreachable", age=900, failing=WEEK_AGO, error="HTTP 503"),
        "unreachable",
        900,
        None,
    ),
    (col("校内公示", state="blocked", items=0, age=None, failing=WEEK_AGO), "blocked", None, None),
]


@pytest.mark.parametrize(("facts", "status", "age", "limit"), TABLE)
def test_column_status_table(facts: ColumnFacts, status: str, age: int | None, limit: int | None) -> None:
    j = assess([facts], UP, ctx(), as_of=AS_OF)
    (section,) = j.columns
    assert (section.status, section.age_days, section.limit_days) == (status, age, limit)
    assert section.reason and section.rule


def test_unreachable_is_never_stale_and_says_since_when() -> None:
    old = col("产教融合", state="unreachable", age=900, failing=WEEK_AGO, error="HTTP 503")
    (s,) = assess([old], UP, ctx(), as_of=AS_OF).columns
    assert s.status == "unreachable" and s.error == "HTTP 503"
    assert s.since is not None and s.since.date() == date(2026, 11, 19) and "2026-11-19" in s.reason


def test_an_undated_page_covers_its_item_and_says_why_it_is_not_judged() -> None:
    about = col("学校概况", items=1, undated=1, age=None, error=UNDATED)
    j = assess([about], UP, ctx(), as_of=AS_OF)
    (s,) = j.columns
    assert (s.status, s.label, s.last_published, s.items) == ("undated", "未标注日期", None, 1)
    assert "未标注发布日期" in s.reason and s.error == UNDATED
    assert "basic.overview" not in {m.item_id for m in j.missing}
    assert j.counts()["undated"] == 1


def test_a_site_down_is_one_line_not_fifty_stale_columns() -> None:
    columns = [
        col(f"栏目{i}", site="portal", state="unreachable", age=400 + i, failing=WEEK_AGO) for i in range(50)
    ]
    columns.append(col("新闻动态", site="disclosure", age=1))
    j = assess(columns, [site("disclosure"), site("portal", down=True, since=WEEK_AGO)], ctx(), as_of=AS_OF)
    assert [(line.site, line.status) for line in j.sites] == [("disclosure", "ok"), ("portal", "down")]
    assert j.sites_down[0].since == WEEK_AGO and j.sites_down[0].columns == 50
    portal = [s for s in j.columns if s.site == "portal"]
    assert len(portal) == 50 and all(s.status == "unreachable" and s.site_down for s in portal)
    assert not any(s.status == "stale" for s in j.columns)


def test_missing_items_per_institution_under_its_disclosure_site() -> None:
    columns = [
        col("招生章程"),
        col("新闻动态", site="portal", age=1),
        col("信息公开年度报告", site="portal", age=5),
    ]
    j = assess(columns, UP, ctx(), as_of=AS_OF)
    missing = {s.item_id for s in j.missing}
    assert "admission.charter" not in missing and "basic.annual_report" not in missing  # any site covers it
    assert len(missing) == 50 - 2
    s = next(s for s in j.missing if s.item_id == "finance.budget")
    assert (s.site, s.url, s.status, s.category, s.last_published) == (
        "disclosure",
        None,
        "missing",
        "财务、资产及收费信息",
        None,
    )
    assert s.name == s.item == "收支预算表"


def test_a_gone_column_counts_with_its_reason_but_covers_no_item() -> None:
    """Issue 20: a column seen before and not now is news — counted and shown with why and since when — but
    it no longer publishes its 清单 item, so the item is missing unless another column covers it."""
    gone = replace(col("招生章程", state="gone"), absent_since=CRAWL, error="not linked any more")
    j = assess([gone, col("新闻动态", site="portal")], UP, ctx(), as_of=AS_OF)
    assert sorted(s.name for s in j.columns) == ["招生章程", "新闻动态"] and [s.name for s in j.gone] == [
        "招生章程"
    ]
    assert j.counts()["gone"] == 1
    (section,) = j.gone
    assert section.status == "gone" and section.label == "栏目消失"
    assert (
        "不再链接" in section.reason and CRAWL.astimezone(ctx().zone).strftime("%Y-%m-%d") in section.reason
    )
    assert "admission.charter" in {s.item_id for s in j.missing}


def test_an_unchecked_column_keeps_its_last_look_and_covers_its_item() -> None:
    unchecked = replace(
        col("招生章程", state="unchecked"), absent_since=CRAWL, error="limit: max_pages (3 requests not made)"
    )
    j = assess([unchecked], UP, ctx(), as_of=AS_OF)
    (section,) = j.columns
    assert section.status == "unchecked" and section.label == "本次未检查"
    assert "页数上限" in section.reason
    assert j.gone == []
    assert "admission.charter" not in {s.item_id for s in j.missing}


def test_only_recently_vanished_columns_are_listed_as_gone() -> None:
    old = replace(col("旧栏目", state="gone"), last_ok_at=CRAWL - timedelta(days=200))
    j = assess([old, col("新闻动态", site="portal")], UP, ctx(), as_of=AS_OF)
    assert j.gone == []


def test_unreachable_columns_still_cover_their_items() -> None:
    j = assess([col("招生章程", state="unreachable", failing=WEEK_AGO)], UP, ctx(), as_of=AS_OF)
    assert "admission.charter" not in {s.item_id for s in j.missing}


def test_no_column_known_means_no_missing_list_but_a_note() -> None:
    j = assess([], [], ctx(), as_of=AS_OF)
    assert j.missing == [] and j.notes and "尚无栏目记录" in j.notes[0]
    assert [line.status for line in j.sites] == ["never", "never"]


def test_site_filter_keeps_its_columns_and_its_missing_items() -> None:
    columns = [col("招生章程"), col("新闻动态", site="portal", age=30)]
    portal = assess(columns, UP, ctx(), as_of=AS_OF, site="portal")
    assert [s.name for s in portal.sections] == ["新闻动态"]  # missing items belong to the disclosure site
    assert [line.site for line in portal.sites] == ["portal"]
    disclosure = assess(columns, UP, ctx(), as_of=AS_OF, site="disclosure")
    assert disclosure.columns[0].name == "招生章程" and len(disclosure.missing) == 49


def test_two_institutions_are_judged_apart() -> None:
    sites = [SiteInfo("a", "disclosure", "甲学院"), SiteInfo("b", "disclosure", "乙学院")]
    j = assess(
        [col("招生章程", site="a"), col("新闻", site="b")],
        [site("a"), site("b")],
        ctx(sites=sites),
        as_of=AS_OF,
    )
    by = {inst: {s.item_id for s in j.missing if s.institution == inst} for inst in ("甲学院", "乙学院")}
    assert "admission.charter" not in by["甲学院"] and "admission.charter" in by["乙学院"]
    assert {s.site for s in j.missing} == {"a", "b"}


def test_unconfigured_sites_are_left_out() -> None:
    j = assess([col("新闻动态", site="old")], [site("old")], ctx(), as_of=AS_OF)
    assert j.columns == [] and all(line.site != "old" for line in j.sites)


def test_findings_take_the_column_name_category_and_department() -> None:
    c = col("招生章程")
    f = Finding("backdated", "disclosure", "http://disclosure.test/a/9.htm", "旧文", column_url=c.url)
    j = assess([c], UP, ctx(), as_of=AS_OF, findings=[f, Finding("deleted", "old", "u", "t")])
    assert [(x.column, x.category, x.department) for x in j.findings] == [
        ("招生章程", "招生考试信息", "党政办")
    ]


def test_sections_are_sorted_worst_first_within_a_site() -> None:
    columns = [
        col("校园风光", age=1),
        col("新闻动态", age=40),
        col("学生申诉", state="empty", items=0, age=None),
        col("产教融合", state="unreachable", failing=WEEK_AGO),
        col("通知公告", age=300),
    ]
    statuses = [s.status for s in assess(columns, UP, ctx(), as_of=AS_OF).columns]
    assert statuses == ["unreachable", "stale", "stale", "empty", "fresh"]
    names = [s.name for s in assess(columns, UP, ctx(), as_of=AS_OF).columns if s.status == "stale"]
    assert names == ["通知公告", "新闻动态"]  # more overdue first: 117 days past 183 vs 26 past 14


def test_a_site_that_answered_with_no_column_is_said_not_left_at_zero() -> None:
    judgement = assess([col("通知公告")], UP, ctx(), as_of=AS_OF)
    (note,) = [n for n in judgement.notes if "未发现任何栏目" in n]
    assert note.startswith("宣传部门户网站"), note  # the site by its name
    assert "http://portal.test/" in note and "xxgk inspect" in note
    assert not [
        n
        for n in assess([col("通知公告"), col("新闻", site="portal")], UP, ctx(), as_of=AS_OF).notes
        if "未发现任何栏目" in n
    ]
