"""A fault-injection college web site on loopback, for the fault tests (issue 9).

Modelled on Scrapy's tests/mockserver: one real HTTP server per loopback host (127.0.0.x, port 0), whose
endpoints are driven by path and query, so a test names the fault it wants in the URL:

    /status?n=503        that status, with a small HTML body
    /timeout             reads the request and never answers (until the site stops)
    /reset               promises a long body, sends part of it, then resets the connection (RST)
    /slow?seconds=S      dribbles a complete list page over S seconds (a byte run every 50 ms)
    /loop?n=K            redirects to /loop?n=K+1 forever (too many redirects)
    /loop/a, /loop/b     redirect to each other (a true cycle)
    /offsite             redirects to /elsewhere on the site's second host (another host)
    /big?bytes=N         an HTML page of N bytes with a Content-Length; &chunked=1: no length, ends at close
    /binary              PNG-like binary bytes served as text/html
    /truncated           a list page cut off in the middle of a tag (the HTTP framing itself is correct)
    /malformed           a list page: unclosed and stray tags, bad entities, bad links, invalid UTF-8 bytes
    /nul                 an ordinary list page with a stray NUL byte in a row title
    /links10k.htm        a list page with 10,000 dated rows (10,000 links)
    /private/...         disallowed by robots.txt
    /robots.txt          Disallow: /private/

Besides those, the site serves a small college: a home page linking to every column, one list page per column
(`/{slug}.htm`) with dated rows, and an article per row (`/info/{slug}/{i}.htm`). Pages carry an ETag and
answer 304 to a matching If-None-Match, as the CMSs colleges run do. Tests change the site while it runs:
`fail(path, status)` makes one path answer an error, `down()` closes every listener (connection refused) and
aborts what is in flight, `up()` listens again on the same ports.
"""

from __future__ import annotations

import hashlib
import html
import random
import socket
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
LAST_MODIFIED = "Mon, 05 Jan 2026 02:00:00 GMT"
CHUNK_PAUSE = 0.05  # seconds between two byte runs of /slow
LINKS = 10_000  # rows (links) of /links10k.htm
BIG = 3_000_000  # bytes of /big: over the MAX_BYTES the fault tests put in their plans
HANG = 0  # fail(path, HANG): the path never answers (a timeout)
RESET = -1  # fail(path, RESET): the path's connection is reset mid-body
MAX_BYTES = 1_500_000  # the size limit fault tests crawl with: /links10k.htm (~600 kB) fits, /big does not


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a list page: the link's text and target, and the date shown beside it (None: no date)."""

    title: str
    href: str
    shown: date | None


@dataclass(slots=True)
class Column:
    """A column (栏目): a list page at /{slug}.htm whose rows link to articles or to anything else."""

    slug: str
    name: str
    rows: list[Row] = field(default_factory=list)
    # rows show their date as MM-DD and their articles none: only the day of the crawl gives the year
    yearless: bool = False

    @property
    def path(self) -> str:
        return f"/{self.slug}.htm"

    @classmethod
    def of_articles(cls, slug: str, name: str, dates: Iterable[date], title: str = "通知") -> Column:
        """A column whose rows link to articles the site serves, one per date, newest first."""
        rows = [
            Row(f"{name}{title}{i + 1}号", f"/info/{slug}/{i + 1}.htm", d)
            for i, d in enumerate(sorted(dates, reverse=True))
        ]
        return cls(slug, name, rows)


def days_ago(n: int, today: date | None = None) -> date:
    """The day `n` days before today: tests date their items relative to the day they run."""
    return (today or date.today()) - timedelta(days=n)


# --------------------------------------------------------------------------------------------------- markup


def _page(title: str, body: str, nav: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body>\n"
        f'<div class="header"><a href="/">首页</a></div>\n<div class="nav">{nav}</div>\n'
        f"{body}\n"
        '<div class="footer">版权所有 故障测试学院 地址：测试路1号</div>\n</body></html>\n'
    )


