"""The report says when the latest crawl did not finish and which run it judged (issue 19 §4).

Real DuckDB files written through storage; the real `xxgk report` in a child process. Crawls at 02:00
Beijing time (18:00 UTC the evening before).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from judgedb import column, config_text, crawl

import storage
from storage.records import FetchRecord

SITES = [("disclosure", "disclosure", "党政办"), ("jwc", "department", "教务处")]
DAY1 = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # 2026-12-01 02:00 Beijing
DAY2 = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # 2026-12-02 02:00 Beijing
DAY3 = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)  # 2026-12-03 02:00 Beijing


def _columns(site: str) -> list:
    return [column(site, "tzgg", "通知公告", items=[("通知", datetime(2026, 11, 28).date())])]


def _unfinished(db: str, at: datetime, status: str) -> int:
    """A crawl that fetched a page and then ended `status` (interrupted / failed) without finishing."""
    run = storage.start_run(db, ["disclosure", "jwc"], observed_at=at)
    writer = storage.RunWriter(db, run)
    writer.add_fetch(FetchRecord("disclosure", "http://disclosure.test/", at, "ok", 200))
    writer.flush()
    storage.mark_run(db, run, status, "stopped by SIGTERM")
    return run


def _report(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "monitor", "--config", str(folder / "config.toml"), "report", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _college(tmp_path: Path) -> str:
    email = '[email]\nsender = "xxgk@example.edu.cn"\nto = ["office@example.edu.cn"]\n'
    (tmp_path / "config.toml").write_text(config_text("c.duckdb", SITES, email), encoding="utf-8")
    return str(tmp_path / "c.duckdb")


def test_an_interrupted_latest_crawl_is_said_with_the_run_judged(tmp_path: Path) -> None:
    db = _college(tmp_path)
    crawl(db, DAY1, {s: _columns(s) for s, _, _ in SITES})  # run 1
    crawl(db, DAY2, {s: _columns(s) for s, _, _ in SITES})  # run 2
    assert _unfinished(db, DAY3, "interrupted") == 3
    text = _report(tmp_path, "--as-of", "2026-12-03")
    assert text.returncode == 0, text.stderr
    note = next(x for x in text.stdout.splitlines() if x.startswith("注意："))
    assert note == (
        "注意：最近一次抓取（第 3 次，2026-12-03 02:00 开始，Asia/Shanghai）被中断，未完成的抓取不作判断；"
        "本报告按第 2 次抓取（2026-12-02 02:00）的结果判断。"
    )
    doc = json.loads(_report(tmp_path, "--as-of", "2026-12-03", "--format", "json").stdout)
    assert doc["crawl"]["latest_run"] == 3 and doc["crawl"]["latest_status"] == "interrupted"
    assert doc["crawl"]["judged_runs"] == {"disclosure": 2, "jwc": 2}
    out = tmp_path / "html"
    assert (
        _report(tmp_path, "--as-of", "2026-12-03", "--format", "html", "--output", str(out)).returncode == 0
    )
    assert "最近一次抓取（第 3 次" in (out / "index.html").read_text(encoding="utf-8")
    # the office's email says it too, in both parts
    box = tmp_path / "outbox"
    cmd = [sys.executable, "-m", "monitor", "--config", str(tmp_path / "config.toml"), "email"]
    cmd += ["--as-of", "2026-12-03", "--dry-run", "--force", "--outbox", str(box)]
    sent = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert sent.returncode == 0, sent.stderr
    (eml,) = box.rglob("*office*.eml")
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    for kind in ("plain", "html"):
        part = msg.get_body(preferencelist=(kind,))
        assert part is not None and "最近一次抓取（第 3 次" in str(part.get_content()), kind
    # the day before, the latest crawl (run 2) finished: nothing to say
    before = _report(tmp_path, "--as-of", "2026-12-02")
    assert "注意：" not in before.stdout and "最近一次抓取" not in before.stdout


def test_sites_judged_on_different_runs_are_each_named(tmp_path: Path) -> None:
    db = _college(tmp_path)
    crawl(db, DAY1, {s: _columns(s) for s, _, _ in SITES})  # run 1: both sites
    crawl(db, DAY2, {"disclosure": _columns("disclosure")})  # run 2: `xxgk crawl --site disclosure`
    _unfinished(db, DAY3, "failed")  # run 3
    text = _report(tmp_path, "--as-of", "2026-12-03")
    note = next(x for x in text.stdout.splitlines() if x.startswith("注意："))
    assert "第 3 次" in note and "失败" in note
    assert "按各站点最近一次完成的抓取判断（disclosure 第 2 次，jwc 第 1 次）" in note
