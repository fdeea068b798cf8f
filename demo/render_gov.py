"""A disclosure site in the style of a government 信息公开目录 (as many provincial platforms generate them).

Quirks on purpose: the home page is the directory itself — a category tree (`<dl>` of categories, each
with its columns) beside a table of the newest items; every list is a `<table>` with a header row and the
columns 序号 / 名称 / 发布机构 / 发布日期 (the number and the publisher are not dates);
lists paged `/ml/{key}.html`, `/ml/{key}_2.html` … with a 共N条 第i/M页 line; articles
`/ml/{key}/content_{id}.html` carrying a metadata table (发布机构, 生成日期 as `YYYY年MM月DD日`, 名称) above
the text; a 暂无信息 column; a directory link that answers 404; a column taken off the directory whose old
address answers a page without a list.
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
    ymd,
)

ROBOTS = "User-agent: *\nDisallow: /manage/\n"
RETIRED = "该栏目已调整，请查阅信息公开目录其他栏目。"


def _list_path(spec: ColumnSpec, page: int) -> str:
    return f"/ml/{spec.key}.html" if page == 1 else f"/ml/{spec.key}_{page}.html"


def _article_path(item: Item) -> str:
    return f"/ml/{item.column}/content_{item.id}.html"


def _attachment_paths(item: Item) -> dict[int, str]:
    return {a.index: f"/files/{item.id}_{a.index}.{a.ext}" for a in item.attachments}


def _frame(view: SiteView, title: str, main: str) -> str:
    tree = ""
    for key, name in view.spec.categories:
        links = "".join(
            f'<dd><a href="{_list_path(spec, 1)}">{esc(spec.name)}</a></dd>'
            for spec, _ in view.columns
            if spec.parent == key
        )
        tree += f"<dt>{esc(name)}</dt>{links}"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title>
<link rel="stylesheet" href="/css/xxgk.css"></head>
<body><div class="head"><h1>{esc(view.spec.title)}</h1></div>
<div class="wrap"><div class="side"><h3>信息公开目录</h3><dl class="ml">{tree}</dl>
</div>
<div class="main">{main}</div></div>
<div class="foot">主办单位：{esc(view.spec.title.removesuffix("信息公开目录"))}</div></body></html>"""


def _table(rows: Sequence[Item], first: int) -> str:
    body = "".join(
        f'<tr><td class="xh">{first + n}</td>'
        f'<td class="mc"><a href="{_article_path(i)}" title="{esc(i.title)}">{esc(i.title)}</a></td>'
        f'<td class="fbjg">{esc(i.author)}</td><td class="rq">{ymd(i.day) if i.dated else ""}</td></tr>'
        for n, i in enumerate(rows)
    )
    return (
        '<table class="xxgk-list" width="100%"><thead><tr><th>序号</th><th>名称</th><th>发布机构</th>'
        f"<th>发布日期</th></tr></thead><tbody>{body}</tbody></table>"
    )


def _pager(spec: ColumnSpec, page: int, pages: int, total: int) -> str:
    parts = [f"共{total}条 第{page}/{pages}页"]
    if page > 1:
        parts += [
            f'<a href="{_list_path(spec, 1)}">首页</a>',
            f'<a href="{_list_path(spec, page - 1)}">上一页</a>',
        ]
    if page < pages:
        parts += [
            f'<a href="{_list_path(spec, page + 1)}">下一页</a>',
            f'<a href="{_list_path(spec, pages)}">尾页</a>',
        ]
    return f'<div class="pages">{" ".join(parts)}</div>'


def _render_column(site: RenderedSite, view: SiteView, spec: ColumnSpec, items: Sequence[Item]) -> None:
    pages = chunks(items, spec.page_size)
    paths = [_list_path(spec, n + 1) for n in range(len(pages))]
    site.column_links[spec.key] = paths[0]
    if spec.status == "unreachable":
        return  # linked from the directory, answers 404
    site.column_pages[spec.key] = paths
    for page, (path, rows) in enumerate(zip(paths, pages, strict=True), start=1):
        crumbs = f'<div class="pos">当前位置：<a href="/">首页</a> &gt; {esc(spec.name)}</div>'
        listing = (
            _table(rows, (page - 1) * spec.page_size + 1) + _pager(spec, page, len(paths), len(items))
            if items
            else '<div class="nodata">暂无信息</div>'
        )
        main = f'{crumbs}<h2 class="lm">{esc(spec.name)}</h2>{listing}'
        site.add(path, _frame(view, f"{spec.name} - {view.spec.title}", main))
    for item in items:
        files = _attachment_paths(item)
        add_attachments(site, item, files)
        made = cn_date(item.day) if item.dated else ""
        meta = (
            '<table class="meta"><tr><th>发布机构</th>'
            f"<td>{esc(item.author)}</td><th>生成日期</th><td>{made}</td></tr>"
            f'<tr><th>名称</th><td colspan="3">{esc(item.title)}</td></tr></table>'
        )
        attach = "".join(
            f'<p>附件：<a href="{files[a.index]}">{esc(a.name)}.{a.ext}</a></p>' for a in item.attachments
        )
        main = (
            f'<div class="pos">当前位置：<a href="/">首页</a> &gt; <a href="{_list_path(spec, 1)}">'
            f"{esc(spec.name)}</a></div>{meta}<h2>{esc(item.title)}</h2>"
            f'<div class="zw">{body_html(item, view.edited)}</div>{attach}'
        )
        site.add(_article_path(item), _frame(view, item.title, main))
        site.articles[item.id] = _article_path(item)


def render(view: SiteView) -> RenderedSite:
    site = RenderedSite(robots_disallow=("/manage/",))
    site.add("/robots.txt", Page(ROBOTS.encode(), "text/plain"))
    site.add("/css/xxgk.css", STYLESHEET)
    newest = [item for _, item in view.latest(10)]
    home = f'<h2 class="lm">最新公开信息</h2>{_table(newest, 1)}'
    html = _frame(view, view.spec.title, home)
    site.add("/", html)
    site.add("/index.html", html)
    for spec, items in view.columns:
        _render_column(site, view, spec, items)
    for spec in view.retired:  # a column taken off the directory: its old address says so, no list
        note = f'<h2 class="lm">{esc(spec.name)}</h2><p class="tip">{RETIRED}</p>'
        site.add(_list_path(spec, 1), _frame(view, f"{spec.name} - {view.spec.title}", note))
    return site
