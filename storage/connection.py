"""Opening the DuckDB file: read-write for short writes, read-only for readers, waiting politely on the lock.

DuckDB lets one process write or many processes read, never both: a second process opening the file gets an
`IOException` about a conflicting lock. Every writer here holds the file for one short transaction and closes
it (see docs/schema.md, "Write pattern"), so a blocked opener retries with backoff for up to `wait` seconds
instead of failing. Every other I/O failure (missing directory, read-only file, full disk) becomes a
`StorageError` that names the path.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

from storage import lake, schema, spool
from storage.errors import DatabaseBusy, DatabaseDamaged, DiskFull, StorageError

# The on-disk format new files are written in. DuckDB 2.x writes by default a format DuckDB 1.5 cannot read;
# analysts open the file with whatever DuckDB they have, and 1.5 is supported until March 2027, so new files
# are created readable by 1.5. Existing files keep the format they were created with.
STORAGE_COMPATIBILITY_VERSION = "v1.5.0"

log = logging.getLogger("xxgk.storage")

# Seconds a reader or writer waits for another process's lock before giving up, when the caller does not say:
# the default of the config's storage.lock_wait (monitor/config/keys.py, which storage cannot import; a test
# keeps the two equal).
DEFAULT_WAIT = 30.0

# Another process holds the file; or, within this process, another thread holds it in the other mode (DuckDB
# refuses a second connection "with a different configuration" until the first one closes).
_LOCK_MARKERS = ("could not set lock", "conflicting lock", "different configuration")


def _config(read_only: bool, sandbox: bool = False) -> dict[str, Any]:
    config: dict[str, Any] = {
        "autoinstall_known_extensions": False,  # nothing is downloaded at run time
    }
    if sandbox:  # analysts' SQL: no file but the database itself (read_text, glob, ATTACH, COPY, extensions)
        config["enable_external_access"] = False
    if not read_only:
        config["storage_compatibility_version"] = STORAGE_COMPATIBILITY_VERSION
    return config


def is_lock_error(exc: BaseException) -> bool:
    """True when `exc` is DuckDB refusing the file because another process holds it."""
    return isinstance(exc, duckdb.Error) and any(m in str(exc).lower() for m in _LOCK_MARKERS)


# What DuckDB says about a file that is not a whole database (truncated, overwritten, a bad block); after a
# fatal error the whole database instance is invalidated, and every later statement says so.
_DAMAGE_MARKERS = (
    "corrupt",
    "checksum",
    "not a valid duckdb database",
    "could not read enough bytes",
    "failed to rollback",
    "database has been invalidated",
    "data corruption",
)
_FULL_MARKERS = ("no space left", "disk full", "disk quota exceeded", "file too large")


def is_damage(exc: BaseException) -> bool:
    """True when `exc` is DuckDB finding the file damaged (or invalidated after such a finding)."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.Error) and (
        isinstance(exc, duckdb.FatalException) or any(m in text for m in _DAMAGE_MARKERS)
    )


def exists(path: str) -> bool:
    """Whether there is a history to read: the file exists (a shared catalog is asked when opened)."""
    return lake.is_lake(path) or os.path.exists(path)


def label(path: str) -> str:
    """The database as messages name it: `database <file>` or `shared catalog <connection, no password>`."""
    return lake.describe(path) if lake.is_lake(path) else f"database {path}"


def io_error(path: str, exc: BaseException, doing: str) -> StorageError:
    """A `StorageError` naming `path` for a failure of the file itself: damaged (`DatabaseDamaged`), a full
    disk (`DiskFull`), permissions, a vanished mount ...; in the shared catalog, a commit refused for a
    concurrent writer's (`lake.WriteConflict`: the write runs again) or PostgreSQL gone
    (`lake.CatalogUnavailable`)."""
    if isinstance(exc, StorageError):
        return exc
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if lake.is_lake(path):
        text = lines[0] if lines else type(exc).__name__
        if lake.is_conflict(exc):
            return lake.WriteConflict(f"cannot {doing} the {lake.describe(path)} now: {text}")
        if lake.is_unreachable(exc):
            return lake.CatalogUnavailable(f"cannot {doing} the {lake.describe(path)}: {text}")
        return StorageError(f"cannot {doing} the {lake.describe(path)}: {text}")
    if is_damage(exc):
        detail = next((line for line in lines if "corrupt" in line.lower()), lines[0] if lines else "")
        return DatabaseDamaged(
            f"database {path} is damaged ({detail}): restore it from a backup, or move it away and crawl "
            "again to start a new history"
        )
    text = lines[0] if lines else type(exc).__name__
    if isinstance(exc, OSError | duckdb.Error) and any(m in str(exc).lower() for m in _FULL_MARKERS):
        return DiskFull(f"cannot {doing} database {path}: the disk is full ({text}); free some space")
    return StorageError(f"cannot {doing} database {path}: {text}")


def _translated(path: str, exc: BaseException, *, writing: bool) -> StorageError | None:
    """The StorageError for a DuckDB error raised while a connection was in use, or None for a bug of ours
    (a syntax, binder or constraint error is not the file's fault and keeps its traceback). A reader's I/O
    error other than damage may be its own query's (a file it named), not the database's."""
    if lake.is_lake(path) and (lake.is_conflict(exc) or lake.is_unreachable(exc)):
        return io_error(path, exc, "write to" if writing else "read")
    if is_damage(exc):
        return io_error(path, exc, "read")
    if writing and isinstance(exc, duckdb.IOException | duckdb.TransactionException):
        return io_error(path, exc, "write to")
    return None


