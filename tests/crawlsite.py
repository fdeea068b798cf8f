"""A small two-host college site for the crawler runtime tests, in a layout the demo college does not use.

Pages are JSP/ASP-style query URLs (`/col.jsp?id=7&page=2`), list rows are table rows with the date in its own
cell, the department host serves undeclared GBK, and the faults sit where a crawl meets them: a column
link answering 404, an article answering 500, a robots.txt Disallow, a redirect to a third host, an
in-site 301 and a PDF attachment. Every answer has an ETag and honours If-None-Match, so a recrawl of an
unchanged site is 304s. tests/test_crawler_crawl.py states what a correct crawl must record.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from loopback import LoopbackHosts

MAIN, DEPT, ELSEWHERE = "127.0.0.21", "127.0.0.22", "127.0.0.23"
PER_PAGE = 8
NEWS_PAGES = 3
NEWS_NEWEST = date(2024, 6, 20)
PINNED = date(2019, 1, 1)  # an old pinned item on top of page 1: the newest date is not the first row's
RULES = [(f"关于印发管理办法（第{i}号）的通知", date(2024, 3, 5) - timedelta(days=40 * i)) for i in range(5)]
DEPT_ROWS = [(f"学院简讯第{i}期", date(2024, 5, 6) - timedelta(days=9 * i)) for i in range(4)]


def news_rows() -> list[tuple[int, str, date]]:
    """(article id, title, date) of the 通知公告 column, page by page; id 700 is pinned on top of page 1."""
    rows = [(700, "【置顶】信息公开指南", PINNED)]
    for i in range(PER_PAGE * NEWS_PAGES - 1):
        rows.append((701 + i, f"关于做好第{i + 1}项工作的通知", NEWS_NEWEST - timedelta(days=6 * i)))
    return rows


FAILING_ARTICLE = 705  # answers 500


def _page(title: str, crumbs: list[str], body: str) -> str:
    trail = " &gt; ".join(crumbs)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title} - 示例职业学院信息公开网</title></head>
<body>
<div id="top"><img src="/logo.gif" alt="示例职业学院"></div>
<div id="menu">
  <a href="/">首页</a>
  <a href="/col.jsp?id=7">通知公告</a>
  <a href="/col.jsp?id=8">规章制度</a>
  <a href="/col.jsp?id=9">财务信息</a>
  <a href="/col.jsp?id=404">招生信息</a>
  <a href="/private/">内部资料</a>
  <a href="http://{{dept}}/dept/list.asp">院系动态</a>
  <a href="/about">学校简介</a>
  <a href="/go/out">合作网站</a>
</div>
<div class="position">当前位置：{trail}</div>
{body}
<div id="footer">版权所有 示例职业学院 地址：某省某市学院路1号</div>
</body></html>"""


def _table(rows: list[tuple[str, str, date]]) -> str:
    cells = "\n".join(
        f'<tr><td class="t"><a href="{href}" title="{title}">{title}</a></td>'
        f'<td class="d">{d.isoformat()}</td></tr>'
        for href, title, d in rows
    )
    return f'<table class="listtable" width="100%">\n{cells}\n</table>'


def news_page(n: int) -> str:
    rows = news_rows()[(n - 1) * PER_PAGE : n * PER_PAGE]
    table = _table([(f"/art.jsp?id={i}", t, d) for i, t, d in rows])
    pager = [f"共{len(news_rows())}条 第{n}/{NEWS_PAGES}页", '<a href="col.jsp?id=7&amp;page=1">首页</a>']
    if n > 1:
        pager.append(f'<a href="col.jsp?id=7&amp;page={n - 1}">上一页</a>')
    if n < NEWS_PAGES:
        pager.append(f'<a href="col.jsp?id=7&amp;page={n + 1}">下一页</a>')
    pager.append(f'<a href="col.jsp?id=7&amp;page={NEWS_PAGES}">尾页</a>')
    body = f'<h2 class="coltitle">通知公告</h2>\n{table}\n<div class="pages">{" ".join(pager)}</div>'
    return _page("通知公告", ["首页", "信息公开", "通知公告"], body)


def rules_page() -> str:
    table = _table([(f"/art.jsp?id={800 + i}", t, d) for i, (t, d) in enumerate(RULES)])
    return _page("规章制度", ["首页", "信息公开", "规章制度"], f'<h2 class="coltitle">规章制度</h2>\n{table}')


def empty_page() -> str:
    return _page(
        "财务信息", ["首页", "信息公开", "财务信息"], '<h2 class="coltitle">财务信息</h2><p>暂无信息</p>'
    )


def article(art: int, title: str, when: date) -> str:
    attach = '<p>附件：<a href="/files/report.pdf">年度报告.pdf</a></p>' if art == 800 else ""
    body = f"""<div class="article"><h1>{title}</h1>
<div class="info">发布时间：{when.isoformat()} 来源：学校办公室</div>
<div class="content"><p>{title}。各部门：现将有关事项通知如下，请认真贯彻执行。</p>{attach}</div></div>"""
    return _page(title, ["首页", "信息公开", "正文"], body)


