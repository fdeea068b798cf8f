"""The demo college's HTTP server: one threaded HTTP/1.1 listener per loopback host, all on one port.

Every site gets its own host (127.0.0.2, 127.0.0.3, …) so that allowed-domain logic behaves as with real
colleges. Pages are rendered once per state and served from memory; each answer carries an `ETag` (a hash of
the body) and a `Last-Modified` (the day the page last changed — never the publication date), and
conditional requests get 304 when nothing changed. `set_days_later(n)` swaps in the state of n days later.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from demo.college import DEFAULT_HOSTS, DemoCollege
from demo.render_common import Page, not_found_page

_NOT_FOUND = not_found_page()


@dataclass(frozen=True, slots=True)
class Answer:
    page: Page
    etag: str | None
    last_modified: datetime | None
    lm_text: str | None


@dataclass(frozen=True, slots=True)
class Hit:
    """One request the server answered (for tests: what was fetched, how, with what result)."""

    site: str
    method: str
    path: str
    status: int


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    site = ""
    owner: DemoServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = (
        True  # headers and body go out in two writes: without this, keep-alive waits 40 ms
    )
    server_version = "VSB-Demo/1.0"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and the CLI print their own
        pass

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        owner = self.server.owner
        site = self.server.site
        path = self.path.split("#", 1)[0]
        answer = owner.lookup(site, path)
        page = answer.page
        status = page.status
        if status == 200 and self._unchanged(answer):
            status = 304
        owner.record(Hit(site, self.command, path, status))
        self.send_response(status)
        if page.location:
            self.send_header("Location", owner.base_url(site) + page.location)
        if answer.etag:
            self.send_header("ETag", answer.etag)
        if answer.lm_text:
            self.send_header("Last-Modified", answer.lm_text)
        if status == 304:
            self.end_headers()
            return
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if not head:
            self.wfile.write(page.body)

    def _unchanged(self, answer: Answer) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or answer.etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims and answer.last_modified is not None:
            try:
                return answer.last_modified <= parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False


class DemoServer:
    """The running demo: `sites` (name → start URL), `set_days_later(n)`, `ground_truth()`, `stop()`."""

    def __init__(
        self, college: DemoCollege, port: int = 0, hosts: Sequence[str] = DEFAULT_HOSTS, days_later: int = 0
    ):
        self.college = college
        self.hosts = tuple(hosts)
        self._host_of = college.hosts_of(self.hosts)
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        self._hits: deque[Hit] = deque(maxlen=200_000)
        self._hits_lock = threading.Lock()
        self.port = self._bind(port)
        self.days_later = -1
        self._answers: dict[str, dict[str, Answer]] = {}
        self.set_days_later(days_later)
        for srv in self._servers:
            thread = threading.Thread(
                target=srv.serve_forever, kwargs={"poll_interval": 0.05}, name=f"demo-{srv.site}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    # -- binding ------------------------------------------------------------------------------------------
    def _bind(self, port: int) -> int:
        """Bind every host on one port: the given one, or a free one found by trying (port 0)."""
        attempts = 1 if port else 30
        last_error: OSError | None = None
        for _ in range(attempts):
            servers: list[_Server] = []
            try:
                for site, host in self._host_of.items():
                    srv = _Server((host, port or (servers[0].server_address[1] if servers else 0)), _Handler)
                    srv.site = site
                    srv.owner = self
                    servers.append(srv)
                self._servers = servers
                return int(servers[0].server_address[1])
            except OSError as exc:
                last_error = exc
                for srv in servers:
                    srv.server_close()
        raise OSError(f"could not bind the demo college on {', '.join(self.hosts)} port {port}: {last_error}")

    # -- state --------------------------------------------------------------------------------------------
    def set_days_later(self, days_later: int) -> None:
        """Show the college as it is `days_later` days after as_of (0 = as_of itself)."""
        if days_later == self.days_later:
            return
        base = self.college.render(0, port=self.port, hosts=self.hosts)
        now = self.college.render(days_later, port=self.port, hosts=self.hosts)
        regenerated = datetime.combine(self.college.as_of - timedelta(days=1), time(20, 0), UTC)
        changed_at = datetime.combine(self.college.as_of + timedelta(days=days_later), time(2, 0), UTC)
        answers: dict[str, dict[str, Answer]] = {}
        for site, rendered in now.items():
            table = {}
            for path, page in rendered.pages.items():
                if page.status != 200:
                    table[path] = Answer(page, None, None, None)
                    continue
                old = base[site].pages.get(path)
                modified = regenerated if old is not None and old.body == page.body else changed_at
                etag = '"' + hashlib.sha1(page.body).hexdigest()[:20] + '"'
                table[path] = Answer(page, etag, modified, format_datetime(modified, usegmt=True))
            answers[site] = table
        self._answers = answers  # one assignment: handlers see the old or the new state, never a mix
        self.days_later = days_later

    def lookup(self, site: str, path: str) -> Answer:
        return self._answers[site].get(path) or Answer(_NOT_FOUND, None, None, None)

    # -- facts --------------------------------------------------------------------------------------------
    def base_url(self, site: str) -> str:
        return f"http://{self._host_of[site]}:{self.port}"

    @property
    def sites(self) -> dict[str, str]:
        """Site name → start URL."""
        return {site: self.base_url(site) + "/" for site in self._host_of}

    def ground_truth(self, days_later: int | None = None) -> dict[str, Any]:
        n = self.days_later if days_later is None else days_later
        return self.college.ground_truth(n, port=self.port, hosts=self.hosts)

    def write_ground_truth(self, path: str | Path, days_later: int | None = None) -> Path:
        n = self.days_later if days_later is None else days_later
        return self.college.write_ground_truth(path, n, port=self.port, hosts=self.hosts)

    def record(self, hit: Hit) -> None:
        with self._hits_lock:
            self._hits.append(hit)

    def hits(self, clear: bool = False) -> list[Hit]:
        """Every request answered so far (optionally forgetting them)."""
        with self._hits_lock:
            out = list(self._hits)
            if clear:
                self._hits.clear()
            return out

    def stop(self) -> None:
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_demo(
    college: DemoCollege, port: int = 0, hosts: Sequence[str] = DEFAULT_HOSTS, days_later: int = 0
) -> DemoServer:
    """Start serving `college` (in background threads) and return the running server."""
    return DemoServer(college, port=port, hosts=hosts, days_later=days_later)
