"""The weekly email, end to end: the one function the CLI (`xxgk email`) and the scheduler call.

Facts are read once from the database (read-only), one digest is built per route, and each route's
reporters (monitor/mail/reporters: smtp, outbox, 企业微信 and 钉钉 robots) deliver it, or in a dry run write
what they would deliver to the outbox. A sent message is recorded in the send log (storage.email_log)
under its ISO week and recipient, so a second run the same week sends nothing unless forced: recorded as
`sending` before it goes out and `sent` after, so a failure to record the outcome (a busy database, a crash)
can never make the next run send it twice; a database that cannot be written makes the log spool to a file
next to it, and the other recipients are still sent. One recipient's failure does not stop the others;
but once no SMTP server answered at all, the next recipients are reported failed with that reason instead of
each waiting on the same dead server (per reporter: a dead robot does not stop the email).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import duckdb

import storage
from monitor.config import Config
from monitor.report.html import build_report, overview_page
from storage.timeutil import shown

from .digest import WeekFacts, build_digest, iso_week
from .facts import collect_facts
from .message import build_message
from .reporters import SMTP, Outgoing, Reporter
from .reporters.build import build_reporters
from .routing import Route, routes_from_config
from .send import MailError

log = logging.getLogger("xxgk.mail")

# SendResult.status values
SENT, WRITTEN, ALREADY_SENT, NOTHING, FAILED = (
    "sent",
    "written",
    "already_sent",
    "nothing_to_report",
    "failed",
)
# A run began sending it and never recorded how it ended: not sent again (it may have gone out), but not
# known to be sent either; `xxgk email` exits 1 so cron notices, and someone checks the mailbox.
UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True, slots=True)
class SendResult:
    """What became of one recipient's message this week."""

    recipient: str  # the key sends are recorded under: the addresses sorted and joined (smtp), else
    # "<reporter>:<addresses>"
    audience: str  # 信息公开办公室, or the route's name
    status: str  # sent | written | already_sent | unconfirmed | nothing_to_report | failed
    week: str
    late: int = 0  # late columns in the digest
    subject: str = ""
    message_id: str = ""
    path: Path | None = None  # the .eml file of a dry run
    error: str = ""  # why it failed, or which addresses the server refused, or what of its record went wrong
    reporter: str = SMTP  # how it was delivered


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
    """Build and deliver (or, dry, write) this week's digests; one SendResult per route and reporter.

    Raises MailError before anything is sent when the setup cannot work (no recipients, no sender, a login
    or robot without its secret in the environment); a failure of one delivery is reported in its result.
    """
    routes = routes_from_config(config)
    if not routes:
        raise MailError(f"{config.path}: no recipients: set [email] to, or add [[email.routes]]")
    sender = _sender(config, dry_run)
    folder = outbox_path(config, outbox)
    names = {n for r in routes for n in r.reporters}
    reporters = build_reporters(config, names, dry_run=dry_run, outbox=folder, stop=stop)
    week = iso_week(as_of)
    db = config.database
    journal = storage.EmailLog(db, wait=config.storage.lock_wait)
    if not dry_run:
        journal.flush_spool()  # a previous run's records, spooled while the database was busy
    with storage.open_readonly(db, wait=config.storage.lock_wait) as conn:
        facts = collect_facts(conn, config, as_of=as_of)
        states = storage.email_states(conn, db, week)
        overview = _overview(conn, config, as_of) if config.report.attach_html else ()
    done = {} if force else {k: v for k, v in states.items() if v.state in (storage.SENT, storage.SENDING)}
    results: list[SendResult] = []
    for route in routes:
        out = _outgoing(config, route, facts, sender=sender, attachments=overview if route.office else ())
        for name in route.reporters:
            results.append(
                _one(
                    reporters[name],
                    out,
                    week=week,
                    done=done,
                    dry_run=dry_run,
                    outbox=folder,
                    journal=journal,
                    zone=config.college.timezone,
                )
            )
    return results


