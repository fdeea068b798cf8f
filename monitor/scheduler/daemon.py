"""`xxgk schedule`: a foreground daemon (systemd-friendly) that crawls and emails on the configured schedule.

APScheduler 3.x BackgroundScheduler with one worker thread: jobs with fixed ids (`crawl`, `email`),
`replace_existing`, `coalesce` and no misfire limit, so however late a run is (machine suspended, a long
crawl before it) it runs once, not once per missed slot. Runs missed while no daemon ran are found at
start-up from the database (`plan.plan_jobs`) and run once, at once. On SIGTERM or SIGINT it starts nothing
new, lets a running crawl go on for `schedule.stop_timeout` seconds, then interrupts it (SIGTERM, SIGKILL 5 s
later), records it, and exits 0. Logs are plain lines: start-up says what is on, what is off and why, and
when each job runs next.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from datetime import datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from monitor.config import Config
from storage.timeutil import shown

from .children import interrupt_children
from .jobs import Jobs
from .timetable import JobPlan, last_runs, plan_jobs, schedule_zone

log = logging.getLogger("xxgk.scheduler")

KILL_GRACE = 5.0  # seconds between SIGTERM and SIGKILL to a crawl being interrupted


def _when(dt: datetime | None, zone: str) -> str:
    """A moment in the college's zone, named (the daemon's schedule may be reckoned in another)."""
    return shown(dt, zone, empty="never")


def log_plan(plans: list[JobPlan], zone: str) -> None:
    for p in plans:
        if not p.enabled:
            log.info("%s: off (%s)", p.name, p.reason)
            continue
        last = _when(p.last_run, zone)
        if p.missed is not None:
            log.info(
                "%s: on, %r; a run due at %s was missed (last %s): running it now",
                p.name,
                p.expression,
                _when(p.missed, zone),
                last,
            )
        else:
            log.info("%s: on, %r; last %s", p.name, p.expression, last)


class Daemon:
    """One scheduler process: build, run until a signal, stop within the bound."""

    def __init__(self, config: Config):
        self.config = config
        self.stop = threading.Event()
        self.signal_name = ""
        self.jobs = Jobs(config, self.stop)
        self.tz = schedule_zone(config)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if not self.stop.is_set():
            self.signal_name = signal.Signals(signum).name
            self.stop.set()

    def build(self, now: datetime) -> tuple[BackgroundScheduler, list[JobPlan]]:
        plans = plan_jobs(self.config, last_runs(self.config), now)
        scheduler = BackgroundScheduler(
            timezone=self.tz,
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        funcs = {"crawl": self.jobs.crawl, "email": self.jobs.email}
        for i, p in enumerate(plans):
            if not p.enabled:
                continue
            extra = {}
            if p.missed is not None:
                # Catch-up runs start now, in order: the crawl first, then the email from its fresh data.
                extra["next_run_time"] = now + timedelta(seconds=i)
            scheduler.add_job(
                funcs[p.name], trigger=p.trigger, id=p.name, name=p.name, replace_existing=True, **extra
            )
        return scheduler, plans

    def run(self) -> int:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)  # our own lines say what it does
        now = datetime.now(self.tz)
        scheduler, plans = self.build(now)
        log.info(
            "scheduler: starting (pid %s, timezone %s, database %s)",
            os.getpid(),
            self.tz,
            self.config.db_path,
        )
        log_plan(plans, self.config.college.timezone)
        if not any(p.enabled for p in plans):
            log.warning("scheduler: nothing to schedule; exiting")
            return 0
        scheduler.start()
        for job in scheduler.get_jobs():
            log.info("%s: next run %s", job.id, _when(job.next_run_time, self.config.college.timezone))
        while not self.stop.is_set():
            time.sleep(0.2)  # signals are handled in this (main) thread between sleeps
        return self.shutdown(scheduler)

    def shutdown(self, scheduler: BackgroundScheduler) -> int:
        bound = self.config.schedule.stop_timeout
        running = self.jobs.current
        log.info(
            "scheduler: %s received: starting nothing new%s",
            self.signal_name or "stop",
            f"; waiting up to {bound:.0f} s for the running {running}" if running else "",
        )
        scheduler.shutdown(wait=False)
        self.jobs.settled()  # a job between "may I start?" and "started" is counted as running from here
        if not self.jobs.idle.wait(bound):
            interrupt_children(KILL_GRACE)
            if not self.jobs.idle.wait(KILL_GRACE * 2):
                log.error("scheduler: the running %s did not end; exiting anyway", self.jobs.current)
                logging.shutdown()
                os._exit(0)  # the stuck worker thread would otherwise hold the interpreter's exit
        log.info("scheduler: stopped")
        return 0


def run_daemon(config: Config) -> int:
    """Run until SIGTERM/SIGINT; returns the exit code (0 on a requested stop)."""
    return Daemon(config).run()
