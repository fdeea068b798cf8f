"""export: every table and view as files that a fresh DuckDB (or any Parquet/CSV reader) opens."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import duckdb
import pytest

import storage
from storage.records import ColumnObservation, FetchRecord, PageParse, Row


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("ex") / "h.duckdb")
    run_id = storage.start_run(path, ["xxgk"])
    writer = storage.RunWriter(path, run_id)
    body = "<p>通知</p>".encode()
    writer.add_page(PageParse(url="http://xxgk.test/", content_hash="h1", kind="list"), body)
    writer.add_fetch(
        FetchRecord(
            "xxgk", "http://xxgk.test/", datetime(2026, 3, 1, tzinfo=UTC), "ok", 200, content_hash="h1"
        )
    )
    writer.flush()
    rows = [Row("公告", "http://xxgk.test/1.htm", date(2026, 2, 1))]
    storage.finish_run(
        path, run_id, [ColumnObservation("xxgk", "http://xxgk.test/", "通知公告", "ok", rows=rows)]
    )
    return path


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_every_table_and_view_opens_in_a_fresh_duckdb(db, tmp_path, fmt):
    out = tmp_path / "out"
    written = storage.export(db, str(out), fmt)
    names = {os.path.basename(p).rsplit(".", 1)[0] for p in written}
    with storage.open_readonly(db) as conn:
        expected = {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
                " AND NOT internal "
                "UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = current_database() "
                "AND NOT internal"
            ).fetchall()
        }
        stored = {name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in expected}
    assert names == expected
    fresh = duckdb.connect()  # in memory: knows nothing of our schema
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    for path in written:
        name = os.path.basename(path).rsplit(".", 1)[0]
        (count,) = fresh.execute(f"SELECT count(*) FROM {reader}(?)", [path]).fetchone()
        assert count == stored[name], name
    if fmt == "parquet":
        (title,) = fresh.execute("SELECT title FROM read_parquet(?)", [str(out / "items.parquet")]).fetchone()
        assert title == "公告"


def test_an_unknown_format_is_refused(db, tmp_path):
    with pytest.raises(storage.StorageError, match="unknown export format 'xlsx'"):
        storage.export(db, str(tmp_path), "xlsx")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_bodies_are_exported_as_text_decoded_with_the_pages_encoding(tmp_path, fmt):
    path = str(tmp_path / "b.duckdb")
    run_id = storage.start_run(path, ["xxgk"])
    writer = storage.RunWriter(path, run_id)
    gbk = "<p>信息公开目录</p>".encode("gbk")  # a page in undeclared GBK, as the parse found it
    writer.add_page(
        PageParse(url="http://xxgk.test/g.htm", content_hash="hg", kind="list", encoding="gbk"), gbk
    )
    writer.add_page(PageParse(url="http://xxgk.test/=.htm", content_hash="hf", kind="other"), b"=SUM(A1)")
    writer.flush()
    storage.finish_run(path, run_id, [])
    out = tmp_path / "out"
    storage.export(path, str(out), fmt)
    target = str(out / f"bodies.{fmt}")
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    rows = (
        duckdb.connect()
        .execute(
            f"SELECT content_hash, size, encoding, text FROM {reader}(?) ORDER BY content_hash", [target]
        )
        .fetchall()
    )
    # the text as the page reads, and its size in stored bytes; CSV defuses a formula like every text cell
    formula = "=SUM(A1)" if fmt == "parquet" else "'=SUM(A1)"
    assert rows == [("hf", 8, "utf-8", formula), ("hg", len(gbk), "gbk", "<p>信息公开目录</p>")]