def _overview(conn: duckdb.DuckDBPyConnection, config: Config, as_of: date) -> tuple[tuple[str, str], ...]:
    """[report] attach_html: the HTML report's overview page of the day, for the office's email."""
    page = overview_page(build_report(conn, config, as_of=as_of), config.report.html_url)
    return ((f"信息公开监测报告-{as_of.isoformat()}.html", page),)


def _outgoing(
    config: Config,
    route: Route,
    facts: WeekFacts,
    *,
    sender: str,
    attachments: Sequence[tuple[str, str]] = (),
) -> Outgoing:
    digest = build_digest(facts, route)
    email = config.email
    msg = build_message(
        digest,
        sender=sender,
        to=route.to,
        sender_name=email.sender_name,
        subject_prefix=email.subject,
        now=datetime.now(config.zone),  # the Date header in college time, whatever the machine's zone
        attachments=attachments,
    )
    return Outgoing(digest, route, str(msg["Subject"]), msg, str(msg["Message-ID"]))


def _one(
    reporter: Reporter,
    out: Outgoing,
    *,
    week: str,
    done: dict[str, storage.EmailSend],
    dry_run: bool,
    outbox: Path,
    journal: storage.EmailLog,
    zone: str,
) -> SendResult:
    route, key = out.route, reporter.key(out.route)
    base = SendResult(key, route.audience, "", week, late=len(out.digest.late), reporter=reporter.name)
    earlier = done.get(key)
    if earlier is not None:
        if earlier.state == storage.SENDING:
            note = (
                f"unconfirmed: a run began sending {earlier.message_id} at {shown(earlier.sent_at, zone)} "
                "and did not record the outcome; not sent again (check the mailbox; --force sends again)"
            )
            log.warning("weekly email %s to %s: %s", week, key, note)
            return replace(base, status=UNCONFIRMED, message_id=earlier.message_id, error=note)
        log.info("weekly email %s to %s: already sent this week (use --force to send again)", week, key)
        return replace(base, status=ALREADY_SENT, message_id=earlier.message_id)
    if not out.digest.has_news and not route.send_empty:
        log.info("weekly email %s to %s: nothing to report", week, key)
        return replace(base, status=NOTHING)
    # The log's row is per message: the email's Message-ID, prefixed by the reporter for the others.
    message_id = out.message_id if reporter.name == SMTP else f"{reporter.name}:{out.message_id}"
    base = replace(base, subject=out.subject, message_id=message_id)
    if dry_run:
        path = reporter.preview(out, outbox)
        log.info("weekly email %s to %s: written to %s", week, key, path)
        return replace(base, status=WRITTEN, path=path)
    if reporter.down is not None:
        error = f"not tried: {reporter.down}"
        log.error("weekly email %s to %s: not sent: %s", week, key, error)
        return replace(base, status=FAILED, error=error)
    entry = storage.EmailSend.begin(week, key, message_id, out.subject)
    try:
        spooled = journal.record(entry)
    except storage.StorageError as exc:  # without a record it could go out twice: do not send it
        error = f"not sent, since its sending could not be recorded: {exc}"
        log.error("weekly email %s to %s: %s", week, key, error)
        return replace(base, status=FAILED, error=error)
    try:
        note = reporter.deliver(out)
    except MailError as exc:
        if exc.unreachable:
            reporter.down = exc
        log.error("weekly email %s to %s: not sent: %s", week, key, exc)
        error = str(exc) + _record(journal, entry.to(storage.FAILED), week, key, "failure")
        return replace(base, status=FAILED, error=error)
    notes = [note] if note else []
    recorded = _record(journal, entry.to(storage.SENT), week, key, "sending", spooled)
    if recorded:
        notes.append(recorded.strip("; "))
    log.info("weekly email %s to %s: sent %s %s", week, key, message_id, "; ".join(notes))
    return replace(base, status=SENT, error="; ".join(notes))


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
