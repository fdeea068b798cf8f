"""A college laid out unlike the demo: its 清单 items sit in generic columns, not in columns named after them.

Two loopback hosts of one institution. The disclosure site (TRS-style `./YYYYMM/tYYYYMMDD_N.html` articles,
`index.html` / `index_1.html` lists) has a generic 信息公开目录 — a table of 索引号 / 标题 / 发布机构 /
发布日期 over two pages — holding the budget, the annual report and the employment report, a 新闻动态
column whose titles mention the budget and a report without being them, and a column named after the
vocational quality report. The finance office's site has a 财务公开 column (a category, no 清单 item)
holding the final accounts. tests/test_monitor_coverage_crawl.py states what the report must say.
"""

from __future__ import annotations

from datetime import date
from http.server import BaseHTTPRequestHandler
from typing import Any

from loopback import LoopbackHosts

XXGK, CWC = "127.0.0.51", "127.0.0.52"

# (column slug, column name, [(title, date)]) of the disclosure site; the 信息公开目录 spans two pages.
CATALOG = [
    ("示例职业学院2026年部门预算", date(2026, 3, 20)),
    ("关于调整夏季作息时间的通知", date(2026, 5, 6)),
    ("示例职业学院2024-2025学年信息公开年度报告", date(2025, 10, 28)),
    ("关于公布第二批校级精品课程名单的通知", date(2025, 9, 12)),
    ("示例职业学院2024届毕业生就业质量年度报告", date(2024, 12, 20)),  # last cycle's: stale on 2026-06-15
    ("学校领导深入基层调研", date(2024, 11, 2)),
]
PER_PAGE = 3
NEWS = [
    ("学校召开2026年预算工作会议", date(2026, 6, 10)),  # mentions the budget: not the budget
    ("关于报送2025年度艺术教育发展年度报告的通知", date(2026, 6, 3)),  # asks for a report: not the report
    ("我校举行2026届毕业典礼", date(2026, 6, 12)),
]
QUALITY = [("示例职业学院高等职业教育质量年度报告（2025）", date(2025, 12, 26))]
FINANCE = [
    ("示例职业学院2025年度部门决算公开", date(2025, 8, 20)),
    ("关于规范差旅费报销的说明", date(2026, 4, 1)),
]
COLUMNS = {
    "xxgkml": ("信息公开目录", CATALOG),
    "xwdt": ("新闻动态", NEWS),
    "zlbg": ("高等职业教育质量年度报告", QUALITY),
}


def article_path(slug: str, n: int, day: date) -> str:
    return f"/{slug}/{day:%Y%m}/t{day:%Y%m%d}_{n}.html"


def _page(title: str, menu: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}-示例职业学院信息公开网</title></head>
<body><div class="header">示例职业学院信息公开网</div>
<div class="menu">{menu}</div>
{body}
<div class="footer">主办：示例职业学院党政办公室</div></body></html>"""


def _menu() -> str:
    return '<a href="/">首页</a>' + "".join(
        f'<a href="/{slug}/index.html">{name}</a>' for slug, (name, _) in COLUMNS.items()
    )


def _catalog_table(slug: str, rows: list[tuple[int, str, date]]) -> str:
    cells = "\n".join(
        f'<tr><td>A0001-{n:04d}</td><td><a href=".{article_path(slug, n, d)[len(slug) + 1 :]}" '
        f'title="{t}">{t}</a></td><td>党政办公室</td><td>{d.isoformat()}</td></tr>'
        for n, t, d in rows
    )
    return (
        '<table class="xxgk-table"><tr><th>索引号</th><th>标题</th><th>发布机构</th><th>发布日期</th></tr>\n'
        f"{cells}\n</table>"
    )


def list_page(slug: str, page: int) -> str | None:
    name, rows = COLUMNS[slug]
    numbered = [(n, t, d) for n, (t, d) in enumerate(rows)]
    pages = max(1, -(-len(numbered) // PER_PAGE)) if slug == "xxgkml" else 1
    if page >= pages:
        return None
    shown = numbered[page * PER_PAGE : (page + 1) * PER_PAGE] if slug == "xxgkml" else numbered
    if slug == "xxgkml":
        body = _catalog_table(slug, shown)
        nxt = f'<a href="index_{page + 1}.html">下一页</a>' if page + 1 < pages else ""
        body += f'<div class="page">共{len(rows)}条 第{page + 1}/{pages}页 {nxt}</div>'
    else:
        items = "".join(
            f'<li><a href=".{article_path(slug, n, d)[len(slug) + 1 :]}">{t}</a>'
            f"<span>{d.isoformat()}</span></li>"
            for n, t, d in shown
        )
        body = f'<ul class="list">{items}</ul>'
    crumb = f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {name}</div>'
    return _page(name, _menu(), f"{crumb}<h2>{name}</h2>{body}")


def article_page(title: str, day: date, menu: str | None = None) -> str:
    body = f"""<div class="crumb">当前位置：首页 &gt; 正文</div><div class="article"><h1>{title}</h1>
<div class="info">发布日期：{day.isoformat()}</div><div class="content"><p>{title}全文。</p></div></div>"""
    return _page(title, _menu() if menu is None else menu, body)


def finance_list() -> str:
    items = "".join(
        f'<li><a href="/cwgk/{n}.htm">{t}</a><span class="date">[{d.isoformat()}]</span></li>'
        for n, (t, d) in enumerate(FINANCE)
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>财务公开-财务处</title></head><body>
<div class="nav"><a href="/">财务处首页</a><a href="/cwgk/index.htm">财务公开</a></div>
<div class="crumb">您的位置：财务处首页 &gt; 财务公开</div><h3>财务公开</h3><ul class="news">{items}</ul>
</body></html>"""


class XxgkmlSite(LoopbackHosts):
    def start(self) -> XxgkmlSite:
        return self.serve((XXGK, CWC), _Handler)

    def answer(self, host: str, path: str) -> tuple[int, str]:
        if path == "/robots.txt":
            return 404, ""
        if host == CWC:
            if path == "/":
                home = '<html><head><meta charset="utf-8"><title>财务处</title></head><body>'
                return (
                    200,
                    home + '<a href="/cwgk/index.htm">财务公开</a><p>欢迎访问财务处网站。</p></body></html>',
                )
            if path == "/cwgk/index.htm":
                return 200, finance_list()
            for n, (t, d) in enumerate(FINANCE):
                if path == f"/cwgk/{n}.htm":
                    return 200, article_page(t, d, '<a href="/cwgk/index.htm">财务公开</a>')
            return 404, "<html><body>404</body></html>"
        if path == "/":
            links = "".join(
                f'<li><a href="/{slug}/index.html">{name}</a></li>' for slug, (name, _) in COLUMNS.items()
            )
            return 200, _page("首页", _menu(), f"<ul class='boxes'>{links}</ul>")
        for slug, (_, rows) in COLUMNS.items():
            if path == f"/{slug}/index.html":
                return 200, list_page(slug, 0) or ""
            if path.startswith(f"/{slug}/index_") and path.endswith(".html"):
                number = path.removeprefix(f"/{slug}/index_").removesuffix(".html")
                page = list_page(slug, int(number)) if number.isdigit() else None
                return (200, page) if page else (404, "<html><body>404</body></html>")
            for n, (t, d) in enumerate(rows):
                if path == article_path(slug, n, d):
                    return 200, article_page(t, d)
        return 404, "<html><body>404</body></html>"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        server: Any = self.server
        status, text = server.site.answer(server.host, self.path.split("?")[0])
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8" if text else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
