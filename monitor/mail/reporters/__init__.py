"""Reporters: how one route's weekly digest is delivered, as a registry (the way urlwatch does it).

A reporter gets one route's digest (the week's findings for that audience, already built into `Outgoing`)
and delivers it: `smtp` (the email, monitor/mail/send.py), `outbox` (the email as an .eml file), `wecom`
(企业微信 group robot) and `dingtalk` (钉钉 robot), the last two as markdown messages to a webhook.
Routes name their reporters in config (`[email] reporters` for the office, `reporters` in each
`[[email.routes]]`); `smtp` and `outbox` always exist, each `[[email.robots]]` entry adds a robot
under its own name. A new kind is one module with a class decorated `@register`, imported by `build`
(which makes a run's reporters, so `REPORTERS` is complete once `build` is imported). Every failure is a
`MailError` in words (permanent or not, `unreachable` when no server answered), and nothing secret
(password, webhook key, signing secret) is ever in one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import ClassVar

from ..digest import Digest
from ..routing import Route

SMTP, OUTBOX = "smtp", "outbox"


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One route's digest for this week, with the email built from it once (its Message-ID keys the log)."""

    digest: Digest
    route: Route
    subject: str
    message: EmailMessage
    message_id: str


class Reporter(ABC):
    """One configured way of delivering; `down` is set once its server did not answer at all."""

    kind: ClassVar[str]

    def __init__(self, name: str) -> None:
        self.name = name
        self.down: Exception | None = None

    def key(self, route: Route) -> str:
        """The recipient a delivery is recorded under in the send log (week, recipient)."""
        return f"{self.name}:{route.recipient}"

    @abstractmethod
    def deliver(self, out: Outgoing) -> str:
        """Deliver `out`; returns a note for the operator ('' when none). Raises MailError."""

    @abstractmethod
    def preview(self, out: Outgoing, outbox: Path) -> Path:
        """Write what `deliver` would send into `outbox` (the dry run); returns the file."""


REPORTERS: dict[str, type[Reporter]] = {}


def register(cls: type[Reporter]) -> type[Reporter]:
    """Add a reporter class under its `kind`."""
    REPORTERS[cls.kind] = cls
    return cls
