"""`xxgk status`: when each scheduled job runs next, how the last runs ended, and the last email sent.

Next run times come from the config (as the daemon would compute them at start-up, including a missed run it
would catch up at once); everything else is read from the database, read-only.
"""

from __future__ import annotations

import argparse
from datetime import datetime, tzinfo

import storage
from monitor.cli.common import add_command, config_of
from monitor.config import Config
from storage.timeutil import shown


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "status",
        "Show when scheduled jobs run next, how the last crawl runs ended, and the last email sent.",
        "xxgk status --runs 5",
    )
    p.add_argument(
        "--runs", type=int, default=10, metavar="N", help="how many recent runs to list (default 10)"
    )
    p.set_defaults(func=run)


def _plain(text: str) -> str:
    """One line without control characters (run messages may quote what a server said)."""
    return "".join(c if c.isprintable() else " " for c in text)


def _t(dt: datetime | None, tz: tzinfo) -> str:
    return dt.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if dt else "—"


def _zone_note(zone: str, schedule: tzinfo) -> str:
    """What the schedule's times are in: the college's zone, and the expressions' own when it differs."""
    own = str(schedule)
    return f"times in {zone}" + (f"; expressions in {own}" if own != zone else "")


def status_lines(config: Config, runs: int, now: datetime) -> list[str]:
    from monitor.scheduler.timetable import last_runs, plan_jobs, schedule_zone

    tz = config.zone  # every time shown is the college's, and says so
    db = config.database
    lines = [f"schedule ({_zone_note(config.college.timezone, schedule_zone(config))})"]
    for p in plan_jobs(config, last_runs(config), now):
        if not p.enabled:
            lines.append(f"  {p.name:<6} off  ({p.reason})")
            continue
        nxt = "now (a run was missed)" if p.missed else _t(p.next_run(now), tz)
        lines.append(f"  {p.name:<6} on   {p.expression!r:<14} next {nxt}   last {_t(p.last_run, tz)}")
    if not storage.exists(db):
        lines += ["", f"no database yet at {db}: no crawl has run"]
        return lines
    with storage.open_readonly(db, wait=config.storage.lock_wait) as conn:
        recent = storage.runs_summary(conn, limit=runs)
        email = storage.last_email(conn)
    lines += ["", f"last runs ({storage.label(db)}; times in {config.college.timezone})"]
    if not recent:
        lines.append("  none yet")
    for r in recent:
        took = f"{(r.finished_at - r.started_at).total_seconds():.0f} s" if r.finished_at else "—"
        lines.append(
            f"  #{r.run_id:<5} {r.status:<11} {_t(r.started_at, tz)}  {took:>7}  pages {r.pages}"
            f"  errors {r.errors}  items {r.items}  {','.join(r.sites)}"
            + (f"  — {_plain(r.message)}" if r.message else "")
        )
    waiting = storage.pending_writes(db)  # the open above wrote what it could: these are still busy or torn
    if waiting:
        lines += ["", "crawl results waiting to be written"]
    for w in waiting:
        if w.torn:
            lines.append(f"  {w.file}: damaged, never written (the run stays interrupted)")
        else:
            lines.append(f"  run {w.run_id}: {w.file} (the database was busy; the next open writes it)")
    lines += ["", "last email"]
    if email is None:
        lines.append("  none sent yet")
    else:
        lines.append(
            f"  {email.week} to {email.recipient} at {shown(email.sent_at, config.college.timezone)}:"
            f" {email.subject}"
        )
        lines.append(f"  {email.message_id}")
    return lines


def run(args: argparse.Namespace) -> int:
    from monitor.scheduler.timetable import schedule_zone

    config = config_of(args)
    now = datetime.now(schedule_zone(config))
    print("\n".join(status_lines(config, args.runs, now)))
    return 0
