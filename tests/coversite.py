"""A college site where columns hide in the corners a menu does not reach (issue 13, coverage leftovers).

Laid out unlike the demo and tests/cmssite.py: table frames, a `td.top_menu` menu, boxes whose title bar
is a `<div class="bt">` with a `MORE+` link, a 信息公开目录 page whose column links sit in a table, lists as
tables of `<td>` cells. Two hosts on loopback (port 0 each):

- the disclosure site (127.0.0.61): in its menu an undated about page (学校概况: text, no date anywhere) and
  a dated one (依申请公开, 更新时间); on its home page two boxes whose columns are reached only through their
  MORE+ link (通知公告, a list; 招标采购, which answers HTTP 500); and a directory page (公开目录) whose
  columns are linked from it alone: three lists, one HTTP 404 (财务预决算) and one soft 404 (招生计划);
- a department site (127.0.0.62): an ASP.NET WebForms list (通知公告) of 30 rows in 6 GridView pages, paged
  by `__doPostBack`; a crawl with a small page budget reads some of its pages only.

`CoverSite.hits` counts (host, method, path) of every request. Every date is fixed; crawls run as of AS_OF.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from loopback import LoopbackHosts

XXGK, DEPT = "127.0.0.61", "127.0.0.62"
AS_OF = date(2026, 11, 26)
VIEWSTATE = (
    "/wEPDwUKLTk3NjQ1MzE4Mw9kFgJmD2QWAgIDD2QWAgIBDzwrAA0BAA8WBB4LXyFEYXRhQm91bmRnHgtfIUl0ZW1Db3VudAIeZGQ="
)
GRID = "ctl00$ContentPlaceHolder1$gvNews"
PER_GRID_PAGE = 5


def dated(prefix: str, newest: date, count: int, step: int) -> list[tuple[str, date]]:
    return [(f"{prefix}（{i + 1}）", newest - timedelta(days=step * i)) for i in range(count)]


LISTS: dict[str, tuple[str, list[tuple[str, date]]]] = {
    "tzgg": ("通知公告", dated("关于开展秋季学期安全检查的通知", date(2026, 11, 21), 9, 3)),
    "xxzc": ("学校章程", dated("学校章程修订说明", date(2026, 3, 12), 3, 200)),
    "gzzd": ("规章制度", dated("学校管理规定", date(2026, 10, 28), 6, 25)),
    "sfbz": ("收费标准", dated("收费标准公示", date(2026, 9, 1), 4, 60)),
}
ZBCG_BOX = dated("实训设备采购项目招标公告", date(2026, 11, 19), 3, 5)  # the box of a column that fails
NOTICES = dated("教务工作通知", date(2026, 11, 24), 30, 2)  # the department's GridView: 6 pages of 5
YSQ_DATE = date(2025, 12, 30)

MENU = [
    ("首页", "/index.shtml"),
    ("公开目录", "/gkml/index.shtml"),
    ("学校概况", "/xxgk/xxgk.shtml"),
    ("依申请公开", "/ysqgk/index.shtml"),
]


@dataclass(frozen=True, slots=True)
class Expected:
    """What `xxgk report --format json` must say of a column."""

    name: str
    path: str
    status: str
    items: int
    newest: date | None
    error: str | None = None  # a word the recorded reason must contain


COLUMNS = [
    Expected("学校概况", "/xxgk/xxgk.shtml", "undated", 1, None, error="undated"),
    Expected("依申请公开", "/ysqgk/index.shtml", "fresh", 1, YSQ_DATE),
    *(
        Expected(name, f"/col/{key}/index.shtml", "fresh", len(rows), rows[0][1])
        for key, (name, rows) in LISTS.items()
    ),
    Expected("招标采购", "/col/zbcg/index.shtml", "unreachable", 0, None, error="HTTP 500"),
    Expected("财务预决算", "/col/cwys/index.shtml", "unreachable", 0, None, error="HTTP 404"),
    Expected("招生计划", "/col/zsjh/index.shtml", "unreachable", 0, None, error="soft 404"),
]
DEPT_COLUMNS = [Expected("通知公告", "/List.aspx?cid=3", "fresh", len(NOTICES), NOTICES[0][1])]


def frame(title: str, body: str) -> str:
    menu = " | ".join(f'<a href="{href}">{name}</a>' for name, href in MENU)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_某某职业技术学院信息公开</title></head>
<body><table width="1000" align="center" cellpadding="0" cellspacing="0">
<tr><td><img src="/images/top.jpg" alt="某某职业技术学院"></td></tr>
<tr><td class="top_menu">{menu}</td></tr>
<tr><td class="main_td">{body}</td></tr>
<tr><td class="copy">主办：某某职业技术学院 党政办公室　地址：某市学府大道1号</td></tr>
</table></body></html>"""


