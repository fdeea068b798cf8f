"""Issue 6, as a user would check it: `xxgk email` over a real DuckDB file and a real SMTP server (STARTTLS
with a login) sends the office one message with every late column, a department contact one with only
theirs, nothing a second time the same week unless --force, keeps a hostile title inert, and never lets the
password out (monitor/mail/weekly.py and the `xxgk email` command)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import lxml.html
import pytest
from mailsetup import AS_OF, DEPT_ROUTE, HOSTILE, mail_config, record_crawl
from mailsink import Server, self_signed, smtp_server

import storage

PASSWORD = "pw-9f8e7d6c5b4a"
LOGIN = """ca_file = "{ca}"
username = "xxgk"
password_env = "XXGK_TEST_PW"
"""
HQ_ROUTE = """[[email.routes]]
to = ["hq@example.edu.cn"]
name = "后勤处"
columns = ["后勤通知"]
"""


def config_text(port: int, ca: str, *, email: str = "", retry_delay: float | None = 0.01) -> str:
    """The mail tests' college over STARTTLS with a login; routes to 经管学院 and 后勤处."""
    login = LOGIN.format(ca=ca) if ca else LOGIN.replace('ca_file = "{ca}"\n', "")
    return mail_config(
        port,
        security="starttls",
        email=login + email,
        routes=DEPT_ROUTE + HQ_ROUTE,
        retry_delay=retry_delay,
    )


@dataclass
class Setup:
    config: Path
    db: Path
    server: Server


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    folder = tmp_path_factory.mktemp("weekly")
    cert = self_signed(folder)
    db = folder / "xxgk.duckdb"
    record_crawl(str(db))
    with smtp_server(security="starttls", cert=cert, login=("xxgk", PASSWORD)) as server:
        config = folder / "config.toml"
        config.write_text(config_text(server.port, str(cert[0])), encoding="utf-8")
        yield Setup(config, db, server)


def xxgk_email(s: Setup, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(s.config), "email", "--as-of", AS_OF, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"XXGK_TEST_PW": PASSWORD, "PATH": "/usr/bin:/bin"},
    )
    assert PASSWORD not in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def by_recipient(s: Setup) -> dict[str, list[EmailMessage]]:
    out: dict[str, list[EmailMessage]] = {}
    for m in s.server.sink.messages:
        out.setdefault(",".join(m.rcpt_tos), []).append(m.message)
    return out


def html_of(msg: EmailMessage) -> lxml.html.HtmlElement:
    part = msg.get_body(("html",))
    assert part is not None
    return lxml.html.document_fromstring(part.get_content())


def late_rows(doc: lxml.html.HtmlElement) -> list[str]:
    """The columns of the to-do (every department's group; its 清单 items without a column have no link)."""
    return [a[0].text_content() for r in doc.xpath("//tr[@class='todo']") if (a := r.xpath("./td[2]//a"))]


