"""Runs of a crawl split into jobs (a Scrapyd cluster): what the dispatcher asks of storage.

A cluster crawl records one run per job (its sites, the crawl's one `observed_at`), opened by the dispatcher
with `start_run` and written and finished by the job exactly as a local crawl writes its own. The judgement
takes each site's latest ok run, so a crawl whose sites sit in several runs reads as one crawl of them all.
A job that is lost (its node went down, its process was killed) leaves its run 'running': the dispatcher
marks it interrupted (it never counts, and a late finish of it is refused, so nothing is doubled) and runs
the job again in a new run. A job that fails for good has its sites recorded as not reached in a run of
their own (`record_unreached`): unreachable for that crawl, with the reason, never left to look stale.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from storage import lake
from storage.connection import DEFAULT_WAIT, begin, io_error, open_readonly, open_readwrite
from storage.finalize import finish_in, observation_tables
from storage.runs import start_run
from storage.timeutil import now


def run_outcomes(
    path: str, run_ids: list[int], *, wait: float = DEFAULT_WAIT
) -> dict[int, tuple[str, str, int]]:
    """(status, message, pages) of each run; opened read-write, so a run whose end waits in the spool (the
    file was busy when its job finished) is written first and read as it ended."""
    if not run_ids:
        return {}
    with open_readwrite(path, wait=wait) as conn:
        rows = conn.execute(
            "SELECT run_id, status, coalesce(message, ''), coalesce(pages, 0) FROM runs"
            " WHERE list_contains($ids, run_id)",
            {"ids": list(run_ids)},
        ).fetchall()
    return {int(r): (str(s), str(m), int(n)) for r, s, m, n in rows}


def run_progress(path: str, run_ids: list[int], *, wait: float = 1.0) -> dict[tuple[int, str], int]:
    """Pages each run has written so far, per site: {(run_id, site): pages}. Read-only and brief (a
    progress display): raises DatabaseBusy past `wait`."""
    if not run_ids:
        return {}
    with open_readonly(path, wait=wait) as conn:
        rows = conn.execute(
            "SELECT run_id, site, count(*) FROM fetches WHERE list_contains($ids, run_id) AND role = 'page'"
            " GROUP BY run_id, site",
            {"ids": list(run_ids)},
        ).fetchall()
    return {(int(r), str(s)): int(n) for r, s, n in rows}


def record_unreached(
    path: str, sites: list[str], reason: str, *, observed_at: datetime, wait: float = DEFAULT_WAIT
) -> int:
    """Record that no page of `sites` could be read in the crawl observed at `observed_at`, because `reason`
    (a job that failed or was lost): a finished run with no fetch, whose site snapshots carry the reason.
    Its sites are judged unreachable from it, as a site that answered nothing. Returns its run id."""
    run_id = start_run(path, sites, observed_at=observed_at, wait=wait)
    _finish_unreached(path, run_id, reason, wait=wait)
    return run_id


@lake.retrying
def _finish_unreached(path: str, run_id: int, reason: str, *, wait: float) -> None:
    obs, rows = observation_tables([])
    with open_readwrite(path, wait=wait) as conn:
        try:
            begin(conn, path, wait)
            finish_in(conn, run_id, obs, rows, reason, now())
            conn.execute(
                "UPDATE site_snapshots SET error = $reason WHERE run_id = $run",
                {"reason": reason, "run": run_id},
            )
            conn.execute("COMMIT")
        except Exception as exc:
            with contextlib.suppress(Exception):  # a refused COMMIT has already ended the transaction
                conn.execute("ROLLBACK")
            raise io_error(path, exc, "record the sites not reached in") from exc


def run_is_open(path: str, run_id: int, *, wait: float = DEFAULT_WAIT) -> str | None:
    """None when run `run_id` is still 'running'; else its status (a job started after the dispatcher gave
    it up, say from a restarted node's queue, must not crawl)."""
    with open_readonly(path, wait=wait) as conn:
        found = conn.execute("SELECT status FROM runs WHERE run_id = ?", [run_id]).fetchone()
    if found is None:
        return "missing"
    return None if found[0] == "running" else str(found[0])


def crawl_volume(path: str, *, wait: float = DEFAULT_WAIT) -> list[tuple[datetime, int, int, int]]:
    """Per recorded crawl time (the runs of one crawl, clustered or not, share it): (observed_at, ok runs,
    pages, bytes of bodies fetched) of the ok runs, oldest first."""
    with open_readonly(path, wait=wait) as conn:
        rows = conn.execute(
            "SELECT timezone('UTC', r.observed_at), count(DISTINCT r.run_id),"
            " (SELECT coalesce(sum(pages), 0) FROM runs x"
            "  WHERE x.status = 'ok' AND x.observed_at = r.observed_at),"
            " coalesce(sum(f.bytes), 0)"
            " FROM runs r LEFT JOIN fetches f ON f.run_id = r.run_id"
            " WHERE r.status = 'ok' GROUP BY r.observed_at ORDER BY r.observed_at"
        ).fetchall()
    return [(at, int(n), int(pages), int(size)) for at, n, pages, size in rows]
