"""The crawl's spool: what a crawl could not write because another process held the database, kept on disk.

DuckDB lets one process write; an analyst who opens the file for writing (the DuckDB CLI, DBeaver) may hold it
for hours. A crawl that cannot write within `[storage] lock_wait` keeps what it would have written — the
buffered fetches, bodies, parses, rows and links, and the run's end (its column observations, or the mark
interrupted / failed) — in `<db>.pending/run-<run>-<seq>.spool`, and every read-write open of the database
replays those files first, in order, each in one transaction, removing each once it is committed
(`replay`, called by storage.connection.open_readwrite; readers go through it too).

A spool file is written under a temporary name, fsynced, renamed into place and its directory fsynced: it is
whole or absent. It is a magic line, one JSON header line naming each Arrow table (IPC stream bytes) with its
length and sha256, then the tables. A file that does not match its header (cut short by a copy, a damaged
disk) is renamed `*.torn` with a warning and never replayed; a temporary file whose writer died is renamed
`*.torn` too. Replay is idempotent: fetches are inserted only when the run has none for that URL, bodies and
parses only when new (as every flush does), a run's end only when the run is not yet 'ok' (finish) or still
'running' (mark) — so a replay cut off between its commit and the file's removal does nothing twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from storage import lake
from storage.errors import StorageError
from storage.pids import pid_alive
from storage.timeutil import now

log = logging.getLogger("xxgk.storage")

MAGIC = b"XXGK-SPOOL 1\n"
SUFFIX = ".spool"
TORN = ".torn"
_NAME = re.compile(r"^run-(\d+)-(\d+)\.spool$")
_TMP = re.compile(r"^\.tmp-(\d+)-")

# How a run ends, as a spool file says it: finish (the column observations of a complete crawl, with the
# f_obs / f_rows tables) or mark (interrupted / failed, with the reason).
FINISH, MARK = "finish", "mark"


def spool_dir(path: str) -> str:
    """The folder next to the database where writes wait while it is busy (for the shared catalog: next to
    this node's [storage] path)."""
    return (lake.parse(path).local if lake.is_lake(path) else path) + ".pending"


@dataclass(frozen=True, slots=True)
class Spooled:
    """One spool file read back whole: the batches to insert and, in the last file of a run, its end."""

    file: str
    run_id: int
    seq: int
    written_at: datetime
    tables: dict[str, pa.Table]
    end: dict | None  # {"action": finish|mark, "status", "message", "finished_at"} or None

    @property
    def records(self) -> int:
        return sum(t.num_rows for t in self.tables.values())


@dataclass(frozen=True, slots=True)
class Pending:
    """A spool file still waiting for the database (for `xxgk status`); torn ones are listed too."""

    file: str
    run_id: int | None
    torn: bool


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def write(path: str, run_id: int, tables: dict[str, pa.Table], end: dict | None = None) -> str:
    """Keep `tables` (and the run's `end`) in a new spool file of `run_id`, durably; return its path.

    Raises StorageError when the folder or the file cannot be written (then nothing was kept).
    """
    folder = spool_dir(path)
    payloads = [(name, _ipc(table)) for name, table in tables.items()]
    header = {
        "run_id": run_id,
        "written_at": now().isoformat(),
        "pid": os.getpid(),
        "end": end,
        "tables": [[name, len(data), hashlib.sha256(data).hexdigest()] for name, data in payloads],
    }
    blob = MAGIC + json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n"
    for attempt in range(3):  # a replay may remove the emptied folder between makedirs and open
        try:
            return _write_once(folder, run_id, blob, payloads)
        except FileNotFoundError:
            if attempt < 2:
                continue
            raise StorageError(f"cannot keep the crawl's writes in {folder}: the folder vanished") from None
        except OSError as exc:
            raise StorageError(f"cannot keep the crawl's writes in {folder}: {exc.strerror or exc}") from exc
    raise AssertionError("unreachable")


def _write_once(folder: str, run_id: int, blob: bytes, payloads: list[tuple[str, bytes]]) -> str:
    os.makedirs(folder, exist_ok=True)
    seq = 1 + max((s for r, s in _numbers(folder) if r == run_id), default=0)
    final = os.path.join(folder, f"run-{run_id}-{seq:05d}{SUFFIX}")
    tmp = os.path.join(folder, f".tmp-{os.getpid()}-run-{run_id}-{seq:05d}")
    with open(tmp, "wb") as f:
        f.write(blob)
        for _, data in payloads:
            f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, final)
    _fsync_dir(folder)
    return final


def _numbers(folder: str) -> list[tuple[int, int]]:
    out = []
    for name in os.listdir(folder):
        m = _NAME.match(name)
        if m:
            out.append((int(m.group(1)), int(m.group(2))))
    return out


