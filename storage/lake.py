"""The shared catalog: DuckLake, its catalog in PostgreSQL, its data as Parquet files on a shared path.

Many Scrapyd nodes cannot share one DuckDB file (one writer per file), so a cluster writes into a DuckLake:
the same tables, views and macros, the same SQL, read and written through the same storage functions. Every
storage function takes one `path: str`; a *locator* made by `locator()` names the lake instead of a file:

    ducklake:postgres:host=db.example dbname=xxgk|data_path=/shared/lake/|local=/var/lib/xxgk/x.duckdb

(`local` is the node's own `[storage] path`: the spool of writes the catalog could not take waits in
`<local>.pending/`, on the node that made them, as for a file.)

The extensions come from the `cluster` extra's wheels (duckdb-extension-ducklake, -postgres-scanner), loaded
from their files: nothing is installed or downloaded at run time, and their version must be the running
DuckDB's (pyproject pins both).

DuckLake has no PRIMARY KEY, UNIQUE or CHECK constraints, no sequences or indexes, and only literal column
defaults (none for lists); `dialect()` maps the migrations onto that. Nothing of ours needs the dropped parts:
run ids are max + 1 and content is inserted where absent, both under the one-writer rule below, and every
insert names the columns whose default DuckLake cannot keep.

One writer at a time, as with the file: DuckLake transactions are snapshot-isolated and two concurrent
appends do not conflict, so two nodes could both take run id max + 1 or both insert one body. Every write
transaction therefore first takes the writers' turn (`claim`): PostgreSQL's transaction-scoped advisory lock,
taken in the catalog's own PostgreSQL transaction and so held until the write commits (writers queue, up to
`[storage] lock_wait`, as for the file's lock), then an update of the one row of `lake_writes`, so that any
two write transactions that still overlapped conflict: DuckLake refuses the later commit (`is_conflict`) and
the storage function that wrote runs again from its start (`retrying`), on the new snapshot.
Readers never wait: they read a committed snapshot.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import duckdb

from storage.errors import DatabaseBusy, StorageError

PREFIX = "ducklake:"
CATALOG_PREFIX = "ducklake:postgres:"
ALIAS = "lake"
WRITES_TABLE = "lake_writes"

# (python package of the cluster extra, extension name) in load order: DuckLake reaches PostgreSQL through
# the postgres extension
EXTENSIONS = (
    ("duckdb_extension_postgres_scanner", "postgres_scanner"),
    ("duckdb_extension_ducklake", "ducklake"),
)

# What the postgres extension says when the server cannot be reached (down, restarting, wrong port): worth
# waiting for, as for a file another process holds.
_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "unable to connect",
    "server closed the connection",
    "terminating connection",
    "the database system is starting up",
    "the database system is shutting down",
    "no connection to the server",
    "connection to server",
    "timeout expired",
)


class CatalogUnavailable(DatabaseBusy):
    """The catalog's PostgreSQL could not be reached within the wait (down, restarting): like a busy file,
    a crawl keeps what it could not write in its spool."""


class WriteConflict(StorageError):
    """Another writer committed first; the write runs again (see `retrying`)."""


@dataclass(frozen=True, slots=True)
class Lake:
    catalog: str  # ducklake:postgres:<libpq connection string>
    data_path: str  # the Parquet files' folder, the same path on every node
    local: str  # this node's [storage] path: the spool waits next to it


def is_lake(path: str) -> bool:
    """True when `path` is a lake locator, not a DuckDB file."""
    return path.startswith(PREFIX)


def locator(catalog: str, data_path: str, local: str) -> str:
    """The one string storage functions take for the lake (see the module's doc)."""
    if not catalog.startswith(CATALOG_PREFIX):
        raise StorageError(f"a shared catalog is named {CATALOG_PREFIX}<connection string>, not {catalog!r}")
    if "|" in catalog or "|" in data_path or "|" in local:
        raise StorageError("the catalog, its data path and the local path may not contain '|'")
    return f"{catalog}|data_path={data_path}|local={local}"


def parse(path: str) -> Lake:
    catalog, *parts = path.split("|")
    fields = dict(part.split("=", 1) for part in parts if "=" in part)
    if not catalog.startswith(CATALOG_PREFIX) or not fields.get("data_path") or not fields.get("local"):
        raise StorageError(f"not a shared catalog locator: {describe(path)!r}")
    return Lake(catalog, fields["data_path"], fields["local"])


_SECRET = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.I)


def describe(path: str) -> str:
    """The catalog as said in messages: its connection string without a password."""
    return "shared catalog " + _SECRET.sub(r"\1***", path.split("|", 1)[0])


