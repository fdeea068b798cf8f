"""The monitor's queries: column and site states as of a moment, streaks, broken links, counts, email log."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import storage
from storage.records import ColumnObservation, FetchRecord, Row

SITE = "xxgk"
A = "http://xxgk.test/tzgg/list.htm"
B = "http://xxgk.test/gzzd/list.htm"
HOME = "http://xxgk.test/"
PDF = "http://xxgk.test/files/plan.pdf"


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 8, 0, tzinfo=UTC)


def ok(url: str, depth: int = 1, role: str = "page") -> FetchRecord:
    return FetchRecord(SITE, url, at(1), "ok", 200, depth=depth, content_hash="h" + url, role=role)


def failed(url: str, depth: int = 1, role: str = "page") -> FetchRecord:
    return FetchRecord(
        SITE,
        url,
        at(1),
        "http_error",
        404,
        depth=depth,
        error="HTTP 404",
        role=role,
        referer=HOME,
        link_text="附件",
    )


def run(db: str, day: int, columns: list[ColumnObservation], fetches: list[FetchRecord]) -> int:
    run_id = storage.start_run(db, [SITE], observed_at=at(day))
    writer = storage.RunWriter(db, run_id)
    for rec in fetches:
        writer.add_fetch(rec)
    writer.flush()
    storage.finish_run(db, run_id, columns)
    return run_id


def col(url: str, state: str, *names: str, error: str | None = None) -> ColumnObservation:
    listed = [Row(f"标题{n}", f"http://xxgk.test/info/{n}.htm", date(2026, 2, int(n))) for n in names]
    return ColumnObservation(SITE, url, "栏目" + url[-12:-9], state, pages=1, rows=listed, error=error)


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> str:
    """Five weekly runs of one site, and a killed one:

    day 1:  A ok (items 1, 2)   B ok (3)        pdf ok
    day 8:  A ok (1, 2, 4)      B unreachable   pdf 404
    day 15: A blocked           B unreachable   pdf 404
    day 22: site down: nothing fetched, no column observed
    day 29: A ok (1, 4)         (B not seen)    pdf ok
    day 30: a run that never finished, which saw A 'empty'
    """
    db = str(tmp_path_factory.mktemp("q") / "h.duckdb")
    run(
        db,
        1,
        [col(A, "ok", "1", "2"), col(B, "ok", "3")],
        [ok(HOME, 0), ok(A), ok(B), ok(PDF, role="attachment")],
    )
    run(
        db,
        8,
        [col(A, "ok", "1", "2", "4"), col(B, "unreachable", error="HTTP 503")],
        [ok(HOME, 0), failed(PDF, role="attachment")],
    )
    run(
        db,
        15,
        [col(A, "blocked", error="captcha"), col(B, "unreachable")],
        [ok(HOME, 0), failed(PDF, role="attachment")],
    )
    run(db, 22, [], [FetchRecord(SITE, HOME, at(22), "timeout", error="no answer in 15 s")])
    run(db, 29, [col(A, "ok", "1", "4")], [ok(HOME, 0), ok(PDF, role="attachment")])
    storage.start_run(db, [SITE], observed_at=at(30))  # left 'running': must never count
    return db


def facts(db: str, day: int) -> dict[str, storage.ColumnFacts]:
    with storage.open_readonly(db) as conn:
        return {c.url: c for c in storage.column_facts(conn, as_of=at(day))}


@pytest.mark.parametrize(
    ("day", "url", "state", "items", "newest", "last_ok_day", "failing_since_day"),
    [
        (1, A, "ok", 2, date(2026, 2, 2), 1, None),
        (8, A, "ok", 3, date(2026, 2, 4), 8, None),
        (8, B, "unreachable", 1, date(2026, 2, 3), 1, 8),  # keeps the last good look
        (15, A, "blocked", 3, date(2026, 2, 4), 8, 15),
        (15, B, "unreachable", 1, date(2026, 2, 3), 1, 8),  # streak started on day 8
        (22, A, "unreachable", 3, date(2026, 2, 4), 8, 15),  # site down: not 'gone'
        (29, A, "ok", 2, date(2026, 2, 4), 29, None),
        (29, B, "gone", 1, date(2026, 2, 3), 1, None),  # site answered, column not seen
        (31, A, "ok", 2, date(2026, 2, 4), 29, None),  # the unfinished day-30 run does not count
    ],
)
def test_column_state_as_of(history, day, url, state, items, newest, last_ok_day, failing_since_day):
    found = facts(history, day)[url]
    assert (found.state, found.items, found.newest) == (state, items, newest)
    assert found.last_ok_at == at(last_ok_day)
    assert found.failing_since == (at(failing_since_day) if failing_since_day else None)
    assert found.first_seen == at(1)


def test_columns_seen_later_do_not_exist_earlier(history):
    with storage.open_readonly(history) as conn:
        assert storage.column_facts(conn, as_of=datetime(2026, 2, 1, tzinfo=UTC)) == []
        assert {c.url for c in storage.column_facts(conn, as_of=at(1), site=SITE)} == {A, B}
        assert storage.column_facts(conn, as_of=at(29), site="other") == []


@pytest.mark.parametrize(
    ("day", "down", "down_since_day", "pages_ok"),
    [(15, False, None, 1), (22, True, 22, 0), (29, False, None, 1)],
)
def test_site_down_and_since(history, day, down, down_since_day, pages_ok):
    with storage.open_readonly(history) as conn:
        (site,) = storage.site_facts(conn, as_of=at(day))
    assert (site.down, site.pages_ok) == (down, pages_ok)
    assert site.down_since == (at(down_since_day) if down_since_day else None)
    assert site.home_ok is (not down)


def test_broken_links_with_the_start_of_their_streak(history):
    with storage.open_readonly(history) as conn:
        on_15 = storage.broken_links(conn, as_of=at(15))
        on_29 = storage.broken_links(conn, as_of=at(29))
    assert [(b.url, b.role, b.status, b.referer, b.since) for b in on_15] == [
        (PDF, "attachment", 404, HOME, at(8))
    ]
    assert on_29 == []  # fixed


def test_item_facts_as_of(history):
    with storage.open_readonly(history) as conn:
        now = {i.url.rsplit("/", 1)[1]: i for i in storage.item_facts(conn, as_of=at(29))}
        then = {i.url.rsplit("/", 1)[1]: i for i in storage.item_facts(conn, as_of=at(8))}
    assert sorted(now) == ["1.htm", "2.htm", "3.htm", "4.htm"]
    assert (now["2.htm"].last_seen, now["2.htm"].vanished_at) == (at(8), at(29))
    assert now["4.htm"].first_seen == at(8)
    assert now["3.htm"].vanished_at is None  # its column was never again fetched successfully
    assert sorted(then) == ["1.htm", "2.htm", "3.htm", "4.htm"]
    assert then["2.htm"].vanished_at is None  # vanishing on day 29 is not known on day 8
    assert then["1.htm"].last_seen == at(8)


def test_deleted_items_in_a_window(history):
    with storage.open_readonly(history) as conn:
        assert [i.url for i in storage.deleted_items(conn, since=at(22), until=at(29))] == [
            "http://xxgk.test/info/2.htm"
        ]
        assert storage.deleted_items(conn, since=at(29), until=at(31)) == []


def test_column_snapshots_window(history):
    with storage.open_readonly(history) as conn:
        snaps = storage.column_snapshots(conn, since=at(1), until=at(15))
    assert [(s.observed_at, s.column_url, s.state) for s in snaps] == [
        (at(8), B, "unreachable"),
        (at(8), A, "ok"),
        (at(15), B, "unreachable"),
        (at(15), A, "blocked"),
    ]


def test_items_published_counts_both_ways(history):
    with storage.open_readonly(history) as conn:
        counts = {
            c.column_url: c
            for c in storage.items_published(conn, start=date(2026, 2, 2), end=date(2026, 2, 3))
        }
        first_week = {
            c.column_url: c
            for c in storage.items_published(conn, start=date(2026, 3, 1), end=date(2026, 3, 7))
        }
    assert (counts[A].by_date_shown, counts[B].by_date_shown) == (1, 1)  # item 2 (Feb 2), item 3 (Feb 3)
    assert (first_week[A].by_first_seen, first_week[B].by_first_seen) == (2, 1)
    assert first_week[A].undated_first_seen == 0


def test_runs_summary_newest_first_with_every_status(history):
    with storage.open_readonly(history) as conn:
        runs = storage.runs_summary(conn, limit=3)
    assert [r.status for r in runs] == ["running", "ok", "ok"]
    assert runs[1].observed_at == at(29)
    assert runs[1].sites == (SITE,)


def test_the_email_log(tmp_path):
    db = str(tmp_path / "h.duckdb")
    storage.start_run(db, [SITE])
    with storage.open_readonly(db) as conn:
        assert storage.last_email(conn) is None
        assert not storage.email_sent(conn, "2026-W10", "a@test")
    storage.record_email_send(db, "2026-W10", "a@test", "<1@test>", "周报")
    storage.record_email_send(db, "2026-W11", "a@test", "<2@test>", "周报 2")
    with storage.open_readonly(db) as conn:
        assert storage.email_sent(conn, "2026-W10", "a@test")
        assert not storage.email_sent(conn, "2026-W10", "b@test")
        last = storage.last_email(conn)
    assert last is not None and (last.week, last.message_id) == ("2026-W11", "<2@test>")


def test_site_titles_come_from_the_latest_start_page_with_a_title(tmp_path):
    """The display name's default: the <title> of the start page of the latest ok run as of a moment; a
    challenge page's title, a failed fetch, an article below the start page and an unfinished run do not
    count (storage.site_titles)."""
    from storage.records import PageParse

    db = str(tmp_path / "t.duckdb")

    def crawl(day: int, pages: list[tuple[FetchRecord, PageParse | None]], finish: bool = True) -> None:
        run_id = storage.start_run(db, ["a", "b"], observed_at=at(day))
        writer = storage.RunWriter(db, run_id)
        for rec, parse in pages:
            writer.add_fetch(rec)
            if parse is not None:
                writer.add_page(parse, b"<html></html>")
        writer.flush()
        if finish:
            storage.finish_run(db, run_id, [])

    def home(site: str, h: str, title: str | None, kind: str = "other", depth: int = 0):
        url = f"http://{site}.test/" + ("" if depth == 0 else "info/1.htm")
        rec = FetchRecord(site, url, at(1), "ok", 200, depth=depth, content_hash=h)
        return rec, PageParse(url, h, kind, title=title)

    crawl(1, [home("a", "a1", " 财务处  "), home("b", "b1", "后勤处网站")])
    crawl(2, [home("a", "a2", "请开启JavaScript", kind="blocked"), home("b", "b2", "文章标题", depth=1)])
    crawl(3, [home("a", "a3", "新财务处网站")], finish=False)  # still running: not counted
    with storage.open_readonly(db) as conn:
        assert storage.site_titles(conn, as_of=at(1)) == {"a": "财务处", "b": "后勤处网站"}
        assert storage.site_titles(conn, as_of=at(3)) == {"a": "财务处", "b": "后勤处网站"}
        assert storage.site_titles(conn, as_of=datetime(2026, 2, 1, tzinfo=UTC)) == {}
