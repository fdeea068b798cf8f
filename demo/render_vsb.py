"""The disclosure site (信息公开网) in 博达 VSB markup.

Quirks on purpose (DOMAIN.md §2): static list pages numbered in reverse (`xssw/zszc.htm`, then
`xssw/zszc/3.htm`, `2.htm`, `1.htm`), relative links (`../info/1074/65321.htm`, `../../info/…` from numbered
pages), two pager styles ("共N条 1/M" in a table, and `p_pages` with page numbers), dates in `<span>` or as
`YYYY/MM/DD` in `<i>`, pinned old rows, undated rows, `PubDate`/`ColumnName` metas and a 发布时间 line on
articles, attachments under `/__local/` (one broken), a 暂无信息 column, a nav link that 404s, and a column
that redirects to a login form.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

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
    esc,
    login_page,
    ymd,
)

ROBOTS = "User-agent: *\nDisallow: /system/\nDisallow: /_sitegray/\n"


def _col_num(view: SiteView, key: str) -> int:
    for n, (spec, _) in enumerate(view.columns):
        if spec.key == key:
            return spec.num or 1074 + n
    raise KeyError(key)


def _list_paths(spec: ColumnSpec, pages: int) -> list[str]:
    """First page `/cat/key.htm`, then `/cat/key/{M-1}.htm` … `/cat/key/1.htm` (reverse numbering)."""
    first = f"/{spec.parent}/{spec.key}.htm"
    return [first] + [f"/{spec.parent}/{spec.key}/{pages - i}.htm" for i in range(1, pages)]


def _rel(from_path: str, to_path: str) -> str:
    """A relative link as VSB writes them: up to the root with ../, then down."""
    depth = from_path.count("/") - 1
    return "../" * depth + to_path.lstrip("/")


def _article_path(view: SiteView, item: Item) -> str:
    return f"/info/{_col_num(view, item.column)}/{item.id}.htm"


def _attachment_paths(item: Item) -> dict[int, str]:
    return {
        a.index: f"/__local/{item.id % 10:X}/{(item.id // 10) % 256:02X}/{item.id:X}{a.index}E.{a.ext}"
        for a in item.attachments
    }


def _frame(view: SiteView, path: str, title: str, main: str, head: str = "") -> str:
    nav = "".join(
        f'<li><a href="{_rel(path, f"/{key}.htm")}">{esc(name)}</a></li>'
        for key, name in view.spec.categories
    )
    portal = view.bases.get("portal", "")
    return f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>{esc(title)}</title>
<META Name="keywords" Content="{esc(view.spec.title)}">
{head}<link rel="stylesheet" href="{_rel(path, "/style/style.css")}">
</head>
<body>
<div class="header"><a href="{_rel(path, "/index.htm")}"><img src="{_rel(path, "/images/logo.png")}"
 alt="{esc(view.spec.title)}"></a><a class="back" href="{portal}/">学院首页</a></div>
<div class="nav"><ul><li><a href="{_rel(path, "/index.htm")}">首页</a></li>{nav}</ul></div>
<div class="main">
{main}
</div>
<div class="footer">版权所有：{esc(view.spec.title)}　地址：滨江市南岗区学府路99号
<a href="{portal}/">学院主页</a></div>
</body></html>"""


def _row_date(spec: ColumnSpec, item: Item) -> str:
    if not item.dated:
        return ""
    if spec.variant == "slash":
        return f"<i>{ymd(item.day, '/')}</i>"
    return f"<span>{ymd(item.day)}</span>"


def _pager(path: str, paths: list[str], page: int, total: int, big: bool) -> str:
    pages = len(paths)
    link = lambda i, text: f'<a href="{_rel(path, paths[i])}" class="Next">{text}</a>'  # noqa: E731
    if big:  # p_pages style with page numbers around the current one
        parts = [f'<span class="p_t">共{total}条</span>', f'<span class="p_t">{page + 1}/{pages}</span>']
        nav = [link(0, "首页") if page else "首页", link(page - 1, "上页") if page else "上页"]
        for i in range(max(0, page - 2), min(pages, page + 3)):
            nav.append(f'<span class="p_no_d">{i + 1}</span>' if i == page else link(i, str(i + 1)))
        if page + 1 < pages:
            nav += [link(page + 1, "下页"), link(pages - 1, "尾页")]
        else:
            nav += ["下页", "尾页"]
        pager = f'{"".join(parts)}<span class="p_pages">{" ".join(nav)}</span>'
        return f'<div class="pb_sys_common pagebar">{pager}</div>'
    first = f"{link(0, '首页')}&nbsp;|{link(page - 1, '上页')}&nbsp;|" if page else "首页&nbsp;|上页&nbsp;|"
    last = (
        f"{link(page + 1, '下页')}&nbsp;|{link(pages - 1, '尾页')}" if page + 1 < pages else "下页&nbsp;|尾页"
    )
    return (
        '<div class="pagebar"><table cellspacing="0" cellpadding="0" border="0"><tr>'
        f'<td width="1%" align="left" id="fanye{len(paths)}" nowrap="">'
        f"共{total}条&nbsp;&nbsp;{page + 1}/{pages}&nbsp;</td>"
        f'<td width="1%" nowrap="" align="left"><div>{first}{last}</div></td></tr></table></div>'
    )


