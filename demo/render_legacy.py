"""The 财务处 department site: an old table-layout site served in GBK with no declared charset.

Quirks on purpose: neither the Content-Type header nor any meta names a charset (Scrapy would decode it as
cp1252); layout tables, `·` bullets, `[2024-05-06]` dates; in one column year-less `05-06` dates under year
heading rows (the year must come from the heading); forward-numbered static lists `list_1.htm`,
`list_1_2.htm` with a `<select>` page jump; article dates as `2024-5-6` without padding; a nav link that
404s; a download column whose rows carry no dates.
"""

from __future__ import annotations

from collections.abc import Sequence

from demo.layout import ColumnSpec
from demo.model import Item
from demo.render_common import (
    Page,
    RenderedSite,
    SiteView,
    add_attachments,
    body_html,
    chunks,
    esc,
    login_page,
    ymd,
)

ROBOTS = "User-agent: *\nDisallow: /admin/\n"
CONTENT_TYPE = "text/html"  # deliberately no charset


def _gbk(html: str) -> Page:
    return Page(html.encode("gbk"), content_type=CONTENT_TYPE)


def _list_path(spec: ColumnSpec, page: int) -> str:
    return f"/list_{spec.num}.htm" if page == 1 else f"/list_{spec.num}_{page}.htm"


def _article_path(item: Item) -> str:
    return f"/show/{item.id}.htm"


def _attachment_paths(item: Item) -> dict[int, str]:
    return {
        a.index: f"/UploadFiles/{item.day.year}{item.day.month:02d}/{item.id}{a.index}.{a.ext}"
        for a in item.attachments
    }


def _frame(view: SiteView, title: str, main: str) -> str:
    nav = "".join(
        f'<td align="center"><a href="{_list_path(spec, 1)}"><font color="#FFFFFF">{esc(spec.name)}</font>'
        f"</a></td>"
        for spec, _ in view.columns
    )
    portal = view.bases.get("portal", "")
    return f"""<html>
<head>
<title>{esc(title)}</title>
<style type="text/css">td {{ font-size: 12px; }}</style>
</head>
<body topmargin="0" leftmargin="0">
<table width="960" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="90" bgcolor="#1B5E9B"><font size="5" color="#FFFFFF"><b>{esc(view.spec.title)}</b></font></td>
</tr>
<tr><td><table width="100%" bgcolor="#0D3F70"><tr><td align="center"><a href="/index.htm">
<font color="#FFFFFF">首 页</font></a></td>{nav}</tr></table></td></tr>
<tr><td valign="top">{main}</td></tr>
<tr>
<td align="center" height="60" bgcolor="#EEEEEE">{esc(view.spec.title)} 版权所有 &nbsp;
<a href="{portal}/">学院主页</a> &nbsp; <a href="/admin/login.asp">管理登录</a></td></tr>
</table>
</body>
</html>"""


def _rows(spec: ColumnSpec, rows: Sequence[Item]) -> str:
    out = []
    year = None
    for item in rows:
        link = (
            f'<a href="{_article_path(item)}" target="_blank" title="{esc(item.title)}">{esc(item.title)}</a>'
        )
        if spec.variant == "mmdd":
            if item.day.year != year:
                year = item.day.year
                out.append(f'<tr><td colspan="3" class="year" height="28"><b>{year}年</b></td></tr>')
            date = f"{item.day.month:02d}-{item.day.day:02d}"
        else:
            date = f"[{ymd(item.day)}]"
        cell = date if item.dated else "&nbsp;"
        out.append(
            f'<tr><td width="12" height="24">·</td><td>{link}</td><td width="100" align="right">{cell}</td>'
            f"</tr>"
        )
    return "\n".join(out)


