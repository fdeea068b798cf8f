"""The timetable: what the daemon will run and when: each job's trigger, whether it is on (and why not), and
whether a run was missed while no scheduler was running. (The crawl plan, what one crawl fetches, is
crawler/plan.py.)

Shared by the daemon (which acts on it) and `xxgk status` (which shows it). The last crawl and the last email
are read from the database, because APScheduler's in-memory job store forgets everything when the process
ends.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger

import storage
from monitor.config import Config

from .expressions import missed_run, parse_schedule, zone

JOBS = ("crawl", "email")


@dataclass(slots=True)
class JobPlan:
    name: str  # crawl | email (also the APScheduler job id)
    expression: str  # as configured
    trigger: BaseTrigger | None  # None when off
    reason: str  # why the job is off ("" when on)
    last_run: datetime | None  # the last crawl started / the last email sent, from the database
    missed: datetime | None  # a slot that passed since last_run: run once at start-up

    @property
    def enabled(self) -> bool:
        return self.trigger is not None

    def next_run(self, now: datetime) -> datetime | None:
        """When the job runs next: now when a slot was missed (and catch-up is on), else its next slot."""
        if self.trigger is None:
            return None
        if self.missed is not None:
            return now
        return self.trigger.get_next_fire_time(None, now)


def schedule_zone(config: Config) -> ZoneInfo:
    """[schedule] timezone, else [college] timezone."""
    return zone(config.schedule.timezone or config.college.timezone)


@dataclass(frozen=True, slots=True)
class LastRuns:
    crawl: datetime | None
    email: datetime | None


def last_runs(config: Config) -> LastRuns:
    """The start of the latest crawl run (any outcome) and the latest email sent; None when none yet."""
    db = config.database
    if not storage.exists(db):
        return LastRuns(None, None)
    with storage.open_readonly(db, wait=config.storage.lock_wait) as conn:
        runs = storage.runs_summary(conn, limit=1)
        email = storage.last_email(conn)
    return LastRuns(runs[0].started_at if runs else None, email.sent_at if email else None)


def _email_off(config: Config) -> str:
    e = config.email
    if not e.to and not config.email_routes:
        return "no recipients ([email] to and [[email.routes]] are empty)"
    if not e.sender:
        return "[email] sender is empty"
    if e.username and not os.environ.get(e.password_env):
        return f"the environment variable {e.password_env} (the SMTP password) is not set"
    return ""


def plan_jobs(config: Config, last: LastRuns, now: datetime) -> list[JobPlan]:
    """The crawl and email jobs as configured, with the run missed since the last recorded one."""
    tz = schedule_zone(config)
    sched = config.schedule
    plans = []
    for name, expression, last_run in (
        ("crawl", sched.crawl, last.crawl),
        ("email", sched.email, last.email),
    ):
        reason = ""
        if not expression.strip():
            reason = f"schedule.{name} is empty"
        elif name == "crawl" and not config.sites:
            reason = "no [[sites]] to crawl"
        elif name == "email":
            reason = _email_off(config)
        trigger = None if reason else parse_schedule(expression, tz, start=now)
        missed = missed_run(trigger, last_run, now) if trigger is not None and sched.catch_up else None
        plans.append(JobPlan(name, expression, trigger, reason, last_run, missed))
    return plans
