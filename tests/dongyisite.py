# ruff: noqa: E501
# (the pages imitate CMS templates, whose lines are long)
"""A college of 动易 (PowerEasy) sites and a Vue front end, laid out unlike every other test site (issue 13).

Three hosts on loopback (port 0 each):

- the disclosure site (127.0.0.81), 动易 SiteFactory (ASP.NET): `/Category_N/Index.aspx` lists paged as
  `Index_2.aspx` by a pager that says 共 N 条记录 … 页次：1/4; rows `[2026-11-03]` before the link, whose
  title attribute is a card (文章标题：… 更新时间：…); a single-page node (学校简介) whose 更新时间 is
  ASP.NET's `2026/10/8 16:05:11`; a table list with unpadded dates (2026-6-1) and links written as
  `javascript:void(0)` + `onclick="window.open('…')"`; a soft 404 in 动易's error template (错误信息 /
  找不到指定的栏目, HTTP 200); and a list a script fills by POSTing to a JSON endpoint;
- the library (127.0.0.82), 动易 2006 (classic ASP): GBK pages in layout tables (`charset=gb2312` in a
  meta tag only), `ShowClass.asp?ClassID=N&page=M` lists whose pager is 首页 上一页 下一页 尾页 页次：1/3页
  with a jump `<select>`, dates `2026-11-3`; a navigation link straight to an article (本馆概况: a
  single-page column dated by its 更新时间); a list of year-less `11月20日` dates; the same error template;
- the portal (127.0.0.83), a Vue 2 front end: the menu is server-rendered, each list page is an unrendered
  `v-for` template whose rows `axios.get` reads from `/api/portal/articles?cid=N&pageNo=M` (JSON: data.rows,
  data.total, ISO times with an offset); one list's endpoint answers HTTP 500.

`COLUMNS` is the hand-written truth a correct report holds. Every date is fixed; the crawl runs as of AS_OF.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from columntruth import Expected
from loopback import LoopbackHosts

SF, OLD, VUE = "127.0.0.81", "127.0.0.82", "127.0.0.83"
AS_OF = date(2026, 11, 26)
COLLEGE = "示范师范学院"


def dated(prefix: str, newest: date, count: int, step: int) -> list[tuple[str, date]]:
    return [(f"{prefix}（{i + 1}）", newest - timedelta(days=step * i)) for i in range(count)]


# SiteFactory (disclosure)
TZGG = dated("关于做好期末考试工作的通知", date(2026, 11, 23), 35, 3)  # 4 pages: 10, 10, 10, 5
GZZD = dated("学校管理规定", date(2026, 11, 2), 6, 40)
XSZZ = dated("国家助学金评审结果公示", date(2026, 11, 16), 12, 9)  # POSTed JSON: 2 pages of 8 and 4
XXJJ_DATE = date(2026, 10, 8)
RCZP = dated("公开招聘工作人员公告", date(2026, 11, 10), 5, 20)  # each row also shows its 报名截止 (later)
XYKX = dated("校园快讯", AS_OF, 9, 1)  # shown as 今天, 昨天, 2天前 … 8天前
# 动易 2006 (library)
LIB_TZGG = dated("图书馆开放时间调整通知", date(2026, 11, 21), 25, 6)  # 3 pages: 10, 10, 5
ZYDT = dated("数据库试用通知", date(2026, 11, 20), 8, 20)  # year-less 11月20日 … back to 2026-04
BGGK_DATE = date(2026, 9, 15)
# Vue portal
XXYW = dated("学校要闻", date(2026, 11, 25), 23, 1)  # JSON: 3 pages of 10, 10, 3
MTBD = dated("媒体报道", date(2026, 11, 20), 6, 2)


COLUMNS = [
    Expected("xxgk", SF, "学校简介", "/Category_2/Index.aspx", "fresh", 1, XXJJ_DATE),
    Expected("xxgk", SF, "通知公告", "/Category_12/Index.aspx", "fresh", len(TZGG), TZGG[0][1]),
    Expected("xxgk", SF, "规章制度", "/Category_13/Index.aspx", "fresh", len(GZZD), GZZD[0][1]),
    Expected("xxgk", SF, "招生就业", "/Category_14/Index.aspx", "unreachable", 0, None, error="找不到"),
    Expected("xxgk", SF, "学生资助", "/Category_15/Index.aspx", "fresh", len(XSZZ), XSZZ[0][1]),
    Expected("xxgk", SF, "人才招聘", "/Category_16/Index.aspx", "fresh", len(RCZP), RCZP[0][1]),
    Expected("xxgk", SF, "校园快讯", "/Category_17/Index.aspx", "fresh", len(XYKX), AS_OF),
    Expected("lib", OLD, "本馆概况", "/Article/ShowArticle.asp?ArticleID=1", "fresh", 1, BGGK_DATE),
    Expected(
        "lib", OLD, "通知公告", "/Article/ShowClass.asp?ClassID=2", "fresh", len(LIB_TZGG), LIB_TZGG[0][1]
    ),
    Expected("lib", OLD, "资源动态", "/Article/ShowClass.asp?ClassID=3", "fresh", len(ZYDT), ZYDT[0][1]),
    Expected(
        "lib", OLD, "读者服务", "/Article/ShowClass.asp?ClassID=9", "unreachable", 0, None, error="找不到"
    ),
    Expected("portal", VUE, "学校要闻", "/news/list.html?cid=1", "fresh", len(XXYW), XXYW[0][1]),
    Expected("portal", VUE, "媒体报道", "/news/list.html?cid=2", "fresh", len(MTBD), MTBD[0][1]),
    Expected("portal", VUE, "视频新闻", "/news/list.html?cid=3", "unreachable", 0, None, error="500"),
]
NOT_COLUMNS: list[tuple[str, str]] = []

LONG_TEXT = (
    "示范师范学院始建于一九五八年，是省属全日制普通本科院校，学校现有两个校区，占地面积一千八百余亩，"
    "设有十六个二级学院，开设本科专业五十二个，全日制在校生两万余人。学校秉承“学高为师、身正为范”的校训，"
    "坚持教师教育特色，为基础教育培养输送了大批优秀教师，是省内重要的教师教育基地和基础教育研究中心。"
)
ERROR_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"><title>错误信息</title>
<link href="/Skin/DefaultSkin.css" rel="stylesheet" type="text/css"></head><body>
<table cellpadding=2 cellspacing=1 border=0 width=400 class="border" align=center>
<tr align='center' class='title'><td height='22'><strong>错误信息</strong></td></tr>
<tr class='tdbg'><td height='100' valign='top'><b>产生错误的可能原因：</b><br><li>找不到指定的栏目！</li></td></tr>
<tr align='center' class='tdbg'><td><a href='javascript:history.go(-1)'>&lt;&lt; 返回上一页</a></td></tr>
</table></body></html>"""


