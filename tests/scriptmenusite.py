# ruff: noqa: E501
# (the pages imitate CMS templates, whose lines are long)
"""A college whose navigation only JavaScript draws, in the shapes real CMS templates use (issue 13).

Four hosts on loopback (port 0 each); no page prints a menu link in its HTML:

- the disclosure site (127.0.0.91), a 博达 VSB-like template: an empty `<ul id="nav">` a jQuery menu plugin
  fills from an inline `var navData = [{name, url, children: […]}]`, and a sidebar drawn from a
  `<script type="text/html">` template (学校章程, a single page dated by its 发布时间); one entry (招生信息)
  answers 404;
- the portal (127.0.0.92), a 网站群-like template: `<div class="menu"><script src="/js/nav.js"></script></div>`,
  nav.js writing the menu with `document.write` of concatenated, backslash-continued strings; a footer of
  quick links set with `innerHTML = '…'` inline; one entry (学术讲座) answers 500;
- the department site (127.0.0.93), a Vue nav: `<nav id="app-nav"></nav>`, the page's script asking
  `axios.get('/api/nav/list')` for `{code, data: [{columnName, columnUrl, subColumns: […]}]}`; one entry is
  a single page (教学成果);
- the library (127.0.0.94): an empty `<ul id="menu">` filled by `$.ajax({url: base + path(), …})`, a request
  no crawler can read; its one column is reachable through a 更多 link the server prints. The report must
  say that the site's menu could not be read (`menu_notice`), not stay silent.

Every answer carries a Last-Modified and honours If-Modified-Since, so the recrawl reads menus from 304s.
`COLUMNS` is the hand-written truth; dates are fixed, the crawl runs as of AS_OF.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from columntruth import Expected
from loopback import LoopbackHosts

VSB, PORTAL, DEPT, LIB = "127.0.0.91", "127.0.0.92", "127.0.0.93", "127.0.0.94"
AS_OF = date(2026, 11, 26)
COLLEGE = "东湖应用技术学院"
LAST_MODIFIED = "Tue, 24 Nov 2026 08:00:00 GMT"
PER_PAGE = 10


def dated(prefix: str, newest: date, count: int, step: int) -> list[tuple[str, date]]:
    return [(f"{prefix}（{i + 1}）", newest - timedelta(days=step * i)) for i in range(count)]


# path -> rows of every list column, per host
LISTS: dict[str, dict[str, list[tuple[str, date]]]] = {
    VSB: {
        "/xxgk/tzgg.htm": dated("关于做好年终考核工作的通知", date(2026, 11, 24), 14, 4),  # 2 pages
        "/xxgk/gzzd.htm": dated("学校内部控制管理办法", date(2026, 10, 30), 6, 30),
        "/xxgk/cwxx.htm": dated("部门预算公开", date(2026, 9, 18), 3, 60),
    },
    PORTAL: {
        "/xwzx/xxxw.htm": dated("我校召开教学工作会议", date(2026, 11, 25), 12, 2),  # 2 pages
        "/xwzx/mtjj.htm": dated("媒体关注我校发展", date(2026, 11, 12), 5, 9),
        "/tzgg/index.htm": dated("关于寒假放假安排的通知", date(2026, 11, 20), 4, 7),
    },
    DEPT: {
        "/jxtz/list.htm": dated("关于开展期中教学检查的通知", date(2026, 11, 23), 8, 3),
        "/ksap/list.htm": dated("期末考试安排", date(2026, 11, 18), 5, 10),
    },
    LIB: {
        "/news/list.htm": dated("图书馆开放时间调整", date(2026, 11, 21), 6, 8),
    },
}
XXZC_DATE = date(2026, 6, 30)  # 学校章程, a single page
JXCG_DATE = date(2026, 10, 15)  # 教学成果, a single page

COLUMNS = [
    Expected("xxgk", VSB, "通知公告", "/xxgk/tzgg.htm", "fresh", 14, date(2026, 11, 24)),
    Expected("xxgk", VSB, "规章制度", "/xxgk/gzzd.htm", "fresh", 6, date(2026, 10, 30)),
    Expected("xxgk", VSB, "财务信息", "/xxgk/cwxx.htm", "fresh", 3, date(2026, 9, 18)),
    Expected("xxgk", VSB, "学校章程", "/xxgk/xxzc.htm", "fresh", 1, XXZC_DATE),
    Expected("xxgk", VSB, "招生信息", "/zsxx/index.htm", "unreachable", 0, None, error="404"),
    Expected("portal", PORTAL, "学校新闻", "/xwzx/xxxw.htm", "fresh", 12, date(2026, 11, 25)),
    Expected("portal", PORTAL, "媒体聚焦", "/xwzx/mtjj.htm", "fresh", 5, date(2026, 11, 12)),
    Expected("portal", PORTAL, "通知公告", "/tzgg/index.htm", "fresh", 4, date(2026, 11, 20)),
    Expected("portal", PORTAL, "学术讲座", "/xsjz/index.htm", "unreachable", 0, None, error="500"),
    Expected("jwc", DEPT, "教学通知", "/jxtz/list.htm", "fresh", 8, date(2026, 11, 23)),
    Expected("jwc", DEPT, "考试安排", "/ksap/list.htm", "fresh", 5, date(2026, 11, 18)),
    Expected("jwc", DEPT, "教学成果", "/jxcg/index.htm", "fresh", 1, JXCG_DATE),
    Expected("lib", LIB, "图书馆新闻", "/news/list.htm", "fresh", 6, date(2026, 11, 21)),
]
# sites whose script menu cannot be read: the report's site line says so
UNREAD_MENUS = {"lib"}


def page(title: str, head: str, body: str) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}-{COLLEGE}</title>
<link rel="stylesheet" href="/css/style.css">{head}</head><body>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="{COLLEGE}"></div></div>
{body}
<div class="footer"><p>版权所有 © 2026 {COLLEGE}</p></div></body></html>"""


