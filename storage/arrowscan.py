"""Arrow tables handed to DuckDB without loading pyarrow.dataset.

`conn.register(name, pyarrow.Table)` makes DuckDB import pyarrow.dataset (~75 ms of CPU, once per process:
every crawl paid it at its first write, every stored judgement too) for a projection pushdown that our
statements, which read whole batches, do not need. Arrow's C stream interface (`Table.__arrow_c_stream__()`,
a PyCapsule) is read without it, but a stream can be read only once. So:

- `streamed`: a table one statement reads (the ingest batches, a judgement's rows) is registered as a stream;
- `copied`: tables several statements read (the end of a run: f_obs, f_rows) are copied once into
  temporary tables of the connection, dropped at the end of the block.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

import duckdb
import pyarrow as pa


@contextlib.contextmanager
def streamed(conn: duckdb.DuckDBPyConnection, tables: Mapping[str, pa.Table]) -> Iterator[None]:
    """Within the block each table can be read once, by name, in `conn`'s statements."""
    names: list[str] = []
    try:
        for name, table in tables.items():
            conn.register(name, table.__arrow_c_stream__())
            names.append(name)
        yield
    finally:
        for name in names:
            with contextlib.suppress(duckdb.Error):  # the connection may be gone (disk full, damaged)
                conn.unregister(name)


@contextlib.contextmanager
def copied(conn: duckdb.DuckDBPyConnection, tables: Mapping[str, pa.Table]) -> Iterator[None]:
    """Within the block each table is a temporary table of `conn`, read as often as wanted; dropped after."""
    names: list[str] = []
    try:
        for name, table in tables.items():
            with streamed(conn, {f"{name}__stream": table}):
                conn.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}__stream")
            names.append(name)
        yield
    finally:
        for name in names:
            with contextlib.suppress(duckdb.Error):
                conn.execute(f"DROP TABLE IF EXISTS temp.main.{name}")
