"""monitor/crawl_runner.py: one crawl per database at a time, as a child process that is killed on timeout.

Real child processes (`python -m crawler`) against a small loopback site whose one slow page keeps a crawl
running for as long as a test needs.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from monitor.config import Config
from monitor.configure import load_config
from monitor.crawl_runner import CrawlOutcome, run_crawl
from storage import open_readonly

pytestmark = pytest.mark.slow

HOST = "127.0.0.24"


class SlowSite:
    """A home page linking to /slow, which answers after `delay` seconds (or when released)."""

    def __init__(self) -> None:
        self.delay = 0.0
        self.release = threading.Event()
        self.slow_started = threading.Event()
        self.server = ThreadingHTTPServer((HOST, 0), _Handler)
        self.server.daemon_threads = True
        self.server.site = self  # type: ignore[attr-defined]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}/"

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        site: SlowSite = self.server.site  # type: ignore[attr-defined]
        if self.path == "/slow":
            site.slow_started.set()
            site.release.wait(site.delay)
            body = "<html><body><h1>慢页面</h1><p>内容</p></body></html>"
        elif self.path == "/":
            body = '<html><body><a href="/slow">慢页面</a></body></html>'
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def site() -> Iterator[SlowSite]:
    s = SlowSite()
    yield s
    s.stop()


def make_config(tmp_path: Path, site: SlowSite) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(
        f"""[college]
name = "测试学院"
[storage]
path = "data/x.duckdb"
[crawl]
timeout = 60
autothrottle = false
obey_robots = false
[[sites]]
name = "slow"
kind = "disclosure"
start_urls = ["{site.url}"]
""",
        encoding="utf-8",
    )
    return load_config(path)


def runs(config: Config) -> list[tuple]:
    with open_readonly(str(config.db_path)) as conn:
        return conn.execute("SELECT run_id, status, message FROM runs ORDER BY run_id").fetchall()


def test_a_crawl_runs_and_reports_its_run(tmp_path: Path, site: SlowSite) -> None:
    config = make_config(tmp_path, site)
    outcome = run_crawl(config, None, timeout=120, progress="off")
    assert outcome == CrawlOutcome(0, 1, None)
    assert runs(config) == [(1, "ok", None)]
    assert not Path(str(config.db_path) + ".crawl.lock").read_text(), "the lock file still names a holder"


def test_a_second_crawl_is_refused_while_one_runs_and_waits_with_wait_lock(
    tmp_path: Path, site: SlowSite
) -> None:
    config = make_config(tmp_path, site)
    site.delay = 60.0
    first: list[CrawlOutcome] = []
    t1 = threading.Thread(target=lambda: first.append(run_crawl(config, None, timeout=120, progress="off")))
    t1.start()
    try:
        assert site.slow_started.wait(60), "the first crawl never reached the slow page"
        refused = run_crawl(config, None, timeout=120, progress="off")
        assert refused.returncode != 0 and refused.run_id is None
        assert re.fullmatch(
            rf"another crawl is running on {re.escape(str(config.db_path))} \(pid \d+\)", refused.reason or ""
        )

        waited: list[CrawlOutcome] = []
        t2 = threading.Thread(
            target=lambda: waited.append(run_crawl(config, None, timeout=120, wait_lock=True, progress="off"))
        )
        t2.start()
        t2.join(1.0)
        assert t2.is_alive(), "the waiting crawl did not wait for the lock"
    finally:
        site.release.set()  # the slow page answers: the first crawl ends and frees the lock
    t1.join(120)
    t2.join(120)
    assert first == [CrawlOutcome(0, 1, None)]
    assert waited == [CrawlOutcome(0, 2, None)]
    assert [(r, s) for r, s, _ in runs(config)] == [(1, "ok"), (2, "ok")]


def test_a_crawl_over_its_time_is_killed_and_recorded_failed(tmp_path: Path, site: SlowSite) -> None:
    config = make_config(tmp_path, site)
    site.delay = 120.0
    started = time.monotonic()
    outcome = run_crawl(config, None, timeout=3, progress="off")
    assert outcome.returncode != 0
    assert outcome.run_id == 1
    assert outcome.reason == "crawl timed out after 3 s and was killed"
    assert runs(config) == [(1, "failed", "crawl timed out after 3 s and was killed")]
    assert time.monotonic() - started < 100, "the child was not killed"  # generous: only catches a hang


def test_a_crawl_that_cannot_open_its_database_fails_with_the_reason(tmp_path: Path, site: SlowSite) -> None:
    config = make_config(tmp_path, site)
    (tmp_path / "data" / "x.duckdb").mkdir(parents=True)  # a folder where the database file should be
    outcome = run_crawl(config, None, timeout=120, progress="off")
    assert outcome.returncode == 1 and outcome.run_id is None
    assert outcome.reason and "x.duckdb" in outcome.reason