def connect(
    path: str, *, read_only: bool, wait: float = DEFAULT_WAIT, sandbox: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open `path`, retrying while another process holds the lock, for at most `wait` seconds.

    `sandbox` turns DuckDB's external access off: the connection reads the database and nothing else.

    Raises StorageError when the file is missing (read-only), unwritable, or still locked after `wait`.
    A lake locator (storage/lake.py) opens the shared catalog instead.
    """
    if lake.is_lake(path):
        return lake.connect(path, read_only=read_only, wait=wait, sandbox=sandbox)
    if read_only and not os.path.exists(path):
        raise StorageError(f"no database at {path}: run a crawl first (or check the path)")
    if not read_only:
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise StorageError(f"cannot create database {path}: directory {parent} does not exist")
    deadline = time.monotonic() + max(wait, 0.0)
    delay = 0.01
    while True:
        try:
            conn = duckdb.connect(path, read_only=read_only, config=_config(read_only, sandbox))
            conn.execute("SET enable_progress_bar = false")  # it would draw on the CLI's stderr
            return conn
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise io_error(path, exc, "open") from exc
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                who = "reading" if read_only else "writing"
                raise DatabaseBusy(
                    f"database {path} is busy: another process held it for more than {wait:g} s "
                    f"(waiting for {who}); try again, or raise storage.lock_wait"
                ) from exc
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 0.25)


def begin(conn: duckdb.DuckDBPyConnection, path: str, wait: float = DEFAULT_WAIT) -> None:
    """Open the write transaction; in the shared catalog also take the writers' turn (storage/lake.py),
    waiting for it at most `wait` seconds (DatabaseBusy after, as for a busy file)."""
    conn.execute("BEGIN")
    if lake.is_lake(path):
        lake.claim(conn, path, wait)


@contextmanager
def raw_connection(
    path: str, *, read_only: bool, wait: float = DEFAULT_WAIT
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection closed on exit, whatever happens; no migration check (migrations.py builds on this)."""
    conn = connect(path, read_only=read_only, wait=wait)
    try:
        yield conn
    except duckdb.Error as exc:
        # The disk refused a write (full, read-only, gone), DuckDB aborted the transaction because of it, or
        # the file turned out damaged: nothing of the transaction was committed; say which file, not a
        # traceback.
        known = _translated(path, exc, writing=not read_only)
        if known is None:
            raise
        raise known from exc
    finally:
        try:
            conn.close()
        except duckdb.Error as exc:  # closing checkpoints: a full disk can show up here
            raise io_error(path, exc, "write") from exc


@contextmanager
def open_readwrite(path: str, *, wait: float = DEFAULT_WAIT) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection with the schema brought up to date and the spool of crawls that found the file
    busy written first (storage/spool.py); the file is closed (and released) on exit.

    Hold it only for one short transaction: while it is open no other process can read the file.
    """
    with raw_connection(path, read_only=False, wait=wait) as conn:
        _up_to_date(conn, path, wait=wait)
        yield conn


@lake.retrying
def _up_to_date(conn: duckdb.DuckDBPyConnection, path: str, *, wait: float) -> None:
    """The schema upgraded and the spool written (in the lake: again, when another node did it first)."""
    try:
        schema.apply(conn, path, wait=wait)
    except duckdb.Error as exc:
        raise io_error(path, exc, "upgrade the schema of") from exc
    if spool.has_pending(path):
        _replay(conn, path)


def _bring_up_to_date(path: str, *, wait: float) -> None:
    """A brief read-write open: the schema upgraded, the spool written."""
    with open_readwrite(path, wait=wait):
        pass


# How one spool file is written (storage.ingest.apply_spooled, whose statements build on this module): set by
# the package (storage/__init__.py) as it loads, before anything can open a database.
APPLY_SPOOLED: spool.Apply | None = None


def _replay(conn: duckdb.DuckDBPyConnection, path: str) -> None:
    if APPLY_SPOOLED is None:
        raise RuntimeError("storage.connection.APPLY_SPOOLED is not set: import the storage package")
    try:
        spool.replay(conn, path, APPLY_SPOOLED)
    except duckdb.Error as exc:
        raise io_error(path, exc, "write the spooled crawl into") from exc


@contextmanager
def open_readonly(
    path: str, *, wait: float = DEFAULT_WAIT, sandbox: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection: many processes may hold one at once, but no writer can flush meanwhile.

    A file with an older schema is first upgraded by a brief read-write open; a newer one is refused. A
    crawl's spool waiting next to the file is written first the same way; if the file cannot be written now
    (another reader holds it), the reader goes on without it and a warning says so.
    `sandbox` (analysts' SQL) also refuses every file outside the database (see `connect`).
    """
    conn = connect(path, read_only=True, wait=wait, sandbox=sandbox)
    try:
        try:
            found = schema.db_version(conn)
        except duckdb.Error as exc:
            raise io_error(path, exc, "read") from exc
        schema.refuse_newer(path, found)
        upgrade = found < schema.code_version()
        if upgrade or spool.has_pending(path):
            conn.close()
            try:
                _bring_up_to_date(path, wait=wait)
            except DatabaseBusy as exc:
                if upgrade:
                    raise
                log.warning(
                    "%s: what is kept in %s is not written yet, so it is not read either",
                    exc,
                    spool.spool_dir(path),
                )
            conn = connect(path, read_only=True, wait=wait, sandbox=sandbox)
        try:
            yield conn
        except duckdb.Error as exc:  # a damaged block found by a query: the file's fault, said in one line
            known = _translated(path, exc, writing=False)
            if known is None:
                raise
            raise known from exc
    finally:
        conn.close()
