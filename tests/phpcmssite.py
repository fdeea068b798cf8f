# ruff: noqa: E501  (pages imitate CMS templates, whose lines are long)
"""A college whose three sites run three CMS families no other test site imitates (issue 13, unseen layouts).

Three hosts on loopback (port 0 each), each laid out the way its CMS's default templates are:

- the disclosure site (127.0.0.71), PHPCMS v9 with dynamic URLs: every page is `/index.php?m=content&c=index
  &a=lists&catid=N` (lists, single pages, category pages) or `…&a=show&catid=N&id=M` (articles); its pager is
  `<div id="pages">` with `&page=N` links; the breadcrumb is `<div class="crumbs">` ending in 列表; a
  single-page category with an 更新时间 line, one with no date at all, a category page of boxes of its
  sub-categories (the group is no column, each box's 更多 link is), a `showmessage` soft 404 (提示信息 / 栏目
  不存在, HTTP 200), and a list whose rows wrap title and date (2026年11月24日) in the link;
- the academic affairs office (127.0.0.72), DedeCMS: `/a/tzgg/` with `list_3_2.html` pages in
  `<ul class="pagelist">`, year-less `MM-DD` dates over three pages that cross into last year (the
  articles' 时间 lines give the full date), a `<dl>` list whose dd holds 日期 and a hit-counter script, an
  empty column (共 0页0条: no row, no 暂无信息), and a download list whose rows link to files;
- the portal (127.0.0.73), 帝国CMS (EmpireCMS): `/xwzx/index.html`, `index_2.html` in `<div class="epages">`,
  rows in table cells.

The truth a correct report holds for each column is `COLUMNS` (hand-written: names as a person reads them,
items, newest dates, statuses). Every date is fixed; the crawl runs as of AS_OF.
"""

from __future__ import annotations

from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from columntruth import Expected
from loopback import LoopbackHosts

PHP, DEDE, EMPIRE = "127.0.0.71", "127.0.0.72", "127.0.0.73"
AS_OF = date(2026, 11, 26)
COLLEGE = "示范职业技术学院"


def dated(prefix: str, newest: date, count: int, step: int) -> list[tuple[str, date]]:
    """`count` rows, newest first, `step` days apart."""
    return [(f"{prefix}（{i + 1}）", newest - timedelta(days=step * i)) for i in range(count)]


# PHPCMS (disclosure site)
TZGG = dated("关于开展学期教学检查工作的通知", date(2026, 11, 20), 23, 4)  # 3 pages: 10, 10, 3
SFBZ = dated("学生收费项目及标准公示", date(2024, 3, 1), 4, 90)  # stale
YSGK = [("2026年部门预算公开", date(2026, 5, 20)), ("2025年部门预算公开", date(2025, 5, 25))]
XYXW = dated("学院召开工作会议", date(2026, 11, 24), 8, 3)  # title and date inside the link
XXJJ_DATE = date(2026, 10, 20)
# DedeCMS (academic affairs office)
JWTZ = dated("教务处工作通知", date(2026, 11, 18), 25, 15)  # year-less MM-DD: back to 2025-11
JXGL = dated("教学管理工作简报", date(2026, 11, 10), 7, 9)
XZZX = [
    ("2026-2027学年第一学期教学计划表", date(2026, 11, 5)),
    ("学生成绩更正申请表", date(2026, 9, 2)),
    ("调停课申请表", date(2026, 3, 16)),
]
# EmpireCMS (portal)
XWZX = dated("校园动态", date(2026, 11, 25), 15, 2)  # 2 pages: 12, 3
XL_PDF = "/uploads/xl2026-2027.pdf"  # 校历: the office's menu links the file itself
GGTZ = dated("学院公告", date(2026, 11, 17), 25, 7)  # 3 pages of 10, 10, 5: a jump menu is the only pager
MTJJ = dated("媒体看学院", date(2026, 11, 19), 30, 5)  # 10 on the page, the rest behind 加载更多


