"""A college site of the column patterns real CMSs use and the crawler must read (issue 13, §1 and §3).

Two hosts on loopback (port 0 each). The disclosure site (127.0.0.41) starts with a
`<meta http-equiv=refresh>` page; the portal (127.0.0.42) starts with a `window.location.href` script.
Behind the disclosure site's navigation sit one column per pattern (`COLUMNS`, with the truth a correct
report holds for it):

- a static list of two pages (the control), single-page columns (学校简介 with a 发布时间 line, 学校章程
  with a PubDate meta), soft 404s (页面不存在 / a "404 Not Found" CMS template, both HTTP 200) and a real
  HTTP 404;
- a column group (规章制度: boxes of two sub-columns with 更多 links; the group page is no column itself);
- an ASP.NET WebForms GridView paged by `__doPostBack('gvList','Page$N')`: the server checks that every POST
  carries the page's __VIEWSTATE and __EVENTVALIDATION, as ASP.NET does;
- a list filled by `fetch()` from a JSON endpoint whose keys are pinyin abbreviations (read by their values),
  paged by its `page` parameter; one by `$.ajax` with a `data: {pageNo: pageNo, …}` object, a URL in a
  variable and epoch-millisecond dates; one whose endpoint answers 500 (unreachable, never empty); and one
  whose endpoint the page's script builds at run time (unreadable: blocked);
- a `goPage(n)` script pager whose URL template the page's inline script states, and a `turnPage(n)` pager
  that submits a form (no template: the column's count is partial).

`CmsSite.hits` counts (host, method, path) of every request. Every date is fixed; the crawl runs as of AS_OF.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from loopback import LoopbackHosts

XXGK, PORTAL = "127.0.0.41", "127.0.0.42"
AS_OF = date(2026, 11, 26)
VIEWSTATE = "dDwtMTA4NzM5ODQ0NTs7Pp0k2GxBv3vJ5JQ0Ku7sX3M="
EVENTVALIDATION = "/wEdAAO2vRr5JbqDSnkWJ4Sx9q0j"


def dated(prefix: str, newest: date, count: int, step: int = 4) -> list[tuple[str, date]]:
    """`count` rows, newest first, `step` days apart."""
    return [(f"{prefix}（第{i + 1}期）", newest - timedelta(days=step * i)) for i in range(count)]


TZGG = dated("关于做好教学检查工作的通知", date(2026, 11, 20), 14)  # 2 pages of 8 and 6
XXZD = dated("学校管理制度", date(2026, 10, 9), 5, 30)
BMZD = dated("部门工作细则", date(2026, 8, 17), 4, 20)
RSXX = dated("人事任免公示", date(2026, 11, 12), 25, 5)  # GridView: 3 pages of 10, 10, 5
XSGZ = dated("学生工作简讯", date(2026, 11, 18), 23, 3)  # JSON: 3 pages of 10, 10, 3
XYXW = dated("校园新闻", date(2026, 11, 24), 6, 2)  # filled by a script we cannot read
JXKY = dated("教学科研动态", date(2026, 11, 3), 21, 6)  # goPage: 3 pages of 8, 8, 5
HZJL = dated("合作交流简报", date(2026, 10, 30), 35, 7)  # turnPage: 4 pages; only page 1 is readable
XWDT = dated("学院新闻", date(2026, 11, 25), 5, 1)  # the portal's column
DJGZ = dated("党建工作动态", date(2026, 11, 16), 12, 5)  # $.ajax data {pageNo}: 2 pages of 8 and 4
XXJJ_DATE = date(2026, 10, 15)
XXZC_DATE = date(2026, 6, 30)

NAV = [
    ("通知公告", "/xxgk/tzgg/list.htm"),
    ("学校简介", "/xxgk/xxjj.htm"),
    ("学校章程", "/xxgk/xxzc.htm"),
    ("招生信息", "/xxgk/zsxx/index.htm"),
    ("对外交流", "/xxgk/dwjl/index.htm"),
    ("财务信息", "/xxgk/cwxx/index.htm"),
    ("规章制度", "/xxgk/gzzd/index.htm"),
    ("人事信息", "/xxgk/rsxx/list.aspx"),
    ("学生工作", "/xxgk/xsgz/list.htm"),
    ("校园新闻", "/xxgk/xyxw/list.htm"),
    ("教学科研", "/xxgk/jxky/index.htm"),
    ("合作交流", "/xxgk/hzjl/list.htm"),
    ("党建工作", "/xxgk/djgz/list.htm"),
    ("服务指南", "/xxgk/fwzn/list.htm"),
]


@dataclass(frozen=True, slots=True)
class Expected:
    """What `xxgk report --format json` must say of a column: its status, items, newest date, partial."""

    name: str
    path: str
    status: str
    items: int
    newest: date | None
    partial: bool = False
    error: str | None = None  # a word the recorded reason must contain


COLUMNS = [
    Expected("通知公告", "/xxgk/tzgg/list.htm", "fresh", len(TZGG), TZGG[0][1]),
    Expected("学校简介", "/xxgk/xxjj.htm", "fresh", 1, XXJJ_DATE),
    Expected("学校章程", "/xxgk/xxzc.htm", "fresh", 1, XXZC_DATE),
    Expected("招生信息", "/xxgk/zsxx/index.htm", "unreachable", 0, None, error="页面不存在"),
    Expected("对外交流", "/xxgk/dwjl/index.htm", "unreachable", 0, None, error="404 Not Found"),
    Expected("财务信息", "/xxgk/cwxx/index.htm", "unreachable", 0, None, error="404"),
    Expected("学校制度", "/xxgk/gzzd/xxzd/list.htm", "fresh", len(XXZD), XXZD[0][1]),
    Expected("部门制度", "/xxgk/gzzd/bmzd/list.htm", "fresh", len(BMZD), BMZD[0][1]),
    Expected("人事信息", "/xxgk/rsxx/list.aspx", "fresh", len(RSXX), RSXX[0][1]),
    Expected("学生工作", "/xxgk/xsgz/list.htm", "fresh", len(XSGZ), XSGZ[0][1]),
    Expected("校园新闻", "/xxgk/xyxw/list.htm", "blocked", 0, None, error="needs JavaScript"),
    Expected("教学科研", "/xxgk/jxky/index.htm", "fresh", len(JXKY), JXKY[0][1]),
    Expected("合作交流", "/xxgk/hzjl/list.htm", "fresh", 10, HZJL[0][1], partial=True),
    Expected("党建工作", "/xxgk/djgz/list.htm", "fresh", len(DJGZ), DJGZ[0][1]),
    Expected("服务指南", "/xxgk/fwzn/list.htm", "unreachable", 0, None, error="HTTP 500"),
]
PORTAL_COLUMNS = [Expected("学院新闻", "/main/xwdt/list.htm", "fresh", len(XWDT), XWDT[0][1])]
NOT_COLUMNS = ["/xxgk/gzzd/index.htm"]  # the column group's page


def page(title: str, crumbs: list[str], body: str, head: str = "") -> str:
    menu = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in NAV)
    trail = " &gt; ".join(crumbs)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title} - 示范学院信息公开网</title>{head}</head>
<body>
<div class="header"><img src="/logo.png" alt="示范学院"></div>
<div class="nav"><ul><li><a href="/xxgk/index.htm">首页</a></li>{menu}</ul></div>
<div class="location">当前位置：{trail}</div>
<div class="main">{body}</div>
<div class="footer">版权所有 示范学院 地址：某省某市大学路8号 邮编：000000</div>
</body></html>"""


