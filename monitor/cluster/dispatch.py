"""`xxgk crawl` on a Scrapyd cluster: split the plan into jobs, schedule them, watch them, finish one crawl.

1. The crawl lock of the database is taken (one crawl at a time, local or clustered), the plan is written
   to the shared folder with the crawl's one `observed_at`, and the nodes are checked (up, our egg version:
   monitor/cluster/nodes.py). No usable node: the crawl fails before any run is opened.
2. The plan is split by host (monitor/cluster/split.py). Each job gets a run of its own in storage (its
   sites, the crawl's `observed_at`), then is scheduled (`schedule.json`: plan, run id, sites, egg version)
   on the node with the fewest unfinished jobs.
3. Every `[cluster] poll_interval` the nodes' `listjobs.json` says where each job is. A finished job is
   judged by its run in storage (Scrapyd does not keep exit codes): `ok` is done; `failed` has failed;
   `interrupted`, or still `running` once its process is gone (killed), is lost. A node that fails to answer
   twice in a row is down and its unfinished jobs are lost.
4. A lost job's run is marked interrupted (it never counts, and a late finish of it is refused, so nothing is
   doubled), the job is cancelled on its node if that still answers, and it runs again in a new run on
   another node, up to `[cluster] attempts` times.
5. When every job has ended, the sites of each job that failed or stayed lost are recorded unreachable for
   this crawl with the reason (storage.record_unreached), never left to look stale. The crawl is ok (exit 0)
   only if every job ended ok; otherwise exit 1 naming each failed job.

Ctrl-C or SIGTERM cancels every unfinished job and marks its run interrupted (exit 130 / 143); past
`[crawl] crawl_timeout` the unfinished jobs are cancelled and fail. The monitor never imports the crawler:
it talks HTTP to Scrapyd and reads storage.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from monitor.cluster.egg import egg_version
from monitor.cluster.nodes import NodeState, check_nodes
from monitor.cluster.progress import Board
from monitor.cluster.scrapyd import NodeDown, NodeError
from monitor.cluster.split import split_jobs
from monitor.crawl_runner import CrawlLock, CrawlOutcome, Terminated

SPIDER = "college"
DOWN_AFTER = 2  # API calls in a row a node may fail to answer before it counts as down
PROGRESS_EVERY = 3.0  # seconds between two reads of the pages written so far


@dataclass(slots=True)
class Job:
    index: int
    sites: list[str]
    attempt: int = 0
    node: NodeState | None = None
    job_id: str = ""
    run_id: int | None = None
    runs: list[int] = field(default_factory=list)  # every attempt's run
    state: str = "new"  # new | queued | running | finished (checking) | ok | failed | lost
    reason: str = ""
    pages: int = 0
    site_pages: dict[str, int] = field(default_factory=dict)

    @property
    def ended(self) -> bool:
        return self.state in ("ok", "failed")


def shared_dir(config: Any) -> Path:
    given = config.cluster.shared_dir
    if not given:
        db = Path(config.db_path).resolve()
        return db.with_name(db.name + ".cluster")
    path = Path(given)
    return (path if path.is_absolute() else config.path.parent / path).resolve()


def _observed(config: Any, observed_at: str | None) -> datetime:
    if observed_at:
        moment = datetime.fromisoformat(observed_at)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=config.zone)
    return datetime.now(config.zone).replace(microsecond=0)


def run_cluster_crawl(
    config: Any,
    sites: list[str] | None,
    *,
    timeout: float | None = None,
    wait_lock: bool = False,
    observed_at: str | None = None,
    progress: str = "auto",
    out: TextIO | None = None,
) -> CrawlOutcome:
    """Crawl `sites` (all when None) on the [cluster] nodes and wait for every job; see the module doc."""
    db = Path(config.db_path).resolve()
    lock = CrawlLock(db)
    refused = lock.acquire(wait_lock)
    if refused:
        return CrawlOutcome(75 if lock.busy else 1, None, refused)
    try:
        dispatch = Dispatch(config, db, sites, _observed(config, observed_at), progress, out or sys.stderr)
        if timeout is not None:
            dispatch.limit = float(timeout)
        return dispatch.run()
    finally:
        lock.release()


class Dispatch:
    def __init__(
        self, config: Any, db: Path, sites: list[str] | None, observed: datetime, progress: str, out: TextIO
    ):
        import storage  # DuckDB and Arrow: loaded only for a crawl

        self.storage = storage
        self.config = config
        self.cluster = config.cluster
        self.db = config.database if config.storage.catalog else str(db)  # the file, or the shared catalog
        self.wait = float(config.storage.lock_wait)
        self.observed = observed
        self.plan = config.plan(sites, observed_at=observed.isoformat(), progress="log")
        self.plan["db_path"] = self.db
        self.version = egg_version()
        self.stamp = observed.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
        self.jobs = [
            Job(i + 1, s) for i, s in enumerate(split_jobs(self.plan["sites"], self.cluster.job_sites))
        ]
        self.nodes: list[NodeState] = []
        self.board = Board(out, progress)
        self.plan_path = ""
        self.limit = float(config.crawl.crawl_timeout)

    # -- the crawl -------------------------------------------------------------------------------------------

    def run(self) -> CrawlOutcome:
        self.nodes = check_nodes(
            self.cluster.nodes, self.cluster.project, self.version, self.cluster.node_timeout
        )
        for node in self.nodes:
            if not node.usable:
                self.board.say(node.why)
        if not any(n.usable for n in self.nodes):
            return CrawlOutcome(1, None, "no Scrapyd node can crawl: " + "; ".join(n.why for n in self.nodes))
        folder = shared_dir(self.config)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            plan_file = folder / f"plan-{self.stamp}.json"
            plan_file.write_text(json.dumps(self.plan, ensure_ascii=False, indent=2), encoding="utf-8")
        except OSError as exc:
            return CrawlOutcome(1, None, f"cannot write the crawl plan into {folder}: {exc.strerror or exc}")
        self.plan_path = str(plan_file)
        usable = sum(n.usable for n in self.nodes)
        self.board.say(
            f"cluster crawl: {len(self.plan['sites'])} sites in {len(self.jobs)} jobs on {usable} Scrapyd"
            f" nodes, egg {self.version}, observed at {self.observed.isoformat()}"
        )
        started = time.monotonic()
        limit = self.limit
        try:
            for job in self.jobs:
                self._schedule(job)
            while not all(job.ended for job in self.jobs):
                if time.monotonic() - started > limit:
                    self._give_up(f"the crawl timed out after {limit:g} s")
                    break
                self._sleep(self.cluster.poll_interval)
                self._poll()
                self._progress()
        except KeyboardInterrupt:
            return self._stopped(130, "interrupted (SIGINT, Ctrl-C)")
        except Terminated:
            return self._stopped(143, "stopped by SIGTERM")
        finally:
            with contextlib.suppress(OSError):
                plan_file.unlink()
        return self._finish(time.monotonic() - started)

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            time.sleep(min(left, 0.25))
            self.board.tick(self.jobs, self.nodes)

    # -- scheduling ------------------------------------------------------------------------------------------

    def _pick(self, avoid: NodeState | None) -> NodeState | None:
        live = [n for n in self.nodes if n.usable]
        others = [n for n in live if n is not avoid] or live
        return min(others, key=lambda n: len(n.active)) if others else None

    def _schedule(self, job: Job, avoid: NodeState | None = None) -> None:
        """Open the job's run and schedule it on the least busy usable node (another than `avoid` if any)."""
        while True:
            node = self._pick(avoid)
            if node is None:
                self._fail(job, job.reason or "no Scrapyd node is left to run it")
                return
            if job.run_id is None:
                job.run_id = self.storage.start_run(
                    self.db, job.sites, observed_at=self.observed, wait=self.wait
                )
                job.runs.append(job.run_id)
            job.attempt += 1
            job.job_id = f"xxgk-{self.stamp}-{job.index:03d}-{job.attempt}"
            args = {
                "plan": self.plan_path,
                "run_id": str(job.run_id),
                "sites": ",".join(job.sites),
                "egg": self.version,
            }
            try:
                node.node.schedule(self.cluster.project, SPIDER, self.version, job.job_id, args)
            except (NodeDown, NodeError) as exc:
                job.attempt -= 1
                self._node_lost(node, f"scheduling failed: {exc}")
                continue
            job.node, job.state = node, "queued"
            node.active.add(job.job_id)
            self.board.event(job, f"scheduled on {node.url} (run {job.run_id}, attempt {job.attempt})")
            return

    def _node_lost(self, node: NodeState, why: str) -> None:
        """The node is down (or refuses to run our jobs): none is scheduled on it again, its jobs are lost."""
        if node.usable:
            node.usable, node.why = False, why
            self.board.say(f"node {node.url} is down: {why}")
        for job in self.jobs:
            if job.node is node and not job.ended and job.state != "lost":
                self._lost(job, f"its node {node.url} went down ({why})")

    def _lost(self, job: Job, why: str) -> None:
        """The job will not finish where it is: close its run as interrupted, run it again elsewhere."""
        node = job.node
        job.state, job.reason = "lost", f"job {job.job_id} lost: {why}"
        if node is not None:
            node.active.discard(job.job_id)
            if node.usable:
                with contextlib.suppress(NodeDown, NodeError):
                    node.node.cancel(self.cluster.project, job.job_id)
        if job.run_id is not None:
            self.storage.mark_run(
                self.db, job.run_id, "interrupted", job.reason, wait=self.wait, if_running=True
            )
            job.run_id = None
        self.board.event(job, job.reason)
        if job.attempt >= self.cluster.attempts:
            self._fail(job, f"{job.reason}; tried {job.attempt} times ([cluster] attempts)")
            return
        self._schedule(job, avoid=node)

    def _fail(self, job: Job, why: str) -> None:
        job.state, job.reason = "failed", why
        if job.run_id is not None:  # opened, never scheduled anywhere
            with contextlib.suppress(self.storage.StorageError):
                self.storage.mark_run(
                    self.db, job.run_id, "interrupted", why, wait=self.wait, if_running=True
                )
            job.run_id = None
        if job.node is not None:
            job.node.active.discard(job.job_id)
        self.board.event(job, f"failed: {why}")

    # -- watching --------------------------------------------------------------------------------------------

    def _poll(self) -> None:
        finished: list[Job] = []
        for node in self.nodes:
            mine = [j for j in self.jobs if j.node is node and j.state in ("queued", "running")]
            if not mine:
                continue
            try:
                listed = node.node.jobs(self.cluster.project)
            except (NodeDown, NodeError) as exc:
                node.failures += 1
                if node.failures >= DOWN_AFTER:
                    self._node_lost(node, str(exc))
                continue
            node.failures = 0
            for job in mine:
                if job.job_id in listed.finished:
                    finished.append(job)
                elif job.job_id in listed.running:
                    if job.state != "running":
                        job.state = "running"
                        self.board.event(job, f"running on {node.url}")
                elif job.job_id not in listed.pending:
                    self._lost(job, f"{node.url} no longer knows it (restarted?)")
        if finished:
            self._check(finished)

    def _check(self, finished: list[Job]) -> None:
        """Jobs whose process ended: their runs say how."""
        runs = [j.run_id for j in finished if j.run_id is not None]
        outcomes = self.storage.run_outcomes(self.db, runs, wait=self.wait)
        for job in finished:
            assert job.run_id is not None and job.node is not None
            status, message, pages = outcomes.get(job.run_id, ("missing", "", 0))
            if status == "ok":
                job.state, job.pages = "ok", pages
                job.node.active.discard(job.job_id)
                self.board.event(job, f"done on {job.node.url}: {pages} pages")
            elif status == "failed":
                job.run_id = None
                self._fail(job, f"job {job.job_id} on {job.node.url}: {message or 'the crawl failed'}")
            elif status == "interrupted":
                self._lost(job, f"its crawl on {job.node.url} was interrupted: {message}")
            else:  # still running with no process: killed before it could say anything
                self._lost(job, f"its process on {job.node.url} ended without finishing run {job.run_id}")

    def _progress(self) -> None:
        if time.monotonic() - getattr(self, "_last_progress", 0.0) < PROGRESS_EVERY:
            return
        self._last_progress = time.monotonic()
        running = [j for j in self.jobs if j.state == "running" and j.run_id is not None]
        if not running:
            return
        try:
            pages = self.storage.run_progress(self.db, [j.run_id for j in running if j.run_id is not None])
        except self.storage.StorageError:  # busy with the jobs' writes: the next look will tell
            return
        for job in running:
            job.site_pages = {s: pages.get((job.run_id, s), 0) for s in job.sites}  # type: ignore[arg-type]

    # -- the end ---------------------------------------------------------------------------------------------

    def _give_up(self, why: str) -> None:
        for job in self.jobs:
            if not job.ended:
                self._cancel(job, why)
                self._fail(job, why)

    def _cancel(self, job: Job, why: str) -> None:
        if job.node is not None and job.node.usable and job.state in ("queued", "running"):
            with contextlib.suppress(NodeDown, NodeError):
                job.node.node.cancel(self.cluster.project, job.job_id)
        if job.run_id is not None:
            with contextlib.suppress(self.storage.StorageError):
                self.storage.mark_run(
                    self.db, job.run_id, "interrupted", why, wait=self.wait, if_running=True
                )

    def _stopped(self, code: int, why: str) -> CrawlOutcome:
        for job in self.jobs:
            if not job.ended:
                self._cancel(job, f"{why}: the cluster crawl was stopped")
        self.board.close(self.jobs, self.nodes)
        return CrawlOutcome(
            code, None, f"{why}: every unfinished job was cancelled, its run marked interrupted"
        )

    def _finish(self, seconds: float) -> CrawlOutcome:
        failed = [j for j in self.jobs if j.state != "ok"]
        for job in failed:
            reason = f"not crawled: {job.reason}"
            self.storage.record_unreached(
                self.db, job.sites, reason, observed_at=self.observed, wait=self.wait
            )
        self.board.close(self.jobs, self.nodes)
        pages = sum(j.pages for j in self.jobs)
        summary = (
            f"{len(self.jobs) - len(failed)} of {len(self.jobs)} jobs ok, {pages} pages in {seconds:.0f} s"
        )
        self.board.say(f"cluster crawl: {summary}")
        first = min((r for j in self.jobs for r in j.runs), default=None)
        if failed:
            names = "; ".join(f"{', '.join(j.sites)}: {j.reason}" for j in failed)
            return CrawlOutcome(1, first, f"{summary}; their sites are unreachable for this crawl: {names}")
        return CrawlOutcome(0, first, None)