def php(catid: int, page: int = 0, show: int = 0) -> str:
    """A PHPCMS v9 dynamic URL (path and query, `&` as in the address bar)."""
    if show:
        return f"/index.php?m=content&c=index&a=show&catid={catid}&id={show}"
    return f"/index.php?m=content&c=index&a=lists&catid={catid}" + (f"&page={page}" if page > 1 else "")


COLUMNS = [
    Expected("xxgk", PHP, "学校简介", php(2), "fresh", 1, XXJJ_DATE),
    Expected("xxgk", PHP, "学校章程", php(3), "undated", 1, None),
    Expected("xxgk", PHP, "通知公告", php(10), "fresh", len(TZGG), TZGG[0][1]),
    Expected("xxgk", PHP, "收费标准", php(21), "stale", len(SFBZ), SFBZ[0][1]),
    Expected("xxgk", PHP, "预算公开", php(22), "fresh", len(YSGK), YSGK[0][1]),
    Expected("xxgk", PHP, "招生信息", php(30), "unreachable", 0, None, error="不存在"),
    Expected("xxgk", PHP, "学院新闻", php(40), "fresh", len(XYXW), XYXW[0][1]),
    Expected("jwc", DEDE, "通知公告", "/a/tzgg/", "fresh", len(JWTZ), JWTZ[0][1]),
    Expected("jwc", DEDE, "教学管理", "/a/jxgl/", "fresh", len(JXGL), JXGL[0][1]),
    Expected("jwc", DEDE, "考试安排", "/a/ksap/", "empty", 0, None),
    Expected("jwc", DEDE, "下载中心", "/a/xzzx/", "fresh", len(XZZX), XZZX[0][1]),
    Expected("jwc", DEDE, "校历", XL_PDF, "undated", 1, None),  # a file the menu links
    Expected("portal", EMPIRE, "新闻中心", "/xwzx/", "fresh", len(XWZX), XWZX[0][1]),
    Expected("portal", EMPIRE, "媒体聚焦", "/mtjj/", "fresh", 10, MTJJ[0][1], partial=True),
    Expected("portal", EMPIRE, "学院公告", "/ggtz/", "fresh", len(GGTZ), GGTZ[0][1]),
]
NOT_COLUMNS = [(PHP, php(20)), (PHP, php(1))]  # 财务信息: a category page of boxes; 学校概况: a menu


def escape(text: str) -> str:
    return text.replace("&", "&amp;")


# ---------------------------------------------------------------- PHPCMS v9 (the disclosure site)

PHP_NAV = [
    ("学校简介", 2),
    ("学校章程", 3),
    ("通知公告", 10),
    ("财务信息", 20),
    ("招生信息", 30),
    ("学院新闻", 40),
]
PHP_NAMES = {2: "学校简介", 3: "学校章程", 10: "通知公告", 20: "财务信息", 21: "收费标准", 22: "预算公开"}
PHP_NAMES |= {30: "招生信息", 40: "学院新闻", 1: "学校概况"}
PHP_LISTS: dict[int, list[tuple[str, date]]] = {10: TZGG, 21: SFBZ, 22: YSGK, 40: XYXW}
PHP_PARENT = {2: 1, 3: 1, 21: 20, 22: 20}
PER_PHP_PAGE = 10
LONG_TEXT = (
    "示范职业技术学院是经省人民政府批准设立、教育部备案的全日制普通高等职业院校。学校坐落于历史文化名城，"
    "占地面积一千二百余亩，现有全日制在校生一万五千余人，教职工八百余人。学校设有机电工程学院、信息工程学院、"
    "经济管理学院等九个二级学院，开设专业五十余个。学校坚持立德树人根本任务，深化产教融合、校企合作，"
    "先后获得全国职业院校技能大赛等多项奖励，为区域经济社会发展培养了大批高素质技术技能人才。"
)


def php_page(title: str, crumbs: str, body: str) -> str:
    nav = "".join(f'<li><a href="{escape(php(c))}">{n}</a></li>' for n, c in PHP_NAV)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title} - {COLLEGE}信息公开网</title>
