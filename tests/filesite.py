"""A college site whose menu links files, most of them failing (issue 13: a dead file is no undated column).

Two loopback hosts (port 0 each): the college's site (127.0.0.71) and its sign-in service (127.0.0.72,
统一身份认证, where one file link redirects). The menu on every page links a list (通知公告) and seven files,
each failing in its own way or not at all:

- 学校章程 `/files/xxzc.pdf`: a PDF, but the server answers HEAD with 405 (GET serves it) → `undated`;
- 校历 `/files/xl.pdf` 404, 年度报告 `/files/ndbg.pdf` 500, 发展规划 `/files/fzgh.doc` answers after
  the crawl's timeout → `unreachable`, with the reason;
- 收费标准 `/files/sfbz.pdf`: HTTP 200 with an HTML page saying 页面不存在 (a soft 404) → `unreachable`;
- 内部文件 `/files/nbwj.pdf`: 302 to the site's own login page → `blocked`;
- 名单公示 `/files/mdgs.xlsx`: 302 to the sign-in service on the other host → `blocked`.

`FileSite.hits` counts (host, method, path) of every request. Every date is fixed; crawls run as of AS_OF.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from columntruth import Expected
from loopback import LoopbackHosts

SITE, CAS = "127.0.0.71", "127.0.0.72"
AS_OF = date(2026, 11, 26)
COLLEGE = "东湖职业技术学院"
SLOW_SECONDS = 4.0  # past the tests' 2 s download timeout


def dated(prefix: str, newest: date, count: int, step: int) -> list[tuple[str, date]]:
    return [(f"{prefix}（{i + 1}）", newest - timedelta(days=step * i)) for i in range(count)]


TZGG = dated("关于做好冬季安全工作的通知", date(2026, 11, 23), 6, 4)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
SOFT_404 = (
    "<html><head><title>404 Not Found</title></head><body><div class='error'><h1>页面不存在</h1>"
    "<p>您访问的页面不存在或已被删除！</p><a href='/'>返回首页</a></div></body></html>"
)
LOGIN = (
    "<html><head><title>用户登录</title></head><body><form method='post' action='/login.jsp'>"
    "<input name='user'><input type='password' name='pwd'><button>登录</button></form></body></html>"
)
FILES = {  # path -> (menu text, how the server answers)
    "/files/xxzc.pdf": ("学校章程", "no-head"),
    "/files/xl.pdf": ("校历", "404"),
    "/files/ndbg.pdf": ("年度报告", "500"),
    "/files/fzgh.doc": ("发展规划", "slow"),
    "/files/sfbz.pdf": ("收费标准", "soft-404"),
    "/files/nbwj.pdf": ("内部文件", "login"),
    "/files/mdgs.xlsx": ("名单公示", "cas"),
}
MENU = [("首页", "/index.htm"), ("通知公告", "/tzgg/index.htm"), *((t, p) for p, (t, _) in FILES.items())]

COLUMNS = [
    Expected("site", SITE, "通知公告", "/tzgg/index.htm", "fresh", len(TZGG), TZGG[0][1]),
    Expected("site", SITE, "学校章程", "/files/xxzc.pdf", "undated", 1, None, error="undated"),
    Expected("site", SITE, "校历", "/files/xl.pdf", "unreachable", 0, None, error="HTTP 404"),
    Expected("site", SITE, "年度报告", "/files/ndbg.pdf", "unreachable", 0, None, error="HTTP 500"),
    Expected("site", SITE, "发展规划", "/files/fzgh.doc", "unreachable", 0, None, error="timeout"),
    Expected("site", SITE, "收费标准", "/files/sfbz.pdf", "unreachable", 0, None, error="soft 404"),
    Expected("site", SITE, "内部文件", "/files/nbwj.pdf", "blocked", 0, None, error="login"),
    Expected("site", SITE, "名单公示", "/files/mdgs.xlsx", "blocked", 0, None, error="login"),
]


def page(title: str, body: str) -> str:
    menu = "".join(f'<li><a href="{p}">{t}</a></li>' for t, p in MENU)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} - {COLLEGE}</title></head><body>'
        f'<div class="header"><h1>{COLLEGE}</h1><ul class="nav">{menu}</ul></div>'
        f'<div class="main">{body}</div><div class="footer">版权所有 {COLLEGE}</div></body></html>'
    )


def article_url(key: str, n: int) -> str:
    return f"/info/{key}/{1000 + n}.htm"


def list_rows(key: str, rows: list[tuple[str, date]], offset: int = 0) -> str:
    return "".join(
        f'<li><a href="{article_url(key, offset + i)}">{t}</a><span class="date">{d.isoformat()}</span></li>'
        for i, (t, d) in enumerate(rows)
    )


class FileSite(LoopbackHosts):
    def __init__(self) -> None:
        super().__init__()
        self.hits: Counter[tuple[str, str, str]] = Counter()

    def start(self) -> FileSite:
        return self.serve((SITE, CAS), _Handler)

    def answer(self, host: str, method: str, path: str, query: str, body: bytes) -> tuple[Any, ...]:
        """(status, body, content type[, extra headers]) of one request."""
        self.hits[(host, method, path)] += 1
        if host == CAS:
            return 200, LOGIN.replace("/login.jsp", "/cas/login"), "text/html; charset=utf-8"
        if path in ("/", "/index.htm"):
            return 200, page("首页", f"<h2>欢迎访问{COLLEGE}</h2><p>{'学院简介。' * 10}</p>"), "text/html"
        if path == "/tzgg/index.htm":
            body_html = (
                f'<h2 class="column-title">通知公告</h2><ul class="news-list">{list_rows("tzgg", TZGG)}</ul>'
            )
            return 200, page("通知公告", body_html), "text/html; charset=utf-8"
        if path.startswith("/info/"):
            return self._article(path)
        if path == "/login.jsp":
            return 200, LOGIN, "text/html; charset=utf-8"
        if path in FILES:
            return self._file(path, method)
        return 404, "<html><body>404</body></html>", "text/html"

    def _article(self, path: str) -> tuple[Any, ...]:
        key, number = path.split("/")[2], int(path.rsplit("/", 1)[1].split(".")[0]) - 1000
        rows = {"tzgg": TZGG}.get(key)
        if rows is None or not 0 <= number < len(rows):
            return 404, "<html><body>404</body></html>", "text/html"
        title, day = rows[number]
        body = (
            f"<h1>{title}</h1><div class='info'>发布时间：{day.isoformat()}</div><p>{'正文内容。' * 40}</p>"
        )
        return 200, page(title, body), "text/html; charset=utf-8"

    def _file(self, path: str, method: str) -> tuple[Any, ...]:
        how = FILES[path][1]
        if how == "no-head":
            return (405, "", "text/plain") if method == "HEAD" else (200, PDF, "application/pdf")
        if how in ("404", "500"):
            return int(how), "<html><body>error</body></html>", "text/html"
        if how == "slow":
            time.sleep(SLOW_SECONDS)
            return 200, PDF, "application/msword"
        if how == "soft-404":
            return 200, SOFT_404, "text/html; charset=utf-8"
        if how == "login":
            return 302, "", "text/html", {"Location": "/login.jsp?return=" + path}
        netloc = self.netloc(CAS)
        return 302, "", "text/html", {"Location": f"http://{netloc}/cas/login?service={path}"}


class _Handler(BaseHTTPRequestHandler):
    def _serve(self, method: str) -> None:
        site: FileSite = self.server.site  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        answer = site.answer(self.server.host, method, parts.path, parts.query, body)  # type: ignore[attr-defined]
        status, content, ctype = answer[:3]
        headers: dict[str, str] = answer[3] if len(answer) > 3 else {}
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the crawler gave up on a slow answer
            pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def log_message(self, format: str, *args: Any) -> None:
        pass
