"""Column assembly (crawler/columns.py): list pages, pagers and failures of one run → ColumnObservations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crawler.columns import ColumnCollector
from crawler.othercolumns import UNDATED_ERROR
from storage.records import ColumnObservation, FetchRecord, Link, PageParse, Row

S = "http://s.example.edu.cn"
NAV = [
    Link(f"{S}/tzgg/", "通知公告", "nav"),
    Link(f"{S}/zsxx/", "招生信息", "nav"),
    Link(f"{S}/nb/", "内部公示", "nav"),
]


def fetch(
    url: str, outcome: str = "ok", *, final: str | None = None, error: str | None = None
) -> FetchRecord:
    status = {"ok": 200, "not_modified": 304, "http_error": 404}.get(outcome)
    return FetchRecord(
        "s",
        url,
        datetime(2026, 1, 1, tzinfo=UTC),
        outcome,
        status=status,
        final_url=final,
        error=error,
        depth=1,
    )


def page(
    url: str,
    rows: list[tuple[str, date | None]] = (),  # type: ignore[assignment]
    *,
    kind: str = "list",
    pager: list[str] = (),  # type: ignore[assignment]
    first: str | None = None,
    name: str | None = "通知公告",
    source: str = "breadcrumb",
    title: str | None = None,
    body: str | None = None,
    links: list[Link] = NAV,
    blocked: str | None = None,
) -> PageParse:
    return PageParse(
        url=url,
        content_hash=body or url,
        kind=kind,
        title=title,
        column_name=name,
        column_name_source=source if name else None,
        breadcrumb=("首页", name) if name and source == "breadcrumb" else (),
        rows=[Row(f"title {u}", f"{S}{u}", d) for u, d in rows],
        pager=list(pager),
        pager_first=first,
        links=list(links),
        blocked_reason=blocked,
    )


def collect(*items: tuple[FetchRecord, PageParse | None, str], known: dict[str, str] | None = None) -> list:
    collector = ColumnCollector("s", [f"{S}/"])
    collector.add(fetch(f"{S}/"), page(f"{S}/", kind="other", name=None), "start")
    for record, parse, via in items:
        collector.add(record, parse, via)
    return sorted(collector.observations(known or {}), key=lambda c: c.url)


def brief(c: ColumnObservation) -> tuple:
    return (c.url, c.name, c.state, c.pages, c.failed_pages, len(c.rows), c.newest, c.error)


def test_pager_pages_form_one_column_with_pinned_rows_and_the_nav_url() -> None:
    p1, p1b, p2, p3 = f"{S}/tzgg/", f"{S}/tzgg/index.html", f"{S}/tzgg/index_1.html", f"{S}/tzgg/index_2.html"
    pinned = ("/a/0", date(2019, 1, 1))
    columns = collect(
        # the nav links the directory; the pager calls the same body index.html
        (
            fetch(p1),
            page(p1, [pinned, ("/a/1", date(2024, 6, 1))], pager=[p2, p3], first=p1b, body="one"),
            "nav",
        ),
        (
            fetch(p2),
            page(p2, [("/a/2", date(2024, 5, 1)), ("/a/1", date(2024, 6, 1))], pager=[p1b, p3], first=p1b),
            "pager",
        ),
        (fetch(p3), page(p3, [("/a/3", None)], pager=[p1b, p2], first=p1b), "pager"),
        (
            fetch(p1b),
            page(p1b, [pinned, ("/a/1", date(2024, 6, 1))], pager=[p2, p3], first=p1b, body="one"),
            "pager",
        ),
    )
    assert [brief(c) for c in columns] == [(p1, "通知公告", "ok", 3, 0, 4, date(2024, 6, 1), None)]
    assert columns[0].name_source == "breadcrumb"


# (the first page's column name and its source as the extractor saw them, the <title>, the nav link's text)
# -> the column's name and name_source
NAME_CASES = [
    (("通知公告", "breadcrumb"), None, "通知公告", ("通知公告", "breadcrumb")),
    (("学校概况", "heading"), None, "通知公告", ("学校概况", "heading")),
    (("校务公开", "meta"), None, "通知公告", ("校务公开", "meta")),
    (("办学信息", "title"), "办学信息-某学院", "通知公告", ("办学信息", "title")),
    (("规章制度", "config"), None, "通知公告", ("规章制度", "config")),
    (("招生信息", "link_text"), None, "招生", ("招生信息", "link_text")),
    ((None, "breadcrumb"), "某学院", "通知公告", ("通知公告", "link_text")),  # no name: the nav link's text
    ((None, "breadcrumb"), "某学院", "", ("某学院", "title")),  # no link text either: the <title>
    ((None, "breadcrumb"), None, "", (f"{S}/tzgg/", "url")),
]


@pytest.mark.parametrize(("extracted", "title", "nav_text", "expected"), NAME_CASES)
def test_the_column_name_keeps_the_source_the_extractor_found(
    extracted: tuple[str | None, str], title: str | None, nav_text: str, expected: tuple[str, str]
) -> None:
    url = f"{S}/tzgg/"
    name, source = extracted
    parse = page(url, [("/a/1", date(2024, 6, 1))], name=name, source=source, title=title)
    parse.links = [Link(url, nav_text, "nav")]
    collector = ColumnCollector("s", [f"{S}/"])
    collector.add(fetch(url), parse, "nav")
    (column,) = collector.observations({})
    assert (column.name, column.name_source) == expected


def test_first_page_is_the_one_entered_from_outside_when_the_pager_names_none() -> None:
    p1, p2 = f"{S}/news/list.htm", f"{S}/news/list2.htm"
    columns = collect(
        (fetch(p2), page(p2, [("/n/2", date(2024, 1, 2))], pager=[p1]), "pager"),
        (fetch(p1), page(p1, [("/n/1", date(2024, 1, 3))], pager=[p2]), "content"),
    )
    assert [(c.url, c.pages, c.newest) for c in columns] == [(p1, 2, date(2024, 1, 3))]


def test_a_redirected_url_and_its_target_are_one_page() -> None:
    linked, target = f"{S}/gg", f"{S}/gg/"
    columns = collect(
        (fetch(linked, final=target), page(linked, [("/a/1", date(2024, 1, 1))], body="x"), "nav"),
        (fetch(target), page(target, [("/a/1", date(2024, 1, 1))], body="x2"), "content"),
    )
    assert [(c.url, c.pages) for c in columns] == [(linked, 1)]


@pytest.mark.parametrize(
    ("items", "known", "expected"),
    [
        pytest.param(
            [(fetch(f"{S}/cw/"), page(f"{S}/cw/", kind="empty", name="财务信息"), "nav")],
            {},
            [(f"{S}/cw/", "财务信息", "empty", 1, 0, 0, None, None)],
            id="empty",
        ),
        pytest.param(
            [(fetch(f"{S}/zsxx/", "http_error", error="HTTP 404"), None, "nav")],
            {},
            [(f"{S}/zsxx/", "招生信息", "unreachable", 0, 1, 0, None, "http_error: HTTP 404")],
            id="nav-link-404",
        ),
        pytest.param(
            [(fetch(f"{S}/art/9.htm", "http_error", error="HTTP 500"), None, "row")],
            {},
            [],
            id="failed-article-is-no-column",
        ),
        pytest.param(
            [(fetch(f"{S}/zsxx/", "robots_denied", error="forbidden by robots.txt"), None, "nav")],
            {},
            [],
            id="robots-denial-is-no-column",
        ),
        pytest.param(
            [(fetch(f"{S}/old/", "timeout", error="no answer"), None, "content")],
            {f"{S}/old/": "旧栏目"},
            [(f"{S}/old/", "旧栏目", "unreachable", 0, 1, 0, None, "timeout: no answer")],
            id="known-column-timeout",
        ),
        pytest.param(
            [
                (
                    fetch(f"{S}/nb/"),
                    page(f"{S}/nb/", kind="blocked", name="统一身份认证", blocked="login"),
                    "nav",
                )
            ],
            {},
            [(f"{S}/nb/", "内部公示", "blocked", 0, 0, 0, None, "blocked: login")],
            id="blocked-named-by-its-link",
        ),
        pytest.param(
            [
                (
                    fetch(f"{S}/login"),
                    page(
                        f"{S}/login",
                        kind="blocked",
                        links=[*NAV, Link(f"{S}/login", "登录", "nav")],
                        blocked="login",
                    ),
                    "nav",
                )
            ],
            {},
            [],
            id="sign-in-link-is-no-column",
        ),
    ],
)
def test_states(items: list, known: dict[str, str], expected: list[tuple]) -> None:
    assert [brief(c) for c in collect(*items, known=known)] == expected


def test_a_menu_link_repeated_on_pages_counts_as_navigation_when_its_target_fails() -> None:
    menu = [Link(f"{S}/zcgl/", "资产管理", "other")]
    pages = [
        (fetch(f"{S}/p{i}.htm"), page(f"{S}/p{i}.htm", kind="other", links=menu, name=None), "content")
        for i in range(3)
    ]
    failed = (fetch(f"{S}/zcgl/", "http_error", error="HTTP 404"), None, "other")
    assert [c.name for c in collect(*pages, failed)] == ["资产管理"]
    assert collect(*pages[:1], failed) == [], "one page linking it is not a menu"


def test_a_file_the_menu_links_is_an_undated_column_and_an_articles_attachment_is_none() -> None:
    charter = Link(f"{S}/uploads/xxzc.pdf", "学校章程", "attachment")
    annex = Link(f"{S}/uploads/fj1.doc", "附件1：报名表", "attachment")
    pages = [
        (fetch(f"{S}/p{i}.htm"), page(f"{S}/p{i}.htm", kind="other", links=[charter], name=None), "content")
        for i in range(3)
    ]
    article = page(f"{S}/a/1.htm", kind="article", links=[annex], name=None)
    columns = collect(*pages, (fetch(f"{S}/a/1.htm"), article, "row"))
    assert [(c.url, c.name, c.state, len(c.rows), c.rows[0].date) for c in columns] == [
        (charter.url, "学校章程", "ok", 1, None)
    ]
    assert (columns[0].error or "").startswith("undated:")  # published; a file shows no date to judge
    assert collect(*pages[:1]) == [], "one page linking it is not a menu"


def test_known_columns_share_the_fate_of_a_site_whose_start_page_failed() -> None:
    collector = ColumnCollector("s", [f"{S}/"])
    collector.add(fetch(f"{S}/", "network_error", error="ConnectionRefusedError"), None, "start")
    observed = collector.observations({f"{S}/tzgg/": "通知公告"})
    assert [(c.url, c.state) for c in observed] == [(f"{S}/tzgg/", "unreachable")]
    assert "ConnectionRefusedError" in (observed[0].error or "")


def test_a_304_page_counts_like_a_fresh_one() -> None:
    url = f"{S}/tzgg/"
    columns = collect((fetch(url, "not_modified"), page(url, [("/a/1", date(2024, 2, 2))]), "nav"))
    assert [brief(c) for c in columns] == [(url, "通知公告", "ok", 1, 0, 1, date(2024, 2, 2), None)]


def test_rows_without_a_date_keep_the_dated_duplicate() -> None:
    p1, p2 = f"{S}/l/1", f"{S}/l/2"
    columns = collect(
        (fetch(p1), page(p1, [("/a/1", None)], pager=[p2]), "nav"),
        (fetch(p2), page(p2, [("/a/1", date(2024, 3, 3))], pager=[p1]), "pager"),
    )
    assert [(len(c.rows), c.newest) for c in columns] == [(1, date(2024, 3, 3))]


def test_a_nav_link_to_an_article_is_a_single_page_column_dated_or_not() -> None:
    """Dated by the article's own date; an article that shows none is a column of one undated item, said
    to be undated (UNDATED_ERROR), not left out."""
    nav = [*NAV, Link(f"{S}/xxjj.htm", "学校简介", "nav"), Link(f"{S}/gywm.htm", "关于我们", "nav")]
    intro = PageParse(f"{S}/xxjj.htm", "i", "article", title="学校简介", published=date(2026, 9, 1))
    undated = PageParse(f"{S}/gywm.htm", "g", "article", title="关于我们")
    listed = PageParse(f"{S}/a/1", "a", "article", title="通知", published=date(2026, 6, 1))
    columns = collect(
        (fetch(f"{S}/tzgg/"), page(f"{S}/tzgg/", [("/a/1", date(2026, 6, 1))], links=nav), "nav"),
        (fetch(f"{S}/xxjj.htm"), intro, "nav"),
        (fetch(f"{S}/gywm.htm"), undated, "nav"),
        (fetch(f"{S}/a/1"), listed, "row"),
    )
    assert sorted(brief(c) for c in columns) == [
        (f"{S}/gywm.htm", "关于我们", "ok", 1, 0, 1, None, UNDATED_ERROR),
        (f"{S}/tzgg/", "通知公告", "ok", 1, 0, 1, date(2026, 6, 1), None),
        (f"{S}/xxjj.htm", "学校简介", "ok", 1, 0, 1, date(2026, 9, 1), None),
    ]
    (about,) = [c for c in columns if c.url == f"{S}/gywm.htm"]
    assert [(r.title, r.url, r.date) for r in about.rows] == [("关于我们", f"{S}/gywm.htm", None)]


def test_a_list_whose_row_source_failed_or_needs_javascript_is_not_empty() -> None:
    api, api2 = f"{S}/api/list?page=1", f"{S}/api/news?page=1"
    columns = collect(
        (fetch(f"{S}/tzgg/"), page(f"{S}/tzgg/", [], pager=[api]), "nav"),
        (fetch(api, "http_error", error="HTTP 500"), None, "pager"),
        (fetch(f"{S}/zsxx/"), page(f"{S}/zsxx/", [], pager=[api2], name="招生信息"), "nav"),
        (fetch(api2), page(api2, kind="blocked", blocked="needs_js", name=None), "pager"),
    )
    assert [(c.url, c.state) for c in columns] == [(f"{S}/tzgg/", "unreachable"), (f"{S}/zsxx/", "blocked")]
    assert columns[0].error == "http_error: HTTP 500"
    assert (columns[1].error or "").startswith("blocked: needs JavaScript")


def test_a_script_filled_list_linked_only_by_a_more_link_is_reported_blocked() -> None:
    more = f"{S}/xsgz/list.htm"
    group = page(f"{S}/lm/", kind="other", name="学生事务", links=[*NAV, Link(more, "更多>>", "other")])
    columns = collect(
        (fetch(f"{S}/lm/"), group, "nav"),
        (fetch(more), page(more, kind="blocked", blocked="needs_js", name="学生工作"), "other"),
    )
    assert [(c.url, c.name, c.state) for c in columns] == [(more, "学生工作", "blocked")]


def test_a_directory_pages_failing_links_and_articles_are_columns() -> None:
    """A page whose own links lead mostly to list columns is a directory: each of its links is a column link,
    so one that fails is unreachable and one to an article a single-page column, though linked only there.
    A page with one column link among others is no directory: its failing link stays a broken link."""
    own = ["xxzc", "gzzd", "sfbz", "cwys", "xxjj"]
    names = {
        "xxzc": "学校章程",
        "gzzd": "规章制度",
        "sfbz": "收费标准",
        "cwys": "财务预决算",
        "xxjj": "学校简介",
    }
    links = [*NAV, *(Link(f"{S}/{k}/", names[k], "other") for k in own)]
    gkml = (fetch(f"{S}/gkml/"), page(f"{S}/gkml/", kind="other", name=None, links=links), "nav")
    lists = [
        (fetch(f"{S}/{k}/"), page(f"{S}/{k}/", [(f"/{k}/1", date(2026, 5, i + 1))], name=names[k]), "other")
        for i, k in enumerate(own[:3])
    ]
    failed = (fetch(f"{S}/cwys/", "http_error", error="HTTP 404"), None, "other")
    intro = PageParse(f"{S}/xxjj/", "x", "article", title="学校简介")
    columns = {
        c.url: (c.name, c.state, c.error)
        for c in collect(gkml, *lists, failed, (fetch(intro.url), intro, "other"))
    }
    assert columns[f"{S}/cwys/"] == ("财务预决算", "unreachable", "http_error: HTTP 404")
    assert columns[f"{S}/xxjj/"] == ("学校简介", "ok", UNDATED_ERROR)
    # one column link among pages that are none: no directory
    others = [(fetch(f"{S}/{k}/"), PageParse(f"{S}/{k}/", k, "other"), "other") for k in ("gzzd", "sfbz")]
    columns = {c.url for c in collect(gkml, lists[0], *others, failed)}
    assert f"{S}/cwys/" not in columns