<meta name="keywords" content="{COLLEGE},信息公开"><script type="text/javascript" src="/statics/js/jquery.min.js"></script>
</head><body>
<div class="header"><div class="logo"><a href="/"><img src="/statics/images/logo.png" alt="{COLLEGE}"></a></div></div>
<div class="nav"><ul><li class="first"><a href="/">首页</a></li>{nav}</ul></div>
<div class="main">{f'<div class="crumbs">{crumbs}</div>' if crumbs else ""}{body}</div>
<div class="footer"><p>Copyright &copy; {COLLEGE} 版权所有 Powered by PHPCMS v9</p></div>
</body></html>"""


def php_crumbs(catid: int, tail: str = "") -> str:
    trail = ['<a href="/">首页</a>']
    parent = PHP_PARENT.get(catid)
    if parent:
        trail.append(f'<a href="{escape(php(parent))}">{PHP_NAMES[parent]}</a>')
    trail.append(f'<a href="{escape(php(catid))}">{PHP_NAMES[catid]}</a>')
    return "<span> &gt; </span>".join(trail) + (f" &gt;  {tail}" if tail else "")


def php_pages(catid: int, page: int, total: int) -> str:
    """PHPCMS v9 `pages()`: N条, 上一页, the numbers (the current one a <span>), 下一页."""
    count = -(-total // PER_PHP_PAGE)
    if count <= 1:
        return ""
    prev = escape(php(catid, max(page - 1, 1)))
    nxt = escape(php(catid, min(page + 1, count)))
    nums = " ".join(
        f"<span>{n}</span>" if n == page else f'<a href="{escape(php(catid, n))}">{n}</a>'
        for n in range(1, count + 1)
    )
    return (
        f'<div id="pages" class="text-c"><a class="a1">{total}条</a> <a href="{prev}" class="a1">上一页</a> '
        f'{nums} <a href="{nxt}" class="a1">下一页</a></div>'
    )


def php_list(catid: int, page: int) -> str | None:
    rows = PHP_LISTS[catid]
    count = max(1, -(-len(rows) // PER_PHP_PAGE))
    if page > count:
        return None
    shown = rows[(page - 1) * PER_PHP_PAGE : page * PER_PHP_PAGE]
    start = (page - 1) * PER_PHP_PAGE
    if catid == 40:  # the title and the date inside the link
        items = "".join(
            f'<li><a href="{escape(php(catid, show=100 * catid + start + n))}" target="_blank">'
            f'<span class="title">{t}</span><span class="time">{d.year}年{d.month:02d}月{d.day:02d}日</span></a></li>'
            for n, (t, d) in enumerate(shown)
        )
    else:
        items = "".join(
            f'<li><span class="rt">{d.isoformat()}</span>·<a href="{escape(php(catid, show=100 * catid + start + n))}"'
            f' target="_blank">{t}</a></li>'
            for n, (t, d) in enumerate(shown)
        )
    body = (
        f'<div class="col-left"><div class="box"><h5 class="title-2">{PHP_NAMES[catid]}</h5>'
        f'<ul class="list lh24 f14">{items}</ul>{php_pages(catid, page, len(rows))}</div></div>'
    )
    return php_page(PHP_NAMES[catid], php_crumbs(catid, "列表"), body)


def php_single(catid: int) -> str:
    """A 单网页 category: the page itself; 学校简介 says when it was updated, 学校章程 says nothing."""
    name = PHP_NAMES[catid]
    info = f'<div class="info">更新时间：{XXJJ_DATE.isoformat()} 09:30:00</div>' if catid == 2 else ""
    text = (
        LONG_TEXT
        if catid == 2
        else "第一章 总则 第一条 为规范学校办学行为，依据有关法律法规，制定本章程。" * 6
    )
    body = (
        f'<div class="page"><h1 class="title">{name}</h1>{info}<div class="content"><p>{text}</p></div></div>'
    )
    return php_page(name, php_crumbs(catid), body)


def php_category() -> str:
    """财务信息: the boxes of its sub-categories, each with its newest rows and a 更多 link."""
    boxes = ""
    for catid in (21, 22):
        rows = "".join(
            f'<li><a href="{escape(php(catid, show=100 * catid + n))}">{t}</a><span>{d:%m-%d}</span></li>'
            for n, (t, d) in enumerate(PHP_LISTS[catid][:3])
        )
        boxes += (
            f'<div class="box cat-area"><h5 class="title-1">{PHP_NAMES[catid]}'
            f'<a href="{escape(php(catid))}" class="more">更多>></a></h5><ul class="content list f14">{rows}</ul></div>'
        )
    return php_page("财务信息", php_crumbs(20), f'<div class="col-left">{boxes}</div>')


def php_show(catid: int, n: int) -> str | None:
    rows = PHP_LISTS.get(catid, [])
    index = n - 100 * catid
    if not 0 <= index < len(rows):
        return None
    title, day = rows[index]
    body = f"""<div id="Article"><h1>{title}<br /><span>{day.isoformat()} 10:12:00&nbsp;&nbsp;&nbsp;来源：党政办公室
