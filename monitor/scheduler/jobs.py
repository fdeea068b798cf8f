"""The daemon's two jobs: one crawl (a child process) and one weekly email. A job never raises: whatever goes
wrong is logged and, for a crawl, recorded in the database, and the scheduler carries on.

Both jobs run on the scheduler's single worker thread, so a crawl and an email never run at once and an email
due at the same moment as a crawl is sent after it, from the fresh data. The crawl lock of `crawl_runner` also
keeps a manual `xxgk crawl` from overlapping a scheduled one.
"""

from __future__ import annotations

import logging
import threading

import storage
from monitor.config import Config
from monitor.errors import Failure

log = logging.getLogger("xxgk.scheduler")


class Jobs:
    """The job functions APScheduler calls, plus what the daemon needs to stop them: `idle` and `stop`."""

    def __init__(self, config: Config, stop: threading.Event):
        self.config = config
        self.stop = stop
        self.idle = threading.Event()
        self.idle.set()
        self.current: str | None = None
        self._gate = threading.Lock()  # makes "stopping?" and "now running" one step

    def _begin(self, name: str) -> bool:
        with self._gate:
            if self.stop.is_set():
                log.info("%s: not started, the scheduler is stopping", name)
                return False
            self.idle.clear()
            self.current = name
            return True

    def settled(self) -> None:
        """Once `stop` is set: after this returns, `idle` tells whether a job is running, and none starts."""
        with self._gate:
            pass

    def _end(self) -> None:
        self.current = None
        self.idle.set()

    def crawl(self) -> None:
        """One crawl of every configured site, in a child process (or on the [cluster] nodes), stopped after
        [crawl] crawl_timeout."""
        from monitor.crawling import crawl_configured

        if not self._begin("crawl"):
            return
        try:
            timeout = self.config.crawl.crawl_timeout
            log.info("crawl: starting (%d sites, timeout %.0f s)", len(self.config.sites), timeout)
            outcome = crawl_configured(self.config, None, timeout=timeout, wait_lock=False, progress="log")
            if outcome.returncode == 0 and outcome.note:
                log.warning("crawl: run %s finished: %s", outcome.run_id, outcome.note)
            elif outcome.returncode == 0:
                log.info("crawl: run %s finished ok", outcome.run_id)
            else:
                reason = outcome.reason or f"crawl process exited with code {outcome.returncode}"
                if self.stop.is_set():
                    reason = f"interrupted: the scheduler was stopped ({reason})"
                log.error("crawl: run %s failed: %s", outcome.run_id, reason)
                self._settle(outcome.run_id, reason)
        except Exception:
            log.exception("crawl: could not be run")
        finally:
            self._end()

    def _settle(self, run_id: int | None, reason: str) -> None:
        """Make sure a crawl that did not finish is not left 'running' in the database."""
        if run_id is None:
            return
        db = self.config.database
        try:
            with storage.open_readonly(db, wait=self.config.storage.lock_wait) as conn:
                runs = storage.runs_summary(conn, limit=20)
            status = next((r.status for r in runs if r.run_id == run_id), None)
            if status == "running":
                storage.mark_run(db, run_id, "interrupted" if self.stop.is_set() else "failed", reason)
        except Exception:
            log.exception("crawl: could not record run %s as failed", run_id)

    def email(self) -> None:
        """This week's email (as of today in the college's timezone); a week already sent is not resent.

        The college's day, not the schedule's: a schedule in UTC firing at 20:00 on Sunday is Monday in
        Beijing, and the week sent is the college's.
        """
        from monitor.mail.weekly import send_weekly

        if not self._begin("email"):
            return
        try:
            today = self.config.today()
            results = send_weekly(self.config, as_of=today, stop=self.stop)
            for r in results:
                line = f"email: {r.week} to {r.recipient} ({r.audience}): {r.status}"
                level = {"failed": log.error, "unconfirmed": log.warning}.get(r.status, log.info)
                level(line + (f": {r.error}" if r.error else ""))
        except Exception as exc:
            if isinstance(exc, Failure | storage.StorageError):
                log.error("email: not sent: %s", exc)
            else:
                log.exception("email: not sent")
        finally:
            self._end()