def _pager(spec: ColumnSpec, page: int, pages: int, total: int) -> str:
    def link(n: int, text: str) -> str:
        return f'[<a href="{_list_path(spec, n)}">{text}</a>]'

    parts = [f"共 {total} 条&nbsp; 每页 {spec.page_size} 条&nbsp; 第 {page}/{pages} 页&nbsp;"]
    parts += [link(1, "首页"), link(page - 1, "上一页")] if page > 1 else ["[首页]", "[上一页]"]
    parts += [link(page + 1, "下一页"), link(pages, "尾页")] if page < pages else ["[下一页]", "[尾页]"]
    options = "".join(
        f'<option value="{_list_path(spec, n)}"{" selected" if n == page else ""}>第{n}页</option>'
        for n in range(1, pages + 1)
    )
    jump = f'转到：<select onchange="javascript:window.location=this.value;">{options}</select>'
    return (
        f'<table width="100%"><tr><td align="center" height="30">{" ".join(parts)} {jump}</td></tr></table>'
    )


def _render_column(site: RenderedSite, view: SiteView, spec: ColumnSpec, items: Sequence[Item]) -> None:
    pages = chunks(items, spec.page_size)
    paths = [_list_path(spec, n + 1) for n in range(len(pages))]
    site.column_links[spec.key] = paths[0]
    if spec.status == "unreachable":
        return
    site.column_pages[spec.key] = paths
    for page, (path, rows) in enumerate(zip(paths, pages, strict=True), start=1):
        table = f'<table width="100%" border="0" cellspacing="0" cellpadding="0">{_rows(spec, rows)}</table>'
        main = (
            f'<table width="100%"><tr><td height="30" background="/images/title_bg.gif">'
            f'<b>{esc(spec.name)}</b>　当前位置：<a href="/index.htm">首页</a> &gt;&gt; {esc(spec.name)}</td>'
            f"</tr>"
            f"<tr><td>{table}</td></tr></table>{_pager(spec, page, len(paths), len(items))}"
        )
        site.add(path, _gbk(_frame(view, f"{view.spec.title}--{spec.name}", main)))
    for item in items:
        files = _attachment_paths(item)
        add_attachments(site, item, files)
        meta = f"作者：{esc(item.author)} &nbsp; 点击数：{item.id % 500 + 12}"
        if item.dated:
            meta = f"发布时间：{item.day.year}-{item.day.month}-{item.day.day} &nbsp; " + meta
        attach = "".join(
            f'<p>附件下载：<a href="{files[a.index]}">{esc(a.name)}.{a.ext}</a></p>' for a in item.attachments
        )
        main = (
            f'<table width="90%" align="center"><tr><td align="center" height="50"><font size="4">'
            f"<b>{esc(item.title)}"
            f'</b></font></td></tr><tr><td align="center" bgcolor="#F2F2F2">{meta}</td></tr>'
            f"<tr><td>{body_html(item, view.edited)}{attach}</td></tr></table>"
        )
        site.add(_article_path(item), _gbk(_frame(view, f"{view.spec.title}--{item.title}", main)))
        site.articles[item.id] = _article_path(item)


def _render_home(site: RenderedSite, view: SiteView) -> None:
    cells = ""
    for spec, items in view.columns:
        if spec.status not in ("fresh", "stale"):
            continue
        rows = _rows(spec, items[:6])
        cells += (
            f'<td width="50%" valign="top"><table width="100%"><tr><td><b>{esc(spec.name)}</b></td>'
            f'<td align="right"><a href="{_list_path(spec, 1)}">more&gt;&gt;</a></td></tr></table>'
            f'<table width="100%">{rows}</table></td>'
        )
    html = _frame(view, view.spec.title, f'<table width="100%"><tr>{cells}</tr></table>')
    site.add("/index.htm", _gbk(html))
    site.add("/", _gbk(html))


def render(view: SiteView) -> RenderedSite:
    site = RenderedSite(robots_disallow=("/admin/",))
    site.add("/robots.txt", Page(ROBOTS.encode(), "text/plain"))
    login = login_page(view.spec.title, "/admin/chklogin.asp").replace('<meta charset="utf-8">', "")
    site.add("/admin/login.asp", _gbk(login))
    _render_home(site, view)
    for spec, items in view.columns:
        _render_column(site, view, spec, items)
    return site