&nbsp;&nbsp;&nbsp;评论：<a href="#comment_iframe" id="comment">0</a> 点击：<span id="hits"></span></span></h1>
<div class="content"><p>{title}。详细内容见附件。</p></div></div>"""
    return php_page(title, php_crumbs(catid, "正文"), body)


PHP_MESSAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" /><title>提示信息</title>
<style type="text/css">.showMsg{border: 1px solid #1e64c8; zoom:1; width:450px; height:172px;}</style></head>
<body><div class="showMsg" style="text-align:center"><h5>提示信息</h5>
<div class="content guery" style="display:inline-block;">栏目不存在！</div>
<div class="bottom"><a href="javascript:history.back();" >[点这里返回上一页]</a></div></div></body></html>"""


def php_home() -> str:
    rows = "".join(
        f'<li><a href="{escape(php(10, show=1000 + n))}">{t}</a><span>{d.isoformat()}</span></li>'
        for n, (t, d) in enumerate(TZGG[:5])
    )
    body = (
        f'<div class="box"><h5 class="title-1">通知公告<a href="{escape(php(10))}" class="more">更多>></a></h5>'
        f'<ul class="content list">{rows}</ul></div><div class="box"><p>{LONG_TEXT[:60]}</p></div>'
    )
    return php_page("首页", "", body)


def php_answer(path: str, query: dict[str, list[str]]) -> tuple[int, str]:
    if path in ("/", "/index.php") and not query:
        return 200, php_home()
    if path != "/index.php":
        return 404, "<html><body>404</body></html>"
    catid = int(query.get("catid", ["0"])[0] or 0)
    action = query.get("a", [""])[0]
    if action == "show":
        n = int(query.get("id", ["0"])[0] or 0)
        if catid == 10 and n >= 1000:  # the home page's box links the same articles by other ids
            n = 100 * catid + n - 1000
        text = php_show(catid, n)
        return (200, text) if text else (200, PHP_MESSAGE.replace("栏目不存在", "信息不存在或已被删除"))
    if action != "lists":
        return 200, PHP_MESSAGE
    if catid in (2, 3):
        return 200, php_single(catid)
    if catid == 20:
        return 200, php_category()
    if catid == 1:  # 学校概况: the parent of two single pages, a menu of them
        links = "".join(f'<li><a href="{escape(php(c))}">{PHP_NAMES[c]}</a></li>' for c in (2, 3))
        body = (
            f'<div class="col-left"><h5 class="title-2">学校概况</h5><ul class="sublist">{links}</ul></div>'
        )
        return 200, php_page("学校概况", php_crumbs(1), body)
    if catid in PHP_LISTS:
        page = int(query.get("page", ["1"])[0] or 1)
        text = php_list(catid, max(page, 1))
        return (200, text) if text else (200, PHP_MESSAGE)
    return 200, PHP_MESSAGE  # 招生信息 (catid 30): the category was deleted, the menu still links it


