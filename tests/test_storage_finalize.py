"""finish_run: column snapshots, the items table (first/last seen, vanished) and article edits, in one go."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime

import pytest

import storage
from storage.records import ColumnObservation, FetchRecord, PageParse, Row

SITE = "xxgk"
A = "http://xxgk.test/tzgg/list.htm"
B = "http://xxgk.test/gzzd/list.htm"


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 8, 0, tzinfo=UTC)


def rows(*names: str) -> list[Row]:
    return [Row(title=f"标题{n}", url=f"http://xxgk.test/info/{n}.htm", date=date(2026, 2, 1)) for n in names]


def finished_run(
    db: str, day: int, columns: list[ColumnObservation], fetches: Sequence[FetchRecord] = ()
) -> int:
    run_id = storage.start_run(db, [SITE], observed_at=at(day))
    writer = storage.RunWriter(db, run_id)
    for rec in fetches:
        writer.add_fetch(rec)
    writer.flush()
    storage.finish_run(db, run_id, columns)
    return run_id


def items_by_url(db: str) -> dict[tuple[str, str], tuple]:
    _, found = storage.run_sql(
        db, "SELECT column_url, url, first_seen_run, last_seen_run, vanished_run FROM items"
    )
    return {(col, url.rsplit("/", 1)[1].removesuffix(".htm")): tuple(rest) for col, url, *rest in found}


def test_items_first_last_seen_and_vanished_across_three_runs(tmp_path):
    db = str(tmp_path / "h.duckdb")
    r1 = finished_run(
        db,
        1,
        [
            ColumnObservation(SITE, A, "通知公告", "ok", pages=1, rows=rows("a", "b", "c")),
            ColumnObservation(SITE, B, "规章制度", "ok", pages=1, rows=rows("x", "y")),
        ],
    )
    # run 2: c is gone from A; B cannot be reached, so nothing of B may vanish
    r2 = finished_run(
        db,
        8,
        [
            ColumnObservation(SITE, A, "通知公告", "ok", pages=1, rows=rows("a", "b")),
            ColumnObservation(SITE, B, "规章制度", "unreachable", failed_pages=1, error="HTTP 503"),
        ],
    )
    # run 3: c is back in A; B answers again without y
    r3 = finished_run(
        db,
        15,
        [
            ColumnObservation(SITE, A, "通知公告", "ok", pages=1, rows=rows("a", "b", "c")),
            ColumnObservation(SITE, B, "规章制度", "ok", pages=1, rows=rows("x")),
        ],
    )
    assert items_by_url(db) == {
        (A, "a"): (r1, r3, None),
        (A, "b"): (r1, r3, None),
        (A, "c"): (r1, r3, None),  # vanished in run 2, back in run 3: no longer vanished
        (B, "x"): (r1, r3, None),
        (B, "y"): (r1, r1, r3),  # not vanished by the unreachable run 2, vanished by run 3
    }
    _, states = storage.run_sql(db, "SELECT run_id, column_url, state FROM column_snapshots ORDER BY 1, 2")
    assert (r2, B, "unreachable") in states


def test_a_column_with_a_failed_page_vanishes_nothing(tmp_path):
    db = str(tmp_path / "h.duckdb")
    finished_run(db, 1, [ColumnObservation(SITE, A, "通知公告", "ok", pages=2, rows=rows("a", "b"))])
    finished_run(
        db, 8, [ColumnObservation(SITE, A, "通知公告", "ok", pages=1, failed_pages=1, rows=rows("a"))]
    )
    assert items_by_url(db)[(A, "b")][2] is None


def test_an_empty_column_vanishes_its_items(tmp_path):
    db = str(tmp_path / "h.duckdb")
    finished_run(db, 1, [ColumnObservation(SITE, A, "通知公告", "ok", pages=1, rows=rows("a"))])
    r2 = finished_run(db, 8, [ColumnObservation(SITE, A, "通知公告", "empty", pages=1)])
    assert items_by_url(db)[(A, "a")][2] == r2


def test_snapshot_counts_newest_and_undated(tmp_path):
    db = str(tmp_path / "h.duckdb")
    listed = [
        Row("旧", "http://xxgk.test/info/1.htm", date(2025, 1, 1)),
        Row("新", "http://xxgk.test/info/2.htm", date(2026, 2, 3)),
        Row("无日期", "http://xxgk.test/info/3.htm", None),
        Row("新(重复)", "http://xxgk.test/info/2.htm", date(2026, 2, 3)),  # the same URL twice counts once
    ]
    run_id = finished_run(db, 1, [ColumnObservation(SITE, A, "通知公告", "ok", pages=1, rows=listed)])
    _, found = storage.run_sql(
        db, "SELECT run_id, items, undated, newest, newest_title, newest_url FROM column_snapshots"
    )
    assert found == [(run_id, 3, 1, date(2026, 2, 3), "新", "http://xxgk.test/info/2.htm")]


def fetch(url: str, body: bytes | None, outcome: str = "ok") -> FetchRecord:
    digest = hashlib.sha256(body).hexdigest() if body is not None else None
    return FetchRecord(SITE, url, at(1), outcome, 200 if outcome == "ok" else 304, content_hash=digest)


def crawl_page(db: str, day: int, url: str, body: bytes, kind: str, text: str, outcome: str = "ok") -> int:
    """A finished run that fetched one page: a new body with its parse, or a 304 confirming `body`."""
    run_id = storage.start_run(db, [SITE], observed_at=at(day))
    writer = storage.RunWriter(db, run_id)
    if outcome == "ok":
        digest = hashlib.sha256(body).hexdigest()
        writer.add_page(PageParse(url=url, content_hash=digest, kind=kind, title="公告", text=text), body)
    writer.add_fetch(fetch(url, body, outcome))
    writer.flush()
    storage.finish_run(db, run_id, [])
    return run_id


# Successive fetches of one URL, one run each: (body, kind, main text, outcome) -> the runs (1-based) that
# record an edit, with the fetches (1-based) whose bodies were before and after.
EDIT_CASES = {
    "only the prev/next link changed": (
        [(b"v1", "article", "正文", "ok"), (b"v2", "article", "正文", "ok")],
        [],
    ),
    "the text changed": (
        [(b"v1", "article", "正文", "ok"), (b"v2", "article", "正文（更正）", "ok")],
        [(2, 1, 2)],
    ),
    "a 304 in between": (
        [
            (b"v1", "article", "正文", "ok"),
            (b"v1", "article", "", "not_modified"),
            (b"v2", "article", "新", "ok"),
        ],
        [(3, 1, 3)],
    ),
    "changed back": (
        [(b"v1", "article", "甲", "ok"), (b"v2", "article", "乙", "ok"), (b"v3", "article", "甲", "ok")],
        [(2, 1, 2), (3, 2, 3)],
    ),
    "whitespace only": ([(b"v1", "article", "正文 一", "ok"), (b"v2", "article", " 正文\n一 ", "ok")], []),
    "a list's rows changed": ([(b"v1", "list", "甲", "ok"), (b"v2", "list", "乙\n甲", "ok")], []),
    "no longer an article": ([(b"v1", "article", "正文", "ok"), (b"v2", "other", "", "ok")], []),
}


@pytest.mark.parametrize(("fetches", "expected"), EDIT_CASES.values(), ids=EDIT_CASES.keys())
def test_an_article_is_edited_when_its_text_changes(tmp_path, fetches, expected) -> None:
    db = str(tmp_path / "h.duckdb")
    url = "http://xxgk.test/info/1.htm"
    runs = [crawl_page(db, 1 + 7 * n, url, *fetched) for n, fetched in enumerate(fetches)]
    _, found = storage.run_sql(db, "SELECT run_id, url, old_hash, new_hash FROM page_changes ORDER BY run_id")
    digest = [hashlib.sha256(body).hexdigest() for body, *_ in fetches]
    assert found == [(runs[n - 1], url, digest[old - 1], digest[new - 1]) for n, old, new in expected]


def test_finish_run_counts_the_run(tmp_path):
    db = str(tmp_path / "h.duckdb")
    run_id = finished_run(
        db,
        1,
        [ColumnObservation(SITE, A, "通知公告", "ok", pages=1, rows=rows("a", "b"))],
        [
            fetch("http://xxgk.test/a", b"a"),
            FetchRecord(SITE, "http://xxgk.test/b", at(1), "http_error", 404, error="HTTP 404"),
        ],
    )
    _, found = storage.run_sql(db, f"SELECT status, pages, errors, items FROM runs WHERE run_id = {run_id}")
    assert found == [("ok", 2, 1, 2)]


def test_a_run_is_finished_once(tmp_path):
    db = str(tmp_path / "h.duckdb")
    run_id = finished_run(db, 1, [])
    with pytest.raises(storage.StorageError, match="already 'ok'"):
        storage.finish_run(db, run_id, [])
    with pytest.raises(storage.StorageError, match="no run 99"):
        storage.finish_run(db, 99, [])


def test_finishing_with_a_failure_status_records_no_observation(tmp_path):
    db = str(tmp_path / "h.duckdb")
    run_id = storage.start_run(db, [SITE])
    storage.finish_run(
        db,
        run_id,
        [ColumnObservation(SITE, A, "通知公告", "ok", rows=rows("a"))],
        status="failed",
        message="spider error",
    )
    _, found = storage.run_sql(
        db,
        "SELECT status, message, (SELECT count(*) FROM items), (SELECT count(*) FROM column_snapshots)"
        " FROM runs",
    )
    assert found == [("failed", "spider error", 0, 0)]


def test_a_bad_state_is_refused_before_anything_is_written(tmp_path):
    db = str(tmp_path / "h.duckdb")
    run_id = storage.start_run(db, [SITE])
    with pytest.raises(ValueError, match="stale"):
        storage.finish_run(db, run_id, [ColumnObservation(SITE, A, "通知公告", "stale")])
    _, found = storage.run_sql(db, "SELECT status FROM runs")
    assert found == [("running",)]


def test_a_site_only_in_the_observations_joins_the_run(tmp_path):
    db = str(tmp_path / "h.duckdb")
    run_id = storage.start_run(db, [SITE])
    storage.finish_run(db, run_id, [ColumnObservation("portal", "http://www.test/xw/", "新闻", "ok")])
    _, found = storage.run_sql(db, "SELECT list_sort(sites) FROM runs")
    assert found == [(["portal", SITE],)]


def test_an_article_parse_makes_the_change_an_edit(tmp_path):
    db = str(tmp_path / "h.duckdb")
    url = "http://xxgk.test/info/9.htm"
    for day, body in ((1, b"<h1>v1</h1>"), (8, b"<h1>v2</h1>")):
        run_id = crawl_page(db, day, url, body, "article", body.decode())
    with storage.open_readonly(db) as conn:
        edits = storage.edited_items(conn, since=at(2), until=at(9))
        none_before = storage.edited_items(conn, since=at(1), until=at(7))
    assert [(e.url, e.title, e.observed_at, e.run_id) for e in edits] == [(url, "公告", at(8), run_id)]
    assert none_before == []
