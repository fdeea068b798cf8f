"""`xxgk stats`: the numbers and the 清单 table of the annual report (信息公开年度报告), from storage."""

from __future__ import annotations

import argparse

import storage
from monitor.cli.common import add_command, add_db_option, config_of, db_path
from monitor.cli.report import add_excel_option, csv_form, parse_day, today, write
from monitor.config import ConfigError
from monitor.stats import FORMATS, academic_year, compute, render


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "stats",
        "Count what was published in a statistics year and list every 清单 item with its columns (年度报告).",
        "xxgk stats --year 2026 --format html -o stats-2026.html",
    )
    p.add_argument(
        "--year",
        type=int,
        default=None,
        metavar="YYYY",
        help="the statistics year ending in YYYY: Sept 1 – Aug 31 by default ([stats] year_end); "
        "default: the last year that has ended",
    )
    p.add_argument("--from", dest="start", type=parse_day, default=None, metavar="DATE", help="period start")
    p.add_argument(
        "--to", dest="end", type=parse_day, default=None, metavar="DATE", help="period end (inclusive)"
    )
    p.add_argument(
        "--format", choices=FORMATS, default=None, help="text (default: [stats] format), json, csv, html"
    )
    add_excel_option(p)
    add_db_option(p)
    p.add_argument(
        "--output", "-o", default=None, metavar="FILE", help="write to FILE instead of standard output"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = config_of(args)
    now = today(config)
    if args.start or args.end:
        if not (args.start and args.end):
            raise ConfigError("xxgk stats: give both --from and --to (or --year)")
        if args.year is not None:
            raise ConfigError("xxgk stats: give --year or --from/--to, not both")
        start, end = args.start, args.end
        if end < start:
            raise ConfigError(f"xxgk stats: --to {end} is before --from {start}")
    else:
        year = args.year
        if year is None:
            _, this_end = academic_year(now.year, config.stats.year_end)
            year = now.year if this_end < now else now.year - 1
        start, end = academic_year(year, config.stats.year_end)
    with storage.open_readonly(db_path(args), wait=config.storage.lock_wait) as conn:
        stats = compute(conn, config, start=start, end=end, today=now)
    fmt, style = csv_form(args, config)
    write(render(stats, fmt or config.stats.format, style), args.output)
    return 0
