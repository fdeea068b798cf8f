"""`xxgk crawl`: crawl the configured sites (or some of them) once, in a child process, and record the run;
with [cluster] nodes, as Scrapyd jobs on those nodes (monitor/cluster/dispatch.py)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from monitor.cli.common import add_command, config_of
from monitor.crawl_runner import terminate_on_sigterm
from monitor.crawling import crawl_configured


def _iso(text: str) -> str:
    try:
        datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected an ISO date-time such as 2026-09-07T08:00, got {text!r}"
        ) from exc
    return text


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "crawl",
        "Crawl the configured sites once and store what was found.",
        "xxgk crawl --site disclosure",
    )
    p.add_argument(
        "--site",
        action="append",
        metavar="NAME",
        default=None,
        help="crawl only this [[sites]] entry (repeatable; default: every site)",
    )
    p.add_argument(
        "--wait", action="store_true", help="wait for a crawl already running on the database to end"
    )
    p.add_argument(
        "--observed-at",
        type=_iso,
        metavar="ISO",
        default=None,
        help="record the crawl as made at this time (replaying or backfilling history); without an offset "
        "it is [college] timezone time",
    )
    p.add_argument(
        "--local",
        action="store_true",
        help="crawl here, in one child process, even when [cluster] nodes are configured",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = config_of(args)
    if args.site:
        for name in args.site:
            config.site(name)  # an unknown name is a configuration error (exit 2) before anything starts
    with terminate_on_sigterm():  # SIGTERM, like Ctrl-C, stops the crawl cleanly (exit 143 / 130)
        outcome = crawl_configured(
            config,
            args.site,
            local=args.local,
            timeout=None,  # [crawl] crawl_timeout
            wait_lock=args.wait,
            observed_at=args.observed_at,
        )
    run = f"run {outcome.run_id}: " if outcome.run_id is not None else ""
    if outcome.returncode != 0:
        print(f"xxgk crawl: {run}{outcome.reason}", file=sys.stderr)
    elif outcome.note:  # finished, its results waiting in the spool for the database
        print(f"xxgk crawl: {run}{outcome.note}", file=sys.stderr)
    return outcome.returncode
