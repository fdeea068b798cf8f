"""crawler/lifeline.py with real processes: a crawler whose parent is killed with SIGKILL learns of it by each
of the three ways on its own (PR_SET_PDEATHSIG, the lifeline pipe, the parent's pid), and SIGINT / SIGTERM
reach its stop callback with 130 / 143."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from xxgkrun import child_env

from storage.runs import pid_alive

# The "crawler": a Lifeline whose stop callback writes the reason and code to a file and exits.
CHILD = textwrap.dedent(
    """
    import os, sys, time
    from crawler.lifeline import Lifeline

    out, parent, fd, pdeathsig = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"

    def stop(reason, code):
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(f"{code} {reason}")
        os._exit(code)

    Lifeline(stop, parent, int(fd) if fd != "-" else None, pdeathsig=pdeathsig).install()
    print("ready", flush=True)
    time.sleep(60)
    """
)

# The "xxgk crawl" between the test and the crawler: starts it in its own session, prints its pid, waits.
PARENT = textwrap.dedent(
    """
    import os, subprocess, sys, time
    child, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    watch, life = os.pipe()
    fd = str(watch) if mode in ("all", "pipe") else "-"
    proc = subprocess.Popen(
        [sys.executable, "-c", child, out, str(os.getpid()), fd, "1" if mode == "all" else "0"],
        stdout=subprocess.PIPE, start_new_session=True, pass_fds=(watch,),
    )
    os.close(watch)
    proc.stdout.readline()
    print(proc.pid, flush=True)
    time.sleep(60)
    """
)


def _wait_for(path: Path, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while not path.exists() or not path.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, f"no stop after {seconds:g} s"
        time.sleep(0.02)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", ["all", "pipe", "pid"])
def test_the_crawler_learns_that_its_parent_was_killed(tmp_path: Path, mode: str) -> None:
    out = tmp_path / "stopped.txt"
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, CHILD, str(out), mode],
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert not out.exists()
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        assert _wait_for(out, 5.0) == "143 the xxgk process that started the crawl has ended"
        deadline = time.monotonic() + 5
        while pid_alive(child):
            assert time.monotonic() < deadline, "the crawler is still running"
            time.sleep(0.02)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


@pytest.mark.parametrize(
    ("signum", "expected"),
    [(signal.SIGINT, "130 interrupted (SIGINT, Ctrl-C)"), (signal.SIGTERM, "143 stopped by SIGTERM")],
)
def test_sigint_and_sigterm_reach_the_stop_callback(
    tmp_path: Path, signum: signal.Signals, expected: str
) -> None:
    out = tmp_path / "stopped.txt"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out), str(os.getpid()), "-", "1"],
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        child.send_signal(signum)
        assert child.wait(10) == int(expected.split()[0])
        assert _wait_for(out, 1.0) == expected
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