def test_weekly_email_end_to_end(setup: Setup) -> None:
    first = xxgk_email(setup)
    assert first.returncode == 0, first.stdout + first.stderr
    sent = by_recipient(setup)
    assert sorted(sent) == [
        "dept@example.edu.cn",
        "office@example.edu.cn",
    ]  # 后勤处: nothing late, no message
    assert setup.server.sink.logins == [("xxgk", PASSWORD)] * 2

    (office,) = sent["office@example.edu.cn"]
    doc = html_of(office)
    assert sorted(late_rows(doc)) == ["学院新闻", "规章制度", "通知公告"]
    assert doc.xpath("//script") == []
    for table in doc.xpath("//table[thead]"):
        width = len(table.xpath("./thead/tr/th"))
        assert all(len(tr.xpath("./td")) == width for tr in table.xpath("./tbody/tr"))
    assert HOSTILE in doc.text_content()
    assert "招生计划.pdf" in doc.text_content()  # the broken attachment
    text = office.get_body(("plain",))
    assert text is not None and HOSTILE in text.get_content()
    assert office["Subject"].startswith("【信息公开周报】示例职业学院 2026年第11周：超期未更新3、")

    (dept,) = sent["dept@example.edu.cn"]
    assert late_rows(html_of(dept)) == ["学院新闻"]
    assert "通知公告" not in html_of(dept).text_content()
    assert dept["Subject"].startswith("【信息公开周报】经管学院 2026年第11周：超期未更新1、")

    again = xxgk_email(setup)
    assert again.returncode == 0 and again.stdout.count("already_sent") == 2
    assert len(setup.server.sink.messages) == 2

    forced = xxgk_email(setup, "--force")
    assert forced.returncode == 0 and forced.stdout.count(" sent ") == 2
    assert len(setup.server.sink.messages) == 4

    with storage.open_readonly(str(setup.db)) as conn:
        sends = conn.execute(
            "SELECT week, recipient, message_id FROM email_sends ORDER BY sent_at"
        ).fetchall()
        tables = [t for (t,) in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        everything = "".join(str(conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)
    assert [(w, r) for w, r, _ in sends] == [
        ("2026-W11", "office@example.edu.cn"),
        ("2026-W11", "dept@example.edu.cn"),
    ] * 2
    got_ids = {m.message["Message-ID"] for m in setup.server.sink.messages}
    assert {mid for _, _, mid in sends} == got_ids
    assert PASSWORD not in everything


def test_dry_run_writes_eml_files_and_sends_nothing(setup: Setup, tmp_path: Path) -> None:
    before = len(setup.server.sink.messages)
    proc = xxgk_email(setup, "--dry-run", "--force", "--outbox", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["2026-W11_dept@example.edu.cn.eml", "2026-W11_office@example.edu.cn.eml"]
    assert len(setup.server.sink.messages) == before
    raw = (tmp_path / "out" / files[1]).read_bytes()
    assert PASSWORD.encode() not in raw
    msg = message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage) and msg.get_content_type() == "multipart/alternative"
    assert sorted(late_rows(html_of(msg))) == ["学院新闻", "规章制度", "通知公告"]


def test_missing_password_stops_before_anything_is_sent(setup: Setup) -> None:
    before = len(setup.server.sink.messages)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "monitor",
            "--config",
            str(setup.config),
            "email",
            "--as-of",
            AS_OF,
            "--force",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 1 and "XXGK_TEST_PW" in proc.stderr and "Traceback" not in proc.stderr
    assert len(setup.server.sink.messages) == before


def _email_unreachable(tmp_path: Path, port: int, email: str = "") -> subprocess.CompletedProcess[str]:
    record_crawl(str(tmp_path / "xxgk.duckdb"))
    (tmp_path / "config.toml").write_text(config_text(port, "", email=email, retry_delay=None))
    return xxgk_email(Setup(tmp_path / "config.toml", tmp_path / "xxgk.duckdb", None), "--force")  # type: ignore[arg-type]


def test_no_server_listening_fails_every_recipient_at_once(tmp_path: Path) -> None:
    """Issue 19: the default retries (3, from 10 s doubling) spent 70 s per recipient on a refused port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    proc = _email_unreachable(tmp_path, port)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if "nothing_to_report" not in line]
    assert len(lines) == 2 and all(" failed " in line and "Connection refused" in line for line in lines)
    assert "retry" not in proc.stderr
    assert "not tried" in lines[1]  # the same dead server, not asked again


def test_server_that_never_answers_is_waited_on_once_not_per_recipient(tmp_path: Path) -> None:
    with socket.socket() as silent:  # completes TCP handshakes (the backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        proc = _email_unreachable(
            tmp_path, silent.getsockname()[1], "timeout = 1.0\nretries = 1\nretry_delay = 0.1\n"
        )
        silent.setblocking(False)
        connections = 0
        with contextlib.suppress(BlockingIOError):
            while True:
                silent.accept()[0].close()
                connections += 1
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert connections == 2  # the first recipient: one attempt and its one retry; the others not at all
    lines = [line for line in proc.stdout.splitlines() if "nothing_to_report" not in line]
    assert len(lines) == 2 and "no answer within 1 s" in lines[0] and "not tried" in lines[1]
