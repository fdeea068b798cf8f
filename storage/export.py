"""`xxgk export`: every table and view written as Parquet or CSV files, one per relation, for other tools.

Parquet is written by DuckDB (COPY). CSV is for spreadsheets too, so its text cells go through the same
`cell` as every CSV of the project (a title starting with = + - @ stays text); values keep DuckDB's own text
form (timestamps, lists), read in batches. `bodies` is exported as text — each page decompressed and decoded
with the encoding its parse found (`content_hash, size, first_run, encoding, text`) — not as the compressed
bytes only this program can read.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from typing import Any

import duckdb

from storage import codec
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
                if name == "bodies":
                    _write_bodies(conn, target, fmt)
                elif fmt == "csv":
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


_BODIES = """
SELECT b.content_hash, b.size, b.first_run, p.encoding, b.codec, b.body
FROM bodies b LEFT JOIN (SELECT content_hash, any_value(encoding) AS encoding FROM page_parses GROUP BY 1) p
  USING (content_hash)
ORDER BY b.first_run, b.content_hash
"""
BODY_COLUMNS = ("content_hash", "size", "first_run", "encoding", "text")


def _body_rows(conn: duckdb.DuckDBPyConnection) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of (content_hash, size, first_run, encoding, text): every stored body as text."""
    result = conn.execute(_BODIES)
    while batch := result.fetchmany(_BATCH // 10):  # bodies are large: smaller batches
        yield [(h, size, run, enc, codec.body_text(c, blob, enc)) for h, size, run, enc, c, blob in batch]


def _write_bodies(conn: duckdb.DuckDBPyConnection, target: str, fmt: str) -> None:
    """`bodies` as text: CSV through `cell` like every text column, Parquet through pyarrow, in batches."""
    if fmt == "csv":
        with open(target, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(BODY_COLUMNS)
            for batch in _body_rows(conn):
                writer.writerows([h, size, run, cell(enc), cell(text)] for h, size, run, enc, text in batch)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = (pa.string(), pa.int32(), pa.int64(), pa.string(), pa.string())
    schema = pa.schema(list(zip(BODY_COLUMNS, types, strict=True)))
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        for batch in _body_rows(conn):
            writer.write_table(
                pa.Table.from_pylist([dict(zip(BODY_COLUMNS, r, strict=True)) for r in batch], schema)
            )
