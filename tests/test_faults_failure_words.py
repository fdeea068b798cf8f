"""Why a site cannot be read is said in Chinese to people, in technical text in JSON only (issue 19 §4).

Real child processes on loopback: a live college whose 通知公告 column hangs (a timeout), a site whose host
name does not resolve (`.invalid` never does, RFC 2606), a port nothing listens on (connection refused) and a
site whose home page hangs. The text report, the HTML report and the office's email say 域名无法解析,
连接被拒绝 and 超时; none shows the exception names; `xxgk report --format json` keeps them in `error`.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from faultsite import HANG, Column, FaultSite, days_ago
from xxgkrun import SiteConf, report_json, write_config, xxgk

from monitor.failure_words import error_words

pytestmark = pytest.mark.slow

EMAIL = '[email]\nsender = "xxgk@example.edu.cn"\nto = ["office@example.edu.cn"]\n'
TECHNICAL = (
    "DNS lookup",
    "CannotResolveHost",
    "Refused",
    "refused",
    "DownloadTimeoutError",
    "took longer",
    "Error:",
)
DNS, REFUSED, TIMEOUT = "域名无法解析", "连接被拒绝", "超时"


def _dead_url(host: str) -> str:
    with socket.socket() as s:
        s.bind((host, 0))
        port = s.getsockname()[1]
    return f"http://{host}:{port}/"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("failwords")
    columns = [
        Column.of_articles("xwdt", "新闻动态", [days_ago(1)]),
        Column.of_articles("tzgg", "通知公告", [days_ago(2)]),
    ]
    with FaultSite(("127.0.0.3",), columns) as live, FaultSite(("127.0.0.4",)) as slow:
        live.fail("/tzgg.htm", HANG)
        slow.fail("/", HANG)
        sites = [
            SiteConf("live", [live.url("/")]),
            SiteConf("nodns", ["http://xxgk-test-no-such-host.invalid/"]),
            SiteConf("closed", [_dead_url("127.0.0.7")]),
            SiteConf("slow", [slow.url("/")]),
        ]
        config = write_config(folder, sites, crawl={"timeout": 1.0}, extra=EMAIL)
        proc = xxgk(config, "crawl")
        assert proc.returncode == 0, proc.stderr
        yield config


def test_report_text_says_why_in_chinese(crawled: Path) -> None:
    proc = xxgk(crawled, "report")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    names = report_json(crawled)["site_names"]  # never crawled, same kind: told apart by their hosts
    assert len(set(names.values())) == len(names), names
    for site, words in (("nodns", DNS), ("closed", REFUSED), ("slow", TIMEOUT)):
        line = next(x for x in lines if x.lstrip().startswith(f"{names[site]}"))
        assert "整站无法访问" in line and words in line, line
    column = next(x for x in lines if "通知公告" in x)
    assert "无法访问" in column and TIMEOUT in column, column
    assert not [t for t in TECHNICAL if t in proc.stdout], proc.stdout


def test_json_keeps_the_technical_text(crawled: Path) -> None:
    doc = report_json(crawled)
    errors = {s["site"]: s["error"] for s in doc["sites"]}
    assert "DNS lookup failed" in errors["nodns"] and "refused" in errors["closed"]
    assert "no complete answer in time" in errors["slow"]
    (column,) = [s for s in doc["sections"] if s["name"] == "通知公告"]
    assert column["status"] == "unreachable" and column["error"].startswith("timeout:")
    assert TIMEOUT in column["reason"]


def test_html_report_and_email_say_it_in_chinese(crawled: Path) -> None:
    out = crawled.parent / "html"
    proc = xxgk(crawled, "report", "--format", "html", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    pages = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert DNS in pages and REFUSED in pages and TIMEOUT in pages
    assert not [t for t in TECHNICAL if t in pages]
    box = crawled.parent / "outbox"
    proc = xxgk(crawled, "email", "--dry-run", "--force", "--outbox", str(box))
    assert proc.returncode == 0, proc.stderr
    (eml,) = [e for e in box.rglob("*.eml") if "office" in e.name]
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    for kind in ("plain", "html"):
        part = msg.get_body(preferencelist=(kind,))
        assert part is not None
        body = str(part.get_content())
        assert DNS in body and REFUSED in body and TIMEOUT in body, body
        assert not [t for t in TECHNICAL if t in body], body


@pytest.mark.parametrize(
    ("recorded", "words"),
    [
        ("network_error: DNSLookupError: DNS lookup failed: address 'x.invalid' not found", DNS),
        ("network_error: gaierror: [Errno -2] Name or service not known", DNS),
        ("ConnectionRefusedError: Connection was refused by other side: 111: Connection refused.", REFUSED),
        ("timeout: no complete answer in time (TCPTimedOutError: TCP connection timed out: 110)", TIMEOUT),
        ("http_error: HTTP 404", "HTTP 404（页面不存在）"),
        ("HTTP 503", "HTTP 503（服务暂时不可用）"),
        ("soft 404: the title says '页面不存在' (HTTP 200)", "软 404"),
        ("http_error: soft 404: the title says '页面不存在' (HTTP 200)", "软 404"),
        ("http_error", "服务器返回错误"),
        ("blocked: js_challenge", "脚本验证"),
        ("network_error: ResponseNeverReceived: [<twisted.python.failure.Failure ...>]", "连接中断"),
        ("network_error: SomethingNew: never seen", "网络错误"),
    ],
)
def test_recorded_errors_in_words(recorded: str, words: str) -> None:
    said = error_words(recorded)
    assert words in said and not any(t in said for t in ("Error", "HTTP 200", "title says"))
