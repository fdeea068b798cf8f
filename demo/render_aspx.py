"""The 教务处 department site: a home-grown ASP.NET layout with query-string pagination.

Quirks on purpose: list pages `list.aspx?cid=11`, then `list.aspx?cid=11&page=2`… (and page 1 is also
reachable as `&page=1` from the pager's 首页 link: two URLs, one page); articles `content.aspx?id=345`;
dates as `2026年07月13日` placed BEFORE the title in some columns, `[2026-07-13]` after it in others;
undated rows; a 暂无内容 column; a column that is a login form.
"""

from __future__ import annotations

from collections.abc import Sequence

from demo.layout import ColumnSpec
from demo.model import Item
from demo.render_common import (
    STYLESHEET,
    Page,
    RenderedSite,
    SiteView,
    add_attachments,
    body_html,
    chunks,
    cn_date,
    esc,
    login_page,
    ymd,
)

ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /search.aspx\n"


def _list_path(spec: ColumnSpec, page: int) -> str:
    return f"/list.aspx?cid={spec.num}" + (f"&page={page}" if page > 1 else "")


def _href(path: str) -> str:
    """Paths as written in href attributes: relative to the root, with & escaped."""
    return esc(path.lstrip("/"))


def _article_path(item: Item) -> str:
    return f"/content.aspx?id={item.id}"


def _attachment_paths(item: Item) -> dict[int, str]:
    stamp = f"{item.day.year}{item.day.month:02d}"
    return {a.index: f"/UploadFile/{stamp}/{item.id}{a.index:02d}.{a.ext}" for a in item.attachments}


def _frame(view: SiteView, title: str, main: str) -> str:
    left = "".join(
        f'<li><a href="{_href(_list_path(spec, 1))}">{esc(spec.name)}</a></li>' for spec, _ in view.columns
    )
    portal = view.bases.get("portal", "")
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(title)}</title>
<link href="css/main.css" rel="stylesheet" type="text/css" />
</head>
<body><form name="form1" method="post" action="" id="form1">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRkdemo=" />
<div id="top"><div class="logo">{esc(view.spec.title)}</div>
<div class="topnav"><a href="index.aspx">网站首页</a> | <a href="{portal}/">学院首页</a></div></div>
<div id="container"><div id="left"><div class="lefttitle">栏目导航</div><ul class="leftnav">{left}</ul></div>
<div id="right">{main}</div></div>
<div id="footer">{esc(view.spec.title)}　电话：0451-86600000　技术支持：信息中心</div>
</form></body></html>"""


def _row(spec: ColumnSpec, item: Item) -> str:
    title = esc(item.title)
    link = f'<a href="{_href(_article_path(item))}" target="_blank" title="{title}">{title}</a>'
    if not item.dated:
        return f"<li>{link}</li>"
    if spec.variant == "cn":
        return f'<li><span class="date">{cn_date(item.day)}</span>{link}</li>'
    return f"<li>{link}<em>[{ymd(item.day)}]</em></li>"


def _pager(spec: ColumnSpec, page: int, pages: int, total: int) -> str:
    def link(n: int, text: str) -> str:
        return f'<a href="{_href(f"/list.aspx?cid={spec.num}&page={n}")}">{text}</a>'

    parts = [f"共 {total} 条记录&nbsp;页次 {page}/{pages}&nbsp;"]
    parts += [link(1, "首页"), link(page - 1, "上一页")] if page > 1 else ["首页", "上一页"]
    parts += [
        f"<b>{n}</b>" if n == page else link(n, str(n))
        for n in range(max(1, page - 4), min(pages, page + 4) + 1)
    ]
    parts += [link(page + 1, "下一页"), link(pages, "末页")] if page < pages else ["下一页", "末页"]
    return '<div class="pages">' + " ".join(parts) + "</div>"


def _render_column(site: RenderedSite, view: SiteView, spec: ColumnSpec, items: Sequence[Item]) -> None:
    pages = chunks(items, spec.page_size)
    paths = [_list_path(spec, n + 1) for n in range(len(pages))]
    site.column_links[spec.key] = paths[0]
    if spec.status == "blocked":
        site.add(paths[0], login_page(view.spec.title, "/admin/login.aspx"))
        return
    site.column_pages[spec.key] = paths
    for page, (path, rows) in enumerate(zip(paths, pages, strict=True), start=1):
        if rows:
            listing = '<ul class="newslist">' + "\n".join(_row(spec, i) for i in rows) + "</ul>"
            listing += _pager(spec, page, len(paths), len(items))
        else:
            listing = '<div class="nodata">暂无内容</div>'
        main = (
            f'<div class="position">您现在的位置：<a href="index.aspx">首页</a> &gt; {esc(spec.name)}</div>'
            f'<div class="righttitle">{esc(spec.name)}</div>{listing}'
        )
        site.add(path, _frame(view, f"{spec.name}_{view.spec.title}", main))
        if page == 1:  # the pager's 首页 link names page 1 explicitly: same page, second URL
            site.add(f"{path}&page=1", site.pages[path])
    for item in items:
        files = _attachment_paths(item)
        add_attachments(site, item, files)
        attr = f'来源：{esc(item.author)}&nbsp;&nbsp;点击：<span id="hits">{item.id % 900 + 37}</span>'
        if item.dated:
            attr = f"发布日期：{cn_date(item.day)} {item.time}&nbsp;&nbsp;" + attr
        attach = "".join(
            f'<p>附件：<a href="{files[a.index]}">{esc(a.name)}.{a.ext}</a></p>' for a in item.attachments
        )
        main = (
            f'<div class="position">您现在的位置：<a href="index.aspx">首页</a> &gt; '
            f'<a href="{_href(paths[0])}">{esc(spec.name)}</a> &gt; 正文</div>'
            f'<div class="content"><h2>{esc(item.title)}</h2><div class="attr">{attr}</div>'
            f'<div class="text">{body_html(item, view.edited)}{attach}</div></div>'
        )
        site.add(_article_path(item), _frame(view, f"{item.title}_{view.spec.title}", main))
        site.articles[item.id] = _article_path(item)


def _render_home(site: RenderedSite, view: SiteView) -> None:
    boxes = ""
    for key in ("jwtz", "jxdt", "kwgl"):
        spec = next(s for s, _ in view.columns if s.key == key)
        lis = "".join(
            f'<li><a href="{_href(_article_path(i))}">{esc(i.title)}</a>'
            f"<span>{i.day.month:02d}-{i.day.day:02d}</span></li>"
            for i in view.items(key)[:7]
        )
        boxes += (
            f'<div class="box"><div class="boxtitle">{esc(spec.name)}'
            f'<a class="more" href="{_href(_list_path(spec, 1))}">更多</a></div><ul>{lis}</ul></div>'
        )
    body = _frame(view, view.spec.title, boxes)
    site.add("/index.aspx", body)
    site.add("/", body)


def render(view: SiteView) -> RenderedSite:
    site = RenderedSite(robots_disallow=("/admin/", "/search.aspx"))
    site.add("/robots.txt", Page(ROBOTS.encode(), "text/plain"))
    site.add("/css/main.css", STYLESHEET)
    _render_home(site, view)
    for spec, items in view.columns:
        _render_column(site, view, spec, items)
    return site
