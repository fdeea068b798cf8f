"""The crawler process ends with the `xxgk` process that started it, and stops at once on a signal.

`monitor.crawl_runner` starts `python -m crawler` in a session of its own (so a timeout can kill the whole
group), which also means a `kill -9` of the parent would leave the crawl running on, holding the crawl lock.
Three things tie the child to its parent:

- on Linux, `prctl(PR_SET_PDEATHSIG, SIGTERM)`: the kernel sends SIGTERM when the parent ends;
- a "lifeline" pipe: the parent keeps the write end open for the life of the crawl, the child watches the read
  end; end of file means the parent is gone (works on every POSIX system);
- the parent's pid: a watcher thread also notices when the child has been re-parented.

Whichever fires first calls `on_stop(reason, code)` once. SIGINT and SIGTERM do the same, so Ctrl-C, a
scheduler shutdown and the death of the parent all stop the crawl the same prompt way (crawler/__main__.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import select
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_EVERY = 0.5  # seconds between two looks at the parent's pid

StopCallback = Callable[[str, int], None]


def die_with_parent_signal(sig: int = signal.SIGTERM) -> bool:
    """Ask the kernel to send `sig` when the parent ends (Linux); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


class Lifeline:
    """Calls `on_stop` once: on SIGINT (code 130), SIGTERM (143), or when the parent is gone (143)."""

    def __init__(
        self, on_stop: StopCallback, parent_pid: int | None, fd: int | None, *, pdeathsig: bool = True
    ) -> None:
        self.on_stop = on_stop
        self.parent_pid = parent_pid
        self.fd = fd
        self.pdeathsig = pdeathsig  # False: rely on the pipe and the pid alone (as off Linux)
        self._fired = threading.Event()
        self._lock = threading.RLock()  # a second signal may arrive while the first is being handled

    def parent_gone(self) -> bool:
        return self.parent_pid is not None and os.getppid() != self.parent_pid

    def install(self) -> None:
        """Take over SIGINT and SIGTERM, and start watching the parent. Call from the main thread."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._on_signal)
        if self.parent_pid is not None:
            if self.pdeathsig:
                die_with_parent_signal(signal.SIGTERM)
            threading.Thread(target=self._watch, name="xxgk-lifeline", daemon=True).start()
            if self.parent_gone():  # it ended before the kernel was asked to tell
                self.fire("the xxgk process that started the crawl has ended", 143)

    def fire(self, reason: str, code: int) -> None:
        with self._lock:
            if self._fired.is_set():
                return
            self._fired.set()
        self.on_stop(reason, code)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.parent_gone():
            self.fire("the xxgk process that started the crawl has ended", 143)
        elif signum == signal.SIGINT:
            self.fire("interrupted (SIGINT, Ctrl-C)", 130)
        else:
            self.fire(f"stopped by {signal.Signals(signum).name}", 128 + signum)

    def _close(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None

    def _watch(self) -> None:
        while not self._fired.is_set():
            if self.fd is not None:
                try:
                    ready, _, _ = select.select([self.fd], [], [], WATCH_EVERY)
                    # the parent never writes: readable means end of file, its end was closed
                    if ready and not os.read(self.fd, 1):
                        self._close()
                        self.fire("the xxgk process that started the crawl has ended", 143)
                        return
                except OSError:
                    self._close()
            else:
                self._fired.wait(WATCH_EVERY)
            if self.parent_gone():
                self.fire("the xxgk process that started the crawl has ended", 143)
                return