def list_items(rows: list[tuple[str, date]], col: str, start: int = 0) -> str:
    return "\n".join(
        f'<li><a href="/xxgk/info/{col}/{start + i}.htm" title="{t}">{t}</a><span>{d.isoformat()}</span></li>'
        for i, (t, d) in enumerate(rows)
    )


def column_page(name: str, rows: str, pager: str = "", script: str = "") -> str:
    body = f'<h2 class="lm">{name}</h2><ul class="list">\n{rows}\n</ul>{pager}{script}'
    return page(name, ["首页", name], body)


def article(title: str, when: date, col: str) -> str:
    body = f"""<div class="article"><h1>{title}</h1>
<div class="info">发布时间：{when.isoformat()} 来源：党政办公室</div>
<div class="content"><p>{title}。根据学校工作安排，现将有关事项通知如下，请认真贯彻执行。</p>
</div></div>"""
    return page(title, ["首页", col, "正文"], body)


def tzgg(n: int) -> str:
    rows = TZGG[:8] if n == 1 else TZGG[8:]
    other = "list/1.htm" if n == 1 else "../list.htm"
    word = "下一页" if n == 1 else "上一页"
    pager = f'<div class="pagebar">共{len(TZGG)}条 {n}/2 <a href="{other}">{word}</a></div>'
    return column_page("通知公告", list_items(rows, "tzgg", 0 if n == 1 else 8), pager)