def list_body(name: str, path: str, rows: list[tuple[str, date]], n: int) -> str | None:
    pages = -(-len(rows) // PER_PAGE)
    if n > pages:
        return None
    base = path.rsplit(".", 1)[0]
    start = (n - 1) * PER_PAGE
    items = "".join(
        f'<li><a href="{base}/{start + i + 1}.htm" title="{t}">{t}</a><span class="date">{d.isoformat()}</span></li>'
        for i, (t, d) in enumerate(rows[start : start + PER_PAGE])
    )
    pager = ""
    if pages > 1:

        def href(k: int) -> str:
            return path if k == 1 else f"{base}_{k}.htm"

        nums = " ".join(
            f"<span>{k}</span>" if k == n else f'<a href="{href(k)}">{k}</a>' for k in range(1, pages + 1)
        )
        prev = f'<a href="{href(n - 1)}">上一页</a>' if n > 1 else ""
        nxt = f'<a href="{href(n + 1)}">下一页</a>' if n < pages else ""
        pager = f'<div class="pager">共{len(rows)}条 <a href="{path}">首页</a> {prev} {nums} {nxt} <a href="{href(pages)}">尾页</a></div>'
    return f'<div class="main"><div class="position">当前位置：<a href="/">首页</a> &gt; {name}</div><h2 class="lm-title">{name}</h2><ul class="list">{items}</ul>{pager}</div>'


def article_body(title: str, when: date) -> str:
    text = "本文为学校公开的信息，内容包括相关工作的安排和要求，请各单位认真阅读并遵照执行。" * 6
    return f'<div class="article"><h1>{title}</h1><div class="info">发布时间：{when.isoformat()}</div><div class="content"><p>{text}</p></div></div>'


# ---------------------------------------------------------------- the VSB-like disclosure site

VSB_NAV = """<script type="text/javascript">
var navData = [
  {id: "1", name: "首页", url: "/index.htm", children: []},
  {id: "2", name: "信息公开", url: "javascript:;", children: [
    {id: "21", name: "通知公告", url: "/xxgk/tzgg.htm", icon: "/images/nav-tzgg.png"},
    {id: "22", name: "规章制度", url: "/xxgk/gzzd.htm", target: "_self"},
    {id: "23", name: "财务信息", url: "/xxgk/cwxx.htm", target: "_self"}
  ]},
  {id: "3", name: "招生信息", url: "/zsxx/index.htm", children: []}
];
$(function () {
  $("#nav").vsbMenu({data: navData, hover: true, onClick: function (item) { window.location.href = item.url; }});
  $("#side").html(template("tpl-side", {}));
});
</script>"""
VSB_SIDE = """<script type="text/html" id="tpl-side">
<div class="side-box"><h3>信息公开指南</h3>
<ul><li><a href="/xxgk/xxzc.htm">学校章程</a></li></ul></div>
</script>"""


def vsb_answer(path: str) -> tuple[int, str]:
    head = '<script src="/system/resource/js/jquery/jquery-latest.min.js"></script><script src="/js/vsbmenu.js"></script>'
    shell = '<div class="nav-wrap"><ul id="nav" class="nav"></ul></div><div class="side" id="side"></div>'
    chrome = shell + VSB_NAV + VSB_SIDE
    if path in ("/", "/index.htm"):
        return 200, page("首页", head, chrome + '<div class="banner"><img src="/images/banner1.jpg"></div>')
    if path == "/xxgk/xxzc.htm":
        return 200, page("学校章程", head, chrome + article_body("东湖应用技术学院章程", XXZC_DATE))
    return _list_or_article(VSB, path, head, chrome)


# ---------------------------------------------------------------- the portal: nav.js with document.write

NAV_JS = """/* site navigation (generated by the site group's template) */
document.write('<ul class="menu-list">\\
  <li class="m1"><a href="/index.htm">网站首页</a></li>\\
  <li class="m2"><a href="javascript:void(0)">新闻中心</a>\\
    <ul class="sub"><li><a href="/xwzx/xxxw.htm">学校新闻</a></li>' +
    '<li><a href="/xwzx/mtjj.htm">媒体聚焦</a></li></ul></li>');
document.write("<li class=\\"m3\\"><a href=\\"/xsjz/index.htm\\">学术讲座</a></li></ul>");
"""
PORTAL_QUICK = """<script>
document.getElementById("quick").innerHTML = '<a href="/tzgg/index.htm">通知公告</a>' + '<a href="http://www.moe.gov.cn/">教育部</a>';
</script>"""


def portal_answer(path: str) -> tuple[int, str, str]:
    html = "text/html; charset=utf-8"
    if path == "/js/nav.js":
        return 200, NAV_JS, "application/javascript"
    head = '<script src="/js/jquery.min.js"></script>'
    chrome = (
        '<div class="menu"><script src="/js/nav.js"></script></div><div class="quick" id="quick"></div>'
        + PORTAL_QUICK
    )
    if path in ("/", "/index.htm"):
        return 200, page("首页", head, chrome + '<div class="slide"><img src="/images/s1.jpg"></div>'), html
    if path == "/xsjz/index.htm":
        return 500, "<html><body><h1>500 Internal Server Error</h1></body></html>", html
    status, text = _list_or_article(PORTAL, path, head, chrome)
    return status, text, html


# ---------------------------------------------------------------- the department site: a Vue nav from JSON

DEPT_SCRIPT = """<script src="/static/js/vue.min.js"></script><script src="/static/js/axios.min.js"></script>
<script>
new Vue({
  el: "#app-nav",
  data: { menus: [] },
  mounted: function () {
    var self = this;
    axios.get("/api/nav/list", {params: {siteId: 3}}).then(function (res) { self.menus = res.data.data; });
  }
});
</script>"""
DEPT_NAV = {
    "code": 0,
    "msg": "ok",
    "data": [
        {"columnId": 301, "columnName": "首页", "columnUrl": "/", "sort": 1, "subColumns": []},
        {
            "columnId": 302,
            "columnName": "教学管理",
            "columnUrl": "",
            "sort": 2,
            "subColumns": [
                {"columnId": 3021, "columnName": "教学通知", "columnUrl": "/jxtz/list.htm", "sort": 1},
                {"columnId": 3022, "columnName": "考试安排", "columnUrl": "/ksap/list.htm", "sort": 2},
            ],
        },
        {
            "columnId": 303,
            "columnName": "教学成果",
            "columnUrl": "/jxcg/index.htm",
            "sort": 3,
            "subColumns": [],
        },
    ],
}


def dept_answer(path: str) -> tuple[int, str, str]:
    html = "text/html; charset=utf-8"
    if path == "/api/nav/list":
        return 200, json.dumps(DEPT_NAV, ensure_ascii=False), "application/json;charset=UTF-8"
    chrome = (
        '<nav id="app-nav" class="top-nav"><ul><li v-for="m in menus"><a :href="m.columnUrl">{{ m.columnName }}</a></li></ul></nav>'
        + DEPT_SCRIPT
    )
    if path in ("/", "/index.htm"):
        return 200, page("教务处", "", chrome + '<div class="welcome">欢迎访问教务处网站</div>'), html
    if path == "/jxcg/index.htm":
        return 200, page("教学成果", "", chrome + article_body("我校教学成果奖获奖情况", JXCG_DATE)), html
    status, text = _list_or_article(DEPT, path, "", chrome)
    return status, text, html


# ---------------------------------------------------------------- the library: a menu no one can read

LIB_SCRIPT = """<script>
var base = window.location.protocol + "//" + window.location.host;
function path() { return "/cms/" + siteCode + "/menu"; }
$(function () {
  $.ajax({url: base + path(), dataType: "json", success: function (res) { $("#menu").html(build(res)); }});
});
</script>"""


def lib_answer(path: str) -> tuple[int, str]:
    head = '<script src="/js/jquery-1.11.3.min.js"></script>'
    chrome = '<div class="nav"><ul id="menu"></ul></div>' + LIB_SCRIPT
    if path in ("/", "/index.htm"):
        rows = LISTS[LIB]["/news/list.htm"][:3]
        items = "".join(
            f'<li><a href="/news/list/{i + 1}.htm">{t}</a><span>{d.isoformat()}</span></li>'
            for i, (t, d) in enumerate(rows)
        )
        box = f'<div class="box"><div class="box-title"><h3>图书馆新闻</h3><a class="more" href="/news/list.htm">更多&gt;&gt;</a></div><ul>{items}</ul></div>'
        return 200, page("图书馆", head, chrome + box)
    name = {"/news/list.htm": "图书馆新闻"}
    return _list_or_article(LIB, path, head, chrome, name)


# ---------------------------------------------------------------- shared

NAMES = {
    "/xxgk/tzgg": "通知公告",
    "/xxgk/gzzd": "规章制度",
    "/xxgk/cwxx": "财务信息",
    "/xwzx/xxxw": "学校新闻",
    "/xwzx/mtjj": "媒体聚焦",
    "/tzgg/index": "通知公告",
    "/jxtz/list": "教学通知",
    "/ksap/list": "考试安排",
    "/news/list": "图书馆新闻",
}


def _list_or_article(
    host: str, path: str, head: str, chrome: str, names: dict[str, str] | None = None
) -> tuple[int, str]:
    """A list page (`/x/list.htm`, `/x/list_2.htm`) or one of its articles (`/x/list/3.htm`)."""
    stem, _, ext = path.rpartition(".")
    if ext != "htm":
        return (
            404,
            "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>",
        )
    number = 1
    if "_" in stem.rsplit("/", 1)[-1]:
        stem, _, tail = stem.rpartition("_")
        number = int(tail) if tail.isdigit() else 99
    list_path = stem + ".htm"
    rows = LISTS[host].get(list_path)
    if rows is not None:
        body = list_body(NAMES[stem], list_path, rows, number)
        if body is not None:
            return 200, page(NAMES[stem], head, chrome + body)
    parent, _, item = stem.rpartition("/")
    rows = LISTS[host].get(parent + ".htm")
    if rows is not None and item.isdigit() and 0 < int(item) <= len(rows):
        title, when = rows[int(item) - 1]
        return 200, page(title, head, chrome + article_body(title, when))
    return 404, "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"


class ScriptMenuSite(LoopbackHosts):
    def start(self) -> ScriptMenuSite:
        return self.serve((VSB, PORTAL, DEPT, LIB), _Handler)

    def answer(self, host: str, target: str) -> tuple[int, bytes, str]:
        path = urlsplit(target).path
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            return 404, b"", "text/plain"
        if path.endswith((".js", ".css", ".png", ".jpg")) and not (host == PORTAL and path == "/js/nav.js"):
            return 200, b"/* library */", "application/javascript"
        if host == VSB:
            status, text = vsb_answer(path)
            kind = html
        elif host == PORTAL:
            status, text, kind = portal_answer(path)
        elif host == DEPT:
            status, text, kind = dept_answer(path)
        else:
            status, text = lib_answer(path)
            kind = html
        return status, text.encode("utf-8"), kind


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        server: Any = self.server
        status, body, kind = server.site.answer(server.host, self.path)
        if status == 200 and self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            self.send_response(304)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if status == 200:
            self.send_header("Last-Modified", LAST_MODIFIED)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