def box(name: str, key: str, rows: list[tuple[str, date]]) -> str:
    items = "".join(
        f'<p>·<a href="/art/{key}/{i}.shtml" target="_blank">{t}</a> ({d.isoformat()})</p>'
        for i, (t, d) in enumerate(rows[:4])
    )
    more = f'<a class="more" href="/col/{key}/index.shtml">MORE+</a>'
    return f'<div class="sy_box"><div class="bt"><b>{name}</b>{more}</div><div class="nr">{items}</div></div>'


def home() -> str:
    return frame("首页", box("通知公告", "tzgg", LISTS["tzgg"][1]) + box("招标采购", "zbcg", ZBCG_BOX))


def directory() -> str:
    groups = [
        ("基本信息", [("学校章程", "xxzc"), ("规章制度", "gzzd")]),
        ("财务信息", [("财务预决算", "cwys"), ("收费标准", "sfbz")]),
        ("招生考试", [("招生计划", "zsjh")]),
    ]
    cells = "".join(
        f'<tr><th width="120">{head}</th><td>'
        + "　".join(f'<a href="/col/{key}/index.shtml">{name}</a>' for name, key in links)
        + "</td></tr>"
        for head, links in groups
    )
    body = f'<div class="gkml_tit">信息公开目录</div><table class="gkml_table" width="100%">{cells}</table>'
    return frame("信息公开目录", body)


def about() -> str:
    text = (
        "<p>某某职业技术学院始建于1958年，是省人民政府举办的全日制公办普通高等职业院校，学院占地一千一百亩，"
        "建筑面积四十二万平方米，现有全日制在校生一万四千余人，教职工八百余人。</p>"
        "<p>学院设有机电工程、信息工程、经济管理、建筑工程等九个二级学院，开设专业四十余个，"
        "是国家优质专科高等职业院校、省级高水平高职学校建设单位。</p>"
    ) * 3
    return frame("学校概况", f'<div class="xl_title">学校概况</div><div class="xl_con">{text}</div>')


def dated_single() -> str:
    text = (
        "<p>公民、法人和其他组织可以依法向学院申请获取相关信息，申请表可在本页下载，也可到党政办公室领取。</p>"
        * 3
    )
    body = (
        '<div class="xl_title">依申请公开</div>'
        f'<div class="xl_info">更新时间：{YSQ_DATE.isoformat()}　点击数：312</div>'
        f'<div class="xl_con">{text}</div>'
    )
    return frame("依申请公开", body)


def column(key: str) -> str:
    name, rows = LISTS[key]
    cells = "".join(
        f'<tr><td class="bt_td"><a href="/art/{key}/{i}.shtml" target="_blank">{t}</a></td>'
        f'<td class="rq_td">{d.isoformat()}</td></tr>'
        for i, (t, d) in enumerate(rows)
    )
    body = f'<div class="lm_name">{name}</div><table class="list_table" width="100%">{cells}</table>'
    return frame(name, body)


def article(key: str, i: int) -> str | None:
    rows = LISTS[key][1] if key in LISTS else ZBCG_BOX if key == "zbcg" else []
    if not 0 <= i < len(rows):
        return None
    title, when = rows[i]
    body = (
        f'<div class="xl_title">{title}</div><div class="xl_info">发布日期：{when.isoformat()}</div>'
        f'<div class="xl_con"><p>{title}。现将有关事项公布如下，请各部门认真执行。</p></div>'
    )
    return frame(title, body)


def soft_404() -> str:
    return frame("提示信息", '<div class="error_box"><h3>对不起，您访问的页面不存在或已被删除！</h3></div>')


