"""Run one crawl as a child process: `python -m crawler --plan FILE`, one at a time per database.

The monitor never imports the crawler: a Twisted reactor cannot restart, and a crawl that hangs or crashes
must not take the scheduler with it. This module writes the plan, takes an exclusive lock next to the database
(`<db>.crawl.lock`, fcntl.flock, inherited by the child so it stays held if the parent dies), starts the child
in its own process group, relays its output, and kills it after the timeout. The child prints `run_id=N` as
soon as its run is open; when it times out or dies, the run is marked failed here with the reason.

The child ends with its parent: it gets our pid and a "lifeline" pipe whose write end only we hold
(crawler/lifeline.py), so a `kill -9` of this process stops the crawl and frees the lock. Ctrl-C (SIGINT) and,
under `terminate_on_sigterm()`, SIGTERM are passed on to the child, which writes what it fetched, marks the
run interrupted and exits at once; `run_crawl` then returns 130 / 143.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, Any

RUN_ID_PREFIX = "run_id="
SPOOLED_PREFIX = "crawl spooled:"  # a finished crawl that kept its results in the spool (database busy)
# a finished crawl that read no page of any site: [[site, error], …] in JSON (crawler/__main__.py)
ALL_DOWN_PREFIX = "crawl every site down:"
# what the child says last, restated by the caller
QUIET_PREFIXES = ("crawl failed:", "crawl interrupted:", SPOOLED_PREFIX, ALL_DOWN_PREFIX)
KILL_GRACE = 10.0  # seconds between SIGTERM (the crawl writes what it fetched and exits) and SIGKILL


class Terminated(BaseException):
    """SIGTERM arrived while `terminate_on_sigterm` was in force (a BaseException, like KeyboardInterrupt)."""


@contextlib.contextmanager
def terminate_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM raises `Terminated` in the main thread (as SIGINT raises KeyboardInterrupt).

    For `xxgk crawl`: without it SIGTERM would end this process at once, and the crawl with it, unrecorded.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_terminated(signum: int, frame: FrameType | None) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass(frozen=True, slots=True)
class CrawlOutcome:
    returncode: int  # 0: the crawl finished and its run is recorded
    run_id: int | None  # None when the crawl never opened a run (lock held, database unusable ...)
    reason: str | None  # why it failed, in words; None on success
    # on success, what the caller should still say: the database was busy at the end and the results wait in
    # the spool next to it (written by the next command that opens the database)
    note: str | None = None


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


CrawlLock = _Lock  # for the cluster dispatcher (monitor/cluster/dispatch.py): one crawl per database


def _relay(stream: IO[bytes], sink: Any, tail: deque[str], run_ids: list[int]) -> None:
    """Copy a child's stream to ours, keep its last lines, and notice the run id line."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace")
        stripped = line.strip()
        if stripped.startswith(RUN_ID_PREFIX) and stripped[len(RUN_ID_PREFIX) :].isdigit():
            run_ids.append(int(stripped[len(RUN_ID_PREFIX) :]))
        else:
            tail.append(stripped)
            if stripped.startswith(QUIET_PREFIXES):
                continue  # the child's last word: the outcome's reason says it once, on its own line
        try:
            sink.write(line)
            sink.flush()
        except (OSError, ValueError):
            pass
    stream.close()


def _kill(proc: subprocess.Popen[bytes], first: int = signal.SIGTERM) -> None:
    """Signal the child's process group (SIGTERM), then SIGKILL whatever is left after a grace period."""
    for sig, grace in ((first, KILL_GRACE), (signal.SIGKILL, 5.0)):
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
    plan["db_path"] = config.database if config.storage.catalog else str(db.resolve())
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
        return _supervise(plan_path, plan["db_path"], limit, lock, float(config.storage.lock_wait))
    finally:
        lock.release()
        with contextlib.suppress(OSError):
            os.unlink(plan_path)


def _supervise(plan_path: str, db: str, limit: float, lock: _Lock, wait: float) -> CrawlOutcome:
    assert lock.fd is not None
    # the lifeline: the child watches the read end; the write end, ours alone, closes when we die
    watch_fd, life_fd = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler", "--plan", plan_path, *_lifeline_args(watch_fd)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: a timeout kills the crawl and all it started
            pass_fds=(lock.fd, watch_fd),
        )
    except BaseException:
        os.close(life_fd)
        raise
    finally:
        os.close(watch_fd)
    # storage (DuckDB, Arrow) is not loaded here: the child says all this process needs to know of its run
    # (its id, whether every site was down); only a run left to mark (a crash, a timeout) loads it
    try:
        return _watch(proc, db, limit, lock, wait)
    finally:
        os.close(life_fd)


def _lifeline_args(fd: int) -> list[str]:
    return ["--parent-pid", str(os.getpid()), "--lifeline-fd", str(fd)]


