"""The portal (门户网站) in SudyTech WebPlus markup.

Quirks on purpose (DOMAIN.md §2): columns `/{id}/list.htm`, `list2.htm`…; rows `ul.wp_article_list
li.list_item` with `span.Article_PublishDate`, one column with `.news_days` and `.news_year` (YYYY-MM) in
separate elements; pager `ul.wp_paging` with `em.all_pages`; articles `/YYYY/MMDD/c{col}a{id}/page.htm`
whose URL date is sometimes not the shown date; a home page with teaser boxes (5–8 dated links + 更多) that
are not columns; a single-page column (`/xygk/list.htm` holding one text); an office area under `/oa/` that
robots.txt forbids.
"""

from __future__ import annotations

from collections.abc import Sequence

from demo.layout import ColumnSpec
from demo.model import Item
from demo.render_common import (
    STYLESHEET,
    Page,
    RenderedSite,
    SinglePage,
    SiteView,
    add_attachments,
    body_html,
    chunks,
    esc,
    ymd,
)

ROBOTS = "User-agent: *\nDisallow: /oa/\nDisallow: /_web/\nDisallow: /_visitcountdisplay\n"


def _list_paths(spec: ColumnSpec, pages: int) -> list[str]:
    return [f"/{spec.key}/list.htm"] + [f"/{spec.key}/list{n}.htm" for n in range(2, pages + 1)]


def _article_path(spec: ColumnSpec, item: Item) -> str:
    prefix = f"/{spec.key}" if spec.robots else ""
    day = item.url_day
    return f"{prefix}/{day.year}/{day.month:02d}{day.day:02d}/c{spec.num}a{item.id}/page.htm"


def _attachment_paths(item: Item) -> dict[int, str]:
    return {
        a.index: f"/_upload/article/files/{item.id % 97:02x}/{item.id:x}{a.index}.{a.ext}"
        for a in item.attachments
    }


