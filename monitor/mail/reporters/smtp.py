"""The `smtp` reporter: the weekly email over SMTP (monitor/mail/send.py does the protocol and retries)."""

from __future__ import annotations

import threading
from pathlib import Path

from ..outbox import write_eml
from ..routing import Route
from ..send import SmtpSettings, send_message
from . import SMTP, Outgoing, Reporter, register


@register
class SmtpReporter(Reporter):
    kind = SMTP

    def __init__(
        self, name: str, settings: SmtpSettings, password: str | None, stop: threading.Event | None = None
    ) -> None:
        super().__init__(name)
        self.settings = settings
        self.password = password
        self.stop = stop

    def key(self, route: Route) -> str:
        return route.recipient  # the addresses: the send log's key since the first version

    def deliver(self, out: Outgoing) -> str:
        refused = send_message(self.settings, out.message, password=self.password, stop=self.stop)
        return "refused: " + ", ".join(refused) if refused else ""

    def preview(self, out: Outgoing, outbox: Path) -> Path:
        return write_eml(out.message, outbox, week=out.digest.week, recipient=out.route.recipient)