def dept_home() -> str:
    return """<!DOCTYPE html><html><head><meta charset="utf-8"><title>教务处</title></head><body>
<div id="menu"><a href="/Default.aspx">首页</a><a href="/List.aspx?cid=3">通知公告</a></div>
<div class="welcome">欢迎访问教务处网站</div></body></html>"""


def gridview(n: int) -> str:
    pages = (len(NOTICES) + PER_GRID_PAGE - 1) // PER_GRID_PAGE
    rows = "".join(
        f'<tr><td><a href="Show.aspx?id={100 + i}">{t}</a></td><td>{d:%Y/%m/%d}</td></tr>'
        for i, (t, d) in list(enumerate(NOTICES))[(n - 1) * PER_GRID_PAGE : n * PER_GRID_PAGE]
    )
    cells = "".join(
        f"<td><span>{i}</span></td>"
        if i == n
        else f"<td><a href=\"javascript:__doPostBack('{GRID}','Page${i}')\">{i}</a></td>"
        for i in range(1, pages + 1)
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告-教务处</title></head><body>
<div id="menu"><a href="/Default.aspx">首页</a><a href="/List.aspx?cid=3">通知公告</a></div>
<form name="aspnetForm" method="post" action="./List.aspx?cid=3" id="aspnetForm">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{VIEWSTATE}" />
<script type="text/javascript">
var theForm = document.forms['aspnetForm'];
function __doPostBack(eventTarget, eventArgument) {{
  theForm.__EVENTTARGET.value = eventTarget; theForm.__EVENTARGUMENT.value = eventArgument; theForm.submit();
}}
</script>
<div class="lmmc">通知公告</div>
<table cellspacing="0" rules="all" border="1" id="ctl00_ContentPlaceHolder1_gvNews">
<tr><th>标题</th><th>时间</th></tr>
{rows}
<tr class="pager"><td colspan="2"><table border="0"><tr>{cells}</tr></table></td></tr>
</table></form></body></html>"""


def dept_article(i: int) -> str | None:
    if not 0 <= i < len(NOTICES):
        return None
    title, when = NOTICES[i]
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div id="menu"><a href="/Default.aspx">首页</a><a href="/List.aspx?cid=3">通知公告</a></div>
<h1>{title}</h1><div class="info">发布时间：{when.isoformat()}</div>
<div class="content"><p>{title}。请各教学单位按要求做好相关工作。</p></div></body></html>"""


class CoverSite(LoopbackHosts):
    def __init__(self) -> None:
        super().__init__()
        self.hits: Counter[tuple[str, str, str]] = Counter()

    def start(self) -> CoverSite:
        return self.serve((XXGK, DEPT), _Handler)

    def answer(self, host: str, method: str, target: str, form: dict[str, str]) -> tuple[int, str | None]:
        parts = urlsplit(target)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        if host == DEPT:
            if path in ("/", "/Default.aspx"):
                return 200, dept_home()
            if path == "/List.aspx" and query.get("cid") == "3":
                if method == "GET":
                    return 200, gridview(1)
                arg = form.get("__EVENTARGUMENT", "")
                if form.get("__EVENTTARGET") != GRID or form.get("__VIEWSTATE") != VIEWSTATE:
                    return 500, None
                return 200, gridview(int(arg.removeprefix("Page$")))
            if path == "/Show.aspx" and query.get("id", "").isdigit():
                return 200, dept_article(int(query["id"]) - 100)
            return 404, None
        pages = {
            "/": home(),
            "/index.shtml": home(),
            "/gkml/index.shtml": directory(),
            "/xxgk/xxgk.shtml": about(),
            "/ysqgk/index.shtml": dated_single(),
            "/col/zsjh/index.shtml": soft_404(),
            **{f"/col/{key}/index.shtml": column(key) for key in LISTS},
        }
        if path in pages:
            return 200, pages[path]
        if path == "/col/zbcg/index.shtml":
            return 500, None
        if path.startswith("/art/"):
            _, _, key, name = path.split("/")
            stem = name.split(".")[0]
            return 200, article(key, int(stem)) if stem.isdigit() else None
        return 404, None


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
        site: CoverSite = server.site
        site.hits[(server.host, self.command, self.path)] += 1
        status, text = site.answer(server.host, self.command, self.path, form)
        if text is None:
            status = status if status != 200 else 404
            text = f"<html><head><title>{status}</title></head><body>error {status}</body></html>"
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
