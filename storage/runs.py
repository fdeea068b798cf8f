"""Run bookkeeping: a run is inserted 'running', and ends 'ok' (finish_run), 'failed' or 'interrupted'.

A crawl killed with SIGKILL cannot mark itself: the next `start_run` finds runs still 'running' whose process
(same host, recorded pid) no longer exists and marks them 'interrupted'. Their raw fetches stay for
inspection; no derived table ever counts them, because those are written only by `finish_run`. A run that
ends other than 'ok' still gets its `pages` and `errors` counted from the fetches it wrote.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime

import duckdb

from storage import lake
from storage.connection import DEFAULT_WAIT, begin, open_readonly, open_readwrite
from storage.errors import StorageError
from storage.pids import pid_alive
from storage.records import LIMIT_OUTCOMES
from storage.timeutil import aware, now

RUN_STATUSES = ("running", "ok", "failed", "interrupted")

FAILED_OUTCOMES = ("http_error", "network_error", "timeout", "redirect_loop")
FAILED_SQL = "(" + ", ".join(f"'{o}'" for o in FAILED_OUTCOMES) + ")"

# The counts of a run from its fetches, for `UPDATE runs SET ... WHERE run_id = $run`.
# Pages are requests made: those a limit dropped (LIMIT_OUTCOMES) are recorded, but no page of the run.
LIMIT_SQL = "(" + ", ".join(f"'{o}'" for o in LIMIT_OUTCOMES) + ")"
COUNTS_SQL = f"""pages = (SELECT count(*) FROM fetches
                WHERE run_id = $run AND role = 'page' AND outcome NOT IN {LIMIT_SQL}),
       errors = (SELECT count(*) FROM fetches WHERE run_id = $run AND outcome IN {FAILED_SQL})"""


@lake.retrying
def start_run(
    path: str, sites: list[str], *, observed_at: datetime | None = None, wait: float = DEFAULT_WAIT
) -> int:
    """Record a new run 'running' for `sites` and return its id.

    Runs left 'running' by a process of this host that no longer exists are marked 'interrupted' first.
    `observed_at` is the time the crawl is recorded as (default: now); a plan sets it to replay history.
    """
    started = now()
    host = socket.gethostname()
    with open_readwrite(path, wait=wait) as conn:
        begin(conn, path, wait)
        stale = conn.execute(
            "SELECT run_id, pid FROM runs WHERE status = 'running' AND host = ?", [host]
        ).fetchall()
        for run_id, pid in stale:
            if pid is not None and pid != os.getpid() and not pid_alive(pid):
                conn.execute(
                    "UPDATE runs SET status = 'interrupted', finished_at = $at, message = $message,"
                    f" {COUNTS_SQL} WHERE run_id = $run",
                    {
                        "at": started,
                        "message": f"process {pid} ended without finishing the run (killed?)",
                        "run": run_id,
                    },
                )
        row = conn.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()
        run_id = int(row[0]) if row else 1
        conn.execute(
            "INSERT INTO runs (run_id, started_at, observed_at, status, sites, pid, host) "
            "VALUES (?, ?, ?, 'running', ?, ?, ?)",
            [run_id, started, aware(observed_at) if observed_at else started, list(sites), os.getpid(), host],
        )
        conn.execute("COMMIT")
    return run_id


@lake.retrying
def mark_run(
    path: str,
    run_id: int,
    status: str,
    message: str | None = None,
    *,
    wait: float = DEFAULT_WAIT,
    if_running: bool = False,
) -> None:
    """End a run that did not finish normally ('failed' or 'interrupted') with the reason in words, and count
    the pages and errors it fetched.

    A run already 'ok' is left alone (a late failure report must not undo a complete run); with `if_running`,
    so is a run already marked otherwise (the crawl's own account of why it ended is the better one).
    """
    if status not in ("failed", "interrupted"):
        raise ValueError(f"mark_run sets 'failed' or 'interrupted', not {status!r}; finish_run sets 'ok'")
    with open_readwrite(path, wait=wait) as conn:
        found = conn.execute("SELECT status FROM runs WHERE run_id = ?", [run_id]).fetchone()
        if found is None:
            raise StorageError(f"database {path} has no run {run_id}")
        if found[0] == "ok" or (if_running and found[0] != "running"):
            return
        begin(conn, path, wait)
        mark_in(conn, run_id, status, message, now())
        conn.execute("COMMIT")


def mark_in(
    conn: duckdb.DuckDBPyConnection, run_id: int, status: str, message: str | None, at: datetime
) -> None:
    """The statement of `mark_run` on an open connection (also for a mark replayed from the spool)."""
    conn.execute(
        "UPDATE runs SET status = $status, finished_at = coalesce(finished_at, $now), message = $message,"
        f" {COUNTS_SQL} WHERE run_id = $run",
        {"status": status, "now": aware(at), "message": message, "run": run_id},
    )


def sites_down(path: str, run_id: int, *, wait: float = DEFAULT_WAIT) -> tuple[int, list[tuple[str, str]]]:
    """How many sites run `run_id` recorded, and those of them it could read no page of: (site, error).

    A finished run whose every site is down crawled nothing: the crawl command says so and exits 1.
    """
    with open_readonly(path, wait=wait) as conn:
        return sites_down_in(conn, run_id)


def sites_down_in(conn: duckdb.DuckDBPyConnection, run_id: int) -> tuple[int, list[tuple[str, str]]]:
    """`sites_down` on an open connection (the crawl asks it right after finishing its run)."""
    rows = conn.execute(
        "SELECT site, pages_ok, coalesce(error, '') FROM site_snapshots WHERE run_id = ? ORDER BY site",
        [run_id],
    ).fetchall()
    return len(rows), [(site, error) for site, ok, error in rows if ok == 0]
