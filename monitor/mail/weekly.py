"""The weekly email, end to end: the one function the CLI (`xxgk email`) and the scheduler call.

Facts are read once from the database (read-only), one digest is built per route, and each message is either
sent or, in a dry run, written to the outbox. A sent message is recorded in the send log (storage.email_log)
under its ISO week and recipient, so a second run the same week sends nothing unless forced: recorded as
`sending` before it goes out and `sent` after, so a failure to record the outcome (a busy database, a crash)
can never make the next run send it twice; a database that cannot be written makes the log spool to a file
next to it, and the other recipients are still sent. One recipient's failure does not stop the others;
but once no SMTP server answered at all, the next recipients are reported failed with that reason instead of
each waiting on the same dead server.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import storage
from monitor.config import Config

from .digest import WeekFacts, build_digest, iso_week
from .facts import collect_facts
from .message import build_message
from .outbox import write_eml
from .routing import Route, routes_from_config
from .send import MailError, SmtpSettings, send_message

log = logging.getLogger("xxgk.mail")

# SendResult.status values
SENT, WRITTEN, ALREADY_SENT, NOTHING, FAILED = (
    "sent",
    "written",
    "already_sent",
    "nothing_to_report",
    "failed",
)


@dataclass(frozen=True, slots=True)
class SendResult:
    """What became of one recipient's message this week."""

    recipient: str  # the addresses, sorted and joined (the key sends are recorded under)
    audience: str  # 信息公开办公室, or the route's name
    status: str  # sent | written | already_sent | nothing_to_report | failed
    week: str
    late: int = 0  # late columns in the digest
    subject: str = ""
    message_id: str = ""
    path: Path | None = None  # the .eml file of a dry run
    error: str = ""  # why it failed, or which addresses the server refused, or what of its record went wrong


def outbox_path(config: Config, outbox: str | Path | None) -> Path:
    """--outbox, else [email] outbox (relative to config.toml)."""
    p = Path(outbox) if outbox is not None else Path(config.email.outbox)
    return p if p.is_absolute() or outbox is not None else config.path.parent / p


def _sender(config: Config, dry_run: bool) -> str:
    if config.email.sender:
        return config.email.sender
    if dry_run:
        return "xxgk-monitor@localhost"
    raise MailError(
        f"{config.path}: key email.sender is empty: set the From address to send the weekly email"
    )


def send_weekly(
    config: Config,
    *,
    as_of: date,
    dry_run: bool = False,
    outbox: str | Path | None = None,
    force: bool = False,
    stop: threading.Event | None = None,
) -> list[SendResult]:
    """Build and send (or, dry, write) this week's digests; returns one SendResult per route, office first.

    Raises MailError before anything is sent when the setup cannot work (no recipients, no sender, a login
    without its password in the environment); a failure of one message is reported in its SendResult.
    """
    routes = routes_from_config(config)
    if not routes:
        raise MailError(f"{config.path}: no recipients: set [email] to, or add [[email.routes]]")
    sender = _sender(config, dry_run)
    settings = SmtpSettings.from_config(config)
    password = None if dry_run else settings.password()
    week = iso_week(as_of)
    db = str(config.db_path)
    journal = storage.EmailLog(db, wait=config.storage.lock_wait)
    if not dry_run:
        journal.flush_spool()  # a previous run's records, spooled while the database was busy
    with storage.open_readonly(db, wait=config.storage.lock_wait) as conn:
        facts = collect_facts(conn, config, as_of=as_of)
        states = storage.email_states(conn, db, week)
    done = {} if force else {k: v for k, v in states.items() if v.state in (storage.SENT, storage.SENDING)}
    results: list[SendResult] = []
    down: list[MailError] = []  # set once no server answered: not tried again for the next recipients
    for route in routes:
        results.append(
            _one(
                config,
                route,
                facts,
                week=week,
                sender=sender,
                done=done,
                dry_run=dry_run,
                outbox=outbox,
                settings=settings,
                password=password,
                stop=stop,
                down=down,
                journal=journal,
            )
        )
    return results


