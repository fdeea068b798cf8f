"""A small, fast HTTP/1.1 server for the generated college, on loopback hosts, counting what it sends.

Why its own server: the figures are ratios of the crawler's cost, so the server must be cheap (asyncio,
keep-alive, no per-request thread), answer conditional requests exactly like a CMS does (ETag / Last-Modified
→ 304), and count every byte it writes, which is the objective "bytes received" of a crawl. Each host listens
on its own port of a 127.0.0.x address (Scrapy's per-host concurrency is keyed by the address, so the base
site gives each host its own; the province shares twenty between forty colleges), all in one thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from typing import Protocol

from .sitegen import SITE_KINDS, Page, etag_of


class _Hosts(Protocol):
    @property
    def hosts(self) -> int: ...


class Served(Protocol):
    """What the server asks of a site: how many hosts, each page, the list pages (bench.sitegen.GeneratedSite;
    bench.province.Province, whose hosts are colleges)."""

    @property
    def shape(self) -> _Hosts: ...

    def render(self, host: int, path: str) -> Page | None: ...

    def list_pages(self) -> list[tuple[int, str]]: ...


DEFAULT_HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7")
BASE_TIME = 1_700_000_000.0  # Last-Modified of every page as first served (a fixed instant, before any crawl)


@dataclass
class ServerStats:
    """What the server answered since the last reset: requests by kind, bytes written (headers + bodies)."""

    requests: Counter[str] = field(default_factory=Counter)
    bytes_sent: int = 0

    @property
    def pages(self) -> int:
        """HTML pages answered with a body or a 304: the pages a crawl visited."""
        return self.requests["html_200"] + self.requests["html_304"]

    def as_dict(self) -> dict[str, int]:
        return {**dict(self.requests), "pages": self.pages, "bytes_sent": self.bytes_sent}


class SiteServer:
    """Serves `site` on `site.shape.hosts` loopback addresses; `sites` maps a site name to its start URL."""

    def __init__(self, site: Served, hosts: Sequence[str] = DEFAULT_HOSTS):
        if len(hosts) < site.shape.hosts:
            raise ValueError(f"{site.shape.hosts} hosts needed, {len(hosts)} given")
        self.site = site
        self.hosts = list(hosts[: site.shape.hosts])
        self.ports: list[int] = []
        self.stats = ServerStats()
        self._validators: dict[tuple[int, str], tuple[str, float]] = {}  # (host, path) → (etag, modified at)
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="bench-site", daemon=True)
        self._servers: list[asyncio.Server] = []
        self.clock = BASE_TIME  # the instant a page changed now would report as Last-Modified

    # -- lifecycle -----------------------------------------------------------------------------------------
    def start(self) -> SiteServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._bind(), self._loop).result(timeout=10)
        return self

    async def _bind(self) -> None:
        for i, host in enumerate(self.hosts):
            server = await asyncio.start_server(partial(self._serve, i), host, 0, backlog=256)
            self._servers.append(server)
            self.ports.append(server.sockets[0].getsockname()[1])

    def stop(self) -> None:
        async def close() -> None:
            for s in self._servers:
                s.close()
            for s in self._servers:
                await s.wait_closed()

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what the bench asks -------------------------------------------------------------------------------
    def base_url(self, host: int) -> str:
        return f"http://{self.hosts[host]}:{self.ports[host]}"

    @property
    def sites(self) -> dict[str, str]:
        """Site name → start URL, one site per host (kind, then host number)."""
        return {
            f"{SITE_KINDS[i % len(SITE_KINDS)]}{i}": self.base_url(i) + "/index.htm"
            for i in range(len(self.hosts))
        }

    def kinds(self) -> dict[str, str]:
        return {
            f"{SITE_KINDS[i % len(SITE_KINDS)]}{i}": SITE_KINDS[i % len(SITE_KINDS)]
            for i in range(len(self.hosts))
        }

    def list_urls(self) -> list[str]:
        return [self.base_url(h) + path for h, path in self.site.list_pages()]

    def reset_stats(self) -> ServerStats:
        """Return the counts so far and start counting afresh."""
        with self._lock:
            old, self.stats = self.stats, ServerStats()
        return old

    def advance(self, seconds: float) -> None:
        """Move the server's clock: pages that change from now on carry a later Last-Modified."""
        self.clock += seconds

    # -- HTTP ----------------------------------------------------------------------------------------------
    async def _serve(self, host: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                try:
                    method, target, version = lines[0].split(" ", 2)
                except ValueError:
                    return
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                if int(headers.get("content-length", "0") or 0):
                    await reader.readexactly(int(headers["content-length"]))
                keep = headers.get("connection", "").lower() != "close" and version == "HTTP/1.1"
                out = self._answer(host, method, target.split("?", 1)[0].split("#", 1)[0], headers, keep)
                writer.write(out)
                await writer.drain()
                if not keep:
                    return
        finally:
            writer.close()

    def _answer(self, host: int, method: str, path: str, headers: dict[str, str], keep: bool) -> bytes:
        page = self.site.render(host, path) if method in ("GET", "HEAD") else None
        extra = ""
        if page is None:
            status, body, kind = "404 Not Found", b"<h1>404</h1>", "not_found"
            ctype = "text/html; charset=utf-8"
        else:
            ctype = page.content_type
            etag, modified = self._validate(host, path, page.body)
            lastmod = formatdate(modified, usegmt=True)
            extra = f"ETag: {etag}\r\nLast-Modified: {lastmod}\r\n"
            html = ctype.startswith("text/html")
            if self._not_modified(headers, etag, modified):
                status, body, kind = "304 Not Modified", b"", "html_304" if html else "other_304"
            else:
                status, body = "200 OK", page.body
                kind = ("html_200" if html else "other_200") if method == "GET" else "head"
        length = len(body) if page is None or status.startswith("200") else 0
        head = (
            f"HTTP/1.1 {status}\r\nServer: bench-cms\r\nContent-Type: {ctype}\r\nContent-Length: {length}\r\n"
            f"{extra}Connection: {'keep-alive' if keep else 'close'}\r\n\r\n"
        ).encode("latin-1")
        out = head + (body if method == "GET" and status.startswith(("200", "404")) else b"")
        with self._lock:
            self.stats.requests[kind] += 1
            self.stats.bytes_sent += len(out)
        return out

    def _validate(self, host: int, path: str, body: bytes) -> tuple[str, float]:
        """The page's ETag and the instant it last changed (the server clock when this body was first met)."""
        etag = etag_of(body)
        with self._lock:
            known = self._validators.get((host, path))
            if known is None or known[0] != etag:
                known = (etag, self.clock)
                self._validators[(host, path)] = known
        return known

    @staticmethod
    def _not_modified(headers: dict[str, str], etag: str, modified: float) -> bool:
        if "if-none-match" in headers:
            return (
                etag in [t.strip() for t in headers["if-none-match"].split(",")]
                or headers["if-none-match"] == "*"
            )
        since = headers.get("if-modified-since")
        if since:
            try:
                return parsedate_to_datetime(since).timestamp() >= int(modified)
            except (TypeError, ValueError):
                return False
        return False
