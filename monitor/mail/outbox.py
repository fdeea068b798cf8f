"""The dry run's outbox: each message that would have been sent, written as an .eml file a mail client opens.

A file is named after the week and the recipients, so running the dry run again the same week replaces it
instead of piling up copies.
"""

from __future__ import annotations

import os
import re
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9@._+-]+")


def eml_name(week: str, recipient: str) -> str:
    """A file name safe on every filesystem: `2026-W07_office@example.edu.cn.eml`."""
    slug = _UNSAFE.sub("_", recipient)[:120].strip("._") or "recipient"
    return f"{week}_{slug}.eml"


def write_eml(msg: EmailMessage, outbox: Path, *, week: str, recipient: str) -> Path:
    """Write `msg` (CRLF line ends, as sent) into `outbox`, atomically; returns the file's path."""
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / eml_name(week, recipient)
    tmp = path.with_suffix(".eml.tmp")
    tmp.write_bytes(msg.as_bytes(policy=SMTP))
    os.replace(tmp, path)
    return path
