"""Run one crawl as a child process: `python -m crawler --plan FILE`, one at a time per database.

The monitor never imports the crawler: a Twisted reactor cannot restart, and a crawl that hangs or crashes
must not take the scheduler with it. This module writes the plan, takes an exclusive lock next to the database
(`<db>.crawl.lock`, fcntl.flock, inherited by the child so it stays held if the parent dies), starts the child
in its own process group, relays its output, and kills it after the timeout. The child prints `run_id=N` as
soon as its run is open; when it times out or dies, the run is marked failed here with the reason.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import storage

RUN_ID_PREFIX = "run_id="
KILL_GRACE = 10.0  # seconds between SIGTERM (Scrapy closes cleanly) and SIGKILL


@dataclass(frozen=True, slots=True)
class CrawlOutcome:
    returncode: int  # 0: the crawl finished and its run is recorded
    run_id: int | None  # None when the crawl never opened a run (lock held, database unusable ...)
    reason: str | None  # why it failed, in words; None on success


class _Lock:
    """An exclusive flock on `<db>.crawl.lock`, the holder's pid written in it for the refusal message."""

    def __init__(self, db: Path):
        self.db = db
        self.path = db.with_name(db.name + ".crawl.lock")
        self.fd: int | None = None
        self.busy = False  # refused because another crawl holds it (as opposed to: cannot be created at all)

    def acquire(self, wait: bool) -> str | None:
        """None when held now, else the reason it could not be taken."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            return f"cannot create the crawl lock {self.path}: {exc.strerror or exc}"
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            self.busy = True
            return f"another crawl is running on {self.db} (pid {holder})"
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        self.fd = fd
        return None

    def note_child(self, pid: int) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, str(pid).encode("ascii"), 0)

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            os.close(self.fd)  # the lock goes when the child's inherited copy is closed too
            self.fd = None


def _relay(stream: IO[bytes], sink: Any, tail: deque[str], run_ids: list[int]) -> None:
    """Copy a child's stream to ours, keep its last lines, and notice the run id line."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace")
        stripped = line.strip()
        if stripped.startswith(RUN_ID_PREFIX) and stripped[len(RUN_ID_PREFIX) :].isdigit():
            run_ids.append(int(stripped[len(RUN_ID_PREFIX) :]))
        else:
            tail.append(stripped)
        try:
            sink.write(line)
            sink.flush()
        except (OSError, ValueError):
            pass
    stream.close()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the child's process group, then SIGKILL whatever is left after a grace period."""
    for sig, grace in ((signal.SIGTERM, KILL_GRACE), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def run_crawl(
    config: Any,
    sites: list[str] | None,
    *,
    timeout: float | None = None,
    wait_lock: bool = False,
    observed_at: str | None = None,
    progress: str = "auto",
) -> CrawlOutcome:
    """Crawl `sites` (all configured sites when None) in a child process and wait for it.

    `timeout` defaults to [crawl] crawl_timeout. With `wait_lock`, waits for a running crawl on the same
    database to end instead of refusing. Returns the child's exit status, its run id and the reason it failed.
    """
    db = Path(config.db_path).resolve()
    if progress == "auto":
        progress = "tty" if sys.stderr.isatty() else "log"
    plan = config.plan(sites, observed_at=observed_at, progress=progress)
    plan["db_path"] = str(db.resolve())
    limit = float(timeout if timeout is not None else config.crawl.crawl_timeout)

    lock = _Lock(db)
    refused = lock.acquire(wait_lock)
    if refused:
        # EX_TEMPFAIL when another crawl holds the database (try again later); 1 when it can never work here
        return CrawlOutcome(75 if lock.busy else 1, None, refused)
    fd, plan_path = tempfile.mkstemp(suffix=".json", prefix="xxgk-plan-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(plan, out, ensure_ascii=False, indent=2)
        return _supervise(plan_path, str(db), limit, lock)
    finally:
        lock.release()
        with contextlib.suppress(OSError):
            os.unlink(plan_path)


def _supervise(plan_path: str, db: str, limit: float, lock: _Lock) -> CrawlOutcome:
    assert lock.fd is not None
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "--plan", plan_path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: a timeout kills the crawl and anything it started
        pass_fds=(lock.fd,),
    )
    lock.note_child(proc.pid)
    tail: deque[str] = deque(maxlen=20)
    run_ids: list[int] = []
    relays = [
        threading.Thread(
            target=_relay, args=(proc.stdout, sys.stdout, deque(maxlen=1), run_ids), daemon=True
        ),
        threading.Thread(target=_relay, args=(proc.stderr, sys.stderr, tail, run_ids), daemon=True),
    ]
    for t in relays:
        t.start()
    started = time.monotonic()
    timed_out = False
    try:
        proc.wait(limit)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill(proc)
    except BaseException:  # Ctrl-C or a scheduler shutdown: never leave the crawl running on its own
        _kill(proc)
        raise
    for t in relays:
        t.join(5.0)
    run_id = run_ids[0] if run_ids else None
    code = proc.returncode
    if timed_out:
        reason = f"crawl timed out after {limit:g} s and was killed"
        code = 124
    elif code == 0:
        return CrawlOutcome(0, run_id, None)
    elif code < 0:
        reason = f"crawl process died of signal {-code} after {time.monotonic() - started:.0f} s"
    else:
        failed = [line for line in tail if line.startswith("crawl failed:")]
        reason = failed[-1].removeprefix("crawl failed:").strip() if failed else _last_words(tail, code)
    if run_id is not None:
        try:
            storage.mark_run(db, run_id, "failed", reason)
        except storage.StorageError as exc:
            reason += f" (and the run could not be marked failed: {exc})"
    return CrawlOutcome(code if code > 0 else 1, run_id, reason)


def _last_words(tail: deque[str], code: int) -> str:
    lines = [line for line in tail if line]
    return f"crawl process exited with status {code}" + (f": {lines[-1]}" if lines else "")
