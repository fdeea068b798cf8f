"""`[report] attach_html` (issue 15): the office's weekly email carries the HTML report's overview page.

Two weekly crawls of one site with a department; `xxgk email --dry-run` writes the messages as .eml files,
parsed back with the standard library. The office's message has one text/html attachment: the overview of the
email's day, self-contained (no resource from anywhere), its links resolving under `[report] html_url`'s
folder; the department's message has none; without the key no message has one.
"""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, date, datetime
from pathlib import Path

import lxml.html
from judgedb import CONFIG_HEAD, column, crawl
from xxgkrun import xxgk

D = date.fromisoformat
CRAWLS = [datetime(2026, 11, 11, 18, 0, tzinfo=UTC), datetime(2026, 11, 18, 18, 0, tzinfo=UTC)]
AS_OF = "2026-11-20"
SITES = """
[[sites]]
name = "xxgk"
kind = "disclosure"
start_urls = ["http://xxgk.test/"]

[[sites]]
name = "dept"
kind = "department"
department = "教务处"
start_urls = ["http://dept.test/"]

[email]
sender = "xxgk@example.edu.cn"
to = ["office@example.edu.cn"]

[[email.routes]]
name = "教务处"
to = ["jwc@example.edu.cn"]
departments = ["教务处"]
"""


def _history(folder: Path) -> None:
    for at in CRAWLS:
        crawl(
            str(folder / "x.duckdb"),
            at,
            {
                "xxgk": [column("xxgk", "xwdt", "新闻动态", items=[("旧闻", D("2026-09-01"))])],
                "dept": [column("dept", "jwtz", "教务通知", items=[("选课", D("2025-12-01"))])],
            },
        )


def _emails(folder: Path, report: str) -> dict[str, email.message.EmailMessage]:
    config = folder / "config.toml"
    config.write_text(CONFIG_HEAD.format(db="x.duckdb") + report + SITES, encoding="utf-8")
    out = folder / "outbox"
    proc = xxgk(config, "email", "--dry-run", "--outbox", str(out), "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    messages = {}
    for path in out.glob("*.eml"):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(msg, email.message.EmailMessage)
        messages[str(msg["To"])] = msg
    assert set(messages) == {"office@example.edu.cn", "jwc@example.edu.cn"}
    return messages


def test_the_office_gets_the_overview_attached_and_self_contained(tmp_path: Path) -> None:
    _history(tmp_path)
    url = "https://xxgk.example.edu.cn/monitor/index.html"
    messages = _emails(tmp_path, f'[report]\nattach_html = true\nhtml_url = "{url}"\n')
    office = messages["office@example.edu.cn"]
    files = list(office.iter_attachments())
    assert [f.get_filename() for f in files] == [f"信息公开监测报告-{AS_OF}.html"]
    assert files[0].get_content_type() == "text/html"
    page = files[0].get_content()
    doc = lxml.html.document_fromstring(page)
    assert doc.xpath("//base/@href") == ["https://xxgk.example.edu.cn/monitor/"]
    assert not doc.xpath("//script/@src | //link/@href | //img/@src | //iframe"), "loads from elsewhere"
    rows = doc.xpath("//table[contains(@class,'heat')]//tr[contains(@class,'heat-row')]")
    assert sorted(r.xpath("./th/a")[0].text_content() for r in rows) == ["教务通知", "新闻动态"]
    assert f"截至 {AS_OF}" in doc.xpath("//p[@class='meta']")[0].text_content()
    body = office.get_body(("html",))
    assert body is not None and url in body.get_content(), "the email links the published report too"
    assert not list(messages["jwc@example.edu.cn"].iter_attachments()), "a department gets no overview"


def test_without_the_key_nothing_is_attached(tmp_path: Path) -> None:
    _history(tmp_path)
    messages = _emails(tmp_path, "")
    assert all(not list(m.iter_attachments()) for m in messages.values())
