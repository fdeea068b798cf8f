"""Reporters (issue 18.4): the 企业微信 and 钉钉 robots against a real loopback server imitating their webhook
APIs (JSON body, errcode answers, signatures), 429/5xx and rate limits retried, a permanent error reported,
and a hostile title inert in the markdown (monitor/mail/reporters/, monitor/mail/render_markdown.py)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from mailsetup import AS_OF, DEPT_ROUTE, mail_config, record_crawl
from mailsink import smtp_server
from robotsite import KEY, SECRET, TOKEN, robot_server

from monitor.mail.digest import ColumnLine, Digest, WeekGrid
from monitor.mail.render_markdown import render_markdown
from monitor.mail.reporters import REPORTERS, Outgoing
from monitor.mail.reporters.build import KINDS
from monitor.mail.reporters.dingtalk import DingtalkReporter
from monitor.mail.reporters.wecom import WecomReporter
from monitor.mail.routing import Route
from monitor.mail.send import MailError

HOSTILE = '[点我](http://evil.test) <font color="warning">**假**</font>\n# 伪标题'


def digest(n_late: int = 2, title: str = "一条信息") -> Digest:
    late = [
        ColumnLine(
            "cwc", f"栏目{i}", f"http://127.0.0.32/c{i}/", "stale", age_days=40 + i, limit_days=20,
            newest_title=title,
        )
        for i in range(n_late)
    ]  # fmt: skip
    return Digest(
        "示例职业学院", "信息公开办公室", True, date(2026, 3, 11), "2026-W11", {"stale": n_late, "fresh": 3},
        late, [], [], [], [], [], WeekGrid(), site_names={"cwc": "财务处网站"},
    )  # fmt: skip


def outgoing(d: Digest) -> Outgoing:
    route = Route(to=("office@example.edu.cn",), office=True)
    return Outgoing(
        d, route, "【信息公开周报】示例职业学院 2026年第11周：2个栏目需关注", EmailMessage(), "<m@x>"
    )


def wecom(base: str, **kw: object) -> WecomReporter:
    kw.setdefault("retry_delay", 0.01)
    return WecomReporter("jwc-robot", f"{base}/cgi-bin/webhook/send?key={KEY}", **kw)  # type: ignore[arg-type]


def dingtalk(base: str, secret: str = "", **kw: object) -> DingtalkReporter:
    url = f"{base}/robot/send?access_token={TOKEN}"
    kw.setdefault("retry_delay", 0.01)
    return DingtalkReporter("ding-robot", url, secret=secret, **kw)  # type: ignore[arg-type]


def test_the_registry_knows_every_kind() -> None:
    assert {"smtp", "outbox", "wecom", "dingtalk"} <= set(REPORTERS)
    assert all(REPORTERS[k.kind] is k for k in KINDS)


def test_wecom_sends_one_markdown_message() -> None:
    with robot_server() as (robot, base):
        assert wecom(base).deliver(outgoing(digest())) == ""
    (body,) = robot.received
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert "示例职业学院" in content and "栏目0" in content and "栏目1" in content
    assert "[财务处网站 / 栏目0](http://127.0.0.32/c0/)" in content


def test_dingtalk_signs_each_request() -> None:
    with robot_server(signed=True) as (robot, base):
        dingtalk(base, secret=SECRET).deliver(outgoing(digest()))
        with pytest.raises(MailError, match="errcode 310000") as info:
            dingtalk(base, secret="SECwrong").deliver(outgoing(digest()))
    assert info.value.permanent and robot.requests == 2
    (body,) = robot.received
    assert body["markdown"]["title"].startswith("【信息公开周报】") and "栏目1" in body["markdown"]["text"]


@pytest.mark.parametrize("first", [429, 500, 503, {"errcode": 45009, "errmsg": "api freq out of limit"}])
def test_wecom_retries_what_can_recover(first: int | dict) -> None:
    slept: list[float] = []
    with robot_server() as (robot, base):
        robot.replies = [first, first]
        wecom(base, sleep=slept.append, retry_delay=1.0).deliver(outgoing(digest()))
    assert robot.requests == 3 and len(robot.received) == 1 and slept == [1.0, 2.0]


def test_dingtalk_rate_limit_is_retried() -> None:
    with robot_server() as (robot, base):
        robot.replies = [{"errcode": 130101, "errmsg": "send too fast"}]
        dingtalk(base, sleep=lambda s: None).deliver(outgoing(digest()))
    assert robot.requests == 2 and len(robot.received) == 1


def test_a_permanent_error_is_reported_at_once_without_the_key() -> None:
    with robot_server() as (robot, base):
        bad = WecomReporter("jwc-robot", f"{base}/cgi-bin/webhook/send?key=wrong-key", retry_delay=0.01)
        with pytest.raises(MailError, match="errcode 93000 invalid webhook url") as info:
            bad.deliver(outgoing(digest()))
        robot.replies = [400]
        with pytest.raises(MailError, match="HTTP 400"):
            wecom(base).deliver(outgoing(digest()))
    assert info.value.permanent and robot.requests == 2 and robot.received == []
    assert "wrong-key" not in str(info.value) and "jwc-robot" in str(info.value)


def test_retries_end_in_a_temporary_error() -> None:
    with robot_server() as (robot, base):
        robot.replies = [502] * 5
        with pytest.raises(MailError, match="HTTP 502") as info:
            wecom(base, retries=2, sleep=lambda s: None).deliver(outgoing(digest()))
    assert not info.value.permanent and robot.requests == 3


def test_no_robot_server_fails_at_once() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    slept: list[float] = []
    with pytest.raises(MailError, match="cannot connect") as info:
        wecom(f"http://127.0.0.1:{port}", sleep=slept.append).deliver(outgoing(digest()))
    assert info.value.permanent and info.value.unreachable and slept == []


def test_a_hostile_title_stays_text_in_the_markdown() -> None:
    d = digest(title=HOSTILE)
    d.late[0] = ColumnLine("站", HOSTILE, "javascript:alert(1)", "stale", age_days=50, limit_days=20)
    text = render_markdown(d, title="周报", max_bytes=4096)
    assert "](http://evil.test)" not in text and "<font" not in text and "\n# " not in text
    assert "javascript:" not in text  # not a link target: only http(s) URLs are
    assert "点我" in text  # shown, as text


def test_a_long_digest_is_cut_to_the_limit_and_says_how_much_was_left_out() -> None:
    d = digest(n_late=300)
    with robot_server() as (robot, base):
        wecom(base).deliver(outgoing(d))
    content = robot.received[0]["markdown"]["content"]
    assert len(content.encode()) <= 4096
    shown = content.count("- **")
    assert 0 < shown < 300 and f"另有 {300 - shown} 行未列出" in content


ROBOTS = """[[email.robots]]
name = "office-ding"
kind = "dingtalk"
url_env = "XXGK_TEST_DING_URL"
secret_env = "XXGK_TEST_DING_SECRET"
[[email.robots]]
name = "dept-wecom"
kind = "wecom"
url_env = "XXGK_TEST_WECOM_URL"
"""


def e2e_config(
    port: int, *, office: str = '["smtp", "office-ding"]', dept: str = '["dept-wecom"]', email: str = ""
) -> str:
    """The mail tests' college with the office on SMTP and 钉钉, 经管学院 on 企业微信 only."""
    route = DEPT_ROUTE + f"reporters = {dept}\n"
    return mail_config(port, email=f"reporters = {office}\n{email}", routes=route, extra=ROBOTS)


