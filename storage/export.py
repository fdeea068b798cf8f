"""`xxgk export`: every table and view written as Parquet or CSV files, one per relation, for other tools."""

from __future__ import annotations

import os

from storage.connection import DEFAULT_WAIT, open_readonly
from storage.errors import StorageError
from storage.timeutil import set_session_zone

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
                conn.execute(
                    f"COPY (SELECT * FROM {_quote_ident(name)}) TO {_quote_literal(target)} {FORMATS[fmt]}"
                )
            except Exception as exc:
                raise StorageError(f"cannot write {target}: {str(exc).splitlines()[0]}") from exc
            written.append(target)
    return written
