"""The weekly email, end to end: the one function the CLI (`xxgk email`) and the scheduler call.

Facts are read once from the database (read-only), one digest is built per route, and each message is either
sent (then recorded in DuckDB under its ISO week and recipient, so a second run the same week sends nothing
unless forced) or, in a dry run, written to the outbox. One recipient's failure does not stop the others;
but once no SMTP server answered at all, the next recipients are reported failed with that reason instead of
each waiting on the same dead server.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import date
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
    error: str = ""  # why it failed, or which addresses the server refused


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
    with storage.open_readonly(db, wait=config.storage.lock_wait) as conn:
        facts = collect_facts(conn, config, as_of=as_of)
        done = {r.recipient for r in routes if not force and storage.email_sent(conn, week, r.recipient)}
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
    done: set[str],
    dry_run: bool,
    outbox: str | Path | None,
    settings: SmtpSettings,
    password: str | None,
    stop: threading.Event | None,
    down: list[MailError],
) -> SendResult:
    digest = build_digest(facts, route)
    base = SendResult(route.recipient, route.audience, "", week, late=len(digest.late))
    if route.recipient in done:
        log.info(
            "weekly email %s to %s: already sent this week (use --force to send again)", week, route.recipient
        )
        return replace(base, status=ALREADY_SENT)
    if not digest.has_news and not route.send_empty:
        log.info("weekly email %s to %s: nothing to report", week, route.recipient)
        return replace(base, status=NOTHING)
    email = config.email
    msg = build_message(
        digest, sender=sender, to=route.to, sender_name=email.sender_name, subject_prefix=email.subject
    )
    subject, message_id = str(msg["Subject"]), str(msg["Message-ID"])
    if dry_run:
        path = write_eml(msg, outbox_path(config, outbox), week=week, recipient=route.recipient)
        log.info("weekly email %s to %s: written to %s", week, route.recipient, path)
        return replace(base, status=WRITTEN, subject=subject, message_id=message_id, path=path)
    try:
        if down:
            raise MailError(f"not tried: {down[0]}")
        refused = send_message(settings, msg, password=password, stop=stop)
    except MailError as exc:
        if exc.unreachable:
            down.append(exc)
        log.error("weekly email %s to %s: not sent: %s", week, route.recipient, exc)
        return replace(base, status=FAILED, subject=subject, message_id=message_id, error=str(exc))
    storage.record_email_send(
        str(config.db_path), week, route.recipient, message_id, subject, wait=config.storage.lock_wait
    )
    note = "refused: " + ", ".join(refused) if refused else ""
    log.info("weekly email %s to %s: sent %s %s", week, route.recipient, message_id, note)
    return replace(base, status=SENT, subject=subject, message_id=message_id, error=note)