def _frame(view: SiteView, title: str, main: str, head: str = "") -> str:
    b = view.bases
    menu = "".join(
        f'<li class="menu-item"><a class="menu-link" href="/{spec.key}/list.htm">{esc(spec.name)}</a></li>'
        for spec, _ in view.columns
        if not spec.robots
    )
    depts = "".join(
        f'<li><a href="{b[name]}/" target="_blank">{label}</a></li>'
        for name, label in (("dept-jwc", "教务处"), ("dept-zsjy", "招生就业处"), ("dept-cwc", "财务处"))
        if name in b
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="renderer" content="webkit">
<title>{esc(title)}</title>
<meta name="description" content="{esc(view.spec.title)}">
{head}<link type="text/css" href="/_css/_system/system.css" rel="stylesheet">
<script type="text/javascript" src="/_js/jquery.min.js" sudy-wp-context="" sudy-wp-siteId="1"></script>
</head>
<body class="list">
<div class="wrapper header"><div class="sitelogo"><a href="/main.htm">
<img src="/_upload/tpl/00/01/1/template1/images/logo.png"
 alt="{esc(view.spec.title)}"></a></div>
<nav class="wp-menu"><ul class="wp-menu">
<li class="menu-item i1"><a class="menu-link" href="/main.htm">首页</a></li>
<li class="menu-item"><a class="menu-link" href="/xygk/list.htm">学院概况</a></li>{menu}
<li class="menu-item"><a class="menu-link" href="{b.get("disclosure", "")}/" target="_blank">信息公开</a></li>
<li class="menu-item"><a class="menu-link" href="javascript:void(0);">部门网站</a>
<ul class="sub-menu">{depts}</ul></li>
</ul></nav></div>
<div class="wrapper main">
{main}
</div>
<div class="wrapper footer"><div class="foot-links"><a href="/oa/list.htm">办公系统</a> |
<a href="http://www.moe.gov.cn/" target="_blank">教育部</a> |
<a href="https://www.chsi.com.cn/" target="_blank">学信网</a></div>
<p>版权所有 © {esc(view.spec.title)}　地址：滨江市南岗区学府路99号　邮编：150000　黑ICP备05000000号</p></div>
</body></html>"""


def _path_links(spec: ColumnSpec) -> str:
    return (
        '<div class="col_path"><span class="path_name">当前位置：</span><a href="/main.htm">首页</a>'
        f'<span class="possplit">&nbsp;&nbsp;</span><a href="/{spec.key}/list.htm">{esc(spec.name)}</a></div>'
    )


def _row(spec: ColumnSpec, item: Item, n: int) -> str:
    href = _article_path(spec, item)
    title = esc(item.title)
    if spec.variant == "days":
        date = (
            f'<div class="news_date"><span class="news_days">{item.day.day:02d}</span>'
            f'<span class="news_year">{item.day.year}-{item.day.month:02d}</span></div>'
            if item.dated
            else ""
        )
        return (
            f'<li class="news n{n} clearfix">{date}<div class="news_box"><div class="news_title">'
            f"<a href='{href}' target='_blank' title='{title}'>{title}</a></div>"
            f'<div class="news_text">{esc(item.author)}供稿</div></div></li>'
        )
    date = f"<span class='Article_PublishDate'>{ymd(item.day)}</span>" if item.dated else ""
    return (
        f'<li class="list_item i{n}"><div class="fields pr_fields"><span class=\'Article_Index\'>{n}</span>'
        f"<span class='Article_Title'><a href='{href}' target='_blank' title='{title}'>{title}</a></span>"
        f"</div>"
        f'<div class="fields ex_fields">{date}</div></li>'
    )


def _pager(paths: list[str], page: int, total: int, size: int) -> str:
    last = len(paths)

    def link(cls: str, target: int | None, text: str) -> str:
        href = paths[target] if target is not None else "javascript:void(0);"
        return f'<a class="{cls}" href="{href}" target="_self"><span>{text}</span></a>'

    first = link("first", 0 if page else None, "第一页")
    prev = link("prev", page - 1 if page else None, "&lt;&lt;上一页")
    nxt = link("next", page + 1 if page + 1 < last else None, "下一页&gt;&gt;")
    end = link("last", last - 1 if page + 1 < last else None, "尾页")
    return (
        '<div id="wp_paging_w6"><ul class="wp_paging clearfix"><li class="pages_count">'
        f'<span class="per_page">每页&nbsp;<em class="per_count">{size}</em>&nbsp;记录&nbsp;</span>'
        f'<span class="all_count">总共&nbsp;<em class="all_count">{total}</em>&nbsp;记录&nbsp;</span></li>'
        f'<li class="page_nav">{first}{prev}{nxt}{end}</li>'
        f'<li class="page_jump"><span class="pages">页码&nbsp;<em class="curr_page">{page + 1}</em>/'
        f'<em class="all_pages">{last}</em></span><span><input class="pageNum" type="text" />'
        '<input type="hidden" class="currPageURL" value=""></span><span><a class="pagingJump" '
        'href="javascript:void(0);" target="_self">跳转&nbsp;</a></span></li></ul></div>'
    )


def _render_column(site: RenderedSite, view: SiteView, spec: ColumnSpec, items: Sequence[Item]) -> None:
    pages = chunks(items, spec.page_size)
    paths = _list_paths(spec, len(pages))
    if not spec.robots:
        site.column_links[spec.key] = paths[0]
        site.column_pages[spec.key] = paths
    ul = "news_list list" if spec.variant == "days" else "wp_article_list"
    for page, (path, rows) in enumerate(zip(paths, pages, strict=True)):
        if rows:
            lis = "\n".join(_row(spec, item, n + 1) for n, item in enumerate(rows))
            listing = f'<div id="wp_news_w6"><ul class="{ul}">\n{lis}\n</ul></div>' + _pager(
                paths, page, len(items), spec.page_size
            )
        else:
            listing = (
                '<div id="wp_news_w6"><ul class="wp_article_list"></ul><p class="no_data">暂无内容</p></div>'
            )
        main = (
            f'<div class="col_menu"><h2 class="column-name">{esc(spec.name)}</h2></div>'
            f'<div class="col_news">{_path_links(spec)}<div class="col_news_con">{listing}</div></div>'
        )
        site.add(path, _frame(view, f"{spec.name}-{view.spec.title}", main))
    for item in items:
        _render_article(site, view, spec, item)


def _render_article(site: RenderedSite, view: SiteView, spec: ColumnSpec, item: Item) -> None:
    files = _attachment_paths(item)
    add_attachments(site, item, files)
    metas = f'<span class="arti_publisher">发布者：{esc(item.author)}</span>'
    if item.dated:
        metas += f'<span class="arti_update">发布时间：{ymd(item.day)}</span>'
    metas += (
        f'<span class="arti_views">浏览次数：<span class="WP_VisitCount" '
        f'url="/_visitcountdisplay?siteId=1&amp;type=3&amp;articleId={item.id}">0</span></span>'
    )
    attach = "".join(
        f"<p>"
        f"<a href=\"{files[a.index]}\" sudyfile-attr=\"{{'title':'{esc(a.name)}'}}\">"
        f"{esc(a.name)}.{a.ext}</a></p>"
        for a in item.attachments
    )
    main = (
        f'<div class="col_news">{_path_links(spec)}<div class="article">'
        f'<h1 class="arti_title">{esc(item.title)}</h1>'
        f'<p class="arti_metas">{metas}</p><div class="entry"><div class="read">'
        f'<div class="wp_articlecontent">'
        f"{body_html(item, view.edited)}{attach}</div></div></div></div></div>"
    )
    site.add(_article_path(spec, item), _frame(view, item.title, main))
    site.articles[item.id] = _article_path(spec, item)


def _teaser(view: SiteView, key: str, count: int, date_form: str) -> str:
    spec = next(s for s, _ in view.columns if s.key == key)
    lis = []
    for item in view.items(key)[:count]:
        if date_form == "md":
            date = f'<span class="date">{item.day.month:02d}-{item.day.day:02d}</span>'
        elif date_form == "block":
            d = item.day
            date = f'<div class="date"><p>{d.day:02d}</p><span>{d.year}.{d.month:02d}</span></div>'
        else:
            date = f'<span class="date">[{ymd(item.day)}]</span>'
        date = date if item.dated else ""
        lis.append(
            f"<li>"
            f'<a href="{_article_path(spec, item)}" title="{esc(item.title)}">'
            f"{esc(item.title)}</a>{date}</li>"
        )
    return (
        f'<div class="post post-{key}"><div class="tt"><h3 class="tit">{esc(spec.name)}</h3>'
        f'<a class="more-btn" href="/{key}/list.htm">更多&gt;&gt;</a></div><div class="con">'
        f'<ul class="news_list">' + "".join(lis) + "</ul></div></div>"
    )


def _render_home(site: RenderedSite, view: SiteView) -> None:
    boxes = (
        _teaser(view, "xwdt", 8, "md")
        + _teaser(view, "tzgg", 6, "block")
        + _teaser(view, "2718", 5, "bracket")
        + _teaser(view, "xshd", 5, "md")
        + _teaser(view, "xywh", 6, "bracket")
    )
    main = f'<div class="banner"><img src="/_upload/tpl/banner1.jpg" alt="校园风光"></div>{boxes}'
    body = _frame(view, view.spec.title, main)
    site.add("/main.htm", body)
    site.add("/", body)
    intro = (
        '<div class="col_news"><div class="article"><h1 class="arti_title">学院简介</h1>'
        '<div class="wp_articlecontent">'
        "<p>滨江城市职业学院是经省人民政府批准设立的全日制公办高等职业院校，现有在校生一万二千余人。</p>"
        "<p>学院设有八个二级学院，开设专业五十余个，是省级优质高等职业院校建设单位。</p></div></div></div>"
    )
    site.add("/xygk/list.htm", _frame(view, f"学院概况-{view.spec.title}", intro))
    site.single_pages.append(SinglePage("xygk", "学院概况", "/xygk/list.htm", "办学基本情况"))


def render(view: SiteView) -> RenderedSite:
    site = RenderedSite(robots_disallow=("/oa/", "/_web/", "/_visitcountdisplay"))
    site.add("/robots.txt", Page(ROBOTS.encode(), "text/plain"))
    site.add("/_css/_system/system.css", STYLESHEET)
    _render_home(site, view)
    for spec, items in view.columns:
        _render_column(site, view, spec, items)
    return site
