"""Measuring one child process: wall time, peak resident memory, exit code, output; and database size on disk.

Why `os.wait4`: it returns the resource usage of exactly the child it reaps, and Linux's `ru_maxrss` there is
the largest resident set of that child and every descendant it waited for (so `xxgk crawl`, which runs
`python -m crawler` as its own child, reports the crawler's peak). `getrusage(RUSAGE_CHILDREN)` would instead
give the largest child of the whole benchmark so far.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ChildRun:
    """What one child process cost."""

    argv: tuple[str, ...]
    returncode: int
    seconds: float  # wall time from start to exit
    peak_rss_mb: float  # largest resident set of the child or any descendant it waited for
    cpu_seconds: float  # user + system time of the child and its waited-for descendants
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def failure(self) -> str:
        """One line saying how it failed (for the table and results.json)."""
        tail = (self.stderr.strip() or self.stdout.strip()).splitlines()[-3:]
        return f"`{' '.join(self.argv[:4])} ...` exited {self.returncode}: {' | '.join(tail)}"


def run_child(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float = 3600.0,
) -> ChildRun:
    """Run `argv` to completion, capturing output to temp files (no pipe can fill and stall it)."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}-{time.monotonic_ns()}"
    with open(f"{out_path}.out", "w+b") as out, open(f"{out_path}.err", "w+b") as err:
        start = time.monotonic()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True)
        deadline = start + timeout
        try:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid == proc.pid:
                    break
                if time.monotonic() > deadline:
                    os.killpg(proc.pid, signal.SIGKILL)
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.01)
        except BaseException:  # interrupted: the child's whole process group goes with us
            os.killpg(proc.pid, signal.SIGKILL)
            os.wait4(proc.pid, 0)
            raise
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting again
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    for suffix in (".out", ".err"):
        Path(f"{out_path}{suffix}").unlink(missing_ok=True)
    return ChildRun(
        tuple(argv),
        proc.returncode,
        seconds,
        usage.ru_maxrss / 1024.0,
        usage.ru_utime + usage.ru_stime,
        stdout,
        stderr,
    )


def db_bytes(path: str | Path) -> int:
    """Bytes on disk of a DuckDB file and its write-ahead log."""
    total = 0
    for p in (Path(path), Path(f"{path}.wal")):
        if p.exists():
            total += p.stat().st_size
    return total


def db_used_bytes(path: str | Path) -> int | None:
    """Bytes in the blocks DuckDB uses (free blocks, which later writes reuse, left out); None if unreadable.

    The file grows in 256 KiB blocks and keeps freed blocks for reuse, so on a small database one recrawl can
    add a few blocks that the next ones reuse: this figure tells that apart from real growth."""
    if not Path(path).exists():
        return None
    try:
        import duckdb

        with duckdb.connect(str(path), read_only=True) as con:
            row = con.execute("SELECT used_blocks, block_size FROM pragma_database_size()").fetchone()
    except Exception:  # locked, or a format this duckdb cannot read: the file size still stands
        return None
    return int(row[0]) * int(row[1]) if row else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator ÷ denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def rate(count: float | None, seconds: float | None) -> float | None:
    """count per second, or None."""
    return ratio(count, seconds)
