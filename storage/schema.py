"""Named, numbered schema migrations, recorded in `schema_migrations`, applied whenever the file is opened.

Each `storage/migrations/NNN_name.sql` is applied once, in its own transaction, in number order. An older file
upgrades in place the next time anything opens it (readers open it read-write for a moment to do so); a file
whose schema is newer than this code knows is refused (an older program must not write tables it does not
understand).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources

import duckdb

from storage import lake
from storage.errors import SchemaTooNew
from storage.timeutil import now

_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


@cache
def migrations() -> tuple[Migration, ...]:
    """Every migration shipped with the code, in version order (numbered 1, 2, 3 ... without gaps)."""
    found: list[Migration] = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"storage migrations are not numbered 1..n: {[m.version for m in found]}")
    return tuple(found)


def code_version() -> int:
    """The schema version this code writes and reads."""
    return migrations()[-1].version


def db_version(conn: duckdb.DuckDBPyConnection, *, listing: bool = False) -> int:
    """The schema version recorded in the file (0 for a new, empty file). `listing`: look the table up in the
    catalog first, as inside a transaction (where a missing table would abort it)."""
    if not listing and conn.execute("SELECT current_database()").fetchone() == (lake.ALIAS,):
        # in the lake, listing the catalog costs a round trip per table: ask the table itself
        try:
            row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
        except duckdb.CatalogException:
            return 0
        return int(row[0]) if row else 0
    exists = conn.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations' AND database_name = "
        "current_database()"
    ).fetchone()
    if not exists or exists[0] == 0:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0


def refuse_newer(path: str, found: int) -> None:
    """Raise when the file was written by a newer program than this one."""
    if found > code_version():
        raise SchemaTooNew(
            f"database {path} has schema version {found}, newer than this program knows ({code_version()}): "
            "upgrade xxgk-monitor to use it (the file was not changed)"
        )


def apply(conn: duckdb.DuckDBPyConnection, path: str, *, wait: float = 30.0) -> list[str]:
    """Bring the schema up to date; return the names of the migrations applied (none when already current)."""
    found = db_version(conn)
    refuse_newer(path, found)
    if found == code_version():
        return []
    # In the shared catalog (storage/lake.py): DuckLake's dialect, the writers' turn table created with the
    # first migration and claimed by every later one, as by every write.
    in_lake = lake.is_lake(path)
    table = (
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    if not in_lake:
        conn.execute(table)
    applied: list[str] = []
    for migration in migrations():
        if migration.version <= found:
            continue
        conn.execute("BEGIN")
        try:
            if in_lake:  # one node migrates at a time
                lake.queue(conn, path, wait)
            # another node may have applied it since `found` was read: the transaction's own snapshot says
            if in_lake and db_version(conn, listing=True) >= migration.version:
                conn.execute("COMMIT")
                continue
            if in_lake and migration.version == 1:
                for statement in (lake.dialect(table), *lake.BOOTSTRAP):
                    conn.execute(statement)
            elif in_lake:
                lake.claim(conn, path, wait)
            # the script as text: DuckDB 1.5 expands an ADD COLUMN ... DEFAULT into statements of its own
            # (with a BEGIN and a COMMIT) that cannot be executed one by one inside this transaction
            conn.execute(lake.dialect(migration.sql) if in_lake else migration.sql)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [migration.version, migration.name, _applied_at()],
            )
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):  # a refused COMMIT has already ended the transaction
                conn.execute("ROLLBACK")
            raise
        applied.append(f"{migration.version:03d}_{migration.name}")
    return applied


def _applied_at() -> datetime:
    return now()