def extension_file(module: str, name: str) -> str:
    """The extension binary inside its wheel, for this DuckDB's version."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise StorageError(
            f"the shared catalog needs the DuckDB extension {name!r}: install the cluster extra "
            "(pip install 'xxgk-monitor[cluster]')"
        )
    file = os.path.join(
        os.path.dirname(spec.origin), "extensions", f"v{duckdb.__version__}", f"{name}.duckdb_extension"
    )
    if not os.path.exists(file):
        raise StorageError(
            f"the installed {module} has no {name} extension for DuckDB {duckdb.__version__} ({file}): its "
            "version must be DuckDB's (pyproject pins both)"
        )
    return file


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# What PostgreSQL answers when it is up but will never take this catalog string: no point waiting.
_REFUSED = (
    "does not exist",
    "authentication failed",
    "no pg_hba.conf entry",
    "invalid connection option",
    "invalid port",
    'missing "="',
    "could not translate host name",
)


def is_unreachable(exc: BaseException) -> bool:
    """True when PostgreSQL could not be reached (worth waiting for), not when it refused the catalog."""
    text = str(exc).lower()
    return (
        isinstance(exc, duckdb.Error)
        and any(m in text for m in _UNREACHABLE)
        and not any(m in text for m in _REFUSED)
    )


def _is_first_attach_race(exc: BaseException) -> bool:
    """Two processes attaching a new, empty catalog at once both create DuckLake's tables: one loses."""
    text = str(exc).lower()
    return "failed to initialize ducklake" in text and ("duplicate key" in text or "already exists" in text)


def is_conflict(exc: BaseException) -> bool:
    """True when DuckLake refused a commit because a concurrent transaction committed first."""
    return isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower()


# One DuckDB instance per process and lake, with the extensions loaded and the lake attached (about a second
# of work): every open is a new connection (cursor) of it, every close closes only that. The postgres
# extension reconnects by itself after PostgreSQL restarts. Analysts' sandboxed connections get their own.
_ATTACHED: dict[tuple[int, str], duckdb.DuckDBPyConnection] = {}
_ATTACHING = threading.Lock()