# ---------------------------------------------------------------- 动易 SiteFactory (the disclosure site)

SF_NAV = [("学校简介", 2), ("通知公告", 12), ("规章制度", 13), ("招生就业", 14), ("学生资助", 15)]
SF_NAV += [("人才招聘", 16), ("校园快讯", 17)]
SF_NAMES = dict((c, n) for n, c in SF_NAV)
PER_SF_PAGE = 10
PER_JSON_PAGE = 8


def sf_page(title: str, where: str, body: str, head: str = "") -> str:
    nav = "".join(f'<li><a href="/Category_{c}/Index.aspx">{n}</a></li>' for n, c in SF_NAV)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title}_{COLLEGE}信息公开网</title><link href="/Skin/Ocean/default.css" rel="stylesheet" type="text/css" />{head}</head>
<body><form name="form1" method="post" action="Index.aspx" id="form1">
<div><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwULLTE2MTY2ODcyMjlkZA==" /></div>
<div id="top"><div class="logo"><img src="/Skin/Ocean/logo.gif" alt="{COLLEGE}" /></div></div>
<div class="menu"><ul><li><a href="/">网站首页</a></li>{nav}</ul></div>
<div class="main_right">{f'<div class="location">您现在的位置：<a href="/">{COLLEGE}</a> &gt;&gt; {where}</div>' if where else ""}
{body}</div>
<div id="bottom">Copyright 2026 {COLLEGE} 版权所有 &nbsp; Powered by：SiteFactory&trade;</div>
</form></body></html>"""


def sf_pager(catid: int, page: int, total: int) -> str:
    count = -(-total // PER_SF_PAGE)

    def href(n: int) -> str:
        return f"/Category_{catid}/Index.aspx" if n == 1 else f"/Category_{catid}/Index_{n}.aspx"

    first = f'<a href="{href(1)}">首页</a>' if page > 1 else '<a disabled="disabled">首页</a>'
    prev = f'<a href="{href(page - 1)}">上一页</a>' if page > 1 else '<a disabled="disabled">上一页</a>'
    nums = " ".join(
        f'<span class="current">{n}</span>' if n == page else f'<a href="{href(n)}">{n}</a>'
        for n in range(1, count + 1)
    )
    nxt = f'<a href="{href(page + 1)}">下一页</a>' if page < count else '<a disabled="disabled">下一页</a>'
    last = f'<a href="{href(count)}">尾页</a>' if page < count else '<a disabled="disabled">尾页</a>'
    return f'<div class="pager"><span>共 {total} 条记录</span> {first} {prev} {nums} {nxt} {last} 页次：{page}/{count} 每页{PER_SF_PAGE}条</div>'


def sf_list(catid: int, page: int) -> str | None:
    name = SF_NAMES[catid]
    if catid == 12:
        count = -(-len(TZGG) // PER_SF_PAGE)
        if page > count:
            return None
        start = (page - 1) * PER_SF_PAGE
        items = "".join(
            f'<li><span class="time">[{d.isoformat()}]</span><a href="/Item/{1200 + start + n}.aspx" '
            f'title="文章标题：{t}&#xD;&#xA;作    者：教务处&#xD;&#xA;更新时间：{d.isoformat()} 9:21:00" target="_blank">{t}</a></li>'
            for n, (t, d) in enumerate(TZGG[start : start + PER_SF_PAGE])
        )
        body = f'<div class="list_box"><h3>{name}</h3><ul class="list_ul">{items}</ul>{sf_pager(catid, page, len(TZGG))}</div>'
    elif catid == 13:
        if page > 1:
            return None
        items = "".join(
            f'<tr><td class="list_title"><a href="javascript:void(0)" onclick="window.open(\'/Item/{1300 + n}.aspx\')">{t}</a></td>'
            f'<td class="list_time">{d.year}-{d.month}-{d.day}</td></tr>'
            for n, (t, d) in enumerate(GZZD)
        )
        body = f'<div class="list_box"><h3>{name}</h3><table class="list_table" width="100%">{items}</table></div>'
    elif catid in (16, 17):
        if page > 1:
            return None
        if catid == 16:  # the deadline first, then the publication date
            items = "".join(
                f'<li><a href="/Item/{1600 + n}.aspx">{t}</a><span class="end">报名截止：{(d + timedelta(days=25)).isoformat()}</span>'
                f'<span class="time">发布：{d.isoformat()}</span></li>'
                for n, (t, d) in enumerate(RCZP)
            )
        else:  # relative dates, as the CMS prints them on the day of the crawl
            words = ["今天", "昨天"] + [f"{n}天前" for n in range(2, len(XYKX))]
            items = "".join(
                f'<li><a href="/Item/{1700 + n}.aspx">{t}</a><span class="time">{words[n]}</span></li>'
                for n, (t, _) in enumerate(XYKX)
            )
        body = f'<div class="list_box"><h3>{name}</h3><ul class="list_ul">{items}</ul></div>'
    else:  # 学生资助: the rows come from a POST to a JSON endpoint
        script = """<script type="text/javascript">
