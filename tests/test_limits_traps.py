"""Crawler traps are not columns (issue 14 point 8).

A college site on loopback (tests/faultsite.py) that writes a fresh session id into every link it serves
(`/notices.htm;jsessionid=…?sid=…`) and has an event calendar whose days link the days around them
(`/calendar.htm?date=…`, without end). Crawled twice, it must store its real columns and items only, under
URLs without the session ids, follow no calendar day beyond the one the navigation links, record the trap it
did not follow (outcome `trap`), and say so in the run, the summary table and the report's site line.
"""

from __future__ import annotations

import html
import re
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from faultsite import Column, FaultSite, Row, days_ago, list_page
from xxgkrun import SiteConf, crawl_ok, query, report_json, write_config, xxgk

from crawler.canonical import Canonicalizer, TrapGuard

pytestmark = pytest.mark.slow

TODAY = date.today()
COLUMNS = [
    Column.of_articles("notices", "通知公告", [days_ago(n) for n in (2, 9, 30)]),
    Column.of_articles("rules", "规章制度", [days_ago(n) for n in (40, 200)]),
    Column.of_articles("news", "新闻动态", [days_ago(n) for n in (1, 3, 5, 8)]),
]
ITEMS = sum(len(c.rows) for c in COLUMNS) + 1  # and the one event of the calendar day the menu links
HREF = re.compile(r'href="(/[^"]*)"')


class TrapSite(FaultSite):
    """Session ids in every link, and a calendar without end."""

    def nav(self) -> str:
        return super().nav() + ' <a href="/calendar.htm">活动日历</a>'

    def render(self, path: str, query: str = "") -> str | None:
        path = path.split(";", 1)[0]  # the session id is ignored, as a Java server does
        if path == "/calendar.htm":
            found = parse_qs(query).get("date")
            page = calendar_page(date.fromisoformat(found[0]) if found else TODAY, self.nav())
        elif path.startswith("/info/cal/"):
            page = super().render("/info/notices/1.htm")
        else:
            page = super().render(path)
        return None if page is None else HREF.sub(with_session, page)


def calendar_page(day: date, nav: str) -> str:
    event = Row(f"学术报告会（{day.isoformat()}）", f"/info/cal/{day.isoformat()}.htm", day)
    page = list_page(f"活动日历 {day.isoformat()}", [event], nav)
    strip = " ".join(
        f'<a href="/calendar.htm?date={d.isoformat()}">{d.month}月{d.day}日</a>'
        for d in (day + timedelta(days=k) for k in range(-3, 4))
        if d != day
    )
    return page.replace('<div class="footer">', f'<div class="calendar">{strip}</div>\n<div class="footer">')


def with_session(match: re.Match[str]) -> str:
    target = html.unescape(match.group(1))
    path, _, query = target.partition("?")
    sid = secrets.token_hex(8)
    query = "&".join(q for q in (query, f"sid={sid}") if q)
    return f'href="{html.escape(f"{path};jsessionid={secrets.token_hex(16)}?{query}")}"'


@dataclass
class Trapped:
    site: TrapSite
    db: Path
    config: Path
    procs: list[subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def trapped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trapped]:
    folder = tmp_path_factory.mktemp("traps")
    with TrapSite(columns=COLUMNS) as site:
        # a budget that ends an endless crawl in seconds; the real site is a few dozen pages
        config = write_config(folder, [SiteConf("traps", [site.url("/")], max_pages=300)])
        procs = [xxgk(config, "crawl"), xxgk(config, "crawl")]
        yield Trapped(site, folder / "data" / "xxgk.duckdb", config, procs)


def test_both_crawls_end_ok(trapped: Trapped) -> None:
    for proc in trapped.procs:
        crawl_ok(proc)
    assert query(trapped.db, "SELECT status FROM runs ORDER BY run_id") == [("ok",), ("ok",)]


def test_session_ids_add_no_column_and_no_item(trapped: Trapped) -> None:
    urls = {u for (u,) in query(trapped.db, "SELECT url FROM columns")}
    site = trapped.site
    assert urls == {site.url(c.path) for c in COLUMNS} | {site.url("/calendar.htm")}
    items = query(trapped.db, "SELECT url FROM items")
    assert len(items) == ITEMS, sorted(items)[:10]
    for run in (1, 2):
        ((columns,),) = query(trapped.db, "SELECT count(*) FROM column_snapshots WHERE run_id = ?", [run])
        assert columns == len(COLUMNS) + 1


def test_no_session_id_is_requested_or_stored(trapped: Trapped) -> None:
    stored = query(
        trapped.db,
        "SELECT url FROM fetches WHERE url LIKE '%jsessionid%' OR url LIKE '%sid=%'"
        " UNION ALL SELECT item_url FROM page_rows WHERE item_url LIKE '%sid%'"
        " UNION ALL SELECT link_url FROM page_links WHERE link_url LIKE '%sid%'",
    )
    assert stored == []
    asked = [p for (_h, p) in trapped.site.hits if "/info/" in p]
    assert len(asked) <= 2 * ITEMS, "an article was fetched again under each new session id"