# ---------------------------------------------------------------- DedeCMS (the academic affairs office)

DEDE_NAV = [
    ("通知公告", "/a/tzgg/"),
    ("教学管理", "/a/jxgl/"),
    ("考试安排", "/a/ksap/"),
    ("下载中心", "/a/xzzx/"),
]
DEDE_TYPES = {"tzgg": 3, "jxgl": 4, "ksap": 5, "xzzx": 6}
PER_DEDE_PAGE = 10


def dede_page(title: str, typename: tuple[str, str] | None, body: str) -> str:
    nav = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in DEDE_NAV)
    nav += f'<li><a href="{XL_PDF}" target="_blank">校历</a></li>'
    position = (
        f'<div class="place"><strong>当前位置:</strong> <a href="/">教务处</a> &gt; <a href="/a/{typename[0]}/">{typename[1]}</a> &gt; </div>'
        if typename
        else ""
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title}_{COLLEGE}教务处</title><link href="/templets/default/style/dedecms.css" rel="stylesheet" media="screen" type="text/css" />
</head><body class="articlelist">
<div class="header"><div class="top w960 center"><div class="title"><h1><a href="/">{COLLEGE}教务处</a></h1></div></div>
<div class="module blue mT10 wrapper w963"><div id="navMenu"><ul><li><a href="/"><span>主页</span></a></li>{nav}</ul></div></div></div>
<div class="w960 center clear mt1"><div class="pleft">{position}{body}</div>
<div class="pright"><div class="commend mt1"><dl class="tbox light"><dt class="light"><strong>推荐内容</strong></dt></dl></div></div></div>
<div class="footer w960 center mt1 clear"><div class="footer_body"><p class="powered">Powered by <a href="http://www.dedecms.com">DedeCMS</a></p></div></div>
</body></html>"""


def dede_pagelist(slug: str, page: int, total: int) -> str:
    """DedeCMS `{dede:pagelist}`: 首页 上一页 numbers 下一页 末页 and 共 N页M条."""
    tid = DEDE_TYPES[slug]
    count = -(-total // PER_DEDE_PAGE)

    def href(n: int) -> str:
        return f"list_{tid}_{n}.html"

    parts = []
    if count > 1:
        parts.append(f"<li><a href='{href(1)}'>首页</a></li>" if page > 1 else "<li><a>首页</a></li>")
        parts.append(f"<li><a href='{href(page - 1)}'>上一页</a></li>" if page > 1 else "")
        for n in range(1, count + 1):
            parts.append(
                f'<li class="thisclass"><a>{n}</a></li>'
                if n == page
                else f"<li><a href='{href(n)}'>{n}</a></li>"
            )
        if page < count:
            parts.append(
                f"<li><a href='{href(page + 1)}'>下一页</a></li><li><a href='{href(count)}'>末页</a></li>"
            )
    parts.append(
        f'<li><span class="pageinfo">共 <strong>{count}</strong>页<strong>{total}</strong>条</span></li>'
    )
    return f'<div class="dede_pages"><ul class="pagelist">{"".join(parts)}</ul></div>'


def dede_rows(slug: str) -> list[tuple[str, date]]:
    return {"tzgg": JWTZ, "jxgl": JXGL, "ksap": [], "xzzx": XZZX}[slug]


def dede_aid(slug: str, n: int) -> int:
    return 100 * DEDE_TYPES[slug] + n


def dede_list(slug: str, page: int) -> str | None:
    name = dict((h.strip("/").split("/")[-1], n) for n, h in DEDE_NAV)[slug]
    rows = dede_rows(slug)
    count = max(1, -(-len(rows) // PER_DEDE_PAGE))
    if page > count:
        return None
    start = (page - 1) * PER_DEDE_PAGE
    shown = rows[start : start + PER_DEDE_PAGE]
    if slug == "tzgg":  # year-less dates: [field:pubdate function="MyDate('m-d',@me)"/]
        items = "".join(
            f'<li><span>{d:%m-%d}</span><a href="/a/tzgg/{dede_aid(slug, start + n)}.html" title="{t}">{t}</a></li>'
            for n, (t, d) in enumerate(shown)
        )
        inner = f'<ul class="e2">{items}</ul>'
    elif slug == "jxgl":
        inner = "".join(
            f'<dl class="tbox"><dt><a href="/a/jxgl/{dede_aid(slug, n)}.html">{t}</a></dt>'
            f'<dd class="info">日期：{d.isoformat()} 点击：<script src="/plus/count.php?view=yes&amp;aid={dede_aid(slug, n)}'
            f'&amp;mid=1" type="text/javascript" language="javascript"></script> 好评：0</dd>'
            f'<dd class="intro">{t}的主要内容摘要……</dd></dl>'
            for n, (t, d) in enumerate(shown)
        )
    elif slug == "xzzx":
        items = "".join(
            f'<li><a href="/uploads/soft/{d:%Y%m}/{dede_aid(slug, n)}.doc">{t}</a><span class="date">{d.isoformat()}</span></li>'
            for n, (t, d) in enumerate(shown)
        )
        inner = f'<ul class="e2 downlist">{items}</ul>'
    else:
        inner = '<ul class="e2"></ul>'
    body = (
        f'<div class="listbox"><div class="title"><h2>{name}</h2></div>{inner}</div>'
        f"{dede_pagelist(slug, page, len(rows))}"
    )
    return dede_page(f"{name}" + (f"_第{page}页" if page > 1 else ""), (slug, name), body)


def dede_article(slug: str, aid: int) -> str | None:
    rows = dede_rows(slug)
    n = aid - 100 * DEDE_TYPES[slug]
    if not 0 <= n < len(rows):
        return None
    title, day = rows[n]
    name = dict((h.strip("/").split("/")[-1], nm) for nm, h in DEDE_NAV)[slug]
    body = f"""<div class="viewbox"><div class="title"><h2>{title}</h2></div>
