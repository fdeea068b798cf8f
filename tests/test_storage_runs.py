"""Run bookkeeping and crash safety: a crawl killed with SIGKILL mid-write leaves a usable database, its run
is marked 'interrupted' by the next start_run, and nothing it wrote is counted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

import storage
from storage import schema
from storage.records import ColumnObservation, Row

ROOT = Path(__file__).resolve().parents[1]
BATCH = 400

# A crawl that writes batches of BATCH fetches (and a page each) until killed; it never finishes its run.
WRITER = textwrap.dedent(
    f"""
    import hashlib, os, sys
    from datetime import datetime, UTC
    import storage
    from storage.records import FetchRecord, PageParse, Row
    db, progress = sys.argv[1], sys.argv[2]
    run_id = storage.start_run(db, ["xxgk"])
    writer = storage.RunWriter(db, run_id, flush_rows=10**9, flush_seconds=10**9)
    n = 0
    while True:
        for _ in range({BATCH}):
            n += 1
            body = os.urandom(2000)
            digest = hashlib.sha256(body).hexdigest()
            url = f"http://xxgk.test/p{{n}}.htm"
            writer.add_page(PageParse(url=url, content_hash=digest, kind="list",
                                      rows=[Row("t", url + "#1")]), body)
            writer.add_fetch(FetchRecord("xxgk", url, datetime.now(UTC), "ok", 200, content_hash=digest))
        writer.flush()
        with open(progress, "a") as fh:
            fh.write(f"{{run_id}} {{writer.flushes}}\\n")
    """
)


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def wait_for_flushes(progress: Path, proc: subprocess.Popen, n: int) -> int:
    """Block until the child reports `n` flushes; return its run id."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "child died"
        lines = progress.read_text().split("\n") if progress.exists() else []
        done = [line.split() for line in lines if line.strip()]
        if len(done) >= n:
            return int(done[0][0])
        time.sleep(0.05)
    raise AssertionError("the writer child made no progress")


def test_a_crawl_killed_mid_write_is_interrupted_and_never_counted(tmp_path):
    db = str(tmp_path / "h.duckdb")
    progress = tmp_path / "progress"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, db, str(progress)], env=child_env(), stderr=subprocess.PIPE, text=True
    )
    try:
        killed_run = wait_for_flushes(progress, proc, 2)
        time.sleep(0.05)  # let it get into the next flush
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    # the file opens, with its schema intact, and holds only whole batches
    with storage.open_readonly(db) as conn:
        assert schema.db_version(conn) == schema.code_version()
        (fetched,) = conn.execute("SELECT count(*) FROM fetches WHERE run_id = ?", [killed_run]).fetchone()
        (status,) = conn.execute("SELECT status FROM runs WHERE run_id = ?", [killed_run]).fetchone()
    assert fetched >= 2 * BATCH and fetched % BATCH == 0
    assert status == "running"

    # the next crawl marks it interrupted and completes normally
    run_id = storage.start_run(db, ["xxgk"])
    storage.finish_run(
        db,
        run_id,
        [ColumnObservation("xxgk", "http://xxgk.test/list.htm", "通知公告", "ok", rows=[Row("a", "u")])],
    )
    with storage.open_readonly(db) as conn:
        statuses = dict(conn.execute("SELECT run_id, status FROM runs").fetchall())
        columns = storage.column_facts(conn, as_of=datetime.now(UTC))
        items = storage.item_facts(conn, as_of=datetime.now(UTC))
        message, pages = conn.execute(
            "SELECT message, pages FROM runs WHERE run_id = ?", [killed_run]
        ).fetchone()
        (page_fetches,) = conn.execute(
            "SELECT count(*) FROM fetches WHERE run_id = ? AND role = 'page'", [killed_run]
        ).fetchone()
    assert statuses == {killed_run: "interrupted", run_id: "ok"}
    assert pages == page_fetches > 0, "an interrupted run counts the pages it fetched (issue 19, section 4)"
    assert f"process {proc.pid}" in message
    assert [(c.url, c.run_id) for c in columns] == [("http://xxgk.test/list.htm", run_id)]
    assert [i.url for i in items] == ["u"]


def test_a_running_crawl_of_a_live_process_is_left_alone(tmp_path):
    db = str(tmp_path / "h.duckdb")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        first = storage.start_run(db, ["xxgk"])
        with storage.open_readwrite(db) as conn:  # pretend the sleeper is crawling it
            conn.execute("UPDATE runs SET pid = ? WHERE run_id = ?", [sleeper.pid, first])
        storage.start_run(db, ["xxgk"])
        _, found = storage.run_sql(db, f"SELECT status FROM runs WHERE run_id = {first}")
        assert found == [("running",)]
    finally:
        sleeper.kill()
        sleeper.wait()
    storage.start_run(db, ["xxgk"])
    _, found = storage.run_sql(db, f"SELECT status FROM runs WHERE run_id = {first}")
    assert found == [("interrupted",)]


def test_observed_at_defaults_to_the_start_and_can_be_set(tmp_path):
    db = str(tmp_path / "h.duckdb")
    replay = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)
    now_run = storage.start_run(db, ["xxgk"])
    past_run = storage.start_run(db, ["xxgk", "portal"], observed_at=replay)
    _, found = storage.run_sql(
        db, "SELECT run_id, observed_at = started_at, observed_at, sites FROM runs ORDER BY 1"
    )
    assert found[0][:2] == (now_run, True)
    assert found[1][0] == past_run and found[1][2] == replay and found[1][3] == ["xxgk", "portal"]


@pytest.mark.parametrize(
    ("before", "status", "after"),
    [
        ("running", "failed", "failed"),
        ("running", "interrupted", "interrupted"),
        ("ok", "failed", "ok"),  # a late failure report does not undo a complete run
    ],
)
def test_mark_run(tmp_path, before, status, after):
    db = str(tmp_path / "h.duckdb")
    run_id = storage.start_run(db, ["xxgk"])
    if before == "ok":
        storage.finish_run(db, run_id, [])
    storage.mark_run(db, run_id, status, "the crawler exited with 1")
    _, found = storage.run_sql(
        db, f"SELECT status, finished_at IS NOT NULL FROM runs WHERE run_id = {run_id}"
    )
    assert found == [(after, True)]


def test_mark_run_refuses_ok_and_unknown_runs(tmp_path):
    db = str(tmp_path / "h.duckdb")
    storage.start_run(db, ["xxgk"])
    with pytest.raises(ValueError):
        storage.mark_run(db, 1, "ok")
    with pytest.raises(storage.StorageError, match="no run 7"):
        storage.mark_run(db, 7, "failed")
