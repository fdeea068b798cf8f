"""Soft 404s: an HTTP 200 whose page says the content does not exist.

CMSs answer a deleted column or article with their error template and status 200 (页面不存在,
您访问的页面不存在或已被删除, 动易's 找不到指定的栏目, a "404 Not Found" title inside the site's own
chrome). Such a page is a failure, never a column with no items: the spider records it as `http_error`
with the reason `soft 404: …` (crawler/spiders/responses.py), so a navigation link to it makes an
`unreachable` column and a known column behind it is `unreachable`, not `empty`.

Only pages that hold neither rows nor a dated article are asked: a list or a dated article that mentions
"页面不存在" in its text is content, not an error page.
"""

from __future__ import annotations

import re

from lxml import etree, html

from storage.records import PageParse

__all__ = ["soft_not_found"]

_SAYS = re.compile(
    r"(页面|网页|网址|链接|文章|信息|内容|栏目|资源|稿件)(已被?删除|不存在|未找到|找不到|已失效|已过期|已下线)"
    r"|您(所)?(访问|要访问|请求|要查看|查看|查找)的(页面|网页|信息|内容|文章|地址|链接|栏目)?"
    r"(不存在|已被?删除|已失效|找不到|无法找到|未找到)"
    r"|(找不到|无法找到|未找到)(该|您要访问的|您所访问的|请求的|所请求的)?(页面|网页|文件)"
    # 动易 / ASP error templates: 找不到指定的栏目, 找不到该文章 (not 未找到相关内容: an empty list says that)
    r"|(找不到|无法找到|未找到)(您?(所|要)?(指定|访问|请求|查找)的?|该|此|这个)(栏目|频道|文章|页面|网页|文档|稿件|信息)"
    r"|\b404\s*(not\s*found|错误|error|页面)|(错误|error)\s*(代码)?\s*[:：]?\s*404\b"
    r"|page\s+not\s+found|\bnot\s+found\b|the requested url was not found|http\s*(status\s*)?404",
    re.I,
)
MAX_TEXT = 400  # characters of text outside links: an error template says little besides its menus


def soft_not_found(page: PageParse, body: bytes) -> str | None:
    """`soft 404: …` when this parsed 200 page says its content does not exist, else None."""
    if page.rows or page.kind == "list" or (page.kind == "article" and page.published is not None):
        return None
    try:
        root = html.document_fromstring(body.decode(page.encoding or "utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return None
    title = " ".join((root.findtext(".//title") or "").split())
    m = _SAYS.search(title)
    if m:
        return f"soft 404: the title says {m.group(0)!r} (HTTP 200)"
    body_el = root.find("body")
    if body_el is None:
        return None
    text = " ".join(_text_outside_links(body_el).split())
    if len(text) > MAX_TEXT:
        return None
    m = _SAYS.search(text)
    return f"soft 404: the page says {m.group(0)!r} (HTTP 200)" if m else None


def _text_outside_links(el: etree._Element) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "noscript", "a", "select", "option"):
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return " ".join(parts)
