"""The spool (issue 14 §4): a run that cannot write because another process holds the database for writing
loses nothing. Its batches and its end wait in `<db>.pending/`, and the next read-write or read open writes
them once, however often it is replayed; a torn spool file is set aside, not crashed on.

The holder is a real second process with `duckdb.connect(path)` open for writing, as an analyst's DuckDB CLI.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import storage
from storage import spool
from storage.records import ColumnObservation, FetchRecord, Link, PageParse, Row

SITE = "xxgk"
LIST = "http://xxgk.test/tzgg/list.htm"
WAIT = 0.3  # seconds every open waits for the holder before giving up

HOLDER = textwrap.dedent(
    """
    import sys, time
    import duckdb
    while True:
        try:
            conn = duckdb.connect(sys.argv[1])  # an analyst's DuckDB, open for writing
            break
        except duckdb.IOException:
            time.sleep(0.05)
    print("holding", flush=True)
    time.sleep(300)
    """
)


@contextmanager
def held(db: str) -> Iterator[None]:
    """Another process holds `db` open for writing within the block."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, db], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        yield
    finally:
        proc.kill()
        proc.wait(30)


def body(n: int) -> bytes:
    return f"<html><body>page {n}</body></html>".encode()


def item_rows(n: int) -> list[Row]:
    return [Row(f"通知{i}", f"http://xxgk.test/info/{i}.htm", date(2026, 2, 1 + i)) for i in range(n)]


def fill(writer: storage.RunWriter, pages: int = 3) -> None:
    """Fetches and new pages of one list column, as the crawler hands them over."""
    for n in range(pages):
        url = LIST if n == 0 else f"http://xxgk.test/tzgg/list{n}.htm"
        digest = hashlib.sha256(body(n)).hexdigest()
        writer.add_fetch(
            FetchRecord(
                SITE, url, datetime(2026, 3, 2, 8, 0, n, tzinfo=UTC), "ok", 200, 40, content_hash=digest
            )
        )
        parse = PageParse(
            url,
            digest,
            "list",
            title="通知公告",
            rows=item_rows(4),
            links=[Link("http://xxgk.test/info/0.htm", "通知0", "content")],
        )
        writer.add_page(parse, body(n))


COLUMNS = [ColumnObservation(SITE, LIST, "通知公告", "ok", pages=3, rows=item_rows(4))]


def snapshot(db: str) -> dict[str, object]:
    """What a finished run leaves in the database, for comparing two databases."""
    queries = {
        "runs": "SELECT run_id, status, pages, items FROM runs ORDER BY run_id",
        "fetches": "SELECT run_id, url, outcome, content_hash FROM fetches ORDER BY ALL",
        "bodies": "SELECT content_hash, size FROM bodies ORDER BY ALL",
        "parses": "SELECT url, content_hash, kind FROM page_parses ORDER BY ALL",
        "rows": "SELECT url, pos, title, item_url FROM page_rows ORDER BY ALL",
        "links": "SELECT url, part, pos, link_url FROM page_links ORDER BY ALL",
        "columns": "SELECT run_id, column_url, name, state, items, newest FROM column_snapshots ORDER BY ALL",
        "items": "SELECT column_url, url, first_seen_run, last_seen_run, vanished_run FROM items "
        "ORDER BY ALL",
        "sites": "SELECT run_id, site, pages, pages_ok FROM site_snapshots ORDER BY ALL",
    }
    with storage.open_readonly(db) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in queries.items()}


def reference(tmp_path: Path) -> dict[str, object]:
    """The same run written with nobody holding the file."""
    db = str(tmp_path / "reference.duckdb")
    run_id = storage.start_run(db, [SITE], observed_at=datetime(2026, 3, 2, 8, tzinfo=UTC))
    writer = storage.RunWriter(db, run_id)
    fill(writer)
    assert writer.close(COLUMNS) is None
    return snapshot(db)


def spooled_run(db: str) -> tuple[int, str]:
    """A run whose end comes while another process holds the file: returns its id and its spool file."""
    run_id = storage.start_run(db, [SITE], observed_at=datetime(2026, 3, 2, 8, tzinfo=UTC))
    writer = storage.RunWriter(db, run_id, wait=WAIT)
    fill(writer)
    with held(db):
        kept = writer.close(COLUMNS)
        assert kept is not None, "the run claims to be written although the file was held"
        assert Path(kept).parent == Path(spool.spool_dir(db))
        assert os.path.exists(kept)
        with pytest.raises(storage.DatabaseBusy):
            storage.open_readonly(db, wait=WAIT).__enter__()
    return run_id, kept