def test_the_calendar_is_one_column_and_its_days_are_a_trap(trapped: Trapped) -> None:
    names = [n for (n,) in query(trapped.db, "SELECT name FROM columns WHERE url LIKE '%calendar%'")]
    assert len(names) == 1, names
    days = [p for (_h, p) in trapped.site.hits if p.startswith("/calendar.htm?")]
    assert days == [], "a calendar day was requested"
    traps = query(trapped.db, "SELECT url, error FROM fetches WHERE run_id = 1 AND outcome = 'trap'")
    assert traps and all("calendar" in (error or "") for _u, error in traps), traps


def test_the_trap_is_named_in_the_run_the_summary_and_the_report(trapped: Trapped) -> None:
    for run in (1, 2):
        ((message,),) = query(trapped.db, "SELECT message FROM runs WHERE run_id = ?", [run])
        assert message and "trap" in message, message
    log = trapped.procs[1].stderr
    header = next(line for line in log.splitlines() if line.startswith("site ") and "limited" in line)
    row = next(line for line in log.splitlines() if line.startswith("traps "))
    limited = row.split()[header.split().index("limited")]
    assert limited.isdigit() and int(limited) > 0, (header, row)
    (line,) = report_json(trapped.config)["sites"]
    assert "trap" in (line["limits"] or ""), line
    text = xxgk(trapped.config, "report")
    assert "爬虫陷阱" in text.stdout, text.stdout[:2000]


# -- the rules themselves ----------------------------------------------------------------------------------


def test_canonical_urls_drop_sessions_fragments_and_default_ports() -> None:
    c = Canonicalizer()
    assert c.url("HTTP://Example.EDU.cn:80/a/b.htm;jsessionid=AB12?sid=9&id=7#top") == (
        "http://example.edu.cn/a/b.htm?id=7"
    )
    assert c.url("http://x.cn/list.jsp?id=7&PHPSESSID=1&page=2") == "http://x.cn/list.jsp?id=7&page=2"
    assert (
        c.url("http://x.cn/信息公开/index.htm?b=2&a=%E4%B8%AD")
        == "http://x.cn/信息公开/index.htm?b=2&a=%E4%B8%AD"
    )
    assert c.url("mailto:office@x.cn") is None
    assert Canonicalizer(["token"]).url("http://x.cn/a?token=1&sid=2") == "http://x.cn/a?sid=2"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [  # at the edges of the URLs taken as already canonical, without parsing (crawler/canonical.py _PLAIN)
        ("http://x.cn:8080/a?b=1", "http://x.cn:8080/a?b=1"),
        ("http://x.cn:80/a", "http://x.cn/a"),
        ("https://x.cn:443/a", "https://x.cn/a"),
        ("https://x.cn:80/a", "https://x.cn:80/a"),
        ("http://x.cn:8000/a", "http://x.cn:8000/a"),
        ("http://x.cn:99999/a", None),
        ("http://x.cn:/a", "http://x.cn/a"),
        ("http://x.cn/a?", "http://x.cn/a"),
        ("http://x.cn/a?b=1&&c=2", "http://x.cn/a?b=1&c=2"),
        ("http://x.cn/a?b=1&sid=2", "http://x.cn/a?b=1"),
        ("http://x.cn/a;jsessionid=1/b", "http://x.cn/a/b"),
        ("http://X.cn/a", "http://x.cn/a"),
        ("http://u@x.cn/a", "http://u@x.cn/a"),
        ("http://x.cn/a b", "http://x.cn/a b"),
        ("http://x.cn/a\tb", "http://x.cn/ab"),
    ],
)
def test_canonical_urls_at_the_edges_of_the_plain_form(raw: str, clean: str | None) -> None:
    assert Canonicalizer().url(raw) == clean


def test_a_path_with_ever_new_query_values_is_a_trap_but_pagers_and_rows_never() -> None:
    guard = TrapGuard(TODAY, max_variants=5)
    assert [guard.check(f"http://x.cn/search?q={i}", "other") for i in range(5)] == [None] * 5
    assert "ever-new" in (guard.check("http://x.cn/search?q=99", "other") or "")
    assert guard.check("http://x.cn/search?q=1", "other") is None, "a variant already followed stays allowed"
    assert guard.check("http://x.cn/search?q=1&page=2", "other") is None, "another key set counts apart"
    assert all(guard.check(f"http://x.cn/col?id=7&page={i}", "pager") is None for i in range(50))
    assert all(guard.check(f"http://x.cn/art?id={i}", "row") is None for i in range(50))


def test_calendar_dates_are_followed_once_near_today_from_navigation_only() -> None:
    guard = TrapGuard(TODAY, max_variants=500)
    today = TODAY.isoformat()
    assert guard.check(f"http://x.cn/cal?date={today}", "nav") is None
    assert guard.check(f"http://x.cn/cal?date={today}", "other") is None, "the same day again"
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    assert "calendar" in (guard.check(f"http://x.cn/cal?date={tomorrow}", "nav") or "")
    far = (TODAY + timedelta(days=400)).strftime("%Y%m%d")
    assert "calendar" in (guard.check(f"http://x.cn/other?day={far}", "nav") or "")
    assert guard.check("http://x.cn/art?id=20240115", "row") is None
