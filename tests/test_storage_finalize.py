"""finish_run: column snapshots, the items table (first/last seen, vanished) and page changes, in one go."""

from __future__ import annotations

import hashlib
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


def finished_run(db: str, day: int, columns: list[ColumnObservation], fetches: list[FetchRecord] = ()) -> int:
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


def test_a_new_body_at_a_known_url_is_a_page_change(tmp_path):
    db = str(tmp_path / "h.duckdb")
    url = "http://xxgk.test/info/1.htm"
    v1, v2 = b"<p>first</p>", b"<p>second</p>"
    finished_run(db, 1, [], [fetch(url, v1)])
    finished_run(db, 8, [], [fetch(url, v1, "not_modified")])  # confirmed unchanged: no change
    r3 = finished_run(db, 15, [], [fetch(url, v2)])
    _, found = storage.run_sql(db, "SELECT run_id, url, old_hash, new_hash FROM page_changes")
    assert found == [(r3, url, hashlib.sha256(v1).hexdigest(), hashlib.sha256(v2).hexdigest())]


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
    bodies = [b"<h1>v1</h1>", b"<h1>v2</h1>"]
    for day, body in ((1, bodies[0]), (8, bodies[1])):
        run_id = storage.start_run(db, [SITE], observed_at=at(day))
        writer = storage.RunWriter(db, run_id)
        digest = hashlib.sha256(body).hexdigest()
        writer.add_page(PageParse(url=url, content_hash=digest, kind="article", title="公告"), body)
        writer.add_fetch(fetch(url, body))
        writer.flush()
        storage.finish_run(db, run_id, [])
    with storage.open_readonly(db) as conn:
        edits = storage.edited_items(conn, since=at(2), until=at(9))
        none_before = storage.edited_items(conn, since=at(1), until=at(7))
    assert [(e.url, e.title, e.observed_at, e.run_id) for e in edits] == [(url, "公告", at(8), run_id)]
    assert none_before == []
