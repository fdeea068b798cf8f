"""The revisit policy (crawler/revisit.py): which known articles and attachments a recrawl asks for again.

The decisions as a table; then the demo college (`demo_college_small`) crawled three times as child processes:
the second crawl asks for every list page and about a seventh of the articles yet observes the same columns,
and a third crawl, a week later, fetches every new article.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from crawler.revisit import RevisitPolicy, Revisits, slot
from storage import RevisitHistory, open_readonly
from storage.records import PageParse, PreviousPage, Row

EVERY = 7
ART = "http://x.cn/info/1.htm"  # a known article, listed last time as ROW
ROW = Row("关于放假的通知", ART, date(2026, 7, 1))
PDF = "http://x.cn/files/a.pdf"


def policy(counter: int, **changes: Any) -> RevisitPolicy:
    base = RevisitPolicy(
        every=EVERY,
        counter=counter,
        articles=frozenset({ART}),
        attachments=frozenset({PDF}),
        failing=frozenset(),
        listed={ART: frozenset({(ROW.title, ROW.date)})},
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


DUE = slot(ART, EVERY)  # the counter at which ART is due
PDF_DUE = slot(PDF, EVERY)
OTHER = (DUE + 1) % EVERY
PDF_OTHER = (PDF_DUE + 1) % EVERY


@pytest.mark.parametrize(
    ("pol", "url", "via", "row", "expected"),
    [
        (policy(OTHER), ART, "row", ROW, "keep"),  # known, listed unchanged, not its turn
        (policy(DUE), ART, "row", ROW, "fetch"),  # its turn in the rotation
        (policy(DUE + EVERY), ART, "row", ROW, "fetch"),  # ... every EVERY runs
        (policy(OTHER), ART, "row", Row("关于放假的通知（更正）", ART, ROW.date), "fetch"),  # title changed
        (policy(OTHER), ART, "row", Row(ROW.title, ART, date(2026, 7, 2)), "fetch"),  # date changed
        (policy(OTHER), "http://x.cn/info/2.htm", "row", Row("新", "http://x.cn/info/2.htm"), "fetch"),  # new
        (policy(OTHER), "http://x.cn/list.htm", "nav", None, "fetch"),  # not an article: always
        (policy(OTHER), ART, "content", None, "defer"),  # reached by a plain link: a list row decides
        (policy(OTHER, failing=frozenset({ART})), ART, "row", ROW, "fetch"),  # failed last time
        (policy(OTHER, every=1), ART, "row", ROW, "fetch"),  # revisit_every = 1: everything
        (policy(PDF_OTHER), PDF, "attachment", None, "keep"),
        (policy(PDF_DUE), PDF, "attachment", None, "fetch"),
        (policy(PDF_OTHER), "http://x.cn/files/new.pdf", "attachment", None, "fetch"),
    ],
)
def test_decide(pol: RevisitPolicy, url: str, via: str, row: Row | None, expected: str) -> None:
    assert pol.decide(url, via, row) == expected


def test_every_url_is_due_exactly_once_in_every_run_of_seven() -> None:
    urls = [f"http://x.cn/info/{i}.htm" for i in range(700)]
    for start in (0, 5):
        due = [
            sum(RevisitPolicy(EVERY, counter).due(u) for counter in range(start, start + EVERY)) for u in urls
        ]
        assert set(due) == {1}
    share = sum(RevisitPolicy(EVERY, 3).due(u) for u in urls) / len(urls)
    assert 0.10 < share < 0.19, "the slices should be about equal"


def test_an_article_reached_by_a_plain_link_waits_for_a_list_row() -> None:
    revisits = Revisits()
    article = PageParse(url=ART, content_hash="a", kind="article")
    other = "http://x.cn/info/2.htm"
    previous = {u: PreviousPage(u, None, None, "a", article) for u in (ART, other)}
    counter = next(c for c in range(EVERY) if c not in (slot(ART, EVERY), slot(other, EVERY)))
    revisits.add_site("x", EVERY, RevisitHistory(counter, frozenset(), frozenset()), previous)
    request = (2, "content", "", None)
    assert revisits.decide("x", ART, "content", None, request) == "defer"
    assert revisits.decide("x", other, "content", None, request) == "defer"
    assert revisits.decide("x", ART, "row", Row("新标题", ART), request) == "fetch"  # a row decides: changed
    assert revisits.unlisted() == [("x", other, request)]  # listed by no row: asked for at the end
    assert revisits.unlisted() == []
    assert revisits.counts == {"xxgk/revisit/unlisted/x": 1}


def test_build_from_the_previous_crawl() -> None:
    article = PageParse(url=ART, content_hash="a", kind="article")
    listing = PageParse(url="http://x.cn/list.htm", content_hash="l", kind="list", rows=[ROW])
    gone = PageParse(url="http://x.cn/info/9.htm", content_hash="g", kind="article")
    previous = {p.url: PreviousPage(p.url, None, None, p.content_hash, p) for p in (article, listing, gone)}
    history = RevisitHistory(4, frozenset({PDF}), frozenset({gone.url}))
    got = RevisitPolicy.build(EVERY, history, previous)
    assert (got.counter, got.articles, got.attachments) == (4, {ART}, {PDF})
    assert got.listed == {ART: {(ROW.title, ROW.date)}}


# -- the demo college, crawled three times -------------------------------------------------------------------


@dataclass
class Crawls:
    db: str
    truth: list[dict[str, Any]] = field(default_factory=list)  # the ground truth at each crawl
    procs: list[subprocess.CompletedProcess[str]] = field(default_factory=list)

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        with open_readonly(self.db) as conn:
            return conn.execute(sql, params or []).fetchall()

    def fetched(self, run: int, kind: str | None = None) -> set[str]:
        """URLs requested in `run` (of one page kind, as last parsed, when given)."""
        if kind is None:
            return {u for (u,) in self.query("SELECT url FROM fetches WHERE run_id = ?", [run])}
        return {
            u
            for (u,) in self.query(
                "SELECT f.url FROM fetches f WHERE f.run_id = ? AND f.role = 'page'"
                " AND EXISTS (SELECT 1 FROM page_parses p WHERE p.url = f.url AND p.kind = ?)",
                [run, kind],
            )
        }

    def columns(self, run: int) -> list[tuple]:
        return self.query(
            "SELECT site, column_url, name, state, items, newest, pages, error FROM column_snapshots"
            " WHERE run_id = ? ORDER BY site, column_url",
            [run],
        )


@pytest.fixture(scope="module")
def crawls(demo_college_small: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawls]:
    tmp = tmp_path_factory.mktemp("revisit")
    result = Crawls(str(tmp / "demo.duckdb"))

    def crawl() -> None:
        truth = demo_college_small.ground_truth
        plan = {  # revisit_every is left at its default (7)
            "db_path": result.db,
            "progress": "log",
            "observed_at": f"{truth['as_of']}T08:00:00",
            "sites": [
                {"name": name, "kind": truth["sites"][name]["kind"], "start_urls": [url]}
                for name, url in demo_college_small.sites.items()
            ],
        }
        path = tmp / "plan.json"
        path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "crawler", "--plan", str(path)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        result.truth.append(truth)
        result.procs.append(proc)

    crawl()
    crawl()
    with demo_college_small.advanced(7):
        crawl()
    yield result


def test_all_three_crawls_finish(crawls: Crawls) -> None:
    for proc in crawls.procs:
        assert proc.returncode == 0, proc.stderr[-3000:]
    assert crawls.query("SELECT run_id, status FROM runs ORDER BY run_id") == [
        (1, "ok"),
        (2, "ok"),
        (3, "ok"),
    ]


def test_the_recrawl_asks_for_every_list_page(crawls: Crawls) -> None:
    lists = crawls.fetched(1, "list") | crawls.fetched(1, "empty")
    assert lists, "the first crawl found no list page"
    assert lists <= crawls.fetched(2)


def test_the_recrawl_asks_for_the_due_seventh_of_the_articles_only(crawls: Crawls) -> None:
    first, second = crawls.fetched(1, "article"), crawls.fetched(2, "article")
    listed = {  # item URLs shown by the pages of the second crawl
        u
        for (u,) in crawls.query(
            "SELECT DISTINCT r.item_url FROM page_rows r JOIN fetches f"
            " ON f.url = r.url AND f.content_hash = r.content_hash WHERE f.run_id = 2"
        )
    }
    due = {u for u in first if slot(u, EVERY) == 1 % EVERY}  # one finished run before the second crawl
    assert due & listed <= second, "an article due in the rotation was not asked for"
    extra = second - due
    assert not extra & listed, f"listed articles asked for out of turn: {sorted(extra & listed)[:5]}"
    assert first - listed <= second, "a known article no list shows any more must be asked for"
    assert 0.08 < len(second) / len(first) < 0.22, (len(second), len(first))


def test_a_page_not_asked_for_has_no_fetch_record_but_its_parse_stands(crawls: Crawls) -> None:
    assert crawls.columns(2) == crawls.columns(1)
    kept = crawls.fetched(1, "article") - crawls.fetched(2)
    assert kept
    assert not crawls.query("SELECT count(*) FROM fetches WHERE run_id = 2 AND url IN ?", [list(kept)])[0][0]


def test_the_recrawl_receives_almost_no_bytes(crawls: Crawls) -> None:
    ((first,), (second,)) = (
        crawls.query("SELECT sum(bytes) FROM fetches WHERE run_id = ?", [r])[0] for r in (1, 2)
    )
    assert second <= 0.05 * first


def test_a_week_later_every_new_article_is_fetched(crawls: Crawls) -> None:
    new = set(crawls.truth[2]["changes"]["new_items"])
    assert new, "the demo should publish something in a week"
    got = dict(crawls.query("SELECT url, outcome FROM fetches WHERE run_id = 3 AND url IN ?", [list(new)]))
    assert got == dict.fromkeys(new, "ok")


def _counts(crawls: Crawls, run: int) -> dict[tuple[str, str], tuple[int, str | None]]:
    return {(c[0], c[1]): (c[4], c[5].isoformat() if c[5] else None) for c in crawls.columns(run)}


def test_a_week_later_the_columns_show_the_new_items(crawls: Crawls) -> None:
    """Every column the first crawl read exactly (extraction is tested elsewhere) is exact a week later."""
    first, third = _counts(crawls, 1), _counts(crawls, 3)
    before = {(c["site"], c["url"]): (c["items"], c["newest"]) for c in crawls.truth[0]["columns"]}
    after = {(c["site"], c["url"]): (c["items"], c["newest"]) for c in crawls.truth[2]["columns"]}
    exact = [key for key, value in before.items() if first.get(key) == value and key in after]
    assert len(exact) > 20
    assert {key: third.get(key) for key in exact} == {key: after[key] for key in exact}
