"""`xxgk export`: every table and view of the history database as Parquet or CSV files in a folder."""

from __future__ import annotations

import argparse

import storage
from monitor.cli.common import add_command, add_db_option, db_path
from monitor.cli.sql import college_zone, lock_wait


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "export",
        "Write every table and view of the history database to a folder, one Parquet or CSV file each.",
        "xxgk export --format parquet exported/",
    )
    p.add_argument("dir", metavar="DIR", help="folder to write into (created if missing)")
    p.add_argument(
        "--format", choices=("parquet", "csv"), default="parquet", help="file format (default parquet)"
    )
    add_db_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    written = storage.export(
        db_path(args), args.dir, args.format, wait=lock_wait(args), timezone=college_zone(args)
    )
    for path in written:
        print(path)
    return 0
