"""`xxgk schedule`: run the crawl and email schedule in the foreground until SIGTERM/SIGINT (for systemd)."""

from __future__ import annotations

import argparse
import logging
import sys

from monitor.cli.common import add_command, config_of


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "schedule",
        "Run the crawl and weekly-email schedule of [schedule] in the foreground; stop with SIGTERM/Ctrl-C.",
        "xxgk --config /etc/xxgk/config.toml schedule",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from monitor.scheduler.daemon import run_daemon
    from monitor.scheduler.logformat import ZoneFormatter

    config = config_of(args)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ZoneFormatter(config.college.timezone))  # college time, named
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    return run_daemon(config)
