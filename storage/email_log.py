"""The weekly email's send log, so a restarted daemon never mails the same week to the same person twice.

Each message is recorded BEFORE it is sent (state `sending`), and its outcome after (`sent` or `failed`), one
row per Message-ID. A recipient counts as done for the week when its latest message is `sending` or `sent`:
a `sending` row whose outcome was never written (the process died mid-send) is taken as sent, since sending
twice is the one thing the log exists to prevent; the caller says so. When the database cannot be written
(another process holds it), the record goes to a spool file next to it (`<db>.email-log.jsonl`, one JSON
object a line) that every read merges and the next write moves into the database, so a busy database never
stops the other recipients' messages and never makes the next run send one again.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime

import duckdb

from storage import lake
from storage.connection import DEFAULT_WAIT, begin, open_readwrite
from storage.errors import StorageError
from storage.facts import EmailFacts
from storage.timeutil import now

log = logging.getLogger("xxgk.storage")

SENDING, SENT, FAILED = "sending", "sent", "failed"
_COLUMNS = "week, recipient, message_id, subject, sent_at, state"


@dataclass(frozen=True, slots=True)
class EmailSend:
    """One message's record: `sent_at` is when its state was last set."""

    week: str
    recipient: str
    message_id: str
    subject: str
    sent_at: datetime
    state: str  # sending | sent | failed

    @classmethod
    def begin(cls, week: str, recipient: str, message_id: str, subject: str) -> EmailSend:
        """The record written before a message goes out."""
        return cls(week, recipient, message_id, subject, now(), SENDING)

    def to(self, state: str) -> EmailSend:
        return replace(self, state=state, sent_at=now())


def spool_path(path: str) -> str:
    """The file records wait in while the database cannot be written."""
    return path + ".email-log.jsonl"


def _read_spool(path: str) -> list[EmailSend]:
    spool = spool_path(path)
    try:
        with open(spool, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StorageError(f"cannot read the email send log {spool}: {exc.strerror}") from exc
    out: list[EmailSend] = []
    for n, line in enumerate(lines, 1):
        try:
            d = json.loads(line)
            out.append(EmailSend(**{**d, "sent_at": datetime.fromisoformat(d["sent_at"])}))
        except (ValueError, TypeError, KeyError):  # a line cut short by a crash: the rest still counts
            log.warning("%s line %d is not a send record; skipped", spool, n)
    return out


def _append_spool(path: str, entry: EmailSend) -> str:
    spool = spool_path(path)
    line = json.dumps({**asdict(entry), "sent_at": entry.sent_at.isoformat()}, ensure_ascii=False)
    try:
        with open(spool, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise StorageError(f"cannot write the email send log {spool}: {exc.strerror}") from exc
    return spool


@lake.retrying
def _store(path: str, entries: list[EmailSend], *, wait: float) -> None:
    """One transaction: each message's latest record replaces its earlier one."""
    with open_readwrite(path, wait=wait) as conn:
        _upsert(conn, path, entries, wait)


def _upsert(conn: duckdb.DuckDBPyConnection, path: str, entries: list[EmailSend], wait: float) -> None:
    latest = {e.message_id: e for e in entries}
    begin(conn, path, wait)
    conn.executemany("DELETE FROM email_sends WHERE message_id = ?", [[m] for m in latest])
    conn.executemany(
        f"INSERT INTO email_sends ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
        [[e.week, e.recipient, e.message_id, e.subject, e.sent_at, e.state] for e in latest.values()],
    )
    conn.execute("COMMIT")


class EmailLog:
    """Where a run records its sends: the database, or the spool once the database could not be written."""

    def __init__(self, path: str, *, wait: float = DEFAULT_WAIT) -> None:
        self.path = path
        self.wait = wait
        self.busy: StorageError | None = None  # why the database could not be written (then: spool only)

    def record(self, entry: EmailSend) -> str | None:
        """Record `entry`; None when it is in the database, else the spool file's path (and why in `busy`).

        Raises StorageError when neither the database nor the spool file can be written.
        """
        if self.busy is None:
            try:
                _store(self.path, [*_read_spool(self.path), entry], wait=self.wait)
                _remove_spool(self.path)
                return None
            except StorageError as exc:
                self.busy = exc
                log.warning("email send log: %s; recording in %s instead", exc, spool_path(self.path))
        return _append_spool(self.path, entry)

    def flush_spool(self) -> bool:
        """Move spooled records into the database; False (spool kept) when it cannot be written now."""
        spooled = _read_spool(self.path)
        if not spooled:
            return True
        try:
            _store(self.path, spooled, wait=self.wait)
        except StorageError as exc:
            log.warning("email send log: %s; %s kept for the next run", exc, spool_path(self.path))
            return False
        _remove_spool(self.path)
        return True


def _remove_spool(path: str) -> None:
    try:
        os.remove(spool_path(path))
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StorageError(f"cannot remove {spool_path(path)}: {exc.strerror}") from exc


def record_email_send(
    path: str, week: str, recipient: str, message_id: str, subject: str, *, wait: float = DEFAULT_WAIT
) -> None:
    """Record that the report of `week` (e.g. '2026-W28') went to `recipient` (one short write)."""
    EmailLog(path, wait=wait).record(EmailSend(week, recipient, message_id, subject, now(), SENT))


def email_states(conn: duckdb.DuckDBPyConnection, path: str, week: str) -> dict[str, EmailSend]:
    """Each recipient's deciding record for `week`, from the database and the spool (which is newer).

    A recipient with any message `sent` or `sending` that week is done (that record is returned); otherwise
    its latest failed record.
    """
    rows = conn.execute(f"SELECT {_COLUMNS} FROM email_sends WHERE week = ?", [week]).fetchall()
    latest = {r[2]: EmailSend(*r) for r in rows}
    latest.update({e.message_id: e for e in _read_spool(path) if e.week == week})
    rank = {SENT: 2, SENDING: 1}
    out: dict[str, EmailSend] = {}
    for e in sorted(latest.values(), key=lambda e: (rank.get(e.state, 0), e.sent_at)):
        out[e.recipient] = e
    return out


def email_sent(conn: duckdb.DuckDBPyConnection, week: str, recipient: str) -> bool:
    """True when the report of `week` was sent (or began sending) to `recipient`, per the database."""
    row = conn.execute(
        "SELECT count(*) FROM email_sends WHERE week = ? AND recipient = ? AND state IN (?, ?)",
        [week, recipient, SENDING, SENT],
    ).fetchone()
    return bool(row and row[0])


def last_email(conn: duckdb.DuckDBPyConnection) -> EmailFacts | None:
    """The most recent send, or None when no email was ever sent."""
    row = conn.execute(
        "SELECT week, recipient, message_id, subject, sent_at FROM email_sends WHERE state = ? "
        "ORDER BY sent_at DESC LIMIT 1",
        [SENT],
    ).fetchone()
    return EmailFacts(*row) if row else None
