"""`xxgk sql`: read-only SQL on the history database, safe to run while a crawl is writing.

A thin layer over `storage.run_sql`: statements that write, and reads of any file but the database, are
refused there; this module only prints. Text from the web can hold terminal control sequences, so the text
format shows control characters escaped; in CSV, text that a spreadsheet would run as a formula is defused
by the same `cell` as every other CSV of the project (storage.csvcell).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import storage
from monitor.cli.common import add_command, add_db_option, config_of, db_path
from monitor.config import ConfigError, default
from storage.csvcell import cell

FORMATS = ("text", "csv", "json")


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "sql",
        "Run a read-only SQL query on the history database (works while a crawl runs).",
        'xxgk sql "SELECT site, name, state, newest FROM v_column_status ORDER BY site" --format csv',
    )
    p.add_argument(
        "query", help="SQL: SELECT / FROM / SHOW / DESCRIBE ...; statements that write are refused"
    )
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    add_db_option(p)
    p.set_defaults(func=run)


def lock_wait(args: argparse.Namespace) -> float:
    """[storage] lock_wait from the config; the default when --db was given without a config file."""
    try:
        return float(config_of(args).storage.lock_wait)
    except ConfigError:
        if getattr(args, "db", None):
            return float(default("storage", "lock_wait"))
        raise


def college_zone(args: argparse.Namespace) -> str:
    """[college] timezone from the config; its declared default when --db was given without a config file."""
    try:
        return str(config_of(args).college.timezone)
    except ConfigError:
        if getattr(args, "db", None):
            return str(default("college", "timezone"))
        raise


def plain(value: Any, zone: str | None = None) -> str:
    """A value as one safe line of text: control characters (ESC, CR, ...) escaped, NULL as empty; a moment
    (TIMESTAMPTZ) to the second in `zone`, which the table's last line names."""
    if value is None:
        return ""
    if zone and isinstance(value, datetime) and value.tzinfo is not None:
        return f"{value.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M:%S}"
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    text = str(value)
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def _csv_value(value: Any) -> Any:
    """Text (what came from the web) through the shared formula guard; other values as csv writes them."""
    if isinstance(value, str):
        return cell(value)
    return "" if value is None else value


def render(columns: list[str], rows: list[tuple], fmt: str, zone: str | None = None) -> str:
    """The result as text (aligned columns), CSV or JSON (a list of objects).

    Text shows moments in `zone` (the college's) and says so on its last line; CSV and JSON keep the ISO
    form with its offset, for machines."""
    if fmt == "json":
        return json.dumps(
            [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in rows],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(
            [[cell(v) if isinstance(v, str) else ("" if v is None else v) for v in row] for row in rows]
        )
        return out.getvalue().rstrip("\n")
    cells = [[plain(c) for c in columns]] + [[plain(v, zone) for v in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    moments = zone and any(isinstance(v, datetime) and v.tzinfo is not None for row in rows for v in row)
    times = f"; times in {zone}" if moments else ""
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{times})")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def run(args: argparse.Namespace) -> int:
    zone = college_zone(args)
    columns, rows = storage.run_sql(db_path(args), args.query, wait=lock_wait(args), timezone=zone)
    if columns:
        sys.stdout.write(render(columns, rows, args.format, zone) + "\n")
    return 0
