"""`xxgk inspect`: what the crawler makes of one page, and why (the kind and the rules that decided it, row
groups, column name, rows and dates, pager, encoding).

Runs `python -m crawler.inspect` as a child process (the monitor never imports the crawler) and relays its
output.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from monitor.cli.common import add_command, config_of


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "inspect",
        "Show what the crawler makes of one page and why it is or is not a column: the kind and the rules "
        "that decided it, the row groups, column name, rows with dates, pager, encoding.",
        "xxgk inspect https://xxgk.example.edu.cn/tzgg/index.htm",
    )
    p.add_argument("target", metavar="URL_OR_FILE", help="a page URL to fetch, or a saved HTML file")
    p.add_argument(
        "--url", metavar="URL", default=None, help="the URL a saved file was fetched from (resolves links)"
    )
    p.add_argument("--json", action="store_true", help="print the parse as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # year-less dates are read against the college's today, not the machine's
    zone = config_of(args).college.timezone
    command = [sys.executable, "-m", "crawler.inspect", args.target, "--timezone", zone]
    if args.url:
        command += ["--url", args.url]
    if args.json:
        command.append("--json")
    # stdout and stderr are inherited: the child's output reaches the user unchanged.
    return subprocess.run(command, stdin=subprocess.DEVNULL, check=False).returncode
