"""changedetection.io, the peer: installed into its own venv, run on loopback, driven through its REST API.

Why this peer: it is the best-known open-source page-change monitor, and a college office might use it instead
of this tool by watching each list page. The question the figure answers: how many URLs per second does each
tool check on the same list of list pages, first and again when nothing changed.

How it is run (as its docs and source say): PyPI `changedetection-io` in `bench/.cdio/venv`; a fresh
datastore in a temp folder (started once with `-u` so no default internet watches are created, and stopped
right after the datastore is written); then the server on 127.0.0.1 with its default 5 fetch workers, INFO
logging and `ALLOW_IANA_RESTRICTED_ADDRESSES=true` (it refuses loopback targets otherwise). The API token is
read from the datastore's changedetection.json. URLs are added with `POST /api/v1/import`; a recheck is
`GET /api/v1/watch?recheck_all=1`. A check is complete when the watch's own `check_count`, which the worker
writes to `<datastore>/<uuid>/watch.json` at the end of each check, has gone up: the end of its work, not
the start (`last_checked` is stamped when a check begins).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CDIO_DIR = Path(__file__).resolve().parent / ".cdio"
VENV = CDIO_DIR / "venv"
# Pinned so the peer's figure is repeatable; the version the numbers in docs/performance.md were taken with.
PACKAGE = "changedetection-io==0.60.10"
INSTALL_TIMEOUT = 900.0


class PeerUnavailable(RuntimeError):
    """changedetection.io could not be installed or run; the message says exactly why."""


@dataclass(frozen=True, slots=True)
class PeerCheck:
    """One pass of checks over the URL list: how many URLs, how long until the last one was done."""

    urls: int
    seconds: float
    errors: int = 0

    @property
    def urls_per_s(self) -> float:
        return self.urls / self.seconds if self.seconds > 0 else 0.0


def executable() -> Path:
    return VENV / "bin" / "changedetection.py"


def installed() -> bool:
    """Whether bench/.cdio/venv holds the pinned version (installed by an earlier run)."""
    stamp = CDIO_DIR / "installed.txt"
    return executable().exists() and stamp.exists() and stamp.read_text().strip() == PACKAGE


def ensure_installed(log: Callable[[str], object] = print) -> Path:
    """Install the peer into bench/.cdio/venv once (kept between runs); raise PeerUnavailable on failure."""
    stamp = CDIO_DIR / "installed.txt"
    if installed():
        return executable()
    CDIO_DIR.mkdir(parents=True, exist_ok=True)
    log(f"installing {PACKAGE} into {VENV} (once; kept in bench/.cdio) ...")
    py = VENV / "bin" / "python"
    steps = [[sys.executable, "-m", "venv", str(VENV)]] if not py.exists() else []
    steps.append([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PACKAGE])
    for cmd in steps:
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PeerUnavailable(f"`{' '.join(cmd)}` failed: {exc}") from exc
        if out.returncode != 0:
            tail = (out.stderr or out.stdout).strip().splitlines()[-3:]
            raise PeerUnavailable(f"`{' '.join(cmd[:4])} ...` exited {out.returncode}: {' | '.join(tail)}")
    if not executable().exists():
        raise PeerUnavailable(f"{PACKAGE} installed but {executable()} is missing")
    stamp.write_text(PACKAGE + "\n")
    return executable()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class ChangeDetection:
    """One changedetection.io server with a fresh datastore in `workdir`; stop() ends it."""

    def __init__(self, workdir: Path, host: str = "127.0.0.1"):
        self.workdir = workdir
        self.datastore = workdir / "datastore"
        self.host = host
        self.port = 0
        self.token = ""
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / "changedetection.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FETCH_WORKERS", "LOGGER_LEVEL"))}
        env["ALLOW_IANA_RESTRICTED_ADDRESSES"] = "true"
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def start(self, timeout: float = 120.0) -> None:
        exe = ensure_installed()
        if self.datastore.exists():
            shutil.rmtree(self.datastore)
        # 1. Create the datastore without the two default internet watches, then stop at once.
        init = subprocess.run(
            [str(exe), "-d", str(self.datastore), "-C", "-u", "http://127.0.0.1:9/init"],
            env={**self.env(), "TESTING_SHUTDOWN_AFTER_DATASTORE_LOAD": "1"},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        settings = self.datastore / "changedetection.json"
        if init.returncode != 0 or not settings.exists():
            tail = " | ".join((init.stderr or init.stdout).strip().splitlines()[-3:])
            raise PeerUnavailable(
                f"changedetection.io could not create its datastore (exit {init.returncode}): {tail}"
            )
        app = json.loads(settings.read_text(encoding="utf-8"))["settings"]["application"]
        self.token = app.get("api_access_token", "")
        # 2. The server, with its defaults but INFO logging.
        self.port = free_port(self.host)
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [str(exe), "-d", str(self.datastore), "-h", self.host, "-p", str(self.port), "-l", "INFO"],
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise PeerUnavailable(
                    f"changedetection.io exited {self.proc.returncode} at start: {self.log_tail()}"
                )
            try:
                self.api("GET", "/api/v1/systeminfo")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        raise PeerUnavailable(f"changedetection.io did not answer within {timeout:.0f}s: {self.log_tail()}")

    def log_tail(self, lines: int = 3) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        except OSError:
            return ""
        return " | ".join(text[-lines:])

    def api(
        self, method: str, path: str, body: bytes | None = None, ctype: str = "application/json"
    ) -> object:
        req = urllib.request.Request(
            f"http://{self.host}:{self.port}{path}",
            data=body,
            method=method,
            headers={"x-api-key": self.token, "Content-Type": ctype},
        )
        with urllib.request.urlopen(req, timeout=60) as r:
            raw = r.read()
        return json.loads(raw) if raw.strip() else None

    # -- the datastore, read from disk: the end-of-check counters the workers write -------------------------
    def counts(self) -> dict[str, tuple[int, bool]]:
        """uuid → (check_count, has an error) for every watch, as saved at the end of each check."""
        out: dict[str, tuple[int, bool]] = {}
        for path in self.datastore.glob("*/watch.json"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # being rewritten right now: read it at the next poll
            out[path.parent.name] = (int(data.get("check_count") or 0), bool(data.get("last_error")))
        return out

    def _wait(self, urls: int, target: dict[str, int] | int, started: float, timeout: float) -> PeerCheck:
        deadline = started + timeout
        while time.monotonic() < deadline:
            counts = self.counts()
            done = [
                u
                for u, (n, _) in counts.items()
                if n >= (target if isinstance(target, int) else target.get(u, 1))
            ]
            if len(counts) >= urls and len(done) >= urls:
                errors = sum(1 for u in done if counts[u][1])
                return PeerCheck(urls, time.monotonic() - started, errors)
            if self.proc is not None and self.proc.poll() is not None:
                raise PeerUnavailable(f"changedetection.io died during the checks: {self.log_tail()}")
            time.sleep(0.2)
        raise PeerUnavailable(f"changedetection.io had not checked {urls} URLs after {timeout:.0f}s")

    def first_check(self, urls: list[str], timeout: float = 900.0) -> PeerCheck:
        """Add every URL (one import call) and wait until each has been checked once."""
        started = time.monotonic()
        self.api("POST", "/api/v1/import", "\n".join(urls).encode(), ctype="text/plain")
        return self._wait(len(urls), 1, started, timeout)

    def recheck(self, timeout: float = 900.0) -> PeerCheck:
        """Ask for a recheck of every watch and wait until each has been checked once more."""
        before = {u: n + 1 for u, (n, _) in self.counts().items()}
        started = time.monotonic()
        self.api("GET", "/api/v1/watch?recheck_all=1")
        return self._wait(len(before), before, started, timeout)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