def home() -> str:
    teaser = "".join(f'<li><a href="/art.jsp?id={i}">{t}</a></li>' for i, t, _ in news_rows()[1:4])
    return _page("首页", ["首页"], f'<div class="welcome"><p>欢迎访问信息公开网。</p><ul>{teaser}</ul></div>')


def dept_list() -> bytes:
    rows = "\n".join(
        f'<li><a href="view.asp?id={i}">{t}</a><span class="time">{d:%Y.%m.%d}</span></li>'
        for i, (t, d) in enumerate(DEPT_ROWS)
    )
    html = f"""<html><head><title>院系动态</title></head><body>
<div class="nav"><a href="/dept/">学院首页</a></div>
<div class="crumb">您的位置：学院首页 &gt;&gt; 院系动态</div>
<h3>院系动态</h3><ul class="news">
{rows}
</ul></body></html>"""
    return html.encode("gbk")  # undeclared GBK: no charset in the header or the page


def dept_article(i: int) -> bytes:
    t, d = DEPT_ROWS[i]
    html = f"""<html><head><title>{t}</title></head><body><h1>{t}</h1>
<p>发布日期：{d.isoformat()}</p><p>{t}的内容：学院召开工作会议，部署有关事项。</p></body></html>"""
    return html.encode("gbk")


@dataclass(slots=True)
class Answer:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class CrawlSite(LoopbackHosts):
    """The three hosts, served on port 0 each; `hits` counts (host, method, path?query) of every request."""

    def __init__(self) -> None:
        super().__init__()
        self.hits: Counter[tuple[str, str, str]] = Counter()
        self.changed: set[str] = set()  # paths whose body differs from the first crawl's (recrawl tests)

    def start(self) -> CrawlSite:
        return self.serve((MAIN, DEPT, ELSEWHERE), _Handler)

    def answer(self, host: str, method: str, target: str) -> Answer:
        parts = urlsplit(target)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        if host == ELSEWHERE:
            return Answer(200, _page("别处", ["别处"], "<p>另一个网站</p>").encode())
        if host == DEPT:
            return self._dept(path, query)
        if path == "/robots.txt":
            return Answer(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/":
            return self._html(home())
        if path == "/col.jsp":
            col, page = query.get("id"), int(query.get("page", "1"))
            if col == "7" and 1 <= page <= NEWS_PAGES:
                return self._html(news_page(page))
            if col == "8":
                return self._html(rules_page())
            if col == "9":
                return self._html(empty_page())
            return Answer(404, b"<html><body><h1>404 Not Found</h1></body></html>")
        if path == "/art.jsp":
            art = int(query.get("id", "0"))
            if art == FAILING_ARTICLE:
                return Answer(500, b"<html><body>Internal Server Error</body></html>")
            news = {i: (t, d) for i, t, d in news_rows()}
            if art in news:
                return self._html(article(art, *news[art]))
            if 800 <= art < 800 + len(RULES):
                return self._html(article(art, *RULES[art - 800]))
        if path == "/about":
            return Answer(301, headers={"Location": "/about/"})
        if path == "/about/":
            return self._html(_page("学校简介", ["首页", "学校简介"], "<p>示例职业学院创建于1958年。</p>"))
        if path == "/go/out":
            return Answer(302, headers={"Location": self.url(ELSEWHERE, "/")})
        if path == "/files/report.pdf":
            return Answer(200, b"%PDF-1.4 fake", "application/pdf")
        if path == "/logo.gif":
            return Answer(200, b"GIF89a", "image/gif")
        if path.startswith("/private/"):
            return self._html(_page("内部资料", ["首页"], "<p>secret</p>"))
        return Answer(404, b"<html><body><h1>404 Not Found</h1></body></html>")

    def _dept(self, path: str, query: dict[str, str]) -> Answer:
        if path == "/robots.txt":
            return Answer(404, b"")
        if path == "/dept/list.asp":
            return Answer(200, dept_list(), "text/html")
        if path == "/dept/view.asp" and query.get("id", "").isdigit() and int(query["id"]) < len(DEPT_ROWS):
            return Answer(200, dept_article(int(query["id"])), "text/html")
        if path == "/dept/":
            return Answer(200, b"<html><body><p>dept home</p></body></html>", "text/html")
        return Answer(404, b"not found", "text/plain")

    def _html(self, text: str) -> Answer:
        return Answer(200, text.replace("{dept}", self.netloc(DEPT)).encode("utf-8"))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve(with_body=True)

    def do_HEAD(self) -> None:
        self._serve(with_body=False)

    def _serve(self, *, with_body: bool) -> None:
        server: Any = self.server
        site: CrawlSite = server.site
        site.hits[(server.host, self.command, self.path)] += 1
        ans = site.answer(server.host, self.command, self.path)
        body = ans.body
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if ans.status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(ans.status)
        self.send_header("Content-Type", ans.content_type)
        self.send_header("Content-Length", str(len(body)))
        if ans.status == 200:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Mon, 05 Jan 2026 02:00:00 GMT")
        for k, v in ans.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if with_body:
            self.wfile.write(body)
