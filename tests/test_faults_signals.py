"""Issue 14, point 3: stopping `xxgk crawl` stops the crawl.

A real `xxgk crawl` (the monitor process and its `python -m crawler` child, which runs in a session of its
own) crawls a loopback college whose list pages answer slowly, so that requests are in flight when the crawl
is stopped:

- `kill -9` of the `xxgk crawl` process alone: the crawler child must end too (it would otherwise go on
  holding the crawl lock, and the next crawl would be refused), the run ends `interrupted`, the next crawl
  runs;
- Ctrl-C at a terminal (SIGINT to the foreground process group) and SIGTERM: the crawl stops promptly
  (in-flight requests are not waited for), what was fetched is written, the run is `interrupted` with
  `runs.pages` counting the pages fetched (issue 19, section 4), and `xxgk crawl` exits 130 / 143 with one
  clear line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultsite import Column, FaultSite, Row, days_ago
from xxgkrun import SiteConf, child_env, crawl_ok, query, write_config, xxgk

from storage.runs import pid_alive

pytestmark = pytest.mark.slow

SITE = "college"
SLOW_SECONDS = 40.0  # each slow list page takes this long to arrive: far longer than a prompt stop
PROMPT = 12.0  # seconds within which a stopped crawl must have ended, everything written


def _slow_rows(seconds: float) -> list[Row]:
    return [Row(f"慢速目录{i}", f"/slow?seconds={seconds:g}&k={i}", days_ago(30 + i)) for i in range(4)]


@pytest.fixture
def college(tmp_path: Path) -> Iterator[tuple[FaultSite, Path]]:
    news = Column.of_articles("xwdt", "校园新闻动态", [days_ago(d) for d in (4, 8, 20)])
    slow = Column("mbgk", "慢速公开目录", _slow_rows(SLOW_SECONDS))
    with FaultSite(("127.0.0.7",), [news, slow], name="信号测试学院") as site:
        config = write_config(
            tmp_path,
            [SiteConf(SITE, [site.url("/")], max_depth=3)],
            crawl={"timeout": SLOW_SECONDS + 20, "concurrency_per_host": 8},
        )
        yield site, config


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _start(config: Path) -> subprocess.Popen[str]:
    """`xxgk crawl` as a terminal would run it: the leader of its own (foreground) process group."""
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(config), "crawl"],
        cwd=config.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        start_new_session=True,
    )


def _until_slow_pages_in_flight(site: FaultSite, proc: subprocess.Popen[str]) -> int:
    """Wait until the crawl fetched the quick pages and asked for every slow one; return the child's pid."""
    deadline = time.monotonic() + 90
    while True:
        slow = sum(n for (_, path), n in site.hits.items() if path.startswith("/slow"))
        quick = sum(n for (_, path), n in site.hits.items() if path.startswith("/info/"))
        children = _children(proc.pid)
        if slow >= 4 and quick >= 3 and children:
            time.sleep(1.0)  # a flush or two: the quick pages' fetches are buffered or written by now
            return children[0]
        assert proc.poll() is None, f"the crawl ended ({proc.returncode}) early:\n{proc.communicate()[1]}"
        assert time.monotonic() < deadline, f"the crawl never got to the slow pages: {dict(site.hits)}"
        time.sleep(0.05)


def _ends_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@contextlib.contextmanager
def _cleanup(proc: subprocess.Popen[str], child: list[int]) -> Iterator[None]:
    """Whatever the test asserts, leave no crawl of it running."""
    try:
        yield
    finally:
        for pid in [proc.pid, *child]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            proc.communicate(timeout=10)


def _quicken(site: FaultSite) -> None:
    site.column("mbgk").rows = _slow_rows(0.2)


def _assert_interrupted_with_its_pages(db: Path, run_id: int) -> None:
    status, pages, errors, message = query(
        db, "SELECT status, pages, errors, message FROM runs WHERE run_id = ?", [run_id]
    )[0]
    assert status == "interrupted", (status, message)
    assert message, "an interrupted run says why"
    fetched = query(db, "SELECT count(*) FROM fetches WHERE run_id = ? AND role = 'page'", [run_id])[0][0]
    assert fetched >= 5, f"what was fetched before the stop was not written: {fetched} page fetches"
    assert pages == fetched, f"runs.pages is {pages}, but the run fetched {fetched} pages"
    assert errors == 0
    derived = query(db, "SELECT count(*) FROM column_snapshots WHERE run_id = ?", [run_id])[0][0]
    assert derived == 0, "an interrupted run has column snapshots: it would be judged"


def test_kill_9_of_xxgk_crawl_ends_its_crawler_and_the_next_crawl_runs(
    college: tuple[FaultSite, Path],
) -> None:
    site, config = college
    db = config.parent / "data" / "xxgk.duckdb"
    proc = _start(config)
    child: list[int] = []
    with _cleanup(proc, child):
        child.append(_until_slow_pages_in_flight(site, proc))
        os.kill(proc.pid, signal.SIGKILL)  # the parent only: the crawler runs in a session of its own
        proc.wait(10)
        assert _ends_within(child[0], PROMPT), (
            f"the crawler child {child[0]} is still running {PROMPT:g} s after its xxgk crawl was killed"
        )
    _quicken(site)
    nxt = xxgk(config, "crawl")  # not --wait: the lock must be free
    crawl_ok(nxt)
    runs = query(db, "SELECT run_id, status FROM runs ORDER BY run_id")
    assert [s for _, s in runs] == ["interrupted", "ok"], runs
    _assert_interrupted_with_its_pages(db, runs[0][0])


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_stop_the_crawl_promptly_and_keep_what_was_fetched(
    college: tuple[FaultSite, Path], signum: signal.Signals, code: int
) -> None:
    site, config = college
    db = config.parent / "data" / "xxgk.duckdb"
    proc = _start(config)
    child: list[int] = []
    with _cleanup(proc, child):
        child.append(_until_slow_pages_in_flight(site, proc))
        stopped = time.monotonic()
        # Ctrl-C at a terminal signals the foreground process group: xxgk crawl, not the crawler's session
        os.killpg(proc.pid, signum)
        try:
            _out, err = proc.communicate(timeout=PROMPT + 20)
        except subprocess.TimeoutExpired:
            pytest.fail(f"xxgk crawl did not end {PROMPT + 20:g} s after {signum.name}")
        took = time.monotonic() - stopped
        assert _ends_within(child[0], 2.0), "the crawler child outlived its xxgk crawl"
    assert proc.returncode == code, f"exit {proc.returncode}, expected {code}:\n{err[-3000:]}"
    assert took < PROMPT, f"{signum.name}: the crawl took {took:.1f} s to stop (in-flight requests awaited?)"
    assert "Traceback" not in err, err[-3000:]
    last = err.strip().splitlines()[-1]
    assert last.startswith("xxgk crawl:") and "interrupted" in last, f"no clear last line: {err[-2000:]}"
    (run_id,) = [r for (r,) in query(db, "SELECT run_id FROM runs")]
    _assert_interrupted_with_its_pages(db, run_id)
    _quicken(site)
    crawl_ok(xxgk(config, "crawl"))
    assert [s for (s,) in query(db, "SELECT status FROM runs ORDER BY run_id")] == ["interrupted", "ok"]