def _row_html(row: Row, yearless: bool = False) -> str:
    text = (f"{row.shown:%m-%d}" if yearless else row.shown.isoformat()) if row.shown else ""
    shown = f"<span>{text}</span>" if text else ""
    title = html.escape(row.title)
    return f'<li><a href="{html.escape(row.href)}" title="{title}">{title}</a>{shown}</li>'


def list_page(name: str, rows: Iterable[Row], nav: str = "", yearless: bool = False) -> str:
    """A list page laid out the way most college CMSs do: breadcrumb, heading, ul of link + date rows."""
    items = "\n".join(_row_html(r, yearless) for r in rows)
    body = (
        f'<div class="location">当前位置：<a href="/">首页</a> &gt; {html.escape(name)}</div>\n'
        f'<div class="list"><h2>{html.escape(name)}</h2>\n<ul>\n{items}\n</ul></div>'
    )
    return _page(name, body, nav)


def article_page(title: str, shown: date | None, nav: str = "") -> str:
    when = f'<div class="info">发布时间：{shown.isoformat()} 浏览量：12</div>' if shown else ""
    text = "为进一步做好信息公开工作，现将有关事项通知如下。" * 6
    body = (
        f'<div class="article"><h1>{html.escape(title)}</h1>\n{when}\n'
        f'<div class="content"><p>{text}</p></div></div>'
    )
    return _page(title, body, nav)


def binary_body(size: int = 6000, seed: int = 9) -> bytes:
    rnd = random.Random(seed)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rnd.randrange(256) for _ in range(size))


# ------------------------------------------------------------------------------------------------- the site


