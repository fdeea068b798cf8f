"""Scrapyd nodes on this machine, for the scale demo and the tests: `python -m scrapyd` child processes, each
in its own session with its own folder and scrapyd.conf, on a free loopback port.

`LocalNode(folder).start()` waits until the node answers; `.kill()` is a kill -9 of its whole process group
(the daemon and every crawl it runs: a machine going down); `.stop()` ends it politely (SIGTERM: its
crawls write what they fetched and mark their runs interrupted).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CONF = """[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = {dir}/eggs
logs_dir = {dir}/logs
dbs_dir = {dir}/dbs
items_dir =
jobs_to_keep = 100
finished_to_keep = 500
poll_interval = 0.2
max_proc = {max_proc}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalNode:
    def __init__(self, folder: Path, max_proc: int = 1):
        self.dir = folder
        self.max_proc = max_proc
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> LocalNode:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        (self.dir / "scrapyd.conf").write_text(
            CONF.format(port=self.port, dir=self.dir, max_proc=self.max_proc), encoding="utf-8"
        )
        with (self.dir / "scrapyd.out").open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "scrapyd"],
                cwd=self.dir,  # scrapyd reads ./scrapyd.conf; no checkout on sys.path: the egg is the code
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"scrapyd exited with {self.proc.returncode}: {self.output()[-2000:]}")
            with (
                contextlib.suppress(OSError, ValueError),
                urllib.request.urlopen(f"{self.url}/daemonstatus.json", timeout=2) as answer,
            ):
                if json.loads(answer.read()).get("status") == "ok":
                    return self
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"scrapyd on {self.url} did not answer in {timeout:g} s: {self.output()[-2000:]}")

    def output(self) -> str:
        path = self.dir / "scrapyd.out"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def jobs(self, project: str = "xxgk") -> dict:
        with urllib.request.urlopen(f"{self.url}/listjobs.json?project={project}", timeout=5) as answer:
            return dict(json.loads(answer.read()))

    def kill(self) -> None:
        """kill -9 of the node and every crawl it runs (a machine going down)."""
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()