def test_a_run_ended_while_the_file_is_held_is_written_by_the_next_open(tmp_path: Path) -> None:
    db = str(tmp_path / "h.duckdb")
    run_id, kept = spooled_run(db)
    got = snapshot(db)  # a reader: it writes the spool first
    assert not os.path.exists(kept)
    assert not os.path.exists(spool.spool_dir(db)), "an empty spool folder is left behind"
    assert got == reference(tmp_path)
    _, found = storage.run_sql(db, f"SELECT status, message FROM runs WHERE run_id = {run_id}")
    status, message = found[0]
    assert status == "ok"
    assert "written late" in message and os.path.basename(kept) in message


def test_replaying_twice_writes_once(tmp_path: Path) -> None:
    """A replay cut off between its commit and removing the file is replayed again: nothing doubles."""
    db = str(tmp_path / "h.duckdb")
    _, kept = spooled_run(db)
    copy = tmp_path / "copy.spool"
    shutil.copy(kept, copy)
    with storage.open_readwrite(db):
        pass
    once = snapshot(db)
    os.makedirs(spool.spool_dir(db), exist_ok=True)
    shutil.copy(copy, kept)
    with storage.open_readwrite(db):
        pass
    assert not os.path.exists(kept)
    assert snapshot(db) == once == reference(tmp_path)


def test_a_torn_spool_file_is_set_aside_not_crashed_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = str(tmp_path / "h.duckdb")
    run_id, kept = spooled_run(db)
    size = os.path.getsize(kept)
    with open(kept, "r+b") as f:  # a copy cut short
        f.truncate(size // 2)
    with caplog.at_level(logging.WARNING, logger="xxgk.storage"):
        _, found = storage.run_sql(db, f"SELECT status FROM runs WHERE run_id = {run_id}")
    assert found == [("running",)]  # nothing of it was written, and nothing pretends it was
    assert os.path.exists(kept + spool.TORN) and not os.path.exists(kept)
    assert any("not whole" in r.getMessage() and kept in r.getMessage() for r in caplog.records)
    assert [p.torn for p in spool.pending(db)] == [True]
    with storage.open_readwrite(db):  # later opens neither crash nor say it again
        pass


@pytest.mark.parametrize("damage", ["flip", "header"])
def test_a_spool_file_that_does_not_match_its_header_is_refused(tmp_path: Path, damage: str) -> None:
    db = str(tmp_path / "h.duckdb")
    _, kept = spooled_run(db)
    data = bytearray(Path(kept).read_bytes())
    if damage == "flip":
        data[-10] ^= 0xFF
    else:
        data[len(spool.MAGIC) + 2] = ord("#")
    Path(kept).write_bytes(bytes(data))
    with pytest.raises(ValueError):
        spool.read(kept)
    with storage.open_readwrite(db):
        pass
    assert os.path.exists(kept + spool.TORN)


def test_a_batch_due_while_the_file_is_held_is_kept_on_disk(tmp_path: Path) -> None:
    """A flush mid-crawl that finds the file held keeps its batch in the spool (not only in memory): a crawl
    killed before the file is free loses none of it."""
    db = str(tmp_path / "h.duckdb")
    run_id = storage.start_run(db, [SITE])
    writer = storage.RunWriter(db, run_id, flush_seconds=0.0, wait=WAIT)
    with held(db):
        fill(writer)
        writer.maybe_flush()
        assert writer.pending == 0
        assert len(writer.spooled) == 1 and os.path.exists(writer.spooled[0])
    del writer  # the crawl dies here (kill -9): nothing in memory survives
    _, found = storage.run_sql(
        db, f"SELECT count(*), count(DISTINCT url) FROM fetches WHERE run_id = {run_id}"
    )
    assert found == [(3, 3)]
    _, parses = storage.run_sql(db, "SELECT count(*) FROM page_parses")
    assert parses == [(3,)]


def test_an_interrupted_run_while_the_file_is_held_is_marked_later(tmp_path: Path) -> None:
    db = str(tmp_path / "h.duckdb")
    run_id = storage.start_run(db, [SITE])
    writer = storage.RunWriter(db, run_id, wait=WAIT)
    fill(writer)
    with held(db):
        kept = writer.close(status="interrupted", message="interrupted (SIGINT, Ctrl-C)")
    assert kept is not None
    _, found = storage.run_sql(db, f"SELECT status, message, pages FROM runs WHERE run_id = {run_id}")
    status, message, pages = found[0]
    assert (status, pages) == ("interrupted", 3)
    assert message.startswith("interrupted (SIGINT, Ctrl-C)") and "written late" in message
