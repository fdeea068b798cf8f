"""Issue 7, as it is run: `xxgk schedule` as a real child process with a schedule of seconds, against a
loopback college and a loopback SMTP server (monitor/scheduler/daemon.py, jobs.py, and the `xxgk schedule`
command).

One test, three crawls and some emails: the first crawl is made to crash (its process is killed mid-crawl)
and must be recorded failed with the next crawl running anyway; crawls never overlap (their start and end
times in the database); the weekly email reaches the SMTP server; SIGTERM during a crawl that hangs ends the
daemon with exit 0 within its bound, and no run is left 'running'."""

from __future__ import annotations

import itertools
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from crawlsite import DEPT, MAIN, Answer, CrawlSite
from mailsink import smtp_server
from xxgkrun import SiteConf, write_config

import monitor.scheduler.daemon as daemon_module
import storage
from monitor.configure import load_config
from monitor.scheduler.children import child_pids
from monitor.scheduler.daemon import Daemon
from monitor.scheduler.logformat import ZoneFormatter
from monitor.scheduler.timetable import LastRuns

ROOT = Path(__file__).resolve().parents[1]


class HangingSite(CrawlSite):
    """The crawl site, whose home page can be made to hang (to catch a crawl in the middle)."""

    def __init__(self) -> None:
        super().__init__()
        self.hang = threading.Event()
        self.entered = threading.Event()
        self.release = threading.Event()

    def answer(self, host: str, method: str, target: str) -> Answer:
        if host == MAIN and target == "/" and self.hang.is_set():
            self.entered.set()
            self.release.wait(30)
        return super().answer(host, method, target)

    def start(self) -> HangingSite:
        super().start()
        return self

    def catch_a_crawl(self, timeout: float = 60) -> None:
        self.release.clear()
        self.entered.clear()
        self.hang.set()
        assert self.entered.wait(timeout), "no crawl reached the site"

    def let_go(self) -> None:
        self.hang.clear()
        self.release.set()