var pageIndex = 1;
function loadList(pageIndex) {
  $.ajax({
    url: "/ajax/ArticleList.ashx",
    type: "POST",
    dataType: "json",
    data: {nodeId: 15, pageIndex: pageIndex, pageSize: 8},
    success: function (res) {
      var html = "";
      $.each(res.Rows, function (i, r) {
        html += '<li><span class="time">[' + r.UpdateTime + ']</span><a href="' + r.Url + '">' + r.Title + '</a></li>';
      });
      $("#articleList").html(html);
    }
  });
}
$(function () { loadList(1); });
</script>"""
        body = f'<div class="list_box"><h3>{name}</h3><ul class="list_ul" id="articleList"></ul><div class="pager" id="pager"></div></div>{script}'
    return sf_page(
        name, name, body, head='<script type="text/javascript" src="/js/jquery-1.8.3.min.js"></script>'
    )


def sf_json(form: dict[str, list[str]]) -> tuple[int, str]:
    if form.get("nodeId") != ["15"]:
        return 400, json.dumps({"Error": "nodeId"})
    page = int((form.get("pageIndex") or ["1"])[0])
    start = (page - 1) * PER_JSON_PAGE
    rows = [
        {
            "ItemId": 1500 + start + n,
            "Title": t,
            "Url": f"/Item/{1500 + start + n}.aspx",
            "UpdateTime": f"{d.year}/{d.month}/{d.day} 10:00:00",
            "Hits": 30 + n,
        }
        for n, (t, d) in enumerate(XSZZ[start : start + PER_JSON_PAGE])
    ]
    return 200, json.dumps({"Total": len(XSZZ), "PageIndex": page, "Rows": rows}, ensure_ascii=False)


def sf_item(n: int) -> str | None:
    for base, rows in ((1200, TZGG), (1300, GZZD), (1500, XSZZ), (1600, RCZP), (1700, XYKX)):
        if 0 <= n - base < len(rows):
            title, day = rows[n - base]
            body = f"""<div class="article"><h1>{title}</h1>