<div class="info"><small>时间:</small>{day.isoformat()} 08:{n % 60:02d}<small>来源:</small>教务处<small>作者:</small>教务科<small>点击:</small>
<script src="/plus/count.php?view=yes&amp;aid={aid}&amp;mid=1" type="text/javascript" language="javascript"></script>次</div>
<div class="content"><table width="100%"><tr><td><p>{title}，请各单位遵照执行。</p></td></tr></table></div></div>"""
    return dede_page(title, (slug, name), body)


def dede_answer(path: str) -> tuple[int, str, str]:
    html = "text/html; charset=utf-8"
    if path in ("/", "/index.html"):
        rows = "".join(
            f'<li><a href="/a/tzgg/{dede_aid("tzgg", n)}.html">{t}</a></li>'
            for n, (t, _) in enumerate(JWTZ[:6])
        )
        return 200, dede_page("首页", None, f'<div class="listbox"><ul class="d1">{rows}</ul></div>'), html
    parts = path.strip("/").split("/")
    if len(parts) >= 2 and parts[0] == "a" and parts[1] in DEDE_TYPES:
        slug = parts[1]
        if len(parts) == 2:
            return 200, dede_list(slug, 1) or "", html
        leaf = parts[2]
        if leaf.startswith("list_") and leaf.endswith(".html"):
            number = leaf.removesuffix(".html").split("_")[-1]
            text = dede_list(slug, int(number)) if number.isdigit() else None
            return (200, text, html) if text else (404, "<html><body>404</body></html>", html)
        if leaf.endswith(".html") and leaf.removesuffix(".html").isdigit():
            text = dede_article(slug, int(leaf.removesuffix(".html")))
            return (200, text, html) if text else (404, "<html><body>404</body></html>", html)
    if path == XL_PDF:
        return 200, "%PDF-1.4", "application/pdf"
    if path.startswith("/uploads/soft/") and path.endswith(".doc"):
        return 200, "DOC", "application/msword"
    if path.startswith("/plus/count.php"):
        return 200, "document.write('12');", "application/javascript"
    return 404, "<html><body>404</body></html>", html


# ---------------------------------------------------------------- EmpireCMS (the portal)

PER_EMPIRE_PAGE = 12


def empire_page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title}</title><link href="/skin/default/css/style.css" rel="stylesheet" type="text/css" /></head><body>
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="nav"><tr><td class="nav_global"><ul>
<li class="curr"><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li><li><a href="/mtjj/">媒体聚焦</a></li><li><a href="/ggtz/">学院公告</a></li></ul></td></tr></table>
{body}
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="copyright"><tr><td>Powered by <strong>EmpireCMS</strong></td></tr></table>
</body></html>"""