def wait_for(what: str, check: Callable[[], bool], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def runs(db: Path) -> list[storage.RunFacts]:
    if not db.exists():
        return []
    with storage.open_readonly(str(db)) as conn:
        return list(reversed(storage.runs_summary(conn, limit=100)))


@pytest.mark.slow
def test_schedule_crawls_emails_survives_a_crash_and_stops_on_sigterm(tmp_path: Path) -> None:
    site = HangingSite().start()
    try:
        with smtp_server() as smtp:
            config = write_config(
                tmp_path,
                [
                    SiteConf(
                        "main", [site.url(MAIN, "/")], allowed_hosts=[site.netloc(MAIN), site.netloc(DEPT)]
                    )
                ],
                extra=f"""
[schedule]
crawl = "every 3s"
email = "every 4s"
stop_timeout = 1
[email]
smtp_host = "127.0.0.1"
smtp_port = {smtp.port}
security = "none"
sender = "xxgk@example.edu.cn"
to = ["office@example.edu.cn"]
retry_delay = 0.1
""",
            )
            db = tmp_path / "data" / "xxgk.duckdb"
            (tmp_path / "data").mkdir()
            log = (tmp_path / "schedule.log").open("w+", encoding="utf-8")
            daemon = subprocess.Popen(
                [sys.executable, "-m", "monitor", "--config", str(config), "schedule"],
                cwd=tmp_path,  # as under systemd: not the source tree; PYTHONPATH names the code under test
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                # 1. the first crawl crashes: its process is killed in the middle of the crawl
                site.catch_a_crawl()
                (crawler,) = child_pids(daemon.pid)
                os.kill(crawler, signal.SIGKILL)
                site.let_go()
                # 2. the daemon carries on: more crawls, and the weekly email
                wait_for("a finished crawl", lambda: any(r.status == "ok" for r in runs(db)))
                wait_for("the weekly email", lambda: len(smtp.sink.messages) >= 1)
                # 3. SIGTERM while a crawl hangs: interrupted within the bound, exit 0
                site.catch_a_crawl()
                daemon.send_signal(signal.SIGTERM)
                code = daemon.wait(30)
            finally:
                site.let_go()
                if daemon.poll() is None:
                    daemon.kill()
                    daemon.wait()
            log.seek(0)
            output = log.read()
    finally:
        site.stop()

    assert code == 0, output[-4000:]
    history = runs(db)
    statuses = [r.status for r in history]
    assert "running" not in statuses, statuses
    crashed, *rest = history
    assert crashed.status == "failed" and "signal 9" in (crashed.message or ""), crashed
    assert rest[0].status == "ok"  # the next crawl ran
    assert (
        history[-1].status == "failed" and history[-1].finished_at is not None
    )  # the one SIGTERM interrupted
    for before, after in itertools.pairwise(history):
        assert before.finished_at is not None and before.finished_at <= after.started_at, (before, after)

    (message, *_) = smtp.sink.messages
    assert message.rcpt_tos == ["office@example.edu.cn"]
    assert message.message["Subject"].startswith("【信息公开周报】")
    with storage.open_readonly(str(db)) as conn:
        sent = storage.last_email(conn)
    assert sent is not None and sent.recipient == "office@example.edu.cn"
    assert len(smtp.sink.messages) == 1, "the same week is sent once"

    assert "crawl: on, 'every 3s'" in output and "email: on, 'every 4s'" in output
    # every line stamped in college time, the zone named (the default [college] timezone)
    stamped = [x for x in output.splitlines() if " xxgk." in x]
    assert stamped and all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia/Shanghai ", x) for x in stamped)
    assert "crawl: next run" in output and "SIGTERM received" in output
    assert "Traceback" not in output, output[-4000:]


def _due(daemon: Daemon, now: datetime) -> dict[str, datetime]:
    scheduler, _ = daemon.build(now)
    scheduler.start(paused=True)
    try:
        return {job.id: job.next_run_time for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)


def test_runs_missed_while_down_are_run_once_at_start_crawl_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The in-memory job store forgets everything: the last runs in the database decide what is due."""
    config_path = tmp_path / "config.toml"
    config_path.write_text(
        '[schedule]\ncrawl = "0 2 * * *"\nemail = "0 8 * * 1"\n'
        '[email]\nsender = "x@example.edu.cn"\nto = ["o@example.edu.cn"]\n'
        '[[sites]]\nname = "a"\nkind = "portal"\nstart_urls = ["http://127.0.0.2/"]\n',
        encoding="utf-8",
    )
    daemon = Daemon(load_config(config_path))
    now = datetime.now(daemon.tz)

    # off for days: several 02:00 crawls and a Monday email were missed; each runs once now, the crawl first
    last = LastRuns(crawl=now - timedelta(days=3), email=now - timedelta(days=9))
    monkeypatch.setattr(daemon_module, "last_runs", lambda config: last)
    due = _due(daemon, now)
    assert due["crawl"] == now and now < due["email"] <= now + timedelta(seconds=2)

    # both ran a minute ago: nothing is due, the next slots are the next 02:00 and the next Monday 08:00
    last = LastRuns(crawl=now - timedelta(minutes=1), email=now - timedelta(minutes=1))
    due = _due(daemon, now)
    crawl = now.replace(hour=2, minute=0, second=0, microsecond=0)
    crawl += timedelta(days=1) if crawl <= now else timedelta(0)
    email = now.replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=-now.weekday() % 7)
    email += timedelta(days=7) if email <= now else timedelta(0)
    assert due == {"crawl": crawl, "email": email}


def test_log_lines_are_stamped_in_the_college_zone_named() -> None:
    record = logging.LogRecord("xxgk.scheduler", logging.INFO, __file__, 1, "crawl: next run", None, None)
    record.created = datetime(2026, 12, 2, 18, 0, 5, tzinfo=UTC).timestamp()  # 02:00:05 next day in Beijing
    assert ZoneFormatter("Asia/Shanghai").format(record) == (
        "2026-12-03 02:00:05 Asia/Shanghai INFO xxgk.scheduler: crawl: next run"
    )
    assert ZoneFormatter("Asia/Urumqi").format(record).startswith("2026-12-03 00:00:05 Asia/Urumqi ")
    assert daemon_module._when(datetime(2026, 12, 2, 18, 0, tzinfo=UTC), "Asia/Shanghai") == (
        "2026-12-03 02:00:00 Asia/Shanghai"
    )