def test_xxgk_email_delivers_through_the_reporters_each_route_names(tmp_path: Path) -> None:
    db = tmp_path / "xxgk.duckdb"
    record_crawl(str(db))
    with smtp_server() as smtp, robot_server(signed=True) as (robot, base):
        config = tmp_path / "config.toml"
        config.write_text(e2e_config(smtp.port), encoding="utf-8")
        env = {
            "PATH": "/usr/bin:/bin",
            "XXGK_TEST_DING_URL": f"{base}/robot/send?access_token={TOKEN}",
            "XXGK_TEST_DING_SECRET": SECRET,
            "XXGK_TEST_WECOM_URL": f"{base}/cgi-bin/webhook/send?key={KEY}",
        }

        def email(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
            args = [sys.executable, "-m", "monitor", "--config", str(config), "email", "--as-of", AS_OF]
            proc = subprocess.run(args, capture_output=True, text=True, timeout=120, env=extra_env)
            for secret in (KEY, TOKEN, SECRET):
                assert secret not in proc.stdout + proc.stderr
            assert "Traceback" not in proc.stderr, proc.stderr
            return proc

        first = email(env)
        assert first.returncode == 0, first.stdout + first.stderr
        assert [m.rcpt_tos for m in smtp.sink.messages] == [["office@example.edu.cn"]]  # dept: robot only
        ding, wecom_body = sorted(robot.received, key=lambda b: "content" in b["markdown"])
        assert all(n in ding["markdown"]["text"] for n in ("学院新闻", "规章制度", "通知公告"))
        content = wecom_body["markdown"]["content"]
        assert "学院新闻" in content and "通知公告" not in content and "<script>" not in content
        lines = first.stdout.splitlines()
        assert any("office-ding:office@example.edu.cn" in line and " sent " in line for line in lines)
        assert any("dept-wecom:dept@example.edu.cn" in line and " sent " in line for line in lines)

        requests = robot.requests
        again = email(env)
        assert again.returncode == 0 and again.stdout.count("already_sent") == 3, again.stdout
        assert robot.requests == requests and len(smtp.sink.messages) == 1

        missing = email({k: v for k, v in env.items() if k != "XXGK_TEST_WECOM_URL"} | {"X": "1"})
        assert missing.returncode == 1 and "XXGK_TEST_WECOM_URL" in missing.stderr


def test_a_route_naming_an_unknown_reporter_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(e2e_config(25, dept='["wechat"]'), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), "email", "--dry-run"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "email.routes[0].reporters" in proc.stderr and "'wechat'" in proc.stderr


def test_dry_run_writes_each_robot_message_without_needing_its_secrets(tmp_path: Path) -> None:
    record_crawl(str(tmp_path / "xxgk.duckdb"))
    config = tmp_path / "config.toml"
    config.write_text(e2e_config(25), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), "email", "--as-of", AS_OF, "--dry-run",
         "--outbox", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [
        "2026-W11_dept-wecom_dept@example.edu.cn.json",
        "2026-W11_office-ding_office@example.edu.cn.json",
        "2026-W11_office@example.edu.cn.eml",
    ]
    body = json.loads((tmp_path / "out" / files[0]).read_text(encoding="utf-8"))
    assert body["msgtype"] == "markdown" and "学院新闻" in body["markdown"]["content"]


def test_an_outbox_that_cannot_be_written_fails_only_its_own_delivery(tmp_path: Path) -> None:
    record_crawl(str(tmp_path / "xxgk.duckdb"))
    (tmp_path / "blocked").write_text("a file where the outbox folder should be")
    text = e2e_config(25, office='["outbox"]', email='outbox = "blocked"\n')
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    with robot_server() as (robot, base):
        env = {"PATH": "/usr/bin:/bin", "XXGK_TEST_WECOM_URL": f"{base}/cgi-bin/webhook/send?key={KEY}"}
        proc = subprocess.run(
            [sys.executable, "-m", "monitor", "--config", str(tmp_path / "config.toml"), "email",
             "--as-of", AS_OF],
            capture_output=True, text=True, timeout=120, env=env,
        )  # fmt: skip
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    office = next(line for line in proc.stdout.splitlines() if "outbox:office@" in line)
    assert " failed " in office and "cannot write" in office
    assert len(robot.received) == 1  # the department's robot still got its message
