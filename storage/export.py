"""`xxgk export`: every table and view written as Parquet or CSV files, one per relation, for other tools.

Parquet is written by DuckDB (COPY). CSV is for spreadsheets too, so its text cells go through the same
`cell` as every CSV of the project (a title starting with = + - @ stays text); values keep DuckDB's own text
form (timestamps, lists, BLOBs in hex escapes), read in batches.
"""

from __future__ import annotations

import csv
import os

import duckdb

from storage.connection import DEFAULT_WAIT, open_readonly
from storage.csvcell import cell
from storage.errors import StorageError
from storage.timeutil import set_session_zone

_BATCH = 10_000

FORMATS = {"parquet": "(FORMAT parquet, COMPRESSION zstd)", "csv": "(FORMAT csv, HEADER true)"}


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def export(
    path: str, out_dir: str, fmt: str, *, wait: float = DEFAULT_WAIT, timezone: str | None = None
) -> list[str]:
    """Write every table and view of the database at `path` into `out_dir` as NAME.parquet or NAME.csv.

    Returns the files written, in name order. Views are exported as they read at export time. CSV writes
    timestamps with their offset in `timezone` (the college's; default the machine's).
    """
    if fmt not in FORMATS:
        raise StorageError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create export directory {out_dir}: {exc.strerror}") from exc
    written: list[str] = []
    with open_readonly(path, wait=wait) as conn:
        set_session_zone(conn, timezone)
        names = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
                " AND schema_name = 'main' AND NOT internal"
                " UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = current_database()"
                " AND schema_name = 'main' AND NOT internal ORDER BY 1"
            ).fetchall()
        ]
        for name in names:
            target = os.path.join(out_dir, f"{name}.{fmt}")
            try:
                if fmt == "csv":
                    _write_csv(conn, name, target)
                else:
                    source = f"(SELECT * FROM {_quote_ident(name)})"
                    conn.execute(f"COPY {source} TO {_quote_literal(target)} {FORMATS[fmt]}")
            except Exception as exc:
                raise StorageError(f"cannot write {target}: {str(exc).splitlines()[0]}") from exc
            written.append(target)
    return written


def _write_csv(conn: duckdb.DuckDBPyConnection, name: str, target: str) -> None:
    """One relation as CSV with a header: every value as DuckDB's text, text columns defused by `cell`."""
    described = conn.execute(f"DESCRIBE SELECT * FROM {_quote_ident(name)}").fetchall()
    columns = [str(r[0]) for r in described]
    text = [str(r[1]) == "VARCHAR" for r in described]
    select = ", ".join(f"CAST({_quote_ident(c)} AS VARCHAR)" for c in columns)
    result = conn.execute(f"SELECT {select} FROM {_quote_ident(name)}")
    with open(target, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        while batch := result.fetchmany(_BATCH):
            writer.writerows(
                [cell(v) if t else ("" if v is None else v) for v, t in zip(row, text, strict=True)]
                for row in batch
            )