class FaultSite:
    """A college site with fault endpoints, served on one or more loopback hosts, each on its own port.

    Host 0 is the site itself; the other hosts serve the same endpoints and exist so that redirects can leave
    the site (/offsite goes to host 1). `hits` counts requests as (host index, path with query).
    """

    def __init__(
        self,
        hosts: Iterable[str] = ("127.0.0.2", "127.0.0.3"),
        columns: Iterable[Column] = (),
        *,
        name: str = "故障测试学院信息公开网",
        hang_seconds: float = 30.0,
        big_default: int = BIG,
        extra_pages: dict[str, str] | None = None,
    ) -> None:
        self.hosts = tuple(hosts)
        self.columns: list[Column] = list(columns)
        self.name = name
        self.hang_seconds = hang_seconds
        self.big_default = big_default
        self.pages: dict[str, str] = dict(extra_pages or {})  # path -> HTML, served with ETag
        self.failures: dict[str, int] = {}  # path -> status to answer instead
        self.hits: Counter[tuple[int, str]] = Counter()
        self.ports: list[int] = [0] * len(self.hosts)
        self._servers: list[ThreadingHTTPServer | None] = [None] * len(self.hosts)
        self._threads: list[threading.Thread | None] = [None] * len(self.hosts)
        self._stopping = threading.Event()
        self._cut = threading.Event()  # set when the whole site goes down; replaced when it comes back
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()

    # ----------------------------------------------------------------------------------------- control

    def start(self) -> FaultSite:
        for i in range(len(self.hosts)):
            self._listen(i)
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.down()

    def __enter__(self) -> FaultSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def down(self, *indexes: int) -> None:
        """Take hosts down (all by default): connections are refused and requests in flight are cut."""
        for i in indexes or range(len(self.hosts)):
            server = self._servers[i]
            if server is None:
                continue
            server.shutdown()
            server.server_close()
            thread = self._threads[i]
            if thread is not None:
                thread.join(5)
            self._servers[i] = None
        if not indexes:
            self._cut.set()
            with self._lock:
                for conn in list(self._open):
                    _abort(conn)

    def up(self, *indexes: int) -> None:
        """Bring hosts back on the ports they had (all by default)."""
        if not indexes and self._cut.is_set():
            self._cut = threading.Event()
        for i in indexes or range(len(self.hosts)):
            if self._servers[i] is None:
                self._listen(i)

    def is_up(self, index: int = 0) -> bool:
        return self._servers[index] is not None

    def fail(self, path: str, status: int = 503) -> None:
        """From now on `path` (path and query, as requested) answers `status` (or HANG, or RESET)."""
        self.failures[path] = status

    def heal(self, path: str | None = None) -> None:
        if path is None:
            self.failures.clear()
        else:
            self.failures.pop(path, None)

    def netloc(self, index: int = 0) -> str:
        return f"{self.hosts[index]}:{self.ports[index]}"

    def url(self, path: str = "/", index: int = 0) -> str:
        return f"http://{self.netloc(index)}{path}"

    def column(self, slug: str) -> Column:
        return next(c for c in self.columns if c.slug == slug)

    # ----------------------------------------------------------------------------------------- content

    def nav(self) -> str:
        return " ".join(f'<a href="{c.path}">{html.escape(c.name)}</a>' for c in self.columns)

    def home(self) -> str:
        boxes = "\n".join(
            f'<div class="box"><h3><a href="{c.path}">{html.escape(c.name)}</a></h3></div>'
            for c in self.columns
        )
        return _page(self.name, f'<div class="main">{boxes}</div>', self.nav())

    def render(self, path: str, query: str = "") -> str | None:
        """The HTML of an ordinary page of the college, or None when `path` is not one (`query`, the
        request's query string, is for subclasses: the college's own pages do not vary with it)."""
        if path in self.pages:
            return self.pages[path]
        if path in ("/", "/index.htm", "/index.html"):
            return self.home()
        for c in self.columns:
            if path == c.path:
                return list_page(c.name, c.rows, self.nav(), c.yearless)
            prefix = f"/info/{c.slug}/"
            if path.startswith(prefix):
                for row in c.rows:
                    if row.href == path:
                        return article_page(row.title, None if c.yearless else row.shown, self.nav())
        if path.startswith("/l/") or path == "/elsewhere":
            return article_page("一条普通的通知", date(2025, 3, 1), self.nav())
        if path == "/links10k.htm":
            return links10k_page()
        return None

    # ----------------------------------------------------------------------------------------- plumbing

    def _listen(self, index: int) -> None:
        site = self

        class Handler(_FaultHandler):
            pass

        Handler.site = site
        Handler.host_index = index
        server = _Server((self.hosts[index], self.ports[index]), Handler)
        self.ports[index] = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        self._servers[index] = server
        self._threads[index] = thread

    def _track(self, conn: socket.socket, on: bool) -> None:
        with self._lock:
            (self._open.add if on else self._open.discard)(conn)

    def wait(self, seconds: float, cut: threading.Event) -> bool:
        """Sleep in a handler; True when the site stopped or went down meanwhile (the handler gives up)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self._stopping.is_set() or cut.wait(min(left, 0.1)):
                return True
        return self._stopping.is_set()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up or reset are the point of this server: nothing to print."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


def _abort(conn: socket.socket) -> None:
    """Close with RST instead of FIN: the peer sees 'connection reset'."""
    try:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()
    except OSError:
        pass


def links10k_page(n: int = LINKS) -> str:
    """A list page of `n` dated rows (about 750 kB for 10,000): compact, so it stays under MAX_BYTES."""
    start = date(2020, 1, 1)
    items = "\n".join(
        f'<li><a href="/l/{i}.htm">链接通知{i}</a><span>{start + timedelta(days=i % 2000)}</span></li>'
        for i in range(n)
    )
    crumb = '<div class="location">当前位置：<a href="/">首页</a> &gt; 万条链接</div>'
    body = f"{crumb}\n<h2>万条链接</h2><ul>\n{items}\n</ul>"
    return _page("万条链接", body)


TRUNCATED = (
    list_page(
        "残缺页面", [Row(f"残缺页面条目{i}", f"/l/t{i}.htm", date(2025, 6, i)) for i in range(1, 6)]
    ).split('<li><a href="/l/t5.htm"')[0]
    + '<li><a href="/l/t5.htm" title="残缺页面条目5">残缺页面条<span'
)

MALFORMED = (
    "<html><head><meta charset=utf-8><title>畸形页面</title><head><body><div><div><table><tr><td>\n"
    "<h2>畸形页面</h2><ul>\n<li><a href=/l/m1.htm>畸形条目一</a><span>2025-05-01</span>\n"
    "<li><a href='/l/m2.htm'>畸形条目二</a> <span>2025-05-02</span></b></i>\n"
    '<li><a href="/l/m3.htm">畸形条目三</a></font><span>2025-05-03</span>\n'
    + "".join(f"<li><a href=/l/m{i}.htm>畸形条目{i}</a><span>2025-05-{i:02d}</span>\n" for i in range(4, 10))
    + "</ul></td>\n<p>&#xZZZZ; &#99999999; &unknown; &lt &amp <script>document.write('<li>')</script>\n"
    '<a href="javascript:alert(1)">脚本</a> <a href="http://[::1">坏链接</a> <a href="">空</a>\n'
    "<![CDATA[ ]]> <!-- unclosed comment\n"
)
MALFORMED_BYTES = MALFORMED.encode("utf-8") + b"\xff\xfe\xc3\x28 \xe4\xb8 trailing"

# An ordinary list page with a stray NUL byte in a row title, as a broken CMS export leaves: still HTML.
NUL_BYTES = (
    list_page("空字符页面", [Row(f"空字符条目{i}", f"/l/n{i}.htm", date(2025, 7, i)) for i in range(1, 4)])
    .encode()
    .replace("空字符条目2".encode(), "空字符\x00条目2".encode())
)


class _FaultHandler(BaseHTTPRequestHandler):
    site: FaultSite
    host_index: int
    server_version = "FaultSite/1.0"
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read `hits`
        pass

    def setup(self) -> None:
        super().setup()
        self.cut = self.site._cut
        self.site._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.site._track(self.connection, False)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        try:
            self._serve()
        except (ConnectionError, BrokenPipeError, OSError):
            self.close_connection = True

    # -------------------------------------------------------------------------------------------- routes

    def _serve(self) -> None:
        site = self.site
        split = urlsplit(self.path)
        path, query = split.path, parse_qs(split.query)
        full = path + (f"?{split.query}" if split.query else "")
        site.hits[(self.host_index, full)] += 1
        if full in site.failures or path in site.failures:
            status = site.failures.get(full, site.failures.get(path, 503))
            if status == HANG:
                site.wait(site.hang_seconds, self.cut)
                self.close_connection = True
                return None
            if status == RESET:
                return self._reset()
            return self._send(status, _page(f"{status}", f"<h1>Error {status}</h1>").encode())
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/status":
            n = int(query.get("n", ["200"])[0])
            return self._send(n, _page(f"状态 {n}", f"<h1>Status {n}</h1>").encode())
        if path == "/timeout":
            site.wait(site.hang_seconds, self.cut)
            self.close_connection = True
            return None
        if path == "/reset":
            return self._reset()
        if path == "/slow":
            return self._slow(float(query.get("seconds", ["5"])[0]))
        if path == "/loop":
            n = int(query.get("n", ["0"])[0])
            return self._redirect(f"/loop?n={n + 1}")
        if path == "/loop/a":
            return self._redirect("/loop/b")
        if path == "/loop/b":
            return self._redirect("/loop/a")
        if path == "/offsite":
            other = 1 if len(site.hosts) > 1 else 0
            return self._redirect(site.url("/elsewhere", other))
        if path == "/big":
            size = int(query.get("bytes", [str(site.big_default)])[0])
            body = _big(size)
            return self._send(200, body, chunked="chunked" in query)
        if path == "/binary":
            return self._send(200, binary_body())
        if path == "/truncated":
            return self._send(200, TRUNCATED.encode())
        if path == "/malformed":
            return self._send(200, MALFORMED_BYTES)
        if path == "/nul":
            return self._send(200, NUL_BYTES)
        if path.startswith("/private/"):
            return self._send(200, article_page("内部文件", date(2025, 1, 1)).encode())
        page = site.render(path, split.query)
        if page is None:
            return self._send(404, _page("404", "<h1>页面不存在</h1>").encode())
        return self._send_page(page.encode("utf-8"))

    # -------------------------------------------------------------------------------------------- replies

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        *,
        chunked: bool = False,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if not chunked:
            self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command == "HEAD":
            return
        if chunked:  # HTTP/1.0 without a length: the body ends when the connection closes
            for i in range(0, len(body), 16384):
                self.wfile.write(body[i : i + 16384])
        else:
            self.wfile.write(body)

    def _send_page(self, body: bytes) -> None:
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self._send(200, body, headers={"ETag": etag, "Last-Modified": LAST_MODIFIED})

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _reset(self) -> None:
        body = list_page("连接重置", [Row(f"条目{i}", f"/l/r{i}.htm", date(2025, 4, 1)) for i in range(200)])
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 3])
        self.wfile.flush()
        time.sleep(0.05)
        _abort(self.connection)
        self.close_connection = True

    def _slow(self, seconds: float) -> None:
        rows = [Row(f"慢速条目{i}", f"/l/s{i}.htm", date(2025, 2, i)) for i in range(1, 11)]
        body = list_page("慢速页面", rows)
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        steps = max(1, int(seconds / CHUNK_PAUSE))
        size = max(1, -(-len(data) // steps))
        for i in range(0, len(data), size):
            self.wfile.write(data[i : i + size])
            self.wfile.flush()
            if self.site.wait(CHUNK_PAUSE, self.cut):
                break


def _big(size: int) -> bytes:
    row = '<li><a href="/l/big.htm">很大的页面</a><span>2025-01-01</span></li>\n'.encode()
    head = list_page("超大页面", []).encode()
    filler = row * (size // len(row) + 1)
    return (head + filler)[:size]


# ------------------------------------------------------------------------------------------------ scenarios

# The fault endpoints the fault college links to, with the outcome storage must record for each.
# (path, outcome) — the path is relative to host 0; "dead:" paths are on a host that is down.
FAULTS: tuple[tuple[str, str], ...] = (
    ("/status?n=503", "http_error"),
    ("/status?n=500", "http_error"),
    ("/status?n=404", "http_error"),
    ("/status?n=403", "http_error"),
    ("/timeout", "timeout"),
    ("/reset", "network_error"),
    ("/slow?seconds=0.4", "ok"),
    ("/slow?seconds=30", "timeout"),
    ("/loop?n=0", "redirect_loop"),
    ("/loop/a", "redirect_loop"),
    ("/offsite", "offsite_redirect"),
    ("/big", "too_large"),
    ("/big?chunked=1", "too_large"),
    ("/binary", "not_html"),
    ("/truncated", "ok"),
    ("/malformed", "ok"),
    ("/nul", "ok"),
    ("/links10k.htm", "ok"),
    ("/private/secret.htm", "robots_denied"),
)


def fault_college(hosts: tuple[str, ...] = ("127.0.0.2", "127.0.0.3", "127.0.0.4")) -> FaultSite:
    """The fault college: a healthy news column and a notices column whose rows link to every fault endpoint.

    Host 2 (when given) is in the site's allowed hosts in the tests but kept down: a link to it is refused.
    Call `.start()` (or use it as a context manager) before reading URLs: ports are known once it listens.
    """
    news = Column.of_articles("xwdt", "新闻动态", [days_ago(d) for d in (2, 9, 30)])
    return FaultSite(hosts, [news, Column("tzgg", "通知公告", [])])


def link_faults(site: FaultSite, dead_index: int | None = 2) -> list[tuple[str, str]]:
    """Fill the notices column with one dated row per fault endpoint; return (absolute URL, outcome) pairs."""
    today = date.today()
    expected: list[tuple[str, str]] = []
    rows: list[Row] = []
    for i, (path, outcome) in enumerate(FAULTS):
        rows.append(Row(f"故障条目{i + 1}", path, days_ago(i + 1, today)))
        expected.append((site.url(path), outcome))
    if dead_index is not None and dead_index < len(site.hosts):
        dead = site.url("/index.htm", dead_index)
        rows.append(Row("停机主机上的条目", dead, days_ago(40, today)))
        expected.append((dead, "network_error"))
    site.column("tzgg").rows = rows
    return expected