def single_page(name: str, when: date, *, meta: bool) -> str:
    head = f'<meta name="PubDate" content="{when.isoformat()} 10:00">' if meta else ""
    info = "" if meta else f'<div class="info">发布时间：{when.isoformat()} 浏览次数：1024</div>'
    text = (
        f"{name}：示范学院是经省人民政府批准设立的全日制普通高等学校，学校坚持立德树人，"
        "面向区域经济社会发展培养高素质技术技能人才。学校占地面积一千二百亩，设有十个二级学院。"
    ) * 3
    body = f'<div class="article"><h1>{name}</h1>{info}<div class="content"><p>{text}</p></div></div>'
    return page(name, ["首页", name], body, head)


def soft_404() -> str:
    return """<!DOCTYPE html><html><head><meta charset="utf-8"><title>页面不存在</title></head>
<body><div class="error-page"><h1>抱歉！</h1><p>您访问的页面不存在或已被删除！</p>
<p><a href="/xxgk/index.htm">返回首页</a></p></div></body></html>"""


def soft_404_template() -> str:
    body = (
        '<div class="err"><h2>404 Not Found</h2><p>The requested URL was not found on this server.</p></div>'
    )
    return page("404 Not Found", ["首页"], body)


def group_page() -> str:
    def box(name: str, href: str, rows: list[tuple[str, date]], col: str) -> str:
        items = "".join(
            f'<li><a href="/xxgk/info/{col}/{i}.htm">{t}</a><span>{d:%m-%d}</span></li>'
            for i, (t, d) in enumerate(rows[:3])
        )
        head = f'<div class="box-title"><h3>{name}</h3><a href="{href}">更多&gt;&gt;</a></div>'
        return f'<div class="box">{head}<ul>{items}</ul></div>'

    body = box("学校制度", "xxzd/list.htm", XXZD, "xxzd") + box("部门制度", "bmzd/list.htm", BMZD, "bmzd")
    return page("规章制度", ["首页", "规章制度"], body)


def sub_column(name: str, rows: list[tuple[str, date]], col: str) -> str:
    body = f'<h2 class="lm">{name}</h2><ul class="list">\n{list_items(rows, col)}\n</ul>'
    return page(name, ["首页", "规章制度", name], body)


