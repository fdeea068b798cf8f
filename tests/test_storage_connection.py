"""Opening the file: readers get in while another process crawls; waits are bounded; I/O errors named."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest

import storage

ROOT = Path(__file__).resolve().parents[1]

# A crawl in another process: flushes a batch of fetches over and over, writing the count after each flush.
FLUSHER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, UTC
    import storage
    from storage.records import FetchRecord
    db, progress, stop = sys.argv[1], sys.argv[2], sys.argv[3]
    import os
    run_id = storage.start_run(db, ["xxgk"])
    writer = storage.RunWriter(db, run_id, flush_rows=10**9, flush_seconds=10**9, wait=60)
    n = 0
    while not os.path.exists(stop):
        for _ in range(200):
            n += 1
            writer.add_fetch(FetchRecord("xxgk", f"http://xxgk.test/{n}", datetime.now(UTC), "ok", 200))
        writer.flush()
        with open(progress, "w") as fh:
            fh.write(str(writer.flushes))
    """
)

HOLDER = textwrap.dedent(
    """
    import sys, time
    import storage
    with storage.open_readwrite(sys.argv[1]):
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def flushes(progress: Path) -> int:
    try:
        return int(progress.read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def test_queries_succeed_while_another_process_flushes(tmp_path):
    db = str(tmp_path / "h.duckdb")
    progress, stop = tmp_path / "progress", tmp_path / "stop"
    storage.start_run(db, ["setup"])  # the file exists before the crawler starts
    proc = subprocess.Popen(
        [sys.executable, "-c", FLUSHER, db, str(progress), str(stop)],
        env=env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while flushes(progress) < 1:
            assert proc.poll() is None and time.monotonic() < deadline, (
                proc.stderr.read() if proc.stderr else ""
            )
            time.sleep(0.02)
        counts: list[int] = []

        def count() -> None:
            assert time.monotonic() < deadline and proc.poll() is None
            _, rows = storage.run_sql(db, "SELECT count(*) FROM fetches", wait=30)
            counts.append(rows[0][0])

        # query until the writer has committed several more flushes than the first query saw (each flush is
        # 200 rows; the progress file is written after its commit), then once more, so that the last query
        # comes after them however the two processes were scheduled: every query must succeed
        count()
        while len(counts) < 10 or flushes(progress) < counts[0] // 200 + 3:
            count()
        count()
        assert counts == sorted(counts) and counts[-1] > counts[0]  # the data grew between our reads
        assert all(c % 200 == 0 for c in counts)  # and every read saw whole flushes only
    finally:
        stop.touch()
        proc.wait(timeout=120)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""


def test_a_file_held_too_long_is_reported_busy(tmp_path):
    db = str(tmp_path / "h.duckdb")
    storage.start_run(db, ["setup"])
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db, "60"], env=env(), stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(storage.DatabaseBusy, match=f"database {db} is busy"):
            storage.run_sql(db, "SELECT 1", wait=0.3)
        with pytest.raises(storage.DatabaseBusy):
            storage.start_run(db, ["xxgk"], wait=0)
    finally:
        holder.kill()
        holder.wait()
    assert storage.run_sql(db, "SELECT 1", wait=5) == (["1"], [(1,)])


def test_a_reader_waits_for_a_short_hold(tmp_path):
    db = str(tmp_path / "h.duckdb")
    storage.start_run(db, ["setup"])
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db, "0.5"], env=env(), stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        assert storage.run_sql(db, "SELECT 42", wait=60) == (["42"], [(42,)])
    finally:
        holder.wait()


def test_a_missing_file_or_folder_is_named(tmp_path):
    missing = str(tmp_path / "nothing.duckdb")
    with pytest.raises(storage.StorageError, match=f"no database at {missing}"):
        storage.run_sql(missing, "SELECT 1")
    assert not os.path.exists(missing)  # reading never creates the file
    nested = str(tmp_path / "no" / "such" / "dir" / "h.duckdb")
    with pytest.raises(storage.StorageError, match=r"directory .* does not exist"):
        storage.start_run(nested, ["xxgk"])


UNWRITABLE = textwrap.dedent(
    """
    import os, sys
    import storage
    storage.schema.migrations()  # read the package's files while we still can
    if os.geteuid() == 0:
        os.setgid(65534); os.setuid(65534)  # root ignores file modes: act as nobody
    db = sys.argv[1]
    print(storage.run_sql(db, "SELECT count(*) FROM runs")[1][0][0])
    try:
        storage.start_run(db, ["xxgk"])
    except storage.StorageError as exc:
        print("StorageError:", exc)
    """
)


def test_a_read_only_file_can_be_read_but_writing_names_it(tmp_path):
    folder = tempfile.mkdtemp(prefix="xxgk-ro-")  # not under tmp_path: nobody must be able to reach it
    try:
        os.chmod(folder, 0o755)
        db = os.path.join(folder, "h.duckdb")
        storage.start_run(db, ["setup"])
        os.chmod(db, 0o444)
        os.chmod(folder, 0o555)
        out = subprocess.run(
            [sys.executable, "-c", UNWRITABLE, db], env=env(), capture_output=True, text=True, timeout=120
        )
        assert out.returncode == 0, out.stderr
        lines = out.stdout.splitlines()
        assert lines[0] == "1"
        assert lines[1].startswith(f"StorageError: cannot open database {db}")
        assert "Traceback" not in out.stderr
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder)


FULL_DISK = textwrap.dedent(
    """
    import hashlib, os, resource, signal, sys
    from datetime import datetime, UTC
    import storage
    from storage.records import FetchRecord, PageParse
    db = sys.argv[1]
    run_id = storage.start_run(db, ["xxgk"])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, like a full disk
    limit = os.path.getsize(db) + 256 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    writer = storage.RunWriter(db, run_id)
    for n in range(300):
        body = os.urandom(20_000)  # incompressible
        digest = hashlib.sha256(body).hexdigest()
        writer.add_page(PageParse(url=f"http://xxgk.test/{n}", content_hash=digest, kind="other"), body)
        writer.add_fetch(FetchRecord("xxgk", f"http://xxgk.test/{n}", datetime.now(UTC), "ok", 200,
                                     content_hash=digest))
    try:
        writer.flush()
    except storage.StorageError as exc:
        print("StorageError:", exc)
    """
)


def test_a_full_disk_names_the_file_and_leaves_no_partial_batch(tmp_path):
    db = str(tmp_path / "h.duckdb")
    out = subprocess.run(
        [sys.executable, "-c", FULL_DISK, db], env=env(), capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"StorageError: cannot write to database {db}"), out.stdout + out.stderr
    _, found = storage.run_sql(
        db, "SELECT (SELECT count(*) FROM fetches), (SELECT count(*) FROM bodies), status FROM runs"
    )
    assert found == [(0, 0, "running")]


def test_threads_of_one_process_take_turns(tmp_path):
    """DuckDB refuses a read-write connection while this process holds a read-only one: the writer waits."""
    db = str(tmp_path / "h.duckdb")
    storage.start_run(db, ["setup"])
    opened, release = threading.Event(), threading.Event()

    def reader() -> None:
        with storage.open_readonly(db):
            opened.set()
            release.wait(60)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        assert opened.wait(60)
        with pytest.raises(storage.DatabaseBusy):
            storage.start_run(db, ["xxgk"], wait=0)
        threading.Timer(0.2, release.set).start()
        assert storage.start_run(db, ["xxgk"], wait=60) == 2
    finally:
        release.set()
        thread.join()
