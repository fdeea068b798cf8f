"""Issue 14 §4: a crawl is never discarded because another process held the database for writing.

Real parts throughout: the real `xxgk crawl` (and its crawler child) crawls a loopback college while another
real process holds the DuckDB file open for writing, as an analyst's DuckDB CLI does. A crawl whose end
meets the held file exits 0 with one line saying where its results wait; after the file is free, the next
command (`xxgk report`) writes them, and the database equals that of the same crawl made with nobody
holding the file, nothing doubled however often it is read. A batch due mid-crawl while the file is held is
kept on disk, so even `kill -9` of the crawler then loses none of it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultsite import Column, FaultSite, days_ago
from xxgkrun import SiteConf, child_env, crawl_ok, query, report_json, write_config, xxgk

from storage import spool

pytestmark = pytest.mark.slow

OBSERVED = "2026-03-02T09:00:00"
HOLDER = """
import sys, time
import duckdb
while True:
    try:
        conn = duckdb.connect(sys.argv[1])  # an analyst's DuckDB, open for writing
        break
    except duckdb.IOException:
        time.sleep(0.05)
print("holding", flush=True)
time.sleep(300)
"""


class GatedSite(FaultSite):
    """The fault college with a column whose list page answers only once `gate` is set, and articles that
    can be made to answer slowly: one at a time, `article_delay` seconds each."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.gate = threading.Event()
        self.article_delay = 0.0
        self._one_at_a_time = threading.Lock()

    def render(self, path: str, query: str = "") -> str | None:
        if path == "/gate.htm":
            self.gate.wait(60)
        elif path.startswith("/info/") and self.article_delay:
            with self._one_at_a_time:
                time.sleep(self.article_delay)
        return super().render(path, query)


@pytest.fixture(scope="module")
def site() -> Iterator[GatedSite]:
    news = Column.of_articles("xwdt", "校园新闻动态", [days_ago(d) for d in (1, 3, 50)])
    notices = Column.of_articles("tzgg", "通知公告", [days_ago(d) for d in range(2, 240, 4)])
    gated = Column.of_articles("gate", "规章制度", [days_ago(d) for d in (5, 40)])
    s = GatedSite(("127.0.0.12",), [news, notices, gated])
    s.start()
    try:
        yield s
    finally:
        s.stop()


def _config(folder: Path, site: GatedSite, **crawl: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_config(
        folder,
        [SiteConf("college", [site.url("/")], max_depth=3)],
        storage={"lock_wait": 1.0},
        crawl={"timeout": 30.0, **crawl},
    )


def _crawl(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(config), "crawl", "--observed-at", OBSERVED],
        cwd=config.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )


