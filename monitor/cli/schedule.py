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

    config = config_of(args)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    return run_daemon(config)
