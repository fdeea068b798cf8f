"""Pieces of the experiments: a crawl's time less start-up (its output, or the runs table), best of runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.measure import ChildRun
from bench.runs import fastest, recorded_seconds, scrapy_seconds


def child(stdout: str = "", stderr: str = "", code: int = 0) -> ChildRun:
    return ChildRun(("x",), code, 10.0, 100.0, 5.0, stdout, stderr)


@pytest.mark.parametrize(
    ("stdout", "stderr", "expected"),
    [
        (
            "",
            " 'elapsed_time_seconds': 35.757632936,\n 'finish_reason': 'finished',",
            35.757632936,
        ),  # stats dump
        ('{"pages": 3, "elapsed_time_seconds": 2.5}', "", 2.5),  # the baseline's JSON line
        ("", "crawl failed: disk full", None),
    ],
)
def test_scrapy_seconds(stdout: str, stderr: str, expected: float | None) -> None:
    assert scrapy_seconds(child(stdout, stderr)) == expected


def test_fastest_prefers_successful_runs_and_keeps_every_time() -> None:
    runs = [
        {"returncode": 1, "seconds": 1.0},
        {"returncode": 0, "seconds": 9.0},
        {"returncode": 0, "seconds": 7.0},
    ]
    best = fastest(runs)
    assert best["seconds"] == 7.0 and best["runs_seconds"] == [1.0, 9.0, 7.0]


def test_recorded_seconds_is_the_latest_runs_span_in_storage(tmp_path: Path) -> None:
    import storage

    db = tmp_path / "x.duckdb"
    assert recorded_seconds(db) is None  # no database yet
    run_id = storage.start_run(str(db), ["a"])
    assert recorded_seconds(db) is None  # still running
    storage.mark_run(str(db), run_id, "failed", "test")
    seconds = recorded_seconds(db)
    assert seconds is not None and 0 <= seconds < 60