def _hold(db: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


def _until(check: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _history(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """What the crawl left in the database, without the times of requests."""
    queries = {
        "runs": "SELECT run_id, status, pages, errors, items, observed_at FROM runs ORDER BY run_id",
        "fetches": "SELECT run_id, url, outcome, status, content_hash FROM fetches ORDER BY ALL",
        "bodies": "SELECT content_hash FROM bodies ORDER BY ALL",
        "parses": "SELECT url, content_hash, kind FROM page_parses ORDER BY ALL",
        "rows": "SELECT url, pos, item_url, date_shown FROM page_rows ORDER BY ALL",
        "links": "SELECT count(*) FROM page_links",
        "columns": "SELECT run_id, column_url, name, state, items, newest FROM column_snapshots ORDER BY ALL",
        "items": "SELECT column_url, url, date_shown, first_seen_run, last_seen_run, vanished_run FROM items "
        "ORDER BY ALL",
        "sites": "SELECT run_id, site, pages, pages_ok, pages_failed FROM site_snapshots ORDER BY ALL",
    }
    return {name: query(db, sql) for name, sql in queries.items()}


def _statuses(config: Path) -> list[tuple[str, str, object]]:
    """Each column's url, status and newest date in `xxgk report --format json`."""
    report = report_json(config)
    return sorted((s["url"], s["status"], s.get("newest")) for s in report["sections"] if s.get("url"))


def test_a_crawl_ending_while_an_analyst_holds_the_file_is_written_by_the_next_command(
    tmp_path: Path, site: GatedSite
) -> None:
    site.article_delay = 0.0
    site.gate.set()
    free = _config(tmp_path / "free", site)
    crawl_ok(xxgk(free, "crawl", "--observed-at", OBSERVED))
    expected = _history(free.parent / "data" / "xxgk.duckdb")

    site.gate.clear()
    config = _config(tmp_path / "held", site)
    db = config.parent / "data" / "xxgk.duckdb"
    gate_hits = site.hits[(0, "/gate.htm")]
    crawl = _crawl(config)
    holder = None
    try:
        # the crawl has read its history and is fetching; now an analyst opens the file for writing
        _until(lambda: site.hits[(0, "/gate.htm")] > gate_hits, 60, "the crawl to reach the gated column")
        holder = _hold(db)
        site.gate.set()
        _out, err = crawl.communicate(timeout=180)
        assert crawl.returncode == 0, f"exit {crawl.returncode}\n{err[-4000:]}"
        assert "Traceback" not in err, err[-4000:]
        said = [line for line in err.splitlines() if line.startswith("xxgk crawl:")]
        assert len(said) == 1, err[-4000:]
        files = [p.file for p in spool.pending(str(db))]
        assert files and not any(p.torn for p in spool.pending(str(db)))
        for word in ("busy", "lock_wait", "next"):
            assert word in said[0], said[0]
        assert files[-1] in said[0] or spool.spool_dir(str(db)) in said[0], said[0]
        assert os.path.getsize(files[-1]) > 0
    finally:
        site.gate.set()
        if holder is not None:
            holder.kill()
            holder.wait(30)
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait(30)

    statuses = _statuses(config)  # the next command writes the spool first, then reads
    assert spool.pending(str(db)) == []
    got = _history(db)
    assert got == expected
    assert statuses == _statuses(free)
    assert _history(db) == expected  # read again: nothing doubles
    (message,) = query(db, "SELECT message FROM runs WHERE run_id = 1")[0]
    assert "written late" in message

    # the next crawl builds on it as on any finished crawl
    crawl_ok(xxgk(config, "crawl"))
    runs = query(db, "SELECT run_id, status FROM runs ORDER BY run_id")
    assert runs == [(1, "ok"), (2, "ok")]
    assert query(db, "SELECT count(*) = count(DISTINCT (run_id, url)) FROM fetches") == [(True,)]


def test_a_batch_due_while_the_file_is_held_survives_kill_9_of_the_crawler(
    tmp_path: Path, site: GatedSite
) -> None:
    # the crawl cannot end before the test lets it (the gated column), and articles come slowly: flushes fall
    # due while the file is held
    site.gate.clear()
    site.article_delay = 0.3
    config = _config(tmp_path / "killed", site)
    db = config.parent / "data" / "xxgk.duckdb"
    before = sum(n for (_, path), n in site.hits.items() if path.startswith("/info/"))
    crawl = _crawl(config)
    holder = None
    try:
        _until(
            lambda: sum(n for (_, path), n in site.hits.items() if path.startswith("/info/")) > before,
            60,
            "the crawl to fetch articles",
        )
        holder = _hold(db)
        _until(lambda: spool.pending(str(db)), 60, "a batch to be kept in the spool")
        child = int((db.parent / (db.name + ".crawl.lock")).read_text().strip())
        os.kill(child, signal.SIGKILL)
        crawl.communicate(timeout=60)
        kept = [spool.read(p.file) for p in spool.pending(str(db))]
        assert kept and all(k.end is None for k in kept), [(k.file, k.end) for k in kept]
        fetched = sorted(url for k in kept for url in k.tables["b_fetches"].column("url").to_pylist())
    finally:
        site.article_delay = 0.0
        site.gate.set()
        if holder is not None:
            holder.kill()
            holder.wait(30)
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait(30)

    crawl_ok(xxgk(config, "crawl"))  # opens the file: the killed crawl's batch is written first
    assert spool.pending(str(db)) == []
    stored = sorted(url for (url,) in query(db, "SELECT url FROM fetches WHERE run_id = 1"))
    assert fetched and set(fetched) <= set(stored)
    assert len(stored) == len(set(stored))
    (status,) = query(db, "SELECT status FROM runs WHERE run_id = 1")[0]
    assert status in ("interrupted", "failed")
    assert query(db, "SELECT status FROM runs WHERE run_id = 2") == [("ok",)]