def _watch(proc: subprocess.Popen[bytes], db: str, limit: float, lock: _Lock, wait: float) -> CrawlOutcome:
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
    stopped: tuple[int, str] | None = None  # the signal we passed on, and why
    try:
        _wait(proc, limit)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill(proc)
    except KeyboardInterrupt:  # Ctrl-C: the child is in its own session, so it has to be told
        stopped = (signal.SIGINT, "interrupted (SIGINT, Ctrl-C)")
    except Terminated:
        stopped = (signal.SIGTERM, "stopped by SIGTERM")
    except BaseException:  # a scheduler shutdown, anything: never leave the crawl running on its own
        _kill(proc)
        raise
    if stopped is not None:
        return _stopped(proc, db, relays, run_ids, wait, *stopped)
    for t in relays:
        t.join(5.0)
    run_id = run_ids[0] if run_ids else None
    code = proc.returncode
    if timed_out:
        reason = f"crawl timed out after {limit:g} s and was killed"
        code = 124
    elif code == 0:
        spooled = [line for line in tail if line.startswith(SPOOLED_PREFIX)]
        if spooled:  # nothing to read back yet: the run is in the spool
            return CrawlOutcome(0, run_id, None, spooled[-1].removeprefix(SPOOLED_PREFIX).strip())
        return _all_down(run_id, tail) or CrawlOutcome(0, run_id, None)
    elif code < 0:
        reason = f"crawl process died of signal {-code} after {time.monotonic() - started:.0f} s"
    else:
        failed = [line for line in tail if line.startswith("crawl failed:")]
        reason = failed[-1].removeprefix("crawl failed:").strip() if failed else _last_words(tail, code)
    if run_id is not None:
        import storage

        try:
            storage.mark_run(db, run_id, "failed", reason, wait=wait)
        except storage.StorageError as exc:
            reason += f" (and the run could not be marked failed: {exc})"
    return CrawlOutcome(code if code > 0 else 1, run_id, reason)


def _wait(proc: subprocess.Popen[bytes], limit: float) -> None:
    """`proc.wait(limit)` without its polling: Popen sleeps up to 50 ms between checks, so each crawl ended
    on average 25 ms before `xxgk crawl` noticed. A pidfd (Linux 5.3+) wakes us the moment the child exits;
    elsewhere Popen's own wait. Signals interrupt both alike (KeyboardInterrupt, Terminated)."""
    try:
        fd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):
        proc.wait(limit)
        return
    try:
        ready, _, _ = select.select([fd], [], [], limit)
    except (OverflowError, ValueError):  # a timeout past what select takes: Popen's wait handles it
        ready = []
        proc.wait(limit)
    finally:
        os.close(fd)
    if not ready and proc.returncode is None:
        raise subprocess.TimeoutExpired(proc.args, limit)
    proc.wait()


def _all_down(run_id: int | None, tail: deque[str]) -> CrawlOutcome | None:
    """Exit 1 for a finished crawl that read no page of any site, so cron notices; the run stays recorded
    (its sites are judged unreachable from it). The child says so in one line, read from the run's own
    site snapshots as it finished (crawler/__main__.py). None when some site was read."""
    said = [line for line in tail if line.startswith(ALL_DOWN_PREFIX)]
    if not said:
        return None
    try:
        down = json.loads(said[-1].removeprefix(ALL_DOWN_PREFIX))
    except ValueError:
        return None
    names = "; ".join(f"{site} ({error})" if error else site for site, error in down)
    return CrawlOutcome(1, run_id, f"every site failed, no page was read: {names}")


def _stopped(
    proc: subprocess.Popen[bytes],
    db: str,
    relays: list[threading.Thread],
    run_ids: list[int],
    wait: float,
    sig: int,
    why: str,
) -> CrawlOutcome:
    """Pass `sig` on to the crawl, wait for it to write what it fetched, make sure its run is interrupted."""
    while True:
        try:
            _kill(proc, sig)
            break
        except (KeyboardInterrupt, Terminated):  # pressed again: the crawl is already stopping
            continue
    for t in relays:
        t.join(5.0)
    run_id = run_ids[0] if run_ids else None
    if run_id is not None:  # in case it did not get to mark its run itself
        import storage

        try:
            storage.mark_run(
                db, run_id, "interrupted", f"{why}; the crawl process was killed", wait=wait, if_running=True
            )
        except storage.StorageError as exc:
            why += f" (and the run could not be marked interrupted: {exc})"
    what = f"{why}: what was fetched is stored, the run is marked interrupted"
    return CrawlOutcome(128 + sig, run_id, what if run_id is not None else why)


def _last_words(tail: deque[str], code: int) -> str:
    lines = [line for line in tail if line]
    return f"crawl process exited with status {code}" + (f": {lines[-1]}" if lines else "")
