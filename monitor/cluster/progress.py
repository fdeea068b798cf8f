"""What a cluster crawl shows while it runs: per node and site, live on a terminal, plain lines otherwise.

On a terminal one line per job is redrawn in place (its sites, node, state, pages written so far) under a
line per node (jobs queued and running). Otherwise (cron, journald, a pipe) every change of a job is one
line stamped with the seconds since the crawl began (the journal stamps the time), and every 10 s one line
counts the jobs by state and the pages so far.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any, TextIO

LOG_EVERY = 10.0
TTY_EVERY = 0.5


class Board:
    def __init__(self, out: TextIO, mode: str = "auto"):
        self.out = out
        if mode == "auto":
            mode = "tty" if getattr(out, "isatty", lambda: False)() else "log"
        self.tty = mode == "tty"
        self.drawn = 0  # lines of the live table on screen
        self.last = 0.0
        self.started = time.monotonic()

    def _write(self, text: str) -> None:
        try:
            self.out.write(text)
            self.out.flush()
        except (OSError, ValueError):
            pass

    def _clear(self) -> None:
        if self.tty and self.drawn:
            self._write(f"\x1b[{self.drawn}F\x1b[J")
            self.drawn = 0

    def say(self, line: str) -> None:
        self._clear()
        self._write(line + "\n")

    def event(self, job: Any, what: str) -> None:
        if self.tty:
            return  # the live table shows it
        stamp = f"{time.monotonic() - self.started:5.0f} s"
        self._write(f"{stamp} job {job.index} [{', '.join(job.sites)}]: {what}\n")

    def tick(self, jobs: list[Any], nodes: list[Any]) -> None:
        now = time.monotonic()
        if now - self.last < (TTY_EVERY if self.tty else LOG_EVERY):
            return
        self.last = now
        if self.tty:
            self._clear()
            lines = self._table(jobs, nodes)
            self._write("".join(line + "\n" for line in lines))
            self.drawn = len(lines)
        else:
            self._write(self._summary(jobs) + "\n")

    def close(self, jobs: list[Any], nodes: list[Any]) -> None:
        self._clear()
        if self.tty:
            self._write("".join(line + "\n" for line in self._table(jobs, nodes)))

    def _summary(self, jobs: list[Any]) -> str:
        states = Counter(j.state for j in jobs)
        pages = sum(j.pages if j.state == "ok" else sum(j.site_pages.values()) for j in jobs)
        counted = ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
        return f"cluster crawl {time.monotonic() - self.started:.0f} s: jobs {counted}; {pages} pages"

    def _table(self, jobs: list[Any], nodes: list[Any]) -> list[str]:
        lines = [self._summary(jobs)]
        for node in nodes:
            mine = [j for j in jobs if j.node is node]
            states = Counter(j.state for j in mine)
            what = ", ".join(f"{n} {s}" for s, n in sorted(states.items())) or "no job"
            lines.append(f"  {node.url:<28} {'up' if node.usable else 'DOWN'}  {what}")
        for job in jobs:
            node = job.node.url if job.node is not None else "-"
            for site in job.sites:
                pages = job.pages if job.state == "ok" else job.site_pages.get(site, 0)
                lines.append(f"    {site:<24} {node:<28} {job.state:<8} {pages:>6} pages")
        return lines
