"""What every demo renderer shares: the page record, the site view it renders from, escaping, paging, files.

A renderer is a function `render(view: SiteView) -> RenderedSite`: it turns the visible items of one site
into a table of path → Page, and says which list pages make up each column (the ground truth reads that).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from math import ceil

from demo.layout import ColumnSpec, SiteSpec
from demo.model import Attachment, Item

HTML_UTF8 = "text/html; charset=utf-8"
_FILE_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True, slots=True)
class Page:
    """One answer of the demo server for a path (path includes the query string when there is one)."""

    body: bytes
    content_type: str = HTML_UTF8
    status: int = 200
    location: str | None = None  # redirects


@dataclass(frozen=True, slots=True)
class SinglePage:
    """A single-page column (单页栏目): a menu link straight to one text page that shows no date."""

    key: str
    name: str  # the menu's link text
    path: str
    catalog_item: str | None = None  # the 清单 item its name stands for


@dataclass(slots=True)
class RenderedSite:
    pages: dict[str, Page] = field(default_factory=dict)
    column_pages: dict[str, list[str]] = field(
        default_factory=dict
    )  # column key → its list pages, first first
    column_links: dict[str, str] = field(default_factory=dict)  # column key → path its nav link points to
    robots_disallow: tuple[str, ...] = ()
    broken: list[str] = field(default_factory=list)  # attachment paths that answer 404
    articles: dict[int, str] = field(default_factory=dict)  # item id → its article path
    single_pages: list[SinglePage] = field(default_factory=list)  # undated text pages the menu links

    def add(self, path: str, page: Page | str | bytes) -> None:
        if isinstance(page, str):
            page = Page(page.encode("utf-8"))
        elif isinstance(page, bytes):
            page = Page(page)
        self.pages[path] = page


@dataclass(frozen=True, slots=True)
class SiteView:
    """One site as seen on `day`: its columns with their visible items in list order."""

    spec: SiteSpec
    columns: tuple[tuple[ColumnSpec, tuple[Item, ...]], ...]
    day: date
    bases: dict[str, str]  # site name → "http://host:port" (no trailing slash), for links between sites
    edited: frozenset[int] = frozenset()  # ids of items whose article body shows the edit
    retired: tuple[ColumnSpec, ...] = ()  # columns the site no longer has (ColumnSpec.until): not linked

    def items(self, key: str) -> tuple[Item, ...]:
        for spec, items in self.columns:
            if spec.key == key:
                return items
        raise KeyError(key)

    def latest(self, n: int, keys: Sequence[str] | None = None) -> list[tuple[ColumnSpec, Item]]:
        """The n newest dated items over some columns (home-page boxes)."""
        pool = [
            (spec, item)
            for spec, items in self.columns
            if (keys is None or spec.key in keys) and not spec.robots
            for item in items
            if item.dated
        ]
        pool.sort(key=lambda p: (p[1].day, p[1].id), reverse=True)
        return pool[:n]


STYLESHEET = Page(b"body{margin:0;font:12px/1.8 SimSun,serif}\n", content_type="text/css")


@functools.lru_cache(maxsize=1 << 16)
def esc(text: str) -> str:
    """Escape text for HTML content and attribute values (titles are hostile in real life, and here too).

    Cached: each title is escaped half a dozen times per render (rows, article, neighbours, teasers).
    """
    return html.escape(text, quote=True)


def chunks(items: Sequence[Item], size: int) -> list[Sequence[Item]]:
    """Split a column into list pages; an empty column still has one (empty) page."""
    if not items:
        return [()]
    return [items[i : i + size] for i in range(0, len(items), size)]


def page_count(n: int, size: int) -> int:
    return max(1, ceil(n / size))


def ymd(day: date, sep: str = "-") -> str:
    return f"{day.year:04d}{sep}{day.month:02d}{sep}{day.day:02d}"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def body_html(item: Item, edited: frozenset[int]) -> str:
    return "\n".join(f"<p>{esc(p)}</p>" for p in item.body(item.id in edited))


def fake_file(att: Attachment, item: Item) -> Page:
    """A small deterministic file body of the attachment's type (a crawler only needs HEAD to answer)."""
    text = f"{item.title} {att.name} {item.id}".encode()
    if att.ext == "pdf":
        body = b"%PDF-1.4\n% demo attachment\n" + text + b"\n%%EOF\n"
    else:
        body = b"PK\x03\x04demo " + text if att.ext.endswith("x") else b"\xd0\xcf\x11\xe0demo " + text
    return Page(body, content_type=_FILE_TYPES[att.ext])


def add_attachments(site: RenderedSite, item: Item, path_of: dict[int, str]) -> None:
    """Register the files of an item's attachments at the paths the article links to; broken ones 404."""
    for att in item.attachments:
        path = path_of[att.index]
        if att.broken:
            site.broken.append(path)
        else:
            site.add(path, fake_file(att, item))


def not_found_page(title: str = "404 Not Found") -> Page:
    body = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
    return Page(body.encode("utf-8"), status=404)


def login_page(site_title: str, action: str) -> str:
    """A unified-identity login form where content was expected: the monitor should call this blocked."""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>统一身份认证</title></head>
<body class="login">
<div class="login-box"><h2>{esc(site_title)} 统一身份认证平台</h2>
<form id="loginForm" action="{esc(action)}" method="post">
<p><label>用户名：<input type="text" name="username" id="username"></label></p>
<p><label>密　码：<input type="password" name="password" id="password"></label></p>
<p><label>验证码：<input type="text" name="captcha"><img src="/cas/captcha.jpg" alt="验证码"></label></p>
<p><input type="hidden" name="lt" value="LT-2716-demo"><button type="submit">登录</button></p>
</form><p class="tip">本栏目仅限校内师生访问，请登录后查看。</p></div>
</body></html>"""


def js_challenge_page() -> str:
    """A 瑞数-style JavaScript cookie challenge: a tiny page only a browser running the script gets past."""
    return (
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        '<meta id="9DhefwqGPrzGxEp9hPaoag" content="sW2Nq8qVtCk7mC0Y1n_demo" r="m">'
        '<script type="text/javascript" r="m">$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};$_ts.nsd=27165;'
        '$_ts.cd="qrcErrAlDGmEcGqqrrlEcaAlrsqcqqqyKkVEcsqlrrRDtGlicIqqrWwOrsqtqqAxqq";</script>'
        '<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/d.FxRXkBp.6e6c2a.js" r="m">'
        "</script></head><body></body></html>"
    )