def empire_list(page: int) -> str | None:
    count = -(-len(XWZX) // PER_EMPIRE_PAGE)
    if page > count:
        return None
    start = (page - 1) * PER_EMPIRE_PAGE
    rows = "".join(
        f'<tr><td class="list_title"><a href="/xwzx/{d.isoformat()}/{500 + start + n}.html" target="_blank">{t}</a></td>'
        f'<td width="90" class="list_date">{d.isoformat()}</td></tr>'
        for n, (t, d) in enumerate(XWZX[start : start + PER_EMPIRE_PAGE])
    )

    def href(n: int) -> str:
        return "/xwzx/index.html" if n == 1 else f"/xwzx/index_{n}.html"

    nums = "&nbsp;".join(
        f"<b>{n}</b>" if n == page else f'<a href="{href(n)}">{n}</a>' for n in range(1, count + 1)
    )
    pager = f'<div class="epages"><a title="Total record">&nbsp;<b>{len(XWZX)}</b> </a>&nbsp;&nbsp;'
    if page > 1:
        pager += f'<a href="{href(1)}">首页</a>&nbsp;<a href="{href(page - 1)}">上一页</a>&nbsp;'
    pager += nums
    if page < count:
        pager += f'&nbsp;<a href="{href(page + 1)}">下一页</a>&nbsp;<a href="{href(count)}">尾页</a>'
    pager += "</div>"
    body = f"""<table width="100%" border="0" cellspacing="10" cellpadding="0"><tr valign="top"><td class="main">
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="position"><tr><td>现在的位置：<a href="/">首页</a>&nbsp;>&nbsp;<a href="/xwzx/">新闻中心</a></td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="box"><tr><td class="title"><strong>新闻中心</strong></td></tr>
<tr><td><table width="100%" border="0" cellspacing="0" cellpadding="0" class="news_list">{rows}</table>{pager}</td></tr></table>
</td></tr></table>"""
    return empire_page(f"新闻中心 - {COLLEGE}", body)


def empire_more() -> str:
    """媒体聚焦: ten rows on the page; a 加载更多 button makes a script append the next ones."""
    rows = "".join(
        f'<li><a href="/mtjj/{d.isoformat()}/{700 + n}.html">{t}</a><span>{d.isoformat()}</span></li>'
        for n, (t, d) in enumerate(MTJJ[:10])
    )
    body = f"""<table width="100%" class="position"><tr><td>现在的位置：<a href="/">首页</a>&nbsp;>&nbsp;<a href="/mtjj/">媒体聚焦</a></td></tr></table>
<div class="box"><h3>媒体聚焦</h3><ul class="news_list" id="newsList">{rows}</ul>
<div class="loadmore"><a href="javascript:void(0);" id="btnMore">加载更多</a></div></div>
<script type="text/javascript">
var page = 1;
$("#btnMore").click(function () {{
  page++;
  $.get("/e/extend/more.php?classid=5&page=" + page, function (html) {{ $("#newsList").append(html); }});
}});
</script>"""
    return empire_page(f"媒体聚焦 - {COLLEGE}", body)


def empire_jump(page: int) -> str | None:
    """学院公告: ten rows a page; the only pager is a 第N页 jump menu."""
    count = -(-len(GGTZ) // 10)
    if not 1 <= page <= count:
        return None
    start = (page - 1) * 10
    rows = "".join(
        f'<tr><td><a href="/ggtz/{d.isoformat()}/{800 + start + n}.html">{t}</a></td><td class="list_date">{d.isoformat()}</td></tr>'
        for n, (t, d) in enumerate(GGTZ[start : start + 10])
    )
    options = "".join(
        f'<option value="/ggtz/{"index" if n == 1 else f"index_{n}"}.html"{" selected" if n == page else ""}>第{n}页</option>'
        for n in range(1, count + 1)
    )
    body = f"""<table width="100%" class="position"><tr><td>现在的位置：<a href="/">首页</a>&nbsp;>&nbsp;<a href="/ggtz/">学院公告</a></td></tr></table>
<table width="100%" class="news_list">{rows}</table>
<div class="list_page">共{count}页 转到 <select name="select" onchange="self.location.href=this.options[this.selectedIndex].value">{options}</select></div>"""
    return empire_page(f"学院公告 - {COLLEGE}", body)


def empire_article(n: int) -> str | None:
    rows, index = (GGTZ, n - 800) if n >= 800 else (MTJJ, n - 700) if n >= 700 else (XWZX, n - 500)
    if not 0 <= index < len(rows):
        return None
    title, day = rows[index]
    body = f"""<table width="100%" class="title_info"><tr><td><h1>{title}</h1></td></tr>
<tr><td class="info_text">时间：{day.isoformat()} 16:20:00&nbsp;&nbsp;来源：党委宣传部&nbsp;&nbsp;作者：记者站</td></tr></table>
<table width="100%"><tr><td id="text"><p>{title}。{LONG_TEXT[:80]}</p></td></tr></table>"""
    return empire_page(f"{title} - {COLLEGE}", body)


def empire_answer(path: str) -> tuple[int, str]:
    if path in ("/", "/index.html"):
        return 200, empire_page(f"{COLLEGE}", f"<p>{LONG_TEXT[:50]}</p>")
    if path in ("/xwzx/", "/xwzx/index.html"):
        return 200, empire_list(1) or ""
    if path.startswith("/xwzx/index_") and path.endswith(".html"):
        number = path.removeprefix("/xwzx/index_").removesuffix(".html")
        text = empire_list(int(number)) if number.isdigit() else None
        return (200, text) if text else (404, "<html><body>404</body></html>")
    if path in ("/mtjj/", "/mtjj/index.html"):
        return 200, empire_more()
    if path in ("/ggtz/", "/ggtz/index.html") or (path.startswith("/ggtz/index_") and path.endswith(".html")):
        number = path.removeprefix("/ggtz/").removeprefix("index").removesuffix(".html").lstrip("_") or "1"
        text = empire_jump(int(number)) if number.isdigit() else None
        return (200, text) if text else (404, "<html><body>404</body></html>")
    parts = path.strip("/").split("/")
    if len(parts) == 3 and parts[0] in ("xwzx", "mtjj", "ggtz") and parts[2].removesuffix(".html").isdigit():
        text = empire_article(int(parts[2].removesuffix(".html")))
        return (200, text) if text else (404, "<html><body>404</body></html>")
    return 404, "<html><body>404</body></html>"


class PhpcmsSite(LoopbackHosts):
    def start(self) -> PhpcmsSite:
        return self.serve((PHP, DEDE, EMPIRE), _Handler)

    def answer(self, host: str, target: str) -> tuple[int, str, str]:
        parts = urlsplit(target)
        html = "text/html; charset=utf-8"
        if parts.path == "/robots.txt":
            return 404, "", "text/plain"
        if host == PHP:
            status, text = php_answer(parts.path, parse_qs(parts.query))
            return status, text, html
        if host == DEDE:
            return dede_answer(parts.path)
        status, text = empire_answer(parts.path)
        return status, text, html


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        server: Any = self.server
        status, text, kind = server.site.answer(server.host, self.path)
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
