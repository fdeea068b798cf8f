"""The weekly email's send log, so a restarted daemon never mails the same week to the same person twice."""

from __future__ import annotations

import duckdb

from storage.connection import DEFAULT_WAIT, open_readwrite
from storage.facts import EmailFacts
from storage.timeutil import now


def record_email_send(
    path: str, week: str, recipient: str, message_id: str, subject: str, *, wait: float = DEFAULT_WAIT
) -> None:
    """Record that the report of `week` (e.g. '2026-W28') went to `recipient` (one short write)."""
    with open_readwrite(path, wait=wait) as conn:
        conn.execute(
            "INSERT INTO email_sends VALUES (?, ?, ?, ?, ?)", [week, recipient, message_id, subject, now()]
        )


def email_sent(conn: duckdb.DuckDBPyConnection, week: str, recipient: str) -> bool:
    """True when the report of `week` was already sent to `recipient`."""
    row = conn.execute(
        "SELECT count(*) FROM email_sends WHERE week = ? AND recipient = ?", [week, recipient]
    ).fetchone()
    return bool(row and row[0])


def last_email(conn: duckdb.DuckDBPyConnection) -> EmailFacts | None:
    """The most recent send, or None when no email was ever sent."""
    row = conn.execute(
        "SELECT week, recipient, message_id, subject, sent_at FROM email_sends ORDER BY sent_at DESC LIMIT 1"
    ).fetchone()
    return EmailFacts(*row) if row else None