<div class="property"><span>作者：管理员</span> <span>更新时间：{day.year}/{day.month}/{day.day} 9:21:00</span> <span>点击数：<script src="/Common/GetHits.aspx?id={n}"></script></span></div>
<div class="content"><p>{title}。</p></div></div>"""
            return sf_page(title, "正文", body)
    return None


def sf_answer(method: str, path: str, form: dict[str, list[str]]) -> tuple[int, str, str]:
    html = "text/html; charset=utf-8"
    if method == "POST":
        if path == "/ajax/ArticleList.ashx":
            status, text = sf_json(form)
            return status, text, "application/json; charset=utf-8"
        return 405, "", "text/plain"
    if path in ("/", "/Default.aspx"):
        return 200, sf_page("首页", "", f'<div class="intro">{LONG_TEXT[:40]}</div>'), html
    if path == "/Category_2/Index.aspx":  # a single-page node
        body = f'<div class="content"><h2>学校简介</h2><div class="time">更新时间：{XXJJ_DATE.year}/{XXJJ_DATE.month}/{XXJJ_DATE.day} 16:05:11</div><p>{LONG_TEXT}</p></div>'
        return 200, sf_page("学校简介", "学校简介", body), html
    for catid in (12, 13, 15, 16, 17):
        prefix = f"/Category_{catid}/Index"
        if path == f"{prefix}.aspx":
            return 200, sf_list(catid, 1) or "", html
        if path.startswith(f"{prefix}_") and path.endswith(".aspx"):
            number = path.removeprefix(f"{prefix}_").removesuffix(".aspx")
            text = sf_list(catid, int(number)) if number.isdigit() else None
            return (200, text, html) if text else (200, ERROR_PAGE.format(charset="utf-8"), html)
    if path.startswith("/Item/") and path.endswith(".aspx"):
        number = path.removeprefix("/Item/").removesuffix(".aspx")
        text = sf_item(int(number)) if number.isdigit() else None
        return (200, text, html) if text else (200, ERROR_PAGE.format(charset="utf-8"), html)
    if path.startswith("/Common/GetHits.aspx"):
        return 200, "document.write('15');", "application/javascript"
    return 200, ERROR_PAGE.format(charset="utf-8"), html  # 招生就业 (Category_14) and anything else


# ---------------------------------------------------------------- 动易 2006 (the library), GBK

OLD_NAV = [
    ("本馆概况", "/Article/ShowArticle.asp?ArticleID=1"),
    ("通知公告", "/Article/ShowClass.asp?ClassID=2"),
]
OLD_NAV += [
    ("资源动态", "/Article/ShowClass.asp?ClassID=3"),
    ("读者服务", "/Article/ShowClass.asp?ClassID=9"),
]
PER_OLD_PAGE = 10


def old_page(title: str, where: str, body: str) -> str:
    menu = "".join(f'<td align="center" class="menu"><a href="{h}">{n}</a></td>' for n, h in OLD_NAV)
    return f"""<html><head><title>{title}--{COLLEGE}图书馆</title>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><link href="/Skin/DefaultSkin.css" rel="stylesheet" type="text/css"></head>
