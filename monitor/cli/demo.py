"""`xxgk demo`: serve the demo colleges, replay weekly crawls, report, write the email (`make demo`)."""

from __future__ import annotations

import argparse
import sys

from monitor.cli.common import add_command, config_of
from monitor.cli.report import parse_day, today
from monitor.demo_run import DemoError, run_demo


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "demo",
        "Run the whole job on the bundled demo colleges with nine weeks of history: serve them offline, "
        "crawl once a week, store, report (text and HTML), "
        "write the email.",
        "xxgk demo --as-of 2026-11-26",
    )
    p.add_argument(
        "--as-of",
        type=parse_day,
        default=None,
        metavar="DATE",
        help="the demo college's today (default: today)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = config_of(args)
    try:
        return run_demo(config, as_of=args.as_of or today(config)).returncode
    except DemoError as exc:
        print(f"xxgk demo: {exc}", file=sys.stderr)
        return 1