def gridview(n: int) -> str:
    """An ASP.NET WebForms page: one form, a GridView of 10 rows, its numeric pager of __doPostBack links."""
    per = 10
    pages = (len(RSXX) + per - 1) // per
    rows = "".join(
        f'<tr><td><a href="../info/rsxx/{i}.htm" target="_blank">{t}</a></td><td>{d:%Y-%m-%d}</td></tr>'
        for i, (t, d) in list(enumerate(RSXX))[(n - 1) * per : n * per]
    )
    cells = "".join(
        f"<td><span>{i}</span></td>"
        if i == n
        else f"<td><a href=\"javascript:__doPostBack('gvList','Page${i}')\">{i}</a></td>"
        for i in range(1, pages + 1)
    )
    body = f"""<form method="post" action="./list.aspx" id="form1">
<div class="aspNetHidden">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{VIEWSTATE}{n}" />
</div>
<script type="text/javascript">
var theForm = document.forms['form1'];
function __doPostBack(eventTarget, eventArgument) {{
    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{
        theForm.__EVENTTARGET.value = eventTarget;
        theForm.__EVENTARGUMENT.value = eventArgument;
        theForm.submit();
    }}
}}
</script>
<h2 class="lm">人事信息</h2>
<table class="grid" id="gvList" cellspacing="0" rules="all" border="1">
<tr><th>标题</th><th>发布日期</th></tr>
{rows}
<tr class="pager"><td colspan="2"><table><tr>{cells}</tr></table></td></tr>
</table>
<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="{EVENTVALIDATION}" />
</form>"""
    return page("人事信息", ["首页", "人事信息"], body)


def json_list_page() -> str:
    script = """<div id="pager"></div>
<script src="/js/jquery.min.js"></script>
<script>
function loadList(page) {
  fetch('/xxgk/api/articles?columnId=12&page=' + page)
    .then(function (r) { return r.json(); })
    .then(function (res) { render(res.data.records); });
}
loadList(1);
</script>"""
    body = f'<h2 class="lm">学生工作</h2><ul class="list" id="newsList"></ul>{script}'
    return page("学生工作", ["首页", "学生工作"], body)


def json_rows(n: int) -> bytes:
    per = 10
    chunk = list(enumerate(XSGZ))[(n - 1) * per : n * per]
    records = [
        {"id": 9000 + i, "wzbt": t, "ljdz": f"/xxgk/info/xsgz/{i}.htm", "fbrq": f"{d.isoformat()} 09:30:00"}
        for i, (t, d) in chunk
    ]
    doc = {"code": 0, "msg": "success", "data": {"total": len(XSGZ), "size": per, "records": records}}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def ajax_list_page() -> str:
    script = """<script>
var api = "/xxgk/api/dj.do";
function load(pageNo) {
  $.ajax({
    type: "get", url: api, dataType: "json",
    data: { pageNo: pageNo, pageSize: 8, channel: "djgz" },
    success: function (res) { draw(res.rows); }
  });
}
$(function () { load(1); });
</script>"""
    body = f'<h2 class="lm">党建工作</h2><table class="news-table"><tbody id="rows"></tbody></table>{script}'
    return page("党建工作", ["首页", "党建工作"], body)


def ajax_rows(n: int) -> bytes:
    per = 8
    chunk = list(enumerate(DJGZ))[(n - 1) * per : n * per]
    noon = 4 * 3600  # 12:00 in Beijing, as epoch milliseconds
    rows = [
        {
            "title": t,
            "url": f"/xxgk/info/djgz/{i}.htm",
            "publishTime": (int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()) + noon) * 1000,
            "views": 100 + i,
        }
        for i, (t, d) in chunk
    ]
    return json.dumps({"total": len(DJGZ), "rows": rows}, ensure_ascii=False).encode("utf-8")


def broken_json_page() -> str:
    script = "<script>function more(n) { fetch('/xxgk/api/broken?page=' + n).then(draw); } more(1);</script>"
    body = f'<h2 class="lm">服务指南</h2><ul class="list" id="guide"></ul>{script}'
    return page("服务指南", ["首页", "服务指南"], body)


def scripted_list_page() -> str:
    script = """<script>
var cfg = window.siteConfig || {};
$(function () {
  $.ajax({ url: cfg.apiBase + '/cms/list', type: 'POST', data: { col: cfg.columnId },
           success: function (res) { $('#list').html(res); } });
});
</script>"""
    body = f'<h2 class="lm">校园新闻</h2><ul class="list" id="list"></ul>{script}'
    return page("校园新闻", ["首页", "校园新闻"], body)