<body leftmargin="0" topmargin="0"><table width="778" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="80"><img src="/Images/banner.jpg" width="778" height="80"></td></tr>
<tr><td><table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td align="center" class="menu"><a href="/">网站首页</a></td>{menu}</tr></table></td></tr></table>
<table width="778" border="0" align="center" cellpadding="0" cellspacing="0"><tr>
<td width="180" valign="top" class="left_bg"><table width="100%"><tr><td class="left_title">快速通道</td></tr><tr><td><a href="/">馆藏查询</a></td></tr></table></td>
<td valign="top"><table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td class="main_title_575">&nbsp;您现在的位置：&nbsp;<a href="/">{COLLEGE}图书馆</a>&nbsp;&gt;&gt;&nbsp;{where}</td></tr>
<tr><td>{body}</td></tr></table></td></tr></table>
<table width="778" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td class="bottom_bg" align="center">{COLLEGE}图书馆 版权所有 Powered by 动易2006</td></tr></table>
</body></html>"""


def old_list(classid: int, page: int) -> str | None:
    rows, name = (LIB_TZGG, "通知公告") if classid == 2 else (ZYDT, "资源动态")
    count = -(-len(rows) // PER_OLD_PAGE)
    if page > count:
        return None
    start = (page - 1) * PER_OLD_PAGE
    if classid == 2:
        cells = "".join(
            f"<tr><td width='10' valign='top'><img src='/Images/article_common.gif'></td>"
            f"<td class='listbg'><a href='ShowArticle.asp?ArticleID={200 + start + n}' title='{t}'>{t}</a></td>"
            f"<td class='listbg' align='right' width='80'><font color='#999999'>{d.year}-{d.month}-{d.day}</font></td></tr>"
            for n, (t, d) in enumerate(rows[start : start + PER_OLD_PAGE])
        )
    else:
        cells = "".join(
            f"<tr><td class='listbg'>·<a href='ShowArticle.asp?ArticleID={300 + start + n}'>{t}</a></td>"
            f"<td class='listbg' align='right' width='80'>{d.month}月{d.day}日</td></tr>"
            for n, (t, d) in enumerate(rows[start : start + PER_OLD_PAGE])
        )
    link = f"ShowClass.asp?ClassID={classid}&page="
    pager = f"共 <b>{len(rows)}</b> 篇文章&nbsp;&nbsp;"
    pager += (
        f"<a href='{link}1'>首页</a> <a href='{link}{page - 1}'>上一页</a>&nbsp;"
        if page > 1
        else "首页 上一页&nbsp;"
    )
    pager += (
        f"<a href='{link}{page + 1}'>下一页</a> <a href='{link}{count}'>尾页</a>"
        if page < count
        else "下一页 尾页"
    )
    options = "".join(
        f"<option value='{n}'{' selected' if n == page else ''}>第{n}页</option>" for n in range(1, count + 1)
    )
    pager += (
        f"&nbsp;页次：<strong><font color=red>{page}</font>/{count}</strong>页 &nbsp;<b>{PER_OLD_PAGE}</b>篇文章/页"
        f"&nbsp;转到：<select name='page' size='1' onchange=\"javascript:window.location='{link}'+this.options[this.selectedIndex].value;\">{options}</select>"
    )
    body = f"<table width='100%' border='0' cellspacing='0' cellpadding='0'>{cells}</table><div align='center' class='show_page'>{pager}</div>"
    return old_page(name, f"<a href='ShowClass.asp?ClassID={classid}'>{name}</a>", body)


def old_article(n: int) -> str | None:
    if n == 1:
        title, day, where = "本馆概况", BGGK_DATE, "本馆概况"
    else:
        rows, where = (LIB_TZGG, "通知公告") if n < 300 else (ZYDT, "资源动态")
        index = n - (200 if n < 300 else 300)
        if not 0 <= index < len(rows):
            return None
        title, day = rows[index]
    text = LONG_TEXT if n == 1 else f"{title}，敬请读者留意。"
    body = f"""<table width='100%' border='0' cellpadding='0' cellspacing='5'><tr><td align='center' class='main_ArticleTitle'>{title}</td></tr>
