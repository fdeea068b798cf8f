"""RunWriter: buffered, batched, deduplicated writes that leave the file closed between flushes."""

from __future__ import annotations

import hashlib
import os
import zlib
from datetime import UTC, datetime

import storage
from storage.records import FetchRecord, Link, PageParse, Row

SITE = "xxgk"


def page(url: str, body: bytes, n_rows: int = 2) -> PageParse:
    return PageParse(
        url=url,
        content_hash=hashlib.sha256(body).hexdigest(),
        kind="list",
        rows=[Row(f"条目{i}", f"{url}#{i}") for i in range(n_rows)],
        links=[Link("http://xxgk.test/", "首页", "nav")],
    )


def fetch(url: str, body: bytes) -> FetchRecord:
    return FetchRecord(
        SITE,
        url,
        datetime(2026, 3, 1, tzinfo=UTC),
        "ok",
        200,
        len(body),
        content_hash=hashlib.sha256(body).hexdigest(),
    )


def count(db: str, table: str) -> int:
    _, found = storage.run_sql(db, f"SELECT count(*) FROM {table}")
    return found[0][0]


def test_the_same_body_is_stored_once(tmp_path):
    db = str(tmp_path / "h.duckdb")
    body = "<html>通知公告</html>".encode() * 50
    for _ in range(2):  # two runs fetch the same body
        run_id = storage.start_run(db, [SITE])
        writer = storage.RunWriter(db, run_id)
        for url in ("http://xxgk.test/a.htm", "http://xxgk.test/a.htm?from=nav"):  # two URLs, one body
            writer.add_page(page(url, body), body)
            writer.add_fetch(fetch(url, body))
        writer.flush()
    assert count(db, "bodies") == 1
    assert count(db, "page_parses") == 2  # a parse belongs to (url, body)
    assert count(db, "page_rows") == 4
    assert count(db, "fetches") == 4  # one per URL per run
    _, stored = storage.run_sql(db, "SELECT codec, size, body FROM bodies")
    codec, size, blob = stored[0]
    assert (codec, size) == ("zlib", len(body))
    assert zlib.decompress(blob) == body
    assert len(blob) < len(body) // 5


def test_nothing_is_written_before_a_flush_is_due(tmp_path):
    db = str(tmp_path / "h.duckdb")
    run_id = storage.start_run(db, [SITE])
    writer = storage.RunWriter(db, run_id, flush_rows=3, flush_seconds=3600)
    body = b"<p>1</p>"
    writer.add_page(page("http://xxgk.test/1.htm", body), body)
    writer.add_fetch(fetch("http://xxgk.test/1.htm", body))
    writer.maybe_flush()
    assert writer.pending == 2
    assert count(db, "fetches") == 0
    writer.add_fetch(fetch("http://xxgk.test/2.htm", b"2"))
    writer.maybe_flush()  # 3 records: due
    assert writer.pending == 0
    assert (count(db, "fetches"), count(db, "page_parses")) == (2, 1)
    assert (writer.flushes, writer.rows_written) == (1, 2 + 1 + 1 + 2 + 1)  # fetches, body, parse, rows, link


def test_an_old_buffer_is_flushed(tmp_path):
    db = str(tmp_path / "h.duckdb")
    run_id = storage.start_run(db, [SITE])
    writer = storage.RunWriter(db, run_id, flush_rows=10_000, flush_seconds=0)
    writer.add_fetch(fetch("http://xxgk.test/1.htm", b"1"))
    writer.maybe_flush()
    assert count(db, "fetches") == 1


def test_an_empty_flush_does_not_touch_the_file(tmp_path):
    db = str(tmp_path / "never.duckdb")
    writer = storage.RunWriter(db, 1)
    writer.flush()
    writer.maybe_flush()
    assert not os.path.exists(db)


def test_fetch_fields_round_trip(tmp_path):
    db = str(tmp_path / "h.duckdb")
    run_id = storage.start_run(db, [SITE])
    writer = storage.RunWriter(db, run_id)
    rec = FetchRecord(
        site=SITE,
        url="http://xxgk.test/x.htm",
        requested_at=datetime(2026, 3, 1, 8, 30, tzinfo=UTC),
        outcome="offsite_redirect",
        status=302,
        bytes=0,
        elapsed_ms=12.5,
        error="redirected to http://other.test/",
        etag='W/"x"',
        last_modified="Sun, 01 Mar 2026 08:00:00 GMT",
        content_hash=None,
        content_type="text/html; charset=gbk",
        final_url="http://other.test/",
        depth=3,
        referer="http://xxgk.test/",
        link_text="外链",
        role="page",
    )
    writer.add_fetch(rec)
    writer.flush()
    _, found = storage.run_sql(db, "SELECT * EXCLUDE (run_id) FROM fetches")
    assert found == [
        (
            SITE,
            rec.url,
            rec.requested_at,
            "offsite_redirect",
            302,
            0,
            12.5,
            rec.error,
            rec.etag,
            rec.last_modified,
            None,
            rec.content_type,
            rec.final_url,
            3,
            rec.referer,
            "外链",
            "page",
        )
    ]
