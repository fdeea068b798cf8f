"""`xxgk report`: judge every column (and every 清单 item) from what is stored, and print the report."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import storage
from monitor.cli.common import add_command, add_db_option, config_of, db_path
from monitor.config import Config, ConfigError
from monitor.judge import judge
from monitor.judgement_rows import NOT_STORED, store_judgement
from monitor.report import FORMATS, render


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "report",
        "Judge every column (fresh, stale, empty, unreachable, blocked) and every 清单 item (missing).",
        "xxgk report --as-of 2026-10-31 --site disclosure --format json\n"
        "  xxgk report --format html --output data/report",
    )
    p.add_argument(
        "--as-of",
        type=parse_day,
        default=None,
        metavar="DATE",
        help="judge the state known on this day, YYYY-MM-DD: crawls up to its end count (default: today)",
    )
    p.add_argument("--site", default=None, metavar="NAME", help="only this site's columns (a [[sites]] name)")
    p.add_argument(
        "--format",
        choices=(*FORMATS, "html"),
        default=None,
        help="text (default: [report] format), json, csv, or html: pages written into the --output folder",
    )
    add_excel_option(p)
    add_db_option(p)
    p.add_argument(
        "--output",
        "-o",
        default=None,
        metavar="FILE",
        help="write to FILE instead of standard output (--format html: the folder for index.html and pages)",
    )
    p.set_defaults(func=run)


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def today(config: Config) -> date:
    """Today in the college's zone (a report run at 01:00 UTC is already tomorrow in Beijing)."""
    return config.today()


def write(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


def add_excel_option(p: argparse.ArgumentParser) -> None:
    """--excel, of the commands that write CSV for people too (`csv_form` reads it)."""
    p.add_argument(
        "--excel",
        action="store_true",
        help="CSV for people: opens in Excel on a Chinese Windows (BOM, Chinese headers and statuses); "
        "implies --format csv; default form: [report] csv_style",
    )


def csv_form(args: argparse.Namespace, config: Config) -> tuple[str | None, str]:
    """(format, CSV style) from --format / --excel and [report] csv_style; --excel with another format: 2."""
    if args.excel:
        if args.format not in (None, "csv"):
            raise ConfigError(
                f"xxgk {args.command}: --excel is a CSV; it cannot go with --format {args.format}"
            )
        return "csv", "excel"
    return args.format, config.report.csv_style


def run(args: argparse.Namespace) -> int:
    config = config_of(args)
    as_of = args.as_of or today(config)
    fmt, style = csv_form(args, config)
    if fmt == "html":
        return run_html(args, config, as_of)
    with storage.open_readonly(db_path(args), wait=config.storage.lock_wait) as conn:
        judgement = judge(conn, config, as_of=as_of, site=args.site)
    write(render(judgement, fmt or config.report.format, style), args.output)
    sys.stdout.flush()  # the report is out before the write waits for the lock
    not_stored = store_judgement(db_path(args), judgement, config)
    if not_stored:
        print(NOT_STORED.format(why=not_stored), file=sys.stderr)
    return 0


def run_html(args: argparse.Namespace, config: Config, as_of: date) -> int:
    """`--format html --output DIR`: the self-contained HTML report, index.html and a page per site/column."""
    from monitor.report.html import build_report, write_report

    if not args.output:
        print("xxgk report: --format html needs --output DIR (the folder for index.html)", file=sys.stderr)
        return 2
    with storage.open_readonly(db_path(args), wait=config.storage.lock_wait) as conn:
        report = build_report(conn, config, as_of=as_of, site=args.site)
    pages = write_report(report, Path(args.output))
    print(f"{pages[0]}（共 {len(pages)} 页）")
    return 0
