"""storage/arrowscan.py: Arrow batches handed to DuckDB as C streams, so no write loads pyarrow.dataset.

A crawl's writes (batches, then the end of the run with its columns and items) run in a fresh interpreter,
as a crawl does, on a real DuckDB file; streams and temporary tables are gone after their statements."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from storage.arrowscan import copied, streamed

ROOT = Path(__file__).resolve().parents[1]

CRAWL = """
import hashlib, sys
from datetime import UTC, date, datetime
import storage
from storage.records import ColumnObservation, FetchRecord, Link, PageParse, Row
db = sys.argv[1]
for n in range(2):
    run = storage.start_run(db, ["s"])
    w = storage.RunWriter(db, run)
    for i in range(3):
        url, body = f"http://s.test/{i}.htm", f"<html>{i}</html>".encode() * 20
        h = hashlib.sha256(body).hexdigest()
        rows = [Row(f"条目{i}", f"http://s.test/a{i}.htm", date(2026, 3, 1 + i))]
        w.add_page(PageParse(url, h, "list", rows=rows, links=[Link("http://s.test/", "首页", "nav")]), body)
        at = datetime(2026, 3, 5, tzinfo=UTC)
        w.add_fetch(FetchRecord("s", url, at, "ok", 200, len(body), content_hash=h))
    w.flush()
    cols = [ColumnObservation("s", "http://s.test/0.htm", "通知", "ok", pages=1,
                              rows=[Row("条目0", "http://s.test/a0.htm", date(2026, 3, 1))])]
    w.close(cols)
print(["pyarrow.dataset" in sys.modules])
"""


def test_a_crawls_writes_store_everything_without_pyarrow_dataset(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    out = subprocess.run(
        [sys.executable, "-c", CRAWL, str(db)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert ast.literal_eval(out.stdout.strip().splitlines()[-1]) == [False]
    with duckdb.connect(str(db), read_only=True) as conn:
        got = [
            conn.execute(sql).fetchall()
            for sql in (
                "SELECT run_id, status, items FROM runs ORDER BY run_id",
                "SELECT count(*), count(DISTINCT content_hash) FROM fetches",
                "SELECT count(*) FROM bodies",
                "SELECT count(*) FROM page_rows",
                "SELECT run_id, column_url, items, newest FROM column_snapshots ORDER BY run_id",
                "SELECT url, title, first_seen_run, last_seen_run FROM items",
            )
        ]
    assert got[0] == [(1, "ok", 1), (2, "ok", 1)]
    assert got[1] == [(6, 3)]
    assert got[2] == [(3,)]
    assert got[3] == [(3,)]
    assert [r[:3] for r in got[4]] == [(1, "http://s.test/0.htm", 1), (2, "http://s.test/0.htm", 1)]
    assert got[5] == [("http://s.test/a0.htm", "条目0", 1, 2)]


def test_a_streamed_table_is_read_once_and_gone_after() -> None:
    conn = duckdb.connect()
    conn.execute("CREATE TABLE t (a INTEGER, b VARCHAR)")
    with streamed(conn, {"s": pa.table({"b": ["x", "y"], "a": pa.array([1, 2], pa.int32())})}):
        conn.execute("INSERT INTO t BY NAME SELECT * FROM s")
    assert conn.execute("SELECT * FROM t ORDER BY a").fetchall() == [(1, "x"), (2, "y")]
    with pytest.raises(duckdb.Error):
        conn.execute("SELECT * FROM s")


def test_copied_tables_are_read_as_often_as_wanted_then_dropped() -> None:
    conn = duckdb.connect()
    conn.execute("BEGIN")
    with copied(conn, {"f_obs": pa.table({"a": [1, 2, 3]}), "f_rows": pa.table({"a": [2]})}):
        assert conn.execute("SELECT sum(a) FROM f_obs").fetchall() == [(6,)]
        assert conn.execute("SELECT count(*) FROM f_obs JOIN f_rows USING (a)").fetchall() == [(1,)]
        assert conn.execute("SELECT max(a) FROM f_obs").fetchall() == [(3,)]
    conn.execute("COMMIT")
    assert conn.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'f_%'").fetchall() == [
        (0,)
    ]
