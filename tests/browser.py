"""Headless Chromium for the HTML report's tests: load a local page, record every request, read the console.

`chromium()` finds the browser (Debian's `chromium` package) or skips the test with a clear message — unless
the CI variable is set, where a missing browser is a failure. `load(page, tmp)` runs it once with a fresh
profile and every request sent through a recording proxy on loopback (`--proxy-bypass-list=<-loopback>`,
so loopback goes through it too): the page's DOM after its scripts ran, its console messages, the requests,
and a screenshot. The browser contacts a few hosts of its own (accounts.google.com …) whatever the page;
`own_requests(tmp)` loads an empty page to learn them, so a test can tell the page's requests apart.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import threading
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CANDIDATES = ("/usr/lib/chromium/chromium", "chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--enable-logging=stderr",
    "--v=0",
)
CONSOLE = re.compile(r":CONSOLE(?:\(\d+\))?:?\d*\]\s*(.*)")


def chromium() -> str:
    """The Chromium binary, or skip (fail under CI) with what to install."""
    for name in CANDIDATES:
        path = name if os.path.isabs(name) and os.access(name, os.X_OK) else shutil.which(name)
        if path:
            return path
    message = "no headless Chromium installed (Debian: apt-get install -y chromium); browser test not run"
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {message}")
    pytest.skip(message)


@dataclass
class Loaded:
    dom: str
    console: list[str]
    requests: list[str]  # "GET http://…" or "CONNECT host:443"
    screenshot: bytes
    stderr: str = field(repr=False, default="")


class _Recorder(BaseHTTPRequestHandler):
    seen: list[str]

    def _refuse(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_CONNECT = do_PUT = do_OPTIONS = _refuse

    def log_message(self, format: str, *args: object) -> None:
        pass


def _run(browser: str, profile: Path, proxy: int, *args: str) -> subprocess.CompletedProcess[bytes]:
    cmd = [
        browser,
        *FLAGS,
        f"--user-data-dir={profile}",
        f"--proxy-server=http://127.0.0.1:{proxy}",
        "--proxy-bypass-list=<-loopback>",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, timeout=120, check=False)


def load(page: Path, tmp: Path, *, size: tuple[int, int] = (1280, 1600)) -> Loaded:
    """Open file://page in headless Chromium twice (DOM, then screenshot), each with a fresh profile."""
    browser = chromium()
    seen: list[str] = []
    handler = type("Recorder", (_Recorder,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = page.resolve().as_uri()
        dom = _run(browser, tmp / "profile-dom", server.server_port, "--dump-dom", url)
        shot = tmp / "screenshot.png"
        pic = _run(
            browser,
            tmp / "profile-shot",
            server.server_port,
            f"--window-size={size[0]},{size[1]}",
            f"--screenshot={shot}",
            url,
        )
    finally:
        server.shutdown()
        server.server_close()
    stderr = dom.stderr.decode("utf-8", "replace") + pic.stderr.decode("utf-8", "replace")
    assert dom.returncode == 0, f"chromium --dump-dom failed:\n{stderr[-3000:]}"
    assert pic.returncode == 0 and shot.is_file(), f"chromium --screenshot failed:\n{stderr[-3000:]}"
    console = [m.group(1) for line in stderr.splitlines() if (m := CONSOLE.search(line))]
    return Loaded(dom.stdout.decode("utf-8"), console, list(seen), shot.read_bytes(), stderr)


def own_requests(tmp: Path, runs: int = 2) -> set[str]:
    """What the browser requests by itself, with these flags, for an empty local page (the union of a few
    loads: its background chatter varies a little from start to start)."""
    empty = tmp / "empty.html"
    empty.write_text('<!DOCTYPE html><html lang="zh-CN"><title>空</title></html>', encoding="utf-8")
    own: set[str] = set()
    for n in range(runs):
        run = tmp / f"own-{n}"
        run.mkdir()
        own |= {_target(r) for r in load(empty, run).requests}
    return own


def _target(request: str) -> str:
    """ "CONNECT host:443" stays; "GET http://host/path?query" keeps method, host and path (the query of the
    browser's own time and update pings carries nonces)."""
    method, _, url = request.partition(" ")
    return f"{method} {url.split('?')[0]}"


def page_requests(loaded: Loaded, own: set[str]) -> list[str]:
    return [r for r in loaded.requests if _target(r) not in own]


def png_colours(data: bytes) -> int:
    """Distinct byte values of a PNG's decompressed image data: a blank page gives a handful, a page with
    text, tables and colours hundreds (filters make exact pixels harder to read, not this count)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks = 8, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            chunks.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    return len(set(zlib.decompress(b"".join(chunks))))
