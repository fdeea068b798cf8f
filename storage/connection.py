"""Opening the DuckDB file: read-write for short writes, read-only for readers, waiting politely on the lock.

DuckDB lets one process write or many processes read, never both: a second process opening the file gets an
`IOException` about a conflicting lock. Every writer here holds the file for one short transaction and closes
it (see docs/schema.md, "Write pattern"), so a blocked opener retries with backoff for up to `wait` seconds
instead of failing. Every other I/O failure (missing directory, read-only file, full disk) becomes a
`StorageError` that names the path.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

from storage import schema
from storage.errors import DatabaseBusy, StorageError

# The on-disk format new files are written in. DuckDB 2.x writes by default a format DuckDB 1.5 cannot read;
# analysts open the file with whatever DuckDB they have, and 1.5 is supported until March 2027, so new files
# are created readable by 1.5. Existing files keep the format they were created with.
STORAGE_COMPATIBILITY_VERSION = "v1.5.0"

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


def io_error(path: str, exc: BaseException, doing: str) -> StorageError:
    """A `StorageError` naming `path` for an operating-system level failure (permissions, disk full, ...)."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return StorageError(f"cannot {doing} database {path}: {text}")


def connect(
    path: str, *, read_only: bool, wait: float = DEFAULT_WAIT, sandbox: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open `path`, retrying while another process holds the lock, for at most `wait` seconds.

    `sandbox` turns DuckDB's external access off: the connection reads the database and nothing else.

    Raises StorageError when the file is missing (read-only), unwritable, or still locked after `wait`.
    """
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


@contextmanager
def raw_connection(
    path: str, *, read_only: bool, wait: float = DEFAULT_WAIT
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection closed on exit, whatever happens; no migration check (migrations.py builds on this)."""
    conn = connect(path, read_only=read_only, wait=wait)
    try:
        yield conn
    except (duckdb.IOException, duckdb.TransactionException) as exc:
        # The disk refused a write (full, read-only, gone) or DuckDB aborted the transaction because of it:
        # nothing of the transaction was committed; say which file, not a traceback.
        raise io_error(path, exc, "write to") from exc
    finally:
        try:
            conn.close()
        except duckdb.Error as exc:  # closing checkpoints: a full disk can show up here
            raise io_error(path, exc, "write") from exc


@contextmanager
def open_readwrite(path: str, *, wait: float = DEFAULT_WAIT) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection with the schema brought up to date; the file is closed (and released) on exit.

    Hold it only for one short transaction: while it is open no other process can read the file.
    """
    with raw_connection(path, read_only=False, wait=wait) as conn:
        try:
            schema.apply(conn, path)
        except duckdb.Error as exc:
            raise io_error(path, exc, "upgrade the schema of") from exc
        yield conn


@contextmanager
def open_readonly(
    path: str, *, wait: float = DEFAULT_WAIT, sandbox: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection: many processes may hold one at once, but no writer can flush meanwhile.

    A file with an older schema is first upgraded by a brief read-write open; a newer one is refused.
    `sandbox` (analysts' SQL) also refuses every file outside the database (see `connect`).
    """
    conn = connect(path, read_only=True, wait=wait, sandbox=sandbox)
    try:
        found = schema.db_version(conn)
        schema.refuse_newer(path, found)
        if found < schema.code_version():
            conn.close()
            with open_readwrite(path, wait=wait):
                pass
            conn = connect(path, read_only=True, wait=wait, sandbox=sandbox)
        yield conn
    finally:
        conn.close()
