"""`xxgk status` on a real database: next run times from the config, the last runs with their outcomes,
and the last email sent (monitor/cli/status.py). Missed runs: see test_monitor_scheduler_expressions.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import storage

SH = ZoneInfo("Asia/Shanghai")

CONFIG = """
[storage]
path = "xxgk.duckdb"
[schedule]
crawl = "0 2 * * *"
email = ""
[[sites]]
name = "xxgk"
kind = "disclosure"
start_urls = ["http://127.0.0.2/"]
"""


def xxgk_status(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), "status", "--runs", "5"],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_status_before_any_crawl(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    proc = xxgk_status(config)
    assert proc.returncode == 0, proc.stderr
    assert "crawl  on   '0 2 * * *'" in proc.stdout and " 02:00:00" in proc.stdout
    assert "email  off  (schedule.email is empty)" in proc.stdout
    assert "no database yet" in proc.stdout
    assert not (tmp_path / "xxgk.duckdb").exists()  # status only reads


def test_status_shows_runs_outcomes_and_the_last_email(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    db = str(tmp_path / "xxgk.duckdb")
    three_days_ago = datetime.now(SH) - timedelta(days=3)
    ok = storage.start_run(db, ["xxgk"], observed_at=three_days_ago)
    storage.finish_run(db, ok, [])
    failed = storage.start_run(db, ["xxgk"])
    storage.mark_run(db, failed, "failed", "crawl timed out after 3600 s and was killed")
    storage.record_email_send(
        db, "2026-W11", "office@example.edu.cn", "<id-1@example.edu.cn>", "【信息公开周报】周报"
    )

    proc = xxgk_status(config)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    runs = [line.split() for line in lines if line.startswith("  #")]
    assert [(r[0], r[1]) for r in runs] == [(f"#{failed}", "failed"), (f"#{ok}", "ok")]
    assert "crawl timed out after 3600 s and was killed" in proc.stdout
    assert "next now" not in proc.stdout  # the last crawl started just now: no 02:00 slot was missed since
    assert "2026-W11 to office@example.edu.cn" in proc.stdout and "<id-1@example.edu.cn>" in proc.stdout


def test_every_time_is_the_colleges_and_the_zone_is_named(tmp_path: Path) -> None:
    # the cron expression is reckoned in UTC ([schedule] timezone): 02:00 UTC is 10:00 in Beijing
    config = tmp_path / "config.toml"
    text = CONFIG.replace("[schedule]\n", '[schedule]\ntimezone = "UTC"\n')
    config.write_text('[college]\ntimezone = "Asia/Shanghai"\n' + text, encoding="utf-8")
    db = str(tmp_path / "xxgk.duckdb")
    storage.finish_run(db, storage.start_run(db, ["xxgk"]), [])
    proc = xxgk_status(config)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "schedule (times in Asia/Shanghai; expressions in UTC)"
    crawl = next(x for x in lines if x.startswith("  crawl"))
    assert " 10:00:00 " in crawl + " " and "02:00:00" not in crawl, crawl
    assert any(x.startswith("last runs (") and x.endswith("; times in Asia/Shanghai)") for x in lines), lines
