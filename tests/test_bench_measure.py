"""Measuring a child process: exit code, output, and the peak memory of it and of its own children."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.measure import db_bytes, rate, ratio, run_child

ALLOC = "b = bytearray({mb} * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"


def test_exit_code_and_output_are_captured() -> None:
    run = run_child(
        [sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"]
    )
    assert run.returncode == 3 and not run.ok
    assert run.stdout.strip() == "out" and run.stderr.strip() == "err"
    assert "exited 3" in run.failure()


def test_peak_memory_includes_a_grandchild_the_child_waited_for() -> None:
    inner = ALLOC.format(mb=150)
    code = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {inner!r}], check=True)"
    run = run_child([sys.executable, "-c", code])
    assert run.ok, run.stderr
    assert run.peak_rss_mb >= 150  # the grandchild's, not the small parent's


def test_a_child_over_its_time_is_killed() -> None:
    run = run_child([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert run.returncode != 0


def test_db_bytes_counts_the_file_and_its_wal(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    assert db_bytes(db) == 0
    db.write_bytes(b"a" * 100)
    Path(f"{db}.wal").write_bytes(b"b" * 20)
    assert db_bytes(db) == 120


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [(1.0, 2.0, 0.5), (3, 0, None), (None, 2.0, None), (2.0, None, None)],
)
def test_ratio_and_rate(num: float | None, den: float | None, expected: float | None) -> None:
    assert ratio(num, den) == expected
    assert rate(num, den) == expected
