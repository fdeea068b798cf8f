"""`xxgk email`: this week's digest from what is stored (no crawl), to the office and each route's contact."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from monitor.cli.common import add_command, config_of


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "email",
        "Send this week's email of late columns (built from the database; it does not crawl).",
        "xxgk email --dry-run --outbox data/outbox",
    )
    p.add_argument(
        "--as-of",
        type=date.fromisoformat,
        metavar="DATE",
        help="judge as of this day, YYYY-MM-DD (default: today in [college] timezone); its ISO week is sent",
    )
    p.add_argument("--dry-run", action="store_true", help="write .eml files to the outbox instead of sending")
    p.add_argument("--outbox", metavar="DIR", help="where --dry-run writes (default: [email] outbox)")
    p.add_argument(
        "--force", action="store_true", help="send again to recipients already sent this week's email"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from monitor.mail.weekly import FAILED, UNCONFIRMED, send_weekly

    config = config_of(args)
    as_of = args.as_of or config.today()
    results = send_weekly(config, as_of=as_of, dry_run=args.dry_run, outbox=args.outbox, force=args.force)
    for r in results:
        where = f" → {r.path}" if r.path else ""
        note = f" ({r.error})" if r.error else ""
        print(f"{r.week}  {r.audience}  {r.recipient}  {r.status}  {r.late} late{where}{note}")
    unconfirmed = [r.recipient for r in results if r.status == UNCONFIRMED]
    if unconfirmed:  # it may have gone out or not: someone must look, so the exit code says so
        print(
            f"xxgk email: {len(unconfirmed)} message(s) of an earlier run never confirmed sent"
            f" ({', '.join(unconfirmed)}): check the mailbox; --force sends again",
            file=sys.stderr,
        )
    return 1 if unconfirmed or any(r.status == FAILED for r in results) else 0