def _one(
    config: Config,
    route: Route,
    facts: WeekFacts,
    *,
    week: str,
    sender: str,
    done: dict[str, storage.EmailSend],
    dry_run: bool,
    outbox: str | Path | None,
    settings: SmtpSettings,
    password: str | None,
    stop: threading.Event | None,
    down: list[MailError],
    journal: storage.EmailLog,
) -> SendResult:
    digest = build_digest(facts, route)
    base = SendResult(route.recipient, route.audience, "", week, late=len(digest.late))
    earlier = done.get(route.recipient)
    if earlier is not None:
        if earlier.state == storage.SENDING:
            note = (
                f"unconfirmed: a run began sending {earlier.message_id} at {earlier.sent_at:%Y-%m-%d %H:%M} "
                "and did not record the outcome; taken as sent (check the mailbox; --force sends again)"
            )
            log.warning("weekly email %s to %s: %s", week, route.recipient, note)
            return replace(base, status=ALREADY_SENT, message_id=earlier.message_id, error=note)
        log.info(
            "weekly email %s to %s: already sent this week (use --force to send again)", week, route.recipient
        )
        return replace(base, status=ALREADY_SENT, message_id=earlier.message_id)
    if not digest.has_news and not route.send_empty:
        log.info("weekly email %s to %s: nothing to report", week, route.recipient)
        return replace(base, status=NOTHING)
    email = config.email
    msg = build_message(
        digest,
        sender=sender,
        to=route.to,
        sender_name=email.sender_name,
        subject_prefix=email.subject,
        now=datetime.now(config.zone),  # the Date header in college time, whatever the machine's zone
    )
    subject, message_id = str(msg["Subject"]), str(msg["Message-ID"])
    if dry_run:
        path = write_eml(msg, outbox_path(config, outbox), week=week, recipient=route.recipient)
        log.info("weekly email %s to %s: written to %s", week, route.recipient, path)
        return replace(base, status=WRITTEN, subject=subject, message_id=message_id, path=path)
    if down:
        error = f"not tried: {down[0]}"
        log.error("weekly email %s to %s: not sent: %s", week, route.recipient, error)
        return replace(base, status=FAILED, subject=subject, message_id=message_id, error=error)
    entry = storage.EmailSend.begin(week, route.recipient, message_id, subject)
    try:
        spooled = journal.record(entry)
    except storage.StorageError as exc:  # without a record it could go out twice: do not send it
        error = f"not sent, since its sending could not be recorded: {exc}"
        log.error("weekly email %s to %s: %s", week, route.recipient, error)
        return replace(base, status=FAILED, subject=subject, message_id=message_id, error=error)
    try:
        refused = send_message(settings, msg, password=password, stop=stop)
    except MailError as exc:
        if exc.unreachable:
            down.append(exc)
        log.error("weekly email %s to %s: not sent: %s", week, route.recipient, exc)
        error = str(exc) + _record(journal, entry.to(storage.FAILED), week, route.recipient, "failure")
        return replace(base, status=FAILED, subject=subject, message_id=message_id, error=error)
    notes = ["refused: " + ", ".join(refused)] if refused else []
    recorded = _record(journal, entry.to(storage.SENT), week, route.recipient, "sending", spooled)
    if recorded:
        notes.append(recorded.strip("; "))
    log.info("weekly email %s to %s: sent %s %s", week, route.recipient, message_id, "; ".join(notes))
    return replace(base, status=SENT, subject=subject, message_id=message_id, error="; ".join(notes))


def _record(
    journal: storage.EmailLog,
    entry: storage.EmailSend,
    week: str,
    recipient: str,
    what: str,
    spooled_before: str | None = None,
) -> str:
    """Record an outcome; a note ('; ...') when it went to the spool or nowhere, else ''."""
    try:
        spooled = journal.record(entry) or spooled_before
    except storage.StorageError as exc:
        note = (
            f"its {what} is not recorded ({exc}); the log still says 'sending', so the next run takes it as "
            "sent" + (" (use --force if it was not)" if entry.state == storage.FAILED else "")
        )
        log.error("weekly email %s to %s: %s", week, recipient, note)
        return "; " + note
    if spooled:
        note = f"recorded in {spooled} ({journal.busy}); moved into the database on the next run"
        log.warning("weekly email %s to %s: %s", week, recipient, note)
        return "; " + note
    return ""
