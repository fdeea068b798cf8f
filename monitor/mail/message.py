"""Build the weekly email as a standard message: multipart/alternative (text, then HTML), UTF-8 throughout.

Building is separate from sending (`send.py`) so a dry run writes exactly what would have been sent. The
`email.policy.SMTP` policy encodes the Chinese subject and display name (RFC 2047) and uses CRLF line ends.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from .digest import Digest
from .render_html import render_html
from .render_text import render_text


def subject_of(d: Digest, prefix: str) -> str:
    """Whose digest it is and every kind of news with its count, worst first, e.g.
    【信息公开周报】示例职业学院 2026年第11周：超期未更新3、空白栏目1、缺失清单事项5."""
    year, week, _ = d.as_of.isocalendar()
    who = d.college if d.office else d.audience
    tally = "、".join(f"{name}{n}" for name, n in d.tally())
    who_part = f"{who} " if who else ""
    return f"【{prefix}】{who_part}{year}年第{week}周：{tally or '无需处理事项'}"


def header_text(text: str) -> str:
    """`text` as one header line: a control character (CR, LF, tab, NUL …) or line separator becomes a
    space. The configuration refuses them at load; this keeps a name from any other source from splitting a
    header or crashing the message (the policy encodes what remains, RFC 2047)."""
    return " ".join(
        "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text).split()
    )


def _address(addr: str, name: str = "") -> Address:
    user, _, domain = addr.rpartition("@")
    return Address(display_name=header_text(name), username=user, domain=domain)


def build_message(
    d: Digest,
    *,
    sender: str,
    to: list[str] | tuple[str, ...],
    sender_name: str = "",
    subject_prefix: str = "信息公开周报",
    now: datetime,
    attachments: Sequence[tuple[str, str]] = (),
) -> EmailMessage:
    """The message for one digest, with its own Message-ID (recorded with the send) and Date (`now`, aware:
    the caller's clock in the college's zone), and each (file name, HTML text) of `attachments` as a text/html
    attachment."""
    subject = header_text(subject_of(d, subject_prefix))
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = subject
    msg["From"] = _address(sender, sender_name)
    msg["To"] = [_address(a) for a in to]
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(idstring=d.week, domain=sender.rpartition("@")[2] or None)
    msg["X-Xxgk-Week"] = d.week
    msg.set_content(render_text(d, title=subject), subtype="plain", charset="utf-8")
    msg.add_alternative(render_html(d, title=subject), subtype="html", charset="utf-8")
    for filename, text in attachments:
        msg.add_attachment(text, subtype="html", charset="utf-8", filename=filename)
    return msg
