"""The `outbox` reporter: the email written as an .eml file a mail client opens (as in every dry run)."""

from __future__ import annotations

from pathlib import Path

from ..outbox import write_eml
from ..send import MailError
from . import OUTBOX, Outgoing, Reporter, register


@register
class OutboxReporter(Reporter):
    kind = OUTBOX

    def __init__(self, name: str, folder: Path) -> None:
        super().__init__(name)
        self.folder = folder

    def deliver(self, out: Outgoing) -> str:
        try:
            path = self.preview(out, self.folder)
        except OSError as exc:  # a failure of this delivery, not of the run: the other routes still go
            raise MailError(f"outbox {self.folder}: cannot write: {exc.strerror or exc}") from None
        return f"written to {path}"

    def preview(self, out: Outgoing, outbox: Path) -> Path:
        return write_eml(out.message, outbox, week=out.digest.week, recipient=out.route.recipient)
