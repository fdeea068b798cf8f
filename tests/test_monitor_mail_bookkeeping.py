"""Issue 14.5, email bookkeeping: when the send log cannot be written (an analyst holds the database), every
route is still sent, the failure is reported, and the next run sends nothing twice; a message whose outcome
was never recorded is not sent again, said so and exits 1 (monitor/mail/weekly.py, storage/email_log.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from mailsetup import AS_OF, mail_config, record_crawl
from mailsink import Server, smtp_server

import storage


@pytest.fixture
def server() -> Iterator[Server]:
    with smtp_server() as s:
        yield s


def setup(tmp_path: Path, server: Server) -> tuple[Path, Path]:
    db = tmp_path / "xxgk.duckdb"
    record_crawl(str(db))
    config = tmp_path / "config.toml"
    config.write_text(mail_config(server.port, storage="lock_wait = 1.0\n"), encoding="utf-8")
    return config, db


def email(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), "email", "--as-of", AS_OF, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture
def analyst(tmp_path: Path) -> Iterator[list[subprocess.Popen[str]]]:
    """Another process holding the database open (read-only: it blocks every writer, not the readers)."""
    held: list[subprocess.Popen[str]] = []
    yield held
    for p in held:
        p.kill()
        p.wait()


def hold(db: Path, held: list[subprocess.Popen[str]]) -> subprocess.Popen[str]:
    code = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
        "print('ready', flush=True); time.sleep(120)"
    )
    p = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True)
    held.append(p)
    assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    return p


def test_busy_database_still_sends_every_route_and_the_next_run_sends_none_again(
    tmp_path: Path, server: Server, analyst: list[subprocess.Popen[str]]
) -> None:
    config, db = setup(tmp_path, server)
    holder = hold(db, analyst)
    first = email(config)
    assert first.returncode == 0, first.stdout + first.stderr
    assert sorted(",".join(m.rcpt_tos) for m in server.sink.messages) == [
        "dept@example.edu.cn",
        "office@example.edu.cn",
    ]
    lines = first.stdout.splitlines()
    assert len(lines) == 2 and all(" sent " in line and "is busy" in line for line in lines)
    assert all(storage.email_log.spool_path(str(db)) in line for line in lines)  # where the record waits

    again = email(config)  # the database still busy: the spool alone says they went out
    assert again.stdout.count("already_sent") == 2 and len(server.sink.messages) == 2

    holder.kill()
    holder.wait()
    third = email(config)
    assert third.returncode == 0 and third.stdout.count("already_sent") == 2, third.stdout + third.stderr
    assert len(server.sink.messages) == 2
    assert not Path(storage.email_log.spool_path(str(db))).exists()  # moved into the database
    with storage.open_readonly(str(db)) as conn:
        rows = conn.execute(
            "SELECT recipient, message_id, state FROM email_sends ORDER BY recipient"
        ).fetchall()
    sent_ids = sorted(str(m.message["Message-ID"]) for m in server.sink.messages)
    assert [(r, s) for r, _, s in rows] == [
        ("dept@example.edu.cn", "sent"),
        ("office@example.edu.cn", "sent"),
    ]
    assert sorted(m for _, m, _ in rows) == sent_ids


def test_a_send_whose_outcome_was_never_recorded_is_not_sent_again(tmp_path: Path, server: Server) -> None:
    """A run that died between 'sending' and 'sent' (kill -9 during SMTP) leaves the record 'sending'."""
    config, db = setup(tmp_path, server)
    log = storage.EmailLog(str(db))
    log.record(storage.EmailSend.begin("2026-W11", "office@example.edu.cn", "<x@example.edu.cn>", "周报"))
    proc = email(config)
    # not sent again, but not known to be sent: exit 1 so cron notices, and one line says what to do
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert [",".join(m.rcpt_tos) for m in server.sink.messages] == ["dept@example.edu.cn"]
    office = next(line for line in proc.stdout.splitlines() if "office@" in line)
    assert " unconfirmed " in office and "already_sent" not in office and "<x@example.edu.cn>" in office
    assert "Asia/Shanghai" in office  # when it began, in the college's time, named
    (line,) = [x for x in proc.stderr.splitlines() if x.startswith("xxgk email:")]
    assert "office@example.edu.cn" in line and "check the mailbox" in line and "--force" in line

    forced = email(config, "--force")
    assert forced.returncode == 0 and len(server.sink.messages) == 3


def test_a_failed_send_is_recorded_failed_and_sent_next_run(tmp_path: Path) -> None:
    with smtp_server(replies=["550 5.7.1 relaying denied"]) as server:
        config, db = setup(tmp_path, server)
        first = email(config)
        assert first.returncode == 1 and first.stdout.count(" failed ") == 1, first.stdout
        with storage.open_readonly(str(db)) as conn:
            states = sorted(s for (s,) in conn.execute("SELECT state FROM email_sends").fetchall())
        assert states == ["failed", "sent"]
        second = email(config)
        assert second.stdout.count(" sent ") == 1 and second.stdout.count("already_sent") == 1
        assert len(server.sink.messages) == 2


def test_the_date_header_is_college_time_whatever_the_machine_zone(tmp_path: Path, server: Server) -> None:
    config, _ = setup(tmp_path, server)
    cmd = [sys.executable, "-m", "monitor", "--config", str(config), "email", "--as-of", AS_OF]
    env = {**os.environ, "TZ": "America/Los_Angeles"}  # the machine's zone: neither UTC nor the college's
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert server.sink.messages
    for m in server.sink.messages:
        sent = parsedate_to_datetime(str(m.message["Date"]))
        assert sent.utcoffset() == timedelta(hours=8), m.message["Date"]  # Asia/Shanghai, no summer time
