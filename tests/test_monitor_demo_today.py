"""The demo's "today" is the college's (issue 14 §2): `xxgk demo-site` without --as-of serves the college
as of today in [college] timezone, and `xxgk demo --as-of DATE` records its crawl on DATE, whatever the
machine's zone.

The machine runs 12 hours behind UTC and the college 14 hours ahead: their calendar days always differ, so a
host-local date fails these tests at any hour.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from xxgkrun import child_env

from monitor.config import read_config

COLLEGE_ZONE = "Pacific/Kiritimati"  # UTC+14
MACHINE_ZONE = "Etc/GMT+12"  # UTC-12 (POSIX signs are reversed)


def _config(folder: Path) -> Path:
    path = folder / "config.toml"
    path.write_text(
        f'[college]\nname = "示例学院"\ntimezone = "{COLLEGE_ZONE}"\n[storage]\npath = "x.duckdb"\n'
        '[[sites]]\nname = "disclosure"\nkind = "disclosure"\nstart_urls = ["http://127.0.0.2:8000/"]\n',
        encoding="utf-8",
    )
    return path


def test_demo_site_serves_the_college_as_of_its_own_today(tmp_path: Path) -> None:
    config = _config(tmp_path)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "monitor",
            "--config",
            str(config),
            "demo-site",
            "--port",
            "0",
            "--scale",
            "0.05",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env({"TZ": MACHINE_ZONE}),
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        college_today = datetime.now(ZoneInfo(COLLEGE_ZONE)).date()
        assert f"as of {college_today.isoformat()}" in first, (
            first,
            proc.stderr.read() if proc.poll() else "",
        )
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_demo_crawl_is_recorded_on_the_day_it_is_run_as(tmp_path: Path) -> None:
    from monitor.demo_run import observed_at

    saved = os.environ.get("TZ")
    os.environ["TZ"] = MACHINE_ZONE
    try:
        import time

        time.tzset()
        config = read_config(_config(tmp_path))
        college_today = datetime.now(ZoneInfo(COLLEGE_ZONE)).date()
        assert observed_at(config, college_today) is None  # today: the crawl is recorded as made now
        past = college_today - timedelta(days=40)
        when = observed_at(config, past)
        assert when is not None
        moment = datetime.fromisoformat(when)
        assert moment.tzinfo is None  # naive: college time, as `xxgk crawl --observed-at` reads it
        assert moment.date() == past
        assert observed_at(config, date.today()) is not None  # the machine's today is not the college's
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()
