"""`python -m crawler --plan PLAN.json`: one crawl, in its own process (a Twisted reactor cannot restart).

Opens the run in storage first and prints `run_id=N` on stdout, so the parent (monitor/crawl_runner.py) can
mark the run failed if this process is killed. Exit status: 0 when the crawl finished and its run is recorded
— fetch failures of the sites are data, not errors; 1 when the crawl itself failed (database, a crash), with
one line `crawl failed: <reason>` on stderr; 2 when the plan cannot be read; 130 / 143 when SIGINT / SIGTERM
(or the death of the parent given by `--parent-pid`, see crawler/lifeline.py) stopped it: what was fetched is
written, the run is marked interrupted, requests in flight are abandoned, with one line `crawl interrupted:
<reason>` on stderr. A crawl that finds the database busy past [storage] lock_wait when it writes keeps
what it could not write in the spool next to the database (storage/spool.py) and, when it finished, exits 0
with one line `crawl spooled: <what was kept where>` on stderr: the next command that opens the database
writes it. A finished run that could read no page of any site still exits 0, with one line `crawl every site
down: [[site, error], …]` on stderr (the run is recorded; `xxgk crawl` turns it into exit 1).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from collections.abc import Sequence
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

import storage
from crawler import pipelines, startup
from crawler.lifeline import Lifeline
from crawler.plan import CrawlPlan
from crawler.spiders.college import CollegeSpider

RUN_ID_PREFIX = "run_id="
# A finished run that read no page of any site: the line says which sites, with why ([[site, error], …] in
# JSON), so `xxgk crawl` exits 1 for it without opening the database again (monitor/crawl_runner.py).
ALL_DOWN_PREFIX = "crawl every site down:"
# Seconds an interrupted crawl has to write what it fetched before it exits anyway (the parent escalates to
# SIGKILL after monitor.crawl_runner.KILL_GRACE; the run is then marked interrupted by the next crawl).
STOP_DEADLINE = 8.0


def settings_for(plan: CrawlPlan) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # The progress lines (live on a terminal, plain every few seconds otherwise) and the summary table are the
    # crawl's log; Scrapy's own start-up dump of settings and stats is noise in cron mail and journald.
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler", description="Crawl the sites of a crawl plan.")
    parser.add_argument("--plan", required=True, metavar="PLAN.json", help="the plan written by the monitor")
    parser.add_argument(
        "--parent-pid", type=int, default=None, help="end the crawl when this process (our parent) ends"
    )
    parser.add_argument(
        "--lifeline-fd", type=int, default=None, help="a pipe the parent holds open while it lives"
    )
    args = parser.parse_args(argv)
    try:
        plan = CrawlPlan.load(args.plan)
    except (OSError, ValueError, TypeError) as exc:
        print(f"crawl failed: cannot read the plan {args.plan}: {exc}", file=sys.stderr)
        return 2
    try:
        run_id = storage.start_run(
            plan.db_path,
            [s.name for s in plan.sites],
            observed_at=plan.observed_datetime(),
            wait=plan.lock_wait,
        )
    except storage.StorageError as exc:
        print(f"crawl failed: {exc}", file=sys.stderr)
        return 1
    print(f"{RUN_ID_PREFIX}{run_id}", flush=True)

    startup.prepare()  # two Scrapy imports before Scrapy does them, without their costs (crawler/startup.py)
    process = CrawlerProcess(settings_for(plan))
    crawler = process.create_crawler(CollegeSpider)
    lifeline = Lifeline(
        lambda reason, code: _stop_soon(crawler, plan, run_id, reason, code),
        args.parent_pid,
        args.lifeline_fd,
    )
    lifeline.install()  # ours, not Scrapy's: its graceful stop waits for every request in flight
    process.crawl(crawler, plan=plan, run_id=run_id)  # the plan as read above, not parsed again
    process.start(install_signal_handlers=False)

    stats = crawler.stats
    kept = _kept(plan, stats)
    if stats is not None and stats.get_value("xxgk/finished"):
        if kept:
            print(
                f"crawl spooled: run {run_id} finished, but the {storage.label(plan.db_path)} stayed busy"
                f" past [storage] lock_wait ({plan.lock_wait:g} s): {kept}",
                file=sys.stderr,
            )
        down = stats.get_value("xxgk/sites_down")
        if down and down[0] and len(down[1]) == down[0]:  # the run is recorded; the parent exits 1 for it
            print(f"{ALL_DOWN_PREFIX} {json.dumps(down[1], ensure_ascii=False)}", file=sys.stderr, flush=True)
        return 0
    reason = (
        stats.get_value("xxgk/failure") if stats is not None else None
    ) or "the crawl stopped before finishing"
    if stats is None or stats.get_value("xxgk/failure") is None:
        try:
            storage.mark_run(plan.db_path, run_id, "failed", reason, wait=plan.lock_wait)
        except storage.StorageError as exc:
            print(f"crawl failed: could not mark run {run_id} failed: {exc}", file=sys.stderr)
    print(f"crawl failed: run {run_id}: {reason}" + (f"; {kept}" if kept else ""), file=sys.stderr)
    return 1


def _kept(plan: CrawlPlan, stats: Any) -> str:
    """What the run keeps in the spool because the database was busy, in words; '' when nothing."""
    file = stats.get_value("xxgk/spooled") if stats is not None else None
    if not file:
        return ""
    files = int(stats.get_value("xxgk/spooled_files") or 1)
    where = file if files == 1 else f"{os.path.dirname(file)} ({files} files)"
    return (
        f"what it could not write is kept in {where} and is written to the database by the next crawl,"
        " report or other command that opens it"
    )


def _stop_soon(crawler: Crawler, plan: CrawlPlan, run_id: int, reason: str, code: int) -> None:
    """From a signal handler or the lifeline thread: stop in the reactor thread, exit by a deadline."""
    from twisted.internet import reactor

    watchdog = threading.Timer(STOP_DEADLINE, _exit, (code, f"run {run_id}: {reason}; gave up writing"))
    watchdog.daemon = True
    watchdog.start()
    reactor.callFromThread(_stop, crawler, plan, run_id, reason, code)


def _stop(crawler: Crawler, plan: CrawlPlan, run_id: int, reason: str, code: int) -> None:
    """Write what was fetched, mark the run interrupted, exit now (requests in flight are abandoned)."""
    try:
        handled = [r for _, r in crawler.signals.send_catch_log(signal=pipelines.interrupt, reason=reason)]
        if not any(r is True for r in handled):  # the spider had not opened yet: no fetch to write
            wait = min(plan.lock_wait, pipelines.INTERRUPT_WAIT)
            storage.mark_run(plan.db_path, run_id, "interrupted", reason, wait=wait)
    except Exception as exc:
        _exit(code, f"run {run_id}: {reason}; could not mark the run interrupted: {exc}")
    kept = _kept(plan, crawler.stats)
    if kept:
        _exit(code, f"run {run_id}: {reason}; the database was busy: {kept}, the run marked interrupted")
    _exit(code, f"run {run_id}: {reason}; what was fetched is stored, the run is marked interrupted")


def _exit(code: int, line: str) -> None:
    """Say why and end the process now. The parent may be gone: its pipes then refuse every write."""
    try:
        print(f"crawl interrupted: {line}", file=sys.stderr)
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    except BaseException:  # nothing is left to tell it to
        pass
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
