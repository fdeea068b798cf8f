"""Interrupting the crawl child process when the daemon is asked to stop.

The crawl runs as a child process started by `monitor.crawl_runner` (the daemon's worker thread waits on it).
On stop the daemon asks its own children to end (SIGTERM: the crawl writes what it fetched and exits) and
kills those still there after a grace period. Children are found through /proc, so nothing but our own
children is ever signalled.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from pathlib import Path

log = logging.getLogger("xxgk.scheduler")


def child_pids(parent: int | None = None) -> list[int]:
    """Process ids whose parent is `parent` (default: this process), from /proc; [] where there is none."""
    parent = os.getpid() if parent is None else parent
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text(encoding="ascii", errors="replace")
        except OSError:
            continue  # ended meanwhile
        fields = text.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1] == str(parent) and fields[0] not in ("Z", "X"):
            found.append(int(stat.parent.name))
    return sorted(found)


def _signal(pids: list[int], sig: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            if os.getpgid(pid) == pid:  # crawl_runner starts the crawl as a group leader: signal the group
                os.killpg(pid, sig)
            else:
                os.kill(pid, sig)


def interrupt_children(grace: float) -> list[int]:
    """SIGTERM every child, SIGKILL those still alive after `grace` seconds; returns the pids signalled."""
    pids = child_pids()
    if not pids:
        return []
    log.warning(
        "interrupting crawl process %s (SIGTERM; SIGKILL in %.0f s)", ", ".join(map(str, pids)), grace
    )
    _signal(pids, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        alive = [p for p in pids if p in child_pids()]
        if not alive:
            return pids
        time.sleep(0.1)
    alive = [p for p in pids if p in child_pids()]
    if alive:
        log.warning("killing crawl process %s (SIGKILL)", ", ".join(map(str, alive)))
        _signal(alive, signal.SIGKILL)
    return pids
