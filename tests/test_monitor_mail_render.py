"""The two parts of the weekly email and the message around them (monitor/mail/render_html.py, render_text.py,
message.py): hostile text from crawled pages is inert, the structure holds, Chinese survives."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import lxml.html
import pytest

from monitor.mail.digest import BrokenLink, ColumnLine, Digest, ItemLine, WeekFacts, build_digest
from monitor.mail.message import build_message, subject_of
from monitor.mail.render_html import render_html
from monitor.mail.render_text import render_text
from monitor.mail.routing import Route

HOSTILE = [
    "<script>alert(1)</script>",
    "</td></tr></table><h1>伪造</h1>",
    '"><img src=x onerror=alert(2)>',
    "第一行\r\n\r\n待办事项（0）\n- 伪造的一行",
]
# A crawled <title> is web text too: the display name of a site that sets no [[sites]] title.
HOSTILE_SITE = "<b>财务处</b>\r\n待办事项（9）"
OFFICE = Route(to=("office@example.edu.cn",), name="信息公开办公室", office=True, send_empty=True)


def hostile_digest() -> Digest:
    columns = [
        ColumnLine(
            site="xxgk",
            name=f"栏目{i}{title}",
            url=f"http://127.0.0.2/list{i}.htm",
            status="stale",
            category="基本信息",
            age_days=30 + i,
            limit_days=14,
            last_published=date(2026, 2, 1),
            newest_title=title,
            newest_url="javascript:alert(3)" if i == 0 else f"http://127.0.0.2/a/{i}.htm?x=1&y=<2>",
        )
        for i, title in enumerate(HOSTILE)
    ]
    facts = WeekFacts(
        college="示例职业学院",
        as_of=date(2026, 3, 9),
        columns=columns,
        history=[("第10周", columns), ("第11周", columns)],
        items=[ItemLine("deleted", "xxgk", "栏目", HOSTILE[0], "http://127.0.0.2/a/9.htm")],
        broken=[BrokenLink("xxgk", "http://127.0.0.2/a/1.htm", "http://127.0.0.2/f.pdf", HOSTILE[1])],
        site_names={"xxgk": HOSTILE_SITE},
    )
    return build_digest(facts, OFFICE)


def test_html_part_shows_hostile_text_as_text_and_keeps_its_tables() -> None:
    d = hostile_digest()
    html = render_html(d, title="周报 <b>")
    doc = lxml.html.document_fromstring(html)
    assert doc.xpath("//script") == [] and doc.xpath("//img") == [] and doc.xpath("//h1") != []
    assert [h.text_content() for h in doc.xpath("//h1")] == ["周报 <b>"]  # only the real heading
    assert not any(el.get("onerror") for el in doc.iter())
    # every data table keeps its header width on every row: nothing closed a cell or table early
    for table in doc.xpath("//table[thead]"):
        width = len(table.xpath("./thead/tr/th"))
        assert all(len(tr.xpath("./td")) == width for tr in table.xpath("./tbody/tr"))
    late = doc.xpath("//tr[@class='todo']")
    assert len(late) == len(HOSTILE)
    assert doc.xpath("//b") == [] and HOSTILE_SITE.replace("\r\n", " ") in " ".join(
        doc.text_content().split()
    )
    shown = " ".join(tr.text_content() for tr in late)
    for title in HOSTILE[:3]:
        assert title in shown
    hrefs = [a.get("href") for a in doc.xpath("//a")]
    assert all(h.startswith("http://") for h in hrefs)
    assert "http://127.0.0.2/a/1.htm?x=1&y=<2>" in hrefs  # escaped in the source, intact once parsed


def test_text_part_keeps_each_hostile_title_on_one_line() -> None:
    d = hostile_digest()
    text = render_text(d, title="周报")
    assert "待办事项（0）" not in text.splitlines() and "待办事项（9）" not in text.splitlines()
    assert "- 伪造的一行" not in text.splitlines()
    assert "<script>alert(1)</script>" in text  # plain text: shown as is, nothing interprets it
    assert [line for line in text.splitlines() if line.startswith("待办事项（")] == ["待办事项（4）"]


def test_message_is_multipart_alternative_with_encoded_chinese_subject() -> None:
    d = hostile_digest()
    msg = build_message(
        d,
        sender="xxgk@example.edu.cn",
        to=["office@example.edu.cn", "b@example.edu.cn"],
        sender_name="信息公开监测",
        now=datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
    )
    raw = msg.as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii(), "headers must be RFC 2047 encoded, not raw UTF-8"
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["Subject"] == subject_of(d, "信息公开周报")
    assert parsed["Subject"].startswith(
        "【信息公开周报】示例职业学院 2026年第11周：超期未更新4、存疑条目1、失效附件1"
    )
    assert parsed["From"].addresses[0].display_name == "信息公开监测"
    assert [a.addr_spec for a in parsed["To"].addresses] == ["office@example.edu.cn", "b@example.edu.cn"]
    assert parsed["Message-ID"].endswith("@example.edu.cn>") and parsed["Date"].startswith("Mon, 09 Mar 2026")
    assert parsed.get_content_type() == "multipart/alternative"
    kinds = [p.get_content_type() for p in parsed.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    text = parsed.get_body(("plain",))
    assert text is not None and "超期未更新" in text.get_content()


@pytest.mark.parametrize(
    ("late", "office", "expected"),
    [
        (2, True, "【周报】示例职业学院 2026年第11周：超期未更新2"),
        (0, False, "【周报】经管学院 2026年第11周：无需处理事项"),
    ],
)
def test_subject(late: int, office: bool, expected: str) -> None:
    columns = [
        ColumnLine("d", f"c{i}", f"http://d/{i}", "stale", age_days=20, limit_days=1) for i in range(late)
    ]
    route = OFFICE if office else Route(to=("d@example.edu.cn",), name="经管学院", sites=frozenset({"d"}))
    d = build_digest(WeekFacts("示例职业学院", date(2026, 3, 9), columns), route)
    assert subject_of(d, "周报") == expected


def test_a_name_with_cr_lf_stays_inside_its_header() -> None:
    """A contact name with CR LF (say, from an old config) is encoded on its line: no crash, no new header."""
    route = Route(to=("d@example.edu.cn",), name="教务处\r\nBcc: x@example.com", sites=frozenset({"d"}))
    d = build_digest(WeekFacts("示例\x00学院", date(2026, 3, 9), []), route)
    msg = build_message(
        d,
        sender="xxgk@example.edu.cn",
        to=list(route.to),
        sender_name="监测\r\nX-Evil: 1",
        now=datetime.now(UTC),
    )
    raw = msg.as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    one_line = " ".join(parsed["Subject"].split())  # folding may collapse the spaces that replaced CR LF
    assert one_line.startswith("【信息公开周报】教务处 Bcc: x@example.com 2026年第11周")
    assert " ".join(parsed["From"].addresses[0].display_name.split()) == "监测 X-Evil: 1"
    assert [a.addr_spec for a in parsed["To"].addresses] == ["d@example.edu.cn"]


def test_report_link_is_shown_in_both_parts_when_configured() -> None:
    facts = hostile_digest()
    linked = replace(facts, report_url="http://intranet.example.edu.cn/xxgk/index.html?a=1&b=2")
    doc = lxml.html.document_fromstring(render_html(linked, title="周报"))
    assert "http://intranet.example.edu.cn/xxgk/index.html?a=1&b=2" in [
        a.get("href") for a in doc.xpath("//a")
    ]
    assert "http://intranet.example.edu.cn/xxgk/index.html?a=1&b=2" in render_text(linked, title="周报")
    # not configured: no report line; a non-web URL is shown as text, never linked
    assert "完整报告" not in render_html(facts, title="周报")
    hostile = replace(facts, report_url="javascript:alert(4)")
    doc = lxml.html.document_fromstring(render_html(hostile, title="周报"))
    assert all(not (a.get("href") or "").startswith("javascript") for a in doc.xpath("//a"))
    assert "javascript:alert(4)" not in doc.text_content()
