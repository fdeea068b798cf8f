"""Issue 9, point 3: kill -9 of a crawl at random moments, repeated — the database survives, nothing
half-written counts, and the next crawl completes.

A real `xxgk crawl` (the monitor process and its `python -m crawler` child) crawls a loopback college made
slow on purpose, and both are killed with SIGKILL after a seeded random delay, five times. While those doomed
crawls run, the site shows extra "ghost" items and a ghost column; before the last crawl they disappear, so
anything a killed run managed to write that the report then counts would show up in the report.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultsite import Column, FaultSite, Row, days_ago
from xxgkrun import SiteConf, child_env, crawl_ok, query, report_json, write_config, xxgk

import storage

pytestmark = pytest.mark.slow

SEED = 20260907
ROUNDS = 5
SITE = "college"
DERIVED = (
    "column_snapshots",
    "site_snapshots",
)  # written only by finish_run, in the transaction marking 'ok'


def _college() -> FaultSite:
    news = Column.of_articles("xwdt", "校园新闻动态", [days_ago(d) for d in (4, 8, 20)])
    # Eight slow pages, each a list page of its own: they keep every crawl busy for a few seconds.
    slow = Column(
        "mbgk",
        "慢速公开目录",
        [Row(f"慢速目录{i}", f"/slow?seconds=0.7&k={i}", days_ago(30 + i)) for i in range(8)],
    )
    return FaultSite(("127.0.0.6",), [news, slow], name="强杀测试学院")


def _haunt(site: FaultSite, on: bool) -> None:
    """Show (or hide) ghost content: two newer items in the news column and a column of their own."""
    news = site.column("xwdt")
    news.rows = [r for r in news.rows if not r.title.startswith("幽灵")]
    site.columns = [c for c in site.columns if c.slug != "ghost"]
    if on:
        news.rows[:0] = [Row(f"幽灵新闻{i}", f"/info/xwdt/ghost{i}.htm", days_ago(i)) for i in (0, 1)]
        site.columns.append(Column.of_articles("ghost", "幽灵栏目", [days_ago(2), days_ago(3)]))


@pytest.fixture
def college(tmp_path: Path) -> Iterator[tuple[FaultSite, Path]]:
    with _college() as site:
        config = write_config(
            tmp_path, [SiteConf(SITE, [site.url("/")], max_depth=2)], crawl={"concurrency_per_host": 2}
        )
        yield site, config


def _start(config: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(config), "crawl"],
        cwd=config.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_env(),
        start_new_session=True,
    )


def _until_first_request(site: FaultSite, proc: subprocess.Popen[bytes]) -> float:
    """Wait until the crawl sends its first request to the site; return that moment (time.monotonic)."""
    before = sum(site.hits.values())
    deadline = time.monotonic() + 120
    while sum(site.hits.values()) == before:
        assert proc.poll() is None, f"the crawl ended ({proc.returncode}) before requesting anything"
        assert time.monotonic() < deadline, "the crawl never requested anything"
        time.sleep(0.02)
    return time.monotonic()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _kill_tree(pid: int) -> None:
    """SIGKILL a process and all its descendants at one moment (the crawler child runs in a group of its own).

    Each is stopped first, so that none can react (mark its run, start a child) before all are killed.
    """
    found: list[int] = []
    todo = [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, signal.SIGSTOP)
            found.append(p)
            todo.extend(_children(p))
    for p in found:
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, signal.SIGKILL)


def _check_database(db: Path) -> dict[int, str]:
    """Open the file the way analysts do, read every table, and check no unfinished run left derived rows."""
    with storage.open_readonly(str(db)) as conn:
        tables = [
            t for (t,) in conn.execute("SELECT table_name FROM duckdb_tables() WHERE NOT internal").fetchall()
        ]
        assert {"runs", "fetches", *DERIVED, "items"} <= set(tables)
        for table in tables:
            conn.execute(f'SELECT count(*) FROM "{table}"').fetchall()
        runs: dict[int, str] = dict(conn.execute("SELECT run_id, status FROM runs").fetchall())
        derived = {
            t: dict(conn.execute(f"SELECT run_id, count(*) FROM {t} GROUP BY run_id").fetchall())
            for t in DERIVED
        }
        touched = {
            r
            for row in conn.execute(
                "SELECT first_seen_run, last_seen_run, vanished_run FROM items"
            ).fetchall()
            for r in row
            if r is not None
        }
    for run_id, status in runs.items():
        if status == "ok":
            assert derived["site_snapshots"].get(run_id), (
                f"run {run_id} counts as ok without its site snapshot"
            )
        else:
            rows = {t: derived[t].get(run_id, 0) for t in DERIVED}
            assert rows == {t: 0 for t in DERIVED} and run_id not in touched, (
                f"run {run_id} is {status!r}, yet derived tables hold its rows: {rows}, "
                f"items: {run_id in touched}"
            )
    return runs


def test_kill_9_at_random_moments(college: tuple[FaultSite, Path]) -> None:
    site, config = college
    db = config.parent / "data" / "xxgk.duckdb"
    proc = _start(config)
    span = _until_first_request(site, proc)
    assert proc.wait(timeout=240) == 0
    span = time.monotonic() - span  # how long a crawl takes here, from its first request to its end
    baseline = {
        s["url"]: s for s in report_json(config)["sections"] if s.get("site") == SITE and s.get("url")
    }
    assert baseline, "the first crawl found no column"

    rnd = random.Random(SEED)
    _haunt(site, True)
    killed: list[int] = []
    seen = set(_check_database(db))
    for _ in range(ROUNDS):
        proc = _start(config)
        _until_first_request(site, proc)  # its run is open by then
        time.sleep(rnd.uniform(0.0, 0.9) * span)
        finished_before_kill = proc.poll() is not None
        if not finished_before_kill:
            _kill_tree(proc.pid)
        proc.wait(timeout=30)
        runs = _check_database(db)  # opens every time, and is consistent every time
        new = sorted(set(runs) - seen)
        seen |= set(new)
        assert len(new) <= 1
        if new and not finished_before_kill:
            killed.append(new[0])
            assert runs[new[0]] in ("running", "ok"), f"killed run {new[0]} ended {runs[new[0]]!r}"
        if finished_before_kill:
            assert proc.returncode == 0 and all(runs[r] == "ok" for r in new)

    _haunt(site, False)
    final = xxgk(config, "crawl")
    crawl_ok(final)
    runs = _check_database(db)
    last = max(runs)
    assert runs[last] == "ok"
    assert [r for r, s in runs.items() if s == "running"] == [], (
        "a run is left 'running' after the next crawl"
    )
    interrupted = [r for r in killed if runs[r] == "interrupted"]
    assert set(interrupted) | {r for r in killed if runs[r] == "ok"} == set(killed)
    assert len(interrupted) >= 2, f"only {len(interrupted)} of {ROUNDS} kills hit a running crawl: {runs}"

    report = report_json(config)
    ours = {s["url"]: s for s in report["sections"] if s.get("site") == SITE and s.get("url")}
    if all(runs[r] != "ok" for r in killed):
        # Nothing a killed run wrote may count: the report is the one of the complete crawls.
        assert not any(s["name"] == "幽灵栏目" for s in ours.values()), "a killed run's column is reported"
        assert set(ours) == set(baseline)
        for url, before in baseline.items():
            for key in ("status", "items", "last_published"):
                assert ours[url][key] == before[key], f"{url} {key}: {before[key]!r} -> {ours[url][key]!r}"
    ghost_items = query(db, "SELECT count(*) FROM items WHERE title LIKE '幽灵%' AND vanished_run IS NULL")[
        0
    ][0]
    if all(runs[r] != "ok" for r in killed):
        assert ghost_items == 0, "items seen only by killed runs are in the items table"


def test_crawler_child_killed_alone_is_recorded_failed(college: tuple[FaultSite, Path]) -> None:
    """The crawler child dies (OOM killer, kill -9) under `xxgk crawl`: a clear line, exit 1, run failed."""
    site, config = college
    db = config.parent / "data" / "xxgk.duckdb"
    proc: subprocess.Popen[str] = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(config), "crawl"],
        cwd=config.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (sum(site.hits.values()) >= 3 and _children(proc.pid)):
            assert proc.poll() is None and time.monotonic() < deadline, "the crawl never got going"
            time.sleep(0.05)
        time.sleep(random.Random(SEED).uniform(0.0, 0.5))
        for child in _children(proc.pid):
            os.kill(child, signal.SIGKILL)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            _kill_tree(proc.pid)
            proc.wait()
    assert proc.returncode not in (0, None)
    last_line = err.strip().splitlines()[-1]
    assert last_line.startswith("xxgk crawl:"), f"no clear last line from xxgk crawl: {err[-2000:]}"
    assert "Traceback" not in err.split("xxgk crawl:")[-1]
    runs = _check_database(db)
    (run_id,) = runs
    status, message = query(db, "SELECT status, message FROM runs WHERE run_id = ?", [run_id])[0]
    assert status == "failed" and message, (status, message)
    assert "9" in message or "kill" in message.lower() or "signal" in message.lower(), message
    crawl_ok(xxgk(config, "crawl"))
    assert query(db, "SELECT status FROM runs ORDER BY run_id") == [("failed",), ("ok",)]
