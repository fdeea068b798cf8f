"""The crawler's write path: buffer fetches and parses in memory, flush Arrow batches in short transactions.

DuckDB lets one process write or many read, never both, so a crawl must not hold the file: `RunWriter` keeps
what the spider produces in column lists and, every `flush_rows` records or `flush_seconds` seconds, opens the
file, inserts each table in one `INSERT ... SELECT` from an Arrow table, commits and closes. Readers (`xxgk
sql`) get in between flushes. Content is stored once: a body whose hash is known, or a parse whose (url, hash)
is known, is skipped inside the same transaction, so an unchanged recrawl adds only its `fetches` rows.

When the file stays busy past `wait` (an analyst holds it for writing), nothing is dropped: a due flush keeps
its batch in the spool next to the database (storage/spool.py), and `close` — the last flush and the run's end
— keeps everything left there too; the next read-write open of the database writes them (`apply_spooled`).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import time
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from storage import codec, lake, spool
from storage.arrowscan import streamed
from storage.connection import DEFAULT_WAIT, begin, io_error, open_readwrite
from storage.errors import DatabaseBusy, StorageError
from storage.finalize import finish_in, finish_on, observation_tables
from storage.records import ColumnObservation, FetchRecord, PageParse
from storage.runs import mark_in, mark_run, sites_down_in
from storage.timeutil import aware, now

log = logging.getLogger(__name__)

_TS = pa.timestamp("us", tz="UTC")

FETCH_SCHEMA = pa.schema(
    [
        ("run_id", pa.int64()),
        ("site", pa.string()),
        ("url", pa.string()),
        ("requested_at", _TS),
        ("outcome", pa.string()),
        ("status", pa.int16()),
        ("bytes", pa.int64()),
        ("elapsed_ms", pa.float32()),
        ("error", pa.string()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("content_hash", pa.string()),
        ("content_type", pa.string()),
        ("final_url", pa.string()),
        ("depth", pa.int16()),
        ("referer", pa.string()),
        ("link_text", pa.string()),
        ("role", pa.string()),
    ]
)
BODY_SCHEMA = pa.schema(
    [
        ("content_hash", pa.string()),
        ("codec", pa.string()),
        ("size", pa.int32()),
        ("body", pa.binary()),
        ("first_run", pa.int64()),
    ]
)
PARSE_SCHEMA = pa.schema(
    [
        ("url", pa.string()),
        ("content_hash", pa.string()),
        ("kind", pa.string()),
        ("encoding", pa.string()),
        ("title", pa.string()),
        ("column_name", pa.string()),
        ("column_name_source", pa.string()),
        ("breadcrumb", pa.list_(pa.string())),
        ("published", pa.date32()),
        ("published_source", pa.string()),
        ("pager_first", pa.string()),
        ("pager_next", pa.string()),
        ("blocked_reason", pa.string()),
        ("text_hash", pa.string()),
        ("first_run", pa.int64()),
        ("pager_partial", pa.bool_()),
        ("menu_script", pa.string()),
    ]
)
ROW_SCHEMA = pa.schema(
    [
        ("url", pa.string()),
        ("content_hash", pa.string()),
        ("pos", pa.int32()),
        ("title", pa.string()),
        ("item_url", pa.string()),
        ("date_shown", pa.date32()),
        ("date_text", pa.string()),
    ]
)
LINK_SCHEMA = pa.schema(
    [
        ("url", pa.string()),
        ("content_hash", pa.string()),
        ("part", pa.string()),
        ("pos", pa.int32()),
        ("link_url", pa.string()),
        ("text", pa.string()),
        ("role", pa.string()),
    ]
)

# One statement per table; each reads a registered Arrow table and skips content already stored.
_INSERTS = (
    ("b_fetches", "INSERT INTO fetches BY NAME SELECT * FROM b_fetches"),
    (
        "b_bodies",
        "INSERT INTO bodies BY NAME SELECT * FROM b_bodies b "
        "WHERE NOT EXISTS (SELECT 1 FROM bodies x WHERE x.content_hash = b.content_hash)",
    ),
    # rows and links before their parse: "not yet in page_parses" is what marks a parse as new
    (
        "b_rows",
        "INSERT INTO page_rows BY NAME SELECT * FROM b_rows b WHERE NOT EXISTS "
        "(SELECT 1 FROM page_parses x WHERE x.url = b.url AND x.content_hash = b.content_hash)",
    ),
    (
        "b_links",
        "INSERT INTO page_links BY NAME SELECT * FROM b_links b WHERE NOT EXISTS "
        "(SELECT 1 FROM page_parses x WHERE x.url = b.url AND x.content_hash = b.content_hash)",
    ),
    (
        "b_parses",
        "INSERT INTO page_parses BY NAME SELECT * FROM b_parses b WHERE NOT EXISTS "
        "(SELECT 1 FROM page_parses x WHERE x.url = b.url AND x.content_hash = b.content_hash)",
    ),
)

# A batch replayed from the spool may have been committed once already (the process died before removing the
# file): its fetches go in only when the run has none for the URL (one fetch per URL per run).
_REPLAYED_FETCHES = (
    "INSERT INTO fetches BY NAME SELECT * FROM b_fetches b "
    "WHERE NOT EXISTS (SELECT 1 FROM fetches x WHERE x.run_id = b.run_id AND x.url = b.url)"
)

# Buffered compressed body bytes that force a flush, whatever the row count (bounds the crawler's memory).
FLUSH_BYTES = 32 * 1024 * 1024


def text_hash(text: str) -> str | None:
    """sha256 (hex) of a page's main text with whitespace collapsed; None when it has none.

    Stored as `page_parses.text_hash`: an article is edited when this changes, not when its body does (a body
    also changes with its prev/next links, sidebars and hit counters whenever anything else is published).
    """
    normal = " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest() if normal else None


class _Columns:
    """Rows kept as one Python list per column: cheap to append, turned into an Arrow table in one call."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.data: dict[str, list[Any]] = {name: [] for name in schema.names}

    def append(self, *values: Any) -> None:
        for column, value in zip(self.data.values(), values, strict=True):
            column.append(value)

    def __len__(self) -> int:
        return len(next(iter(self.data.values())))

    def table(self) -> pa.Table:
        return pa.table(self.data, schema=self.schema)