def connect(path: str, *, read_only: bool, wait: float, sandbox: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection whose current database is the lake (a new DuckDB for `sandbox`, attached read-only).

    Waits up to `wait` seconds for an unreachable PostgreSQL (CatalogUnavailable after); other failures
    (a bad connection string, authentication, a missing database) are a StorageError at once.
    """
    if sandbox:
        return _attach(path, read_only=True, wait=wait, sandbox=True)
    deadline = time.monotonic() + max(wait, 0.0)
    key = (os.getpid(), path)
    with _ATTACHING:
        base = _ATTACHED.get(key)
        if base is None:
            base = _ATTACHED[key] = _attach(path, read_only=False, wait=wait)
    delay = 0.05
    while True:
        conn = base.cursor()
        try:
            conn.execute("SET enable_progress_bar = false")
            conn.execute(f"USE {ALIAS}")  # reads the latest snapshot: PostgreSQL must answer
            return conn
        except duckdb.Error as exc:
            conn.close()
            _unreachable_or_raise(path, exc, wait, deadline)
            time.sleep(min(delay, max(deadline - time.monotonic(), 0)))
            delay = min(delay * 2, 1.0)


def _unreachable_or_raise(path: str, exc: duckdb.Error, wait: float, deadline: float) -> None:
    """Return (to try again) while PostgreSQL is unreachable and time is left; else raise what it means."""
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    if not (is_unreachable(exc) or _is_first_attach_race(exc)):
        raise StorageError(f"cannot open the {describe(path)}: {first}") from exc
    if deadline - time.monotonic() <= 0:
        raise CatalogUnavailable(
            f"the {describe(path)} cannot be reached ({first}) for {wait:g} s: is its PostgreSQL "
            "running? Try again, or raise storage.lock_wait"
        ) from exc


def _attach(path: str, *, read_only: bool, wait: float, sandbox: bool = False) -> duckdb.DuckDBPyConnection:
    lake = parse(path)
    deadline = time.monotonic() + max(wait, 0.0)
    delay = 0.05
    while True:
        conn = duckdb.connect(
            ":memory:",
            config={
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
            },
        )
        try:
            conn.execute("SET enable_progress_bar = false")  # it would draw on the CLI's stderr
            for module, name in EXTENSIONS:
                conn.execute(f"LOAD {_quote(extension_file(module, name))}")
            options = [f"DATA_PATH {_quote(lake.data_path)}"] + (["READ_ONLY"] if read_only else [])
            conn.execute(f"ATTACH {_quote(lake.catalog)} AS {ALIAS} ({', '.join(options)})")
            conn.execute(f"USE {ALIAS}")
            if sandbox:  # after the attach: the lake's own files stay readable, nothing else is
                conn.execute("SET enable_external_access = false")
            return conn
        except duckdb.Error as exc:
            conn.close()
            _unreachable_or_raise(path, exc, wait, deadline)
            time.sleep(min(delay, max(deadline - time.monotonic(), 0)))
            delay = min(delay * 2, 1.0)
        except BaseException:
            conn.close()
            raise


# ---- the migrations in DuckLake's dialect

_PRIMARY_KEY = re.compile(r"\s+PRIMARY\s+KEY\b", re.I)
_CHECK = re.compile(r"\s+CHECK\s*\(", re.I)
_BOOL_DEFAULT = re.compile(r"\bDEFAULT\s+(true|false)\b", re.I)
_LIST_DEFAULT = re.compile(r"\s+DEFAULT\s+'\[\]'", re.I)


def _drop_checks(sql: str) -> str:
    out: list[str] = []
    pos = 0
    while match := _CHECK.search(sql, pos):
        out.append(sql[pos : match.start()])
        depth, i = 1, match.end()
        while depth and i < len(sql):
            depth += {"(": 1, ")": -1}.get(sql[i], 0)
            i += 1
        pos = i
    out.append(sql[pos:])
    return "".join(out)


def dialect(sql: str) -> str:
    """A migration as DuckLake takes it: no key or check constraints, literal defaults only, none for lists
    (every insert into such a column names it)."""
    sql = _PRIMARY_KEY.sub("", sql)
    sql = _drop_checks(sql)
    sql = _BOOL_DEFAULT.sub(lambda m: f"DEFAULT '{m.group(1).lower()}'", sql)
    return _LIST_DEFAULT.sub("", sql)


BOOTSTRAP = (
    f"CREATE TABLE {WRITES_TABLE} (writes BIGINT NOT NULL)",
    f"INSERT INTO {WRITES_TABLE} VALUES (0)",
)


# PostgreSQL's advisory lock of the write turn, taken in the catalog's own PostgreSQL transaction (DuckLake's
# metadata connection, `__ducklake_metadata_<alias>`), so it is released when the write commits or rolls back.
_TURN_KEY = 0x78786B67_6C616B65  # "xxkglake"
_TRY_TURN = (
    f"SELECT * FROM postgres_query('__ducklake_metadata_{ALIAS}', "
    f"'SELECT pg_try_advisory_xact_lock({_TURN_KEY}) AS got')"
)


def claim(conn: duckdb.DuckDBPyConnection, path: str, wait: float) -> None:
    """Take the writers' turn in the open write transaction (see the module's doc): wait for PostgreSQL's
    advisory lock (so writers queue instead of redoing work), then update the turn row (so a write that
    overlapped another anyway conflicts at commit and runs again)."""
    queue(conn, path, wait)
    conn.execute(f"UPDATE {WRITES_TABLE} SET writes = writes + 1")


def queue(conn: duckdb.DuckDBPyConnection, path: str, wait: float) -> None:
    """Wait for the advisory lock of the writers' turn, held until the open transaction ends."""
    deadline = time.monotonic() + max(wait, 0.0)
    delay = 0.01
    while True:
        row = conn.execute(_TRY_TURN).fetchone()
        if row and row[0]:
            break
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DatabaseBusy(
                f"the {describe(path)} is busy: other writers held the write turn for more than {wait:g} s; "
                "try again, or raise storage.lock_wait"
            )
        time.sleep(min(delay * (0.5 + random.random()), remaining))
        delay = min(delay * 1.5, 0.2)


# ---- running a write again after a conflict

P = ParamSpec("P")
R = TypeVar("R")


def _wait_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> float:
    wait = kwargs.get("wait")
    if wait is None and args and hasattr(args[0], "wait"):
        wait = args[0].wait
    return float(wait) if wait is not None else 30.0


def retrying(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a storage write again from its start while DuckLake refuses its commit for a concurrent writer's,
    until its `wait` (keyword or the object's `.wait`) is spent: then DatabaseBusy, as for a busy file."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        deadline = time.monotonic() + _wait_of(args, kwargs)
        delay = 0.05
        tries = 0
        while True:
            try:
                return fn(*args, **kwargs)
            except WriteConflict as exc:
                tries += 1
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise DatabaseBusy(
                        f"{exc}: other writers' transactions kept conflicting with this one ({tries} tries); "
                        "try again, or raise storage.lock_wait"
                    ) from exc
                time.sleep(min(delay * random.random(), remaining))  # full jitter: writers spread out
                delay = min(delay * 2, 2.0)

    return run