def _sidebar(view: SiteView, path: str, parent: str, current: str) -> str:
    links = "".join(
        ("<li class='on'>" if spec.key == current else "<li>")
        + f'<a href="{_rel(path, f"/{parent}/{spec.key}.htm")}">{esc(spec.name)}</a></li>'
        for spec, _ in view.columns
        if spec.parent == parent
    )
    name = dict(view.spec.categories)[parent]
    return f'<div class="left"><h2>{esc(name)}</h2><ul class="sub">{links}</ul></div>'


def _breadcrumb(view: SiteView, path: str, parent: str, leaf: str) -> str:
    name = dict(view.spec.categories)[parent]
    return (
        f'<div class="dqwz">当前位置：<a href="{_rel(path, "/index.htm")}">首页</a>&gt;&gt;'
        f'<a href="{_rel(path, f"/{parent}.htm")}">{esc(name)}</a>&gt;&gt;{esc(leaf)}</div>'
    )


def _render_column(site: RenderedSite, view: SiteView, spec: ColumnSpec, items: Sequence[Item]) -> None:
    pages = chunks(items, spec.page_size)
    paths = _list_paths(spec, len(pages))
    site.column_links[spec.key] = paths[0]
    if spec.status == "unreachable":
        return  # the nav links to it; nothing is there
    if spec.status == "blocked":
        login = f"/cas/login?service={quote(paths[0], safe='')}"
        site.add(paths[0], Page(b"", status=302, location=login))
        site.add(login, login_page(view.spec.title, "/cas/login"))
        return
    site.column_pages[spec.key] = paths
    for page, (path, rows) in enumerate(zip(paths, pages, strict=True)):
        if rows:
            lis = "\n".join(
                f'<li id="line_u6_{n}"><a href="{_rel(path, _article_path(view, item))}" target="_blank" '
                f'title="{esc(item.title)}">{esc(item.title)}</a>{_row_date(spec, item)}</li>'
                for n, item in enumerate(rows)
            )
            listing = f'<div class="list"><ul>\n{lis}\n</ul></div>' + _pager(
                path, paths, page, len(items), spec.page_size >= 20
            )
        else:
            listing = '<div class="list"><div class="empty">暂无信息</div></div>'
        main = (
            _sidebar(view, path, spec.parent, spec.key)
            + f'<div class="right">{_breadcrumb(view, path, spec.parent, spec.name)}'
            + f'<h2 class="lm_name">{esc(spec.name)}</h2>{listing}</div>'
        )
        site.add(path, _frame(view, path, f"{spec.name}-{view.spec.title}", main))
    for n, item in enumerate(items):
        _render_article(
            site, view, spec, item, items[n - 1] if n else None, items[n + 1] if n + 1 < len(items) else None
        )


