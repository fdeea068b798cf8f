"""The 招生就业处 department site in TRS WCM style (government-style static publishing).

Quirks on purpose (DOMAIN.md §2): lists `zsxx/index.html`, `index_1.html`, `index_2.html`… (page 2 is `_1`);
articles `./YYYYMM/tYYYYMMDD_{id}.html` relative to the column, whose URL date is sometimes not the shown
date; dates as `2026.07.13`; a pager written twice, once by `createPageHTML()` in a script and once as plain
links; article dates as `发布日期：2026年7月13日` (no zero padding) plus a PubDate meta; a column behind a
瑞数-style JavaScript challenge.
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
    js_challenge_page,
    ymd,
)

ROBOTS = "User-agent: *\nDisallow: /trs/\n"


def _list_path(spec: ColumnSpec, page: int) -> str:
    return f"/{spec.key}/index.html" if page == 0 else f"/{spec.key}/index_{page}.html"


def _article_rel(item: Item) -> str:
    d = item.url_day
    return f"{d.year}{d.month:02d}/t{d.year}{d.month:02d}{d.day:02d}_{item.id}.html"


def _attachment_rels(item: Item) -> dict[int, str]:
    d = item.url_day
    return {
        a.index: f"P0{d.year}{d.month:02d}{d.day:02d}{item.id}{a.index}.{a.ext}" for a in item.attachments
    }


def _frame(view: SiteView, depth: int, title: str, main: str, head: str = "") -> str:
    up = "../" * depth
    nav = "".join(f'<li><a href="{up}{spec.key}/">{esc(spec.name)}</a></li>' for spec, _ in view.columns)
    portal = view.bases.get("portal", "")
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(title)}</title>
{head}<script type="text/javascript" src="{up}images/createPageHTML.js"></script>
</head><body>
<div class="top"><h1>{esc(view.spec.title)}</h1><a href="{portal}/">学院首页</a></div>
<div class="menu"><ul><li><a href="{up}index.html">首页</a></li>{nav}</ul></div>
<div class="content">{main}</div>
<div class="bottom">主办：{esc(view.spec.title)}　招生咨询电话：0451-86600001</div>
</body></html>"""


def _pager(spec: ColumnSpec, page: int, pages: int) -> str:
    def name(n: int) -> str:
        return "index.html" if n == 0 else f"index_{n}.html"

    links = (
        [f'<a href="{name(0)}">首页</a>', f'<a href="{name(page - 1)}">上一页</a>']
        if page
        else ["首页", "上一页"]
    )
    if page + 1 < pages:
        links += [f'<a href="{name(page + 1)}">下一页</a>', f'<a href="{name(pages - 1)}">尾页</a>']
    else:
        links += ["下一页", "尾页"]
    return (
        f'<script type="text/javascript">var countPage = {pages}; var currentPage = {page};'
        'createPageHTML(countPage, currentPage, "index", "html");</script>'
        f'<div class="page">共{pages}页&nbsp;&nbsp;当前第{page + 1}页&nbsp;&nbsp;{"&nbsp;".join(links)}</div>'
    )


def _render_column(site: RenderedSite, view: SiteView, spec: ColumnSpec, items: Sequence[Item]) -> None:
    pages = chunks(items, spec.page_size)
    paths = [_list_path(spec, n) for n in range(len(pages))]
    site.column_links[spec.key] = f"/{spec.key}/"
    if spec.status == "blocked":
        site.add(f"/{spec.key}/", js_challenge_page())
        site.add(paths[0], js_challenge_page())
        return
    site.column_pages[spec.key] = [f"/{spec.key}/", *paths[1:]]
    for page, (path, rows) in enumerate(zip(paths, pages, strict=True)):
        lis = "\n".join(
            f'<li><a href="./{_article_rel(i)}" target="_blank" title="{esc(i.title)}">{esc(i.title)}</a>'
            + (f'<span class="time">{ymd(i.day, ".")}</span>' if i.dated else "")
            + "</li>"
            for i in rows
        )
        main = (
            f'<div class="location">当前位置：<a href="../index.html">首页</a> &gt; '
            f'<a href="./">{esc(spec.name)}</a></div>'
            f'<div class="list"><ul>{lis}</ul></div>{_pager(spec, page, len(paths))}'
        )
        html = _frame(view, 1, f"{spec.name}-{view.spec.title}", main)
        site.add(path, html)
        if page == 0:
            site.add(f"/{spec.key}/", html)
    for item in items:
        rels = _attachment_rels(item)
        base = f"/{spec.key}/{_article_rel(item).split('/')[0]}/"
        add_attachments(site, item, {k: base + v for k, v in rels.items()})
        head = (
            f'<meta name="ArticleTitle" content="{esc(item.title)}">\n'
            f'<meta name="ColumnName" content="{esc(spec.name)}">\n'
        )
        info = f"来源：{esc(item.author)}"
        if item.dated:
            head += f'<meta name="PubDate" content="{ymd(item.day)} {item.time}">\n'
            info = f"发布日期：{item.day.year}年{item.day.month}月{item.day.day}日&nbsp;&nbsp;" + info
        attach = "".join(
            f'<p><a href="./{rels[a.index]}">{esc(a.name)}.{a.ext}</a></p>' for a in item.attachments
        )
        main = (
            f'<div class="location">当前位置：<a href="../../index.html">首页</a> &gt; '
            f'<a href="../">{esc(spec.name)}</a></div><div class="article"><h2>{esc(item.title)}</h2>'
            f'<div class="info">{info}</div>'
            f'<div class="TRS_Editor">{body_html(item, view.edited)}</div>{attach}</div>'
        )
        site.add(f"/{spec.key}/{_article_rel(item)}", _frame(view, 2, item.title, main, head))
        site.articles[item.id] = f"/{spec.key}/{_article_rel(item)}"


def _render_home(site: RenderedSite, view: SiteView) -> None:
    boxes = ""
    for spec, items in view.columns:
        if spec.status not in ("fresh", "stale"):
            continue
        lis = "".join(
            f'<li><a href="{spec.key}/{_article_rel(i)}">{esc(i.title)}</a>'
            + (f"<span>{ymd(i.day)}</span>" if i.dated else "")
            + "</li>"
            for i in items[:6]
        )
        boxes += f'<div class="box"><h3><a href="{spec.key}/">{esc(spec.name)}</a></h3><ul>{lis}</ul></div>'
    html = _frame(view, 0, view.spec.title, boxes)
    site.add("/index.html", html)
    site.add("/", html)


def render(view: SiteView) -> RenderedSite:
    site = RenderedSite(robots_disallow=("/trs/",))
    site.add("/robots.txt", Page(ROBOTS.encode(), "text/plain"))
    _render_home(site, view)
    for spec, items in view.columns:
        _render_column(site, view, spec, items)
    return site