def gopage(n: int) -> str:
    per, pages = 8, 3
    rows = JXKY[(n - 1) * per : n * per]
    links = " ".join(
        f"<span>{i}</span>" if i == n else f'<a href="javascript:goPage({i})">{i}</a>'
        for i in range(1, pages + 1)
    )
    nxt = f'<a href="javascript:goPage({n + 1})">下一页</a>' if n < pages else ""
    pager = f'<div class="page">共{len(JXKY)}条 {links} {nxt}</div>'
    script = """<script>
function goPage(n) {
  window.location.href = "index_" + n + ".htm";
}
</script>"""
    return column_page("教学科研", list_items(rows, "jxky", (n - 1) * per), pager, script)


def turnpage() -> str:
    rows = HZJL[:10]
    links = " ".join(f'<a href="javascript:void(0)" onclick="turnPage({i})">{i}</a>' for i in range(2, 5))
    pager = f'<div class="pagination">共{len(HZJL)}条 第1/4页 <span>1</span> {links}</div>'
    script = """<form name="pageForm" method="post" action="list.htm">
<input type="hidden" name="pageNo"></form>
<script>
function turnPage(n) {
  document.pageForm.pageNo.value = n;
  document.pageForm.submit();
}
</script>"""
    return column_page("合作交流", list_items(rows, "hzjl"), pager, script)


def home() -> str:
    body = '<div class="welcome"><p>欢迎访问示范学院信息公开网。</p></div>'
    return page("首页", ["首页"], body)


def refresh_start() -> str:
    return """<html><head><meta http-equiv="refresh" content="0; url=/xxgk/index.htm"></head>
<body></body></html>"""


def location_start() -> str:
    return """<html><head><title>示范学院</title>
<script type="text/javascript">window.location.href = "/main/index.htm";</script></head>
<body></body></html>"""


def portal_home() -> str:
    return """<html><head><meta charset="utf-8"><title>示范学院</title></head><body>
<div class="nav"><a href="/main/index.htm">首页</a> <a href="/main/xwdt/list.htm">学院新闻</a></div>
<p>示范学院门户网站</p></body></html>"""


def portal_article(title: str, when: date) -> str:
    return f"""<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="nav"><a href="/main/index.htm">首页</a> <a href="/main/xwdt/list.htm">学院新闻</a></div>
<h1>{title}</h1><p>发布时间：{when.isoformat()}</p>
<div class="content"><p>{title}的正文。</p></div></body></html>"""


def portal_list() -> str:
    rows = "".join(
        f'<li><a href="/main/info/{i}.htm">{t}</a><span>{d.isoformat()}</span></li>'
        for i, (t, d) in enumerate(XWDT)
    )
    return f"""<html><head><meta charset="utf-8"><title>学院新闻</title></head><body>
<div class="nav"><a href="/main/index.htm">首页</a> <a href="/main/xwdt/list.htm">学院新闻</a></div>
<div class="location">当前位置：首页 &gt; 学院新闻</div>
<h2>学院新闻</h2><ul class="news">{rows}</ul></body></html>"""


ARTICLES = {
    "tzgg": TZGG,
    "xxzd": XXZD,
    "bmzd": BMZD,
    "rsxx": RSXX,
    "xsgz": XSGZ,
    "xyxw": XYXW,
    "jxky": JXKY,
    "hzjl": HZJL,
    "djgz": DJGZ,
}