def _fsync_dir(folder: str) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read(file: str) -> Spooled:
    """A spool file read back and checked against its header; raises ValueError when it is not whole."""
    with open(file, "rb") as f:
        data = f.read()
    if not data.startswith(MAGIC):
        raise ValueError("it does not start as a spool file")
    end_of_header = data.find(b"\n", len(MAGIC))
    if end_of_header < 0:
        raise ValueError("its header is cut short")
    try:
        header = json.loads(data[len(MAGIC) : end_of_header])
        entries = [(str(n), int(size), str(digest)) for n, size, digest in header["tables"]]
        run_id, written_at = int(header["run_id"]), datetime.fromisoformat(header["written_at"])
        end = header["end"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"its header is not readable ({exc})") from None
    body = memoryview(data)[end_of_header + 1 :]
    if len(body) != sum(size for _, size, _ in entries):
        raise ValueError(
            f"it holds {len(body)} bytes of tables, its header says {sum(s for _, s, _ in entries)}"
        )
    tables: dict[str, pa.Table] = {}
    at = 0
    for name, size, digest in entries:
        chunk = bytes(body[at : at + size])
        at += size
        if hashlib.sha256(chunk).hexdigest() != digest:
            raise ValueError(f"table {name} does not match its checksum")
        tables[name] = pa.ipc.open_stream(io.BytesIO(chunk)).read_all()
    m = _NAME.match(os.path.basename(file))
    seq = int(m.group(2)) if m else 0
    return Spooled(file, run_id, seq, written_at, tables, end)


def pending(path: str) -> list[Pending]:
    """Spool files waiting next to the database, oldest run first; torn ones (never replayed) too."""
    folder = spool_dir(path)
    names = _names(folder)
    out = []
    for name in names:
        m = _NAME.match(name)
        if m:
            out.append(Pending(os.path.join(folder, name), int(m.group(1)), False))
        elif name.endswith(TORN):
            out.append(Pending(os.path.join(folder, name), None, True))
    out.sort(key=lambda p: (p.torn, p.run_id or 0, p.file))
    return out


def _names(folder: str) -> list[str]:
    """The spool folder's file names, sorted; none when it does not exist."""
    try:
        return sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StorageError(f"cannot read {folder}: {exc.strerror or exc}") from exc


def has_pending(path: str) -> bool:
    """True when a spool file waits to be replayed (a cheap look, for every open)."""
    try:
        with os.scandir(spool_dir(path)) as entries:
            return any(_NAME.match(e.name) or _stale_tmp(e.name) for e in entries)
    except OSError:
        return False


def _stale_tmp(name: str) -> bool:
    """A temporary file whose writer is gone: it was never finished (the crawl died writing it)."""
    m = _TMP.match(name)
    if not m:
        return False
    return not pid_alive(int(m.group(1)))


# One replayed file's transaction: insert its batches, then apply its end. Given by the modules that own those
# statements (storage.ingest, storage.finalize, storage.runs), so that this module holds no SQL of its own.
Apply = Callable[[duckdb.DuckDBPyConnection, str, Spooled], None]


def replay(conn: duckdb.DuckDBPyConnection, path: str, apply: Apply) -> list[Spooled]:
    """Write every whole spool file into the database (`conn` is read-write, the lock is ours), oldest
    first, one transaction each, and remove it; set torn ones aside. Returns what was written.

    A file that cannot be applied for a reason of its own (a run the database does not have) is set aside
    with a warning rather than blocking every later write; a file the database cannot take now (full disk,
    damage) raises, and stays for the next opener.
    """
    folder = spool_dir(path)
    names = _names(folder)
    for name in names:
        if _stale_tmp(name):
            _set_aside(os.path.join(folder, name), "it was being written when its crawl ended")
    found = sorted(
        ((int(m.group(1)), int(m.group(2)), name) for name in names if (m := _NAME.match(name))),
    )
    done: list[Spooled] = []
    for _, _, name in found:
        file = os.path.join(folder, name)
        try:
            spooled = read(file)
        except FileNotFoundError:  # another opener replayed it meanwhile
            continue
        except (OSError, ValueError, pa.ArrowException) as exc:
            _set_aside(file, f"it is not whole: {exc}")
            continue
        conn.execute("BEGIN")
        try:
            if lake.is_lake(path):  # the one writer's turn (storage/lake.py)
                lake.claim(conn, path, 30.0)
            apply(conn, path, spooled)
            conn.execute("COMMIT")
        except (_Unusable, KeyError, ValueError, TypeError, pa.ArrowException) as exc:
            _rollback(conn)
            _set_aside(file, f"it cannot be applied ({exc})")
            continue
        except duckdb.Error as exc:
            _rollback(conn)
            if lake.is_conflict(exc) or lake.is_unreachable(exc):  # the catalog's moment, not the file's
                raise
            if isinstance(exc, _THE_FILES):  # full disk, damage: the database's fault; the file stays
                raise
            _set_aside(file, f"it cannot be applied ({exc})")
            continue
        except BaseException:
            _rollback(conn)
            raise
        with contextlib.suppress(FileNotFoundError):
            os.remove(file)
        done.append(spooled)
        log.warning(
            "run %d: %d records kept in %s while the database was busy are now written to %s",
            spooled.run_id,
            spooled.records,
            file,
            path,
        )
    with contextlib.suppress(OSError):
        _fsync_dir(folder)
        os.rmdir(folder)  # only when empty: nothing else waits
    return done


# DuckDB errors that are the database's (or the disk's), not the spool file's.
_THE_FILES = (
    duckdb.IOException,
    duckdb.FatalException,
    duckdb.TransactionException,
    duckdb.OutOfMemoryException,
)


class _Unusable(StorageError):
    """A spool file that can never be applied to this database (raised by an `Apply`)."""


def unusable(message: str) -> StorageError:
    return _Unusable(message)


def _set_aside(file: str, why: str) -> None:
    aside = file + TORN
    try:
        os.replace(file, aside)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StorageError(f"cannot set aside the spool file {file} ({why}): {exc.strerror or exc}") from exc
    log.warning("spool file %s was not written to the database: %s; kept as %s", file, why, aside)


def _rollback(conn: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(Exception):
        conn.execute("ROLLBACK")
