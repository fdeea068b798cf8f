"""`xxgk diff`: the visible-text difference between two stored snapshots of a page."""

from __future__ import annotations

import argparse
import sys

import storage
from monitor.cli.common import add_command, add_db_option, db_path
from monitor.cli.sql import college_zone, lock_wait, plain


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "diff",
        "Show what changed on a page between two crawl runs (default: its last change).",
        "xxgk diff http://xxgk.example.edu.cn/info/1074/65321.htm --from 3 --to 7",
    )
    p.add_argument("url", metavar="URL", help="the page, exactly as crawled")
    p.add_argument(
        "--from",
        dest="from_run",
        type=int,
        metavar="RUN",
        help="older run id (default: the snapshot before the last change)",
    )
    p.add_argument("--to", dest="to_run", type=int, metavar="RUN", help="newer run id (default: the latest)")
    add_db_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    text = storage.diff_snapshots(
        db_path(args), args.url, args.from_run, args.to_run, wait=lock_wait(args), zone=college_zone(args)
    )
    if not text:
        print("no difference between the two snapshots")
        return 0
    # page text is hostile: show it without terminal control characters
    sys.stdout.write("".join(plain(line) + "\n" for line in text.splitlines()))
    return 0