<tr><td align='center'>作者：图书馆&nbsp;&nbsp;&nbsp;&nbsp;文章来源：本站原创&nbsp;&nbsp;&nbsp;&nbsp;点击数：<script language='javascript' src='/Article/GetHits.asp?ArticleID={n}'></script>&nbsp;&nbsp;&nbsp;&nbsp;更新时间：{day.year}-{day.month}-{day.day}</td></tr>
<tr><td class='main_tdbg_575'><p>{text}</p></td></tr></table>"""
    return old_page(title, where, body)


def old_answer(path: str, query: dict[str, list[str]]) -> tuple[int, bytes, str]:
    html = "text/html"  # no charset in the header: the meta tag says gb2312

    def gbk(text: str) -> bytes:
        return text.encode("gbk")

    if path in ("/", "/index.asp"):
        return 200, gbk(old_page("首页", "首页", f"<p>{LONG_TEXT[:50]}</p>")), html
    if path == "/Article/ShowClass.asp":
        classid = int((query.get("ClassID") or ["0"])[0] or 0)
        page = int((query.get("page") or ["1"])[0] or 1)
        if classid in (2, 3):
            text = old_list(classid, max(page, 1))
            if text:
                return 200, gbk(text), html
        return 200, gbk(ERROR_PAGE.format(charset="gb2312")), html
    if path == "/Article/ShowArticle.asp":
        text = old_article(int((query.get("ArticleID") or ["0"])[0] or 0))
        return 200, gbk(text or ERROR_PAGE.replace("栏目", "文章").format(charset="gb2312")), html
    if path == "/Article/GetHits.asp":
        return 200, b"document.write('8');", "application/javascript"
    return 404, b"<html><body>404</body></html>", html


# ---------------------------------------------------------------- the Vue portal

VUE_NAV = [("学校要闻", 1), ("媒体报道", 2), ("视频新闻", 3)]
VUE_ROWS = {1: XXYW, 2: MTBD}
PER_VUE_PAGE = 10


def vue_page(title: str, body: str, script: str = "") -> str:
    nav = "".join(f'<li><a href="/news/list.html?cid={c}">{n}</a></li>' for n, c in VUE_NAV)
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="/static/css/element-ui.css">
<script src="/static/js/vue.min.js"></script><script src="/static/js/axios.min.js"></script></head>
<body><div class="header"><div class="logo"><img src="/static/img/logo.png" alt="{COLLEGE}"></div>
<ul class="nav-menu"><li><a href="/">首页</a></li>{nav}</ul></div>
{body}
<div class="footer">{COLLEGE}党委宣传部 主办</div>{script}</body></html>"""