class RunWriter:
    """Buffers one run's fetches and page parses and writes them in short batched transactions.

    The crawler's pipeline owns one per run: `add_fetch` for every request, `add_page` for every new body
    (not for 304s), `maybe_flush` after each item, and `close` once at the end (the last flush and
    `finish_run` or `mark_run`, or the spool when the database stays busy).
    """

    def __init__(
        self,
        path: str,
        run_id: int,
        *,
        flush_rows: int = 5000,
        flush_seconds: float = 5.0,
        wait: float = DEFAULT_WAIT,
    ) -> None:
        self.path = path
        self.run_id = run_id
        self.flush_rows = flush_rows
        self.flush_seconds = flush_seconds
        self.wait = wait
        # measurements, for the benchmark and the crawl log
        self.rows_written = 0
        self.flushes = 0
        self.seconds_flushing = 0.0
        self.spooled: list[str] = []  # spool files written while the database was busy
        self.records_spooled = 0
        # after an 'ok' close: the sites the run recorded, and those it read no page of (storage.sites_down)
        self.sites_down: tuple[int, list[tuple[str, str]]] | None = None
        self._reset()

    def _reset(self) -> None:
        self._fetches = _Columns(FETCH_SCHEMA)
        self._bodies: dict[str, tuple[int, bytes]] = {}
        self._parses = _Columns(PARSE_SCHEMA)
        self._rows = _Columns(ROW_SCHEMA)
        self._links = _Columns(LINK_SCHEMA)
        self._parse_keys: set[tuple[str, str]] = set()
        self._records = 0
        self._body_bytes = 0
        self._since = time.monotonic()

    @property
    def pending(self) -> int:
        """Records (fetches and pages) buffered and not yet written; a page's rows and links come with it."""
        return self._records

    def add_fetch(self, rec: FetchRecord) -> None:
        """Buffer one request's outcome (exactly one per URL per run)."""
        if not self.pending:
            self._since = time.monotonic()
        self._records += 1
        self._fetches.append(
            self.run_id,
            rec.site,
            rec.url,
            aware(rec.requested_at),
            rec.outcome,
            rec.status,
            rec.bytes,
            rec.elapsed_ms,
            rec.error,
            rec.etag,
            rec.last_modified,
            rec.content_hash,
            rec.content_type,
            rec.final_url,
            rec.depth,
            rec.referer,
            rec.link_text,
            rec.role,
        )

    def add_page(self, parse: PageParse, body: bytes) -> None:
        """Buffer a newly downloaded body (compressed now) and what the extractor made of it."""
        if not self.pending:
            self._since = time.monotonic()
        self._records += 1
        key = (parse.url, parse.content_hash)
        if parse.content_hash not in self._bodies:
            blob = codec.compress(body)
            self._bodies[parse.content_hash] = (len(body), blob)
            self._body_bytes += len(blob)
        if key in self._parse_keys:
            return
        self._parse_keys.add(key)
        url, digest = key
        self._parses.append(
            url,
            digest,
            parse.kind,
            parse.encoding,
            parse.title,
            parse.column_name,
            parse.column_name_source,
            list(parse.breadcrumb),
            parse.published,
            parse.published_source,
            parse.pager_first,
            parse.pager_next,
            parse.blocked_reason,
            text_hash(parse.text),
            self.run_id,
            parse.pager_partial,
            parse.menu_script,
        )
        for pos, row in enumerate(parse.rows):
            self._rows.append(url, digest, pos, row.title, row.url, row.date, row.date_text)
        for pos, link in enumerate(parse.links):
            self._links.append(url, digest, "link", pos, link.url, link.text, link.role)
        for pos, target in enumerate(parse.pager):
            self._links.append(url, digest, "pager", pos, target, "", "pager")
        for pos, link in enumerate(parse.attachments):
            self._links.append(url, digest, "attachment", pos, link.url, link.text, link.role)

    def maybe_flush(self) -> None:
        """Flush when the buffer is big or old enough; when the file is busy, keep buffering and try later."""
        if not self.pending:
            return
        due = (
            self.pending >= self.flush_rows
            or self._body_bytes >= FLUSH_BYTES
            or time.monotonic() - self._since >= self.flush_seconds
        )
        if not due:
            return
        try:
            self.flush()
        except DatabaseBusy as exc:
            kept = self.pending
            file = self.spool()
            log.warning(
                "run %d: %s; %d records kept in %s until it can be written", self.run_id, exc, kept, file
            )

    def _tables(self) -> dict[str, pa.Table]:
        return {
            "b_fetches": self._fetches.table(),
            "b_bodies": pa.table(
                {
                    "content_hash": list(self._bodies),
                    "codec": [codec.CODEC] * len(self._bodies),
                    "size": [size for size, _ in self._bodies.values()],
                    "body": [blob for _, blob in self._bodies.values()],
                    "first_run": [self.run_id] * len(self._bodies),
                },
                schema=BODY_SCHEMA,
            ),
            "b_parses": self._parses.table(),
            "b_rows": self._rows.table(),
            "b_links": self._links.table(),
        }

    @lake.retrying
    def flush(self) -> None:
        """Write everything buffered in one read-write transaction and close the file. Raises StorageError
        (DatabaseBusy when the file stayed busy past `wait`: the buffer is kept)."""
        if not self.pending:
            return
        with open_readwrite(self.path, wait=self.wait) as conn:
            self._flush_on(conn)

    def _flush_on(self, conn: duckdb.DuckDBPyConnection) -> None:
        """`flush` on a read-write connection the caller opened, in a transaction of its own."""
        started = time.perf_counter()
        tables = self._tables()
        rows = sum(t.num_rows for t in tables.values())
        try:
            begin(conn, self.path, self.wait)
            insert_batches(conn, tables)
            conn.execute("COMMIT")
        except StorageError:
            raise
        except Exception as exc:
            _rollback(conn)
            raise io_error(self.path, exc, "write to") from exc
        self._reset()
        self.rows_written += rows
        self.flushes += 1
        self.seconds_flushing += time.perf_counter() - started

    @lake.retrying
    def _finish(
        self,
        obs: pa.Table,
        rows: pa.Table,
        message: str | None,
        *,
        flush: bool,
        notices: dict[str, str] | None = None,
    ) -> None:
        """The last flush and the finish in one open of the file (in the lake: again from here after a
        conflict; a flush already committed is not repeated, its buffer is empty)."""
        with open_readwrite(self.path, wait=self.wait) as conn:
            if flush and self.pending:
                self._flush_on(conn)
                if not lake.is_lake(self.path):
                    # each transaction checkpointed on its own, as when each had its own open: one
                    # checkpoint of both needs a block more of free space (the file grows by it)
                    conn.execute("CHECKPOINT")
            finish_on(conn, self.path, self.run_id, obs, rows, message, wait=self.wait, notices=notices)
            self.sites_down = sites_down_in(conn, self.run_id)

    def spool(self, end: dict | None = None, extra: dict[str, pa.Table] | None = None) -> str:
        """Keep everything buffered (and the run's `end`) in a new spool file; return its path."""
        tables = {name: t for name, t in self._tables().items() if t.num_rows}
        kept = self.pending
        file = spool.write(self.path, self.run_id, {**tables, **(extra or {})}, end)
        self._reset()
        self.spooled.append(file)
        self.records_spooled += kept
        return file

    def close(
        self,
        columns: list[ColumnObservation] | None = None,
        *,
        status: str = "ok",
        message: str | None = None,
        flush: bool = True,
        notices: dict[str, str] | None = None,
    ) -> str | None:
        """Write what is buffered and end the run: finish it with `columns` ('ok', storage.finish_run) or
        mark it `status` ('interrupted', 'failed'). None when all of it is in the database; when the file
        stayed busy past `wait`, everything not written and the run's end are kept in a spool file, written
        by the next read-write open of the database, and its path is returned. Raises other StorageErrors.
        `flush=False` (a run failing because writing failed): only the end is attempted; what is buffered goes
        to the spool only with it. `notices`: per site, the run's word on a menu no one could read
        (storage.finish_run), spooled with the end.
        """
        if status == "ok":
            obs, rows = observation_tables(columns or [])
            extra = {"f_obs": obs, "f_rows": rows}
        else:
            extra = {}
        try:
            if status == "ok":
                self._finish(obs, rows, message, flush=flush, notices=notices)
                return None
            if flush:
                self.flush()
            mark_run(self.path, self.run_id, status, message, wait=self.wait, if_running=True)
            return None
        except DatabaseBusy as exc:
            end = {
                "action": spool.FINISH if status == "ok" else spool.MARK,
                "status": status,
                "message": message,
                "finished_at": now().isoformat(),
                "why": str(exc),
                "notices": notices or {},
            }
            return self.spool(end, extra)