class CmsSite(LoopbackHosts):
    """Both hosts, each on its own free port; `url(host, path)` is where a path is served."""

    def __init__(self) -> None:
        super().__init__()
        self.hits: Counter[tuple[str, str, str]] = Counter()
        self.bad_posts: list[str] = []  # POSTs without the page's __VIEWSTATE / __EVENTVALIDATION

    def start(self) -> CmsSite:
        return self.serve((XXGK, PORTAL), _Handler)

    def answer(self, host: str, method: str, target: str, form: dict[str, str]) -> tuple[int, bytes, str]:
        parts = urlsplit(target)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        html = "text/html; charset=utf-8"
        if host == PORTAL:
            pages = {
                "/": location_start(),
                "/main/index.htm": portal_home(),
                "/main/xwdt/list.htm": portal_list(),
            }
            if path in pages:
                return 200, pages[path].encode(), html
            if path.startswith("/main/info/"):
                i = int(path.rsplit("/", 1)[1].split(".")[0])
                if i < len(XWDT):
                    return 200, portal_article(*XWDT[i]).encode(), html
            return 404, b"not found", "text/plain"
        if path == "/xxgk/rsxx/list.aspx":
            if method == "GET":
                return 200, gridview(1).encode(), html
            arg = form.get("__EVENTARGUMENT", "")
            if (
                form.get("__EVENTTARGET") != "gvList"
                or not form.get("__VIEWSTATE", "").startswith(VIEWSTATE)
                or form.get("__EVENTVALIDATION") != EVENTVALIDATION
                or not arg.startswith("Page$")
            ):
                self.bad_posts.append(json.dumps(form, ensure_ascii=False))
                return 500, b"<html><body>Invalid postback or callback argument.</body></html>", html
            n = int(arg.removeprefix("Page$"))
            return 200, gridview(n).encode(), html
        if path == "/xxgk/api/dj.do" and query.get("channel") == "djgz" and query.get("pageSize") == "8":
            return 200, ajax_rows(int(query.get("pageNo", "1"))), "application/json"
        if path == "/xxgk/api/broken":
            return 500, b'{"error": "internal"}', "application/json"
        if path == "/xxgk/api/articles" and query.get("columnId") == "12":
            n = int(query.get("page", "1"))
            return 200, json_rows(n), "application/json; charset=utf-8"
        pages: dict[str, str] = {
            "/": refresh_start(),
            "/xxgk/index.htm": home(),
            "/xxgk/tzgg/list.htm": tzgg(1),
            "/xxgk/tzgg/list/1.htm": tzgg(2),
            "/xxgk/xxjj.htm": single_page("学校简介", XXJJ_DATE, meta=False),
            "/xxgk/xxzc.htm": single_page("学校章程", XXZC_DATE, meta=True),
            "/xxgk/zsxx/index.htm": soft_404(),
            "/xxgk/dwjl/index.htm": soft_404_template(),
            "/xxgk/gzzd/index.htm": group_page(),
            "/xxgk/gzzd/xxzd/list.htm": sub_column("学校制度", XXZD, "xxzd"),
            "/xxgk/gzzd/bmzd/list.htm": sub_column("部门制度", BMZD, "bmzd"),
            "/xxgk/xsgz/list.htm": json_list_page(),
            "/xxgk/xyxw/list.htm": scripted_list_page(),
            "/xxgk/djgz/list.htm": ajax_list_page(),
            "/xxgk/fwzn/list.htm": broken_json_page(),
            "/xxgk/jxky/index.htm": gopage(1),
            "/xxgk/jxky/index_1.htm": gopage(1),
            "/xxgk/jxky/index_2.htm": gopage(2),
            "/xxgk/jxky/index_3.htm": gopage(3),
            "/xxgk/hzjl/list.htm": turnpage(),
        }
        if path in pages:
            return 200, pages[path].encode(), html
        if path.startswith("/xxgk/info/"):
            _, _, _, col, name = path.split("/")
            rows = ARTICLES.get(col, [])
            i = int(name.split(".")[0]) if name.split(".")[0].isdigit() else -1
            if 0 <= i < len(rows):
                return 200, article(*rows[i], col).encode(), html
        if path == "/robots.txt":
            return 404, b"", "text/plain"
        return 404, b"<html><head><title>404 Not Found</title></head><body>Not Found</body></html>", html


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve({})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        self._serve({k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()})

    def _serve(self, form: dict[str, str]) -> None:
        server: Any = self.server
        site: CmsSite = server.site
        site.hits[(server.host, self.command, self.path)] += 1
        status, body, content_type = site.answer(server.host, self.command, self.path, form)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