def vue_list(cid: int) -> str:
    name = dict((c, n) for n, c in VUE_NAV)[cid]
    body = f"""<div id="app" class="container"><div class="crumb">当前位置：<a href="/">首页</a> &gt; <span>{name}</span></div>
<div class="list-box"><h2 class="list-title">{name}</h2>
<ul class="news-list"><li v-for="item in list" :key="item.id"><a :href="item.linkUrl" target="_blank">{{{{ item.title }}}}</a><span class="date">{{{{ item.publishTime | day }}}}</span></li></ul>
<el-pagination layout="prev, pager, next" :total="total" :page-size="10" @current-change="load"></el-pagination></div></div>"""
    script = f"""<script>
new Vue({{
  el: '#app',
  data: {{ list: [], total: 0, pageNo: 1 }},
  filters: {{ day: function (v) {{ return v ? v.substring(0, 10) : '' }} }},
  mounted: function () {{ this.load(1) }},
  methods: {{
    load: function (n) {{
      var vm = this
      vm.pageNo = n
      axios.get('/api/portal/articles', {{ params: {{ cid: {cid}, pageNo: vm.pageNo, pageSize: 10 }} }}).then(function (res) {{
        vm.list = res.data.data.rows
        vm.total = res.data.data.total
      }})
    }}
  }}
}})
</script>"""
    return vue_page(f"{name}-{COLLEGE}", body, script)


def vue_api(query: dict[str, list[str]]) -> tuple[int, str]:
    cid = int((query.get("cid") or ["0"])[0] or 0)
    if cid not in VUE_ROWS:
        return 500, json.dumps({"code": 500, "msg": "服务器内部错误"}, ensure_ascii=False)
    page = int((query.get("pageNo") or ["1"])[0] or 1)
    start = (page - 1) * PER_VUE_PAGE
    rows = [
        {
            "id": 9000 + 100 * cid + start + n,
            "title": t,
            "linkUrl": f"/news/detail.html?id={9000 + 100 * cid + start + n}",
            "publishTime": f"{d.isoformat()}T08:30:00.000+0800",
            "viewCount": 100 + n,
        }
        for n, (t, d) in enumerate(VUE_ROWS[cid][start : start + PER_VUE_PAGE])
    ]
    data = {"code": 0, "msg": "success", "data": {"total": len(VUE_ROWS[cid]), "rows": rows}}
    return 200, json.dumps(data, ensure_ascii=False)


def vue_answer(path: str, query: dict[str, list[str]]) -> tuple[int, str, str]:
    html = "text/html; charset=utf-8"
    if path in ("/", "/index.html"):
        body = '<div id="app" class="container"><div class="banner"><img src="/static/img/banner.jpg" alt=""></div></div>'
        return 200, vue_page(f"{COLLEGE}", body), html
    if path == "/news/list.html":
        cid = int((query.get("cid") or ["0"])[0] or 0)
        if cid in (1, 2, 3):
            return 200, vue_list(cid), html
    if path == "/api/portal/articles":
        status, text = vue_api(query)
        return status, text, "application/json;charset=UTF-8"
    if path == "/news/detail.html":  # the article is a shell too: its text comes from /api/portal/article
        body = '<div id="app" class="container"><div class="article"><h1>{{ article.title }}</h1><div class="content" v-html="article.content"></div></div></div>'
        return 200, vue_page(f"{COLLEGE}", body), html
    return 404, "<html><body>404</body></html>", html


class DongyiSite(LoopbackHosts):
    def start(self) -> DongyiSite:
        return self.serve((SF, OLD, VUE), _Handler)

    def answer(
        self, method: str, host: str, target: str, form: dict[str, list[str]]
    ) -> tuple[int, bytes, str]:
        parts = urlsplit(target)
        if parts.path == "/robots.txt":
            return 404, b"", "text/plain"
        query = parse_qs(parts.query)
        if host == OLD:
            return old_answer(parts.path, query)
        if host == SF:
            status, text, kind = sf_answer(method, parts.path, form)
        else:
            status, text, kind = vue_answer(parts.path, query)
        return status, text.encode("utf-8"), kind


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, method: str, form: dict[str, list[str]]) -> None:
        server: Any = self.server
        status, body, kind = server.site.answer(method, server.host, self.path, form)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._reply("GET", {})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        if "json" in (self.headers.get("Content-Type") or ""):
            try:
                form = {k: [str(v)] for k, v in json.loads(raw or "{}").items()}
            except ValueError:
                form = {}
        else:
            form = parse_qs(raw)
        self._reply("POST", form)