def insert_batches(
    conn: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table], *, replay: bool = False
) -> None:
    """Insert the batch tables (b_fetches, b_bodies, b_parses, b_rows, b_links) in the caller's transaction,
    skipping content already stored; `replay`: fetches already stored for the run are skipped too."""
    for name, statement in _INSERTS:
        table = tables.get(name)
        if table is None or not table.num_rows:
            continue
        with streamed(conn, {name: table}):  # one statement reads it (storage/arrowscan.py)
            conn.execute(_REPLAYED_FETCHES if replay and name == "b_fetches" else statement)


def apply_spooled(conn: duckdb.DuckDBPyConnection, path: str, spooled: spool.Spooled) -> None:
    """Write one spool file inside the caller's transaction: its batches, then its run's end, if any.

    Idempotent: a run already 'ok' is not finished again, a run no longer 'running' is not marked again.
    The run's message says its results were written late, from which file.
    """
    rows = conn.execute("SELECT status FROM runs WHERE run_id = ?", [spooled.run_id]).fetchall()
    if not rows:
        raise spool.unusable(f"the database has no run {spooled.run_id}")
    found = rows[0]
    insert_batches(conn, spooled.tables, replay=True)
    end = spooled.end
    if end is None:
        return
    note = f"written late from {os.path.basename(spooled.file)}: the database was busy when the crawl ended"
    message = "; ".join(m for m in (end.get("message"), note) if m)
    at = datetime.fromisoformat(end["finished_at"])
    if end["action"] == spool.FINISH:
        if found[0] != "ok":  # 'interrupted' when a crawl started before this file could be written
            tables, notices = spooled.tables, end.get("notices") or {}
            finish_in(conn, spooled.run_id, tables["f_obs"], tables["f_rows"], message, at, notices)
    elif found[0] == "running":
        mark_in(conn, spooled.run_id, end["status"], message, at)


def _rollback(conn: Any) -> None:
    # the connection may already be invalidated (disk full): closing discards the transaction anyway
    with contextlib.suppress(Exception):
        conn.execute("ROLLBACK")