def _render_article(
    site: RenderedSite, view: SiteView, spec: ColumnSpec, item: Item, prev: Item | None, nxt: Item | None
) -> None:
    path = _article_path(view, item)
    files = _attachment_paths(item)
    add_attachments(site, item, files)
    category = dict(view.spec.categories)[spec.parent]
    head = (
        f'<META Name="ColumnName" Content="{esc(spec.name)}">\n'
        f'<META Name="ColumnType" Content="{esc(category)}">\n'
    )
    info = f"作者：{esc(item.author)}&nbsp;&nbsp;"
    if item.dated:
        head += f'<META Name="PubDate" Content="{ymd(item.day)} {item.time}">\n'
        info = f"发布时间：{ymd(item.day)}&nbsp;&nbsp;" + info
    info += f'浏览量：<script>_showDynClicks("wbnews", 1669868066, {item.id})</script>'
    attach = ""
    if item.attachments:
        attach = (
            '<ul style="list-style-type:none;">'
            + "".join(
                f'<li>附件【<a href="{files[a.index]}">{esc(a.name)}.{a.ext}</a>】已下载'
                f'<span id="nattach{item.id}{a.index}">'
                "<script>getClickTimes(" + str(item.id) + ")</script></span>次</li>"
                for a in item.attachments
            )
            + "</ul>"
        )
    near = "".join(
        f'<li>{label}：<a href="{_rel(path, _article_path(view, other))}">{esc(other.title)}</a></li>'
        for label, other in (("上一条", prev), ("下一条", nxt))
        if other is not None
    )
    main = (
        _sidebar(view, path, spec.parent, spec.key)
        + f'<div class="right">{_breadcrumb(view, path, spec.parent, spec.name)}'
        + f'<form name="_newscontent_fromname"><h1 class="title">{esc(item.title)}</h1>'
        + f'<div class="info">{info}</div>'
        + f'<div id="vsb_content"><div class="v_news_content">{body_html(item, view.edited)}</div></div>'
        + f'{attach}</form><ul class="pn">{near}</ul></div>'
    )
    site.add(path, _frame(view, path, f"{item.title}-{view.spec.title}", main, head))
    site.articles[item.id] = path


def _render_category(site: RenderedSite, view: SiteView, key: str, name: str) -> None:
    path = f"/{key}.htm"
    subs = [spec for spec, _ in view.columns if spec.parent == key]
    first = subs[0].key if subs else ""
    lis = "".join(
        f'<li><a href="{_rel(path, f"/{key}/{spec.key}.htm")}">{esc(spec.name)}</a>'
        f"<p>公开{esc(spec.name)}相关信息。</p></li>"
        for spec in subs
    )
    main = (
        (_sidebar(view, path, key, first) if subs else "") + f'<div class="right">'
        f'<div class="dqwz">当前位置：<a href="index.htm">首页</a>&gt;&gt;{esc(name)}</div>'
        + f'<h2 class="lm_name">{esc(name)}</h2><ul class="catalog">{lis}</ul></div>'
    )
    site.add(path, _frame(view, path, f"{name}-{view.spec.title}", main))


def _render_home(site: RenderedSite, view: SiteView) -> None:
    path = "/index.htm"
    latest = "".join(
        f"<li>"
        f'<a href="{_rel(path, _article_path(view, item))}" title="{esc(item.title)}">{esc(item.title)}</a>'
        f"<span>{ymd(item.day)}</span></li>"
        for _, item in view.latest(8)
    )
    directory = ""
    for key, name in view.spec.categories:
        subs = "".join(
            f'<a href="{key}/{spec.key}.htm">{esc(spec.name)}</a>'
            for spec, _ in view.columns
            if spec.parent == key
        )
        directory += f'<tr><th><a href="{key}.htm">{esc(name)}</a></th><td>{subs}</td></tr>'
    main = f"""<div class="box zxgk"><h3>最新公开</h3><ul>{latest}</ul></div>
<div class="box ml"><h3>信息公开目录</h3><table class="mulu">{directory}</table></div>
<div class="box links"><a href="xxgkzn.htm">信息公开指南</a> <a href="ysqgk.htm">依申请公开</a>
<a href="xxgk/ndbg.htm">信息公开年度报告</a></div>"""
    body = _frame(view, path, view.spec.title, main)
    site.add(path, body)
    site.add("/", body)
    for extra, title, text in (
        (
            "/xxgkzn.htm",
            "信息公开指南",
            "本指南依据《高等学校信息公开办法》编制，说明学校主动公开的范围、方式和程序。",
        ),
        ("/ysqgk.htm", "依申请公开", "公民、法人和其他组织可以书面形式向学院信息公开办公室提出申请。"),
    ):
        main = f'<div class="right"><h1>{title}</h1><div class="v_news_content"><p>{text}</p></div></div>'
        site.add(extra, _frame(view, extra, f"{title}-{view.spec.title}", main))


def render(view: SiteView) -> RenderedSite:
    site = RenderedSite(robots_disallow=("/system/", "/_sitegray/"))
    site.add("/robots.txt", Page(ROBOTS.encode(), "text/plain"))
    site.add("/style/style.css", STYLESHEET)
    _render_home(site, view)
    for key, name in view.spec.categories:
        _render_category(site, view, key, name)
    for spec, items in view.columns:
        _render_column(site, view, spec, items)
    return site
