"""Pagers: the other pages of the same list, read from the links the site prints (never guessed).

Pagers say 下一页/下页/next/›, 首页/尾页/末页, or print page numbers; VSB static lists count pages backwards
(`xwzx.htm` → `xwzx/143.htm`), WebPlus uses `list2.htm`, TRS uses `index_1.html` written by a script
(`createPageHTML(count, current, "index", "html")`), dynamic sites `?page=N`. We follow only what the page
states: links inside a pager block, and the page count a TRS script declares. 上一篇/下一篇 (article
neighbours) are not pagers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from .dom import Anchor, Doc, collapse, marker, resolve_url
from .scriptpager import load_more, script_pager

__all__ = ["Pager", "find_pager"]

_EDGE = "<>«»‹›[]()【】〔〕 .…·|"
_WORDS = {
    "next": re.compile(r"^(下一页|下页|下一頁|后页|後頁|后一页|next|next page|nextpage)$", re.I),
    "prev": re.compile(r"^(上一页|上页|上一頁|前页|前一页|prev|previous|prev page|previous page)$", re.I),
    "first": re.compile(r"^(首页|首頁|第一页|第1页|first|first page|home page)$", re.I),
    "last": re.compile(r"^(尾页|尾頁|末页|末頁|最后一页|最后页|last|last page)$", re.I),
}
_SYMBOLS = {
    ">": "next",
    "›": "next",
    "<": "prev",
    "‹": "prev",
    ">>": "last_or_next",
    "»": "last_or_next",
    "<<": "first_or_prev",
    "«": "first_or_prev",
}
_NUMBER = re.compile(r"^[\[【(]?\s*(\d{1,5})\s*[\]】)]?$")
_CLASS_KIND = re.compile(r"\b(next|prev|previous|first|last)\b")
_PAGER_MARK = re.compile(r"pag|fenye|fanye|p_no|p_pages|pagebar|pages|pagination|paging|turn", re.I)
_PAGER_TEXT = re.compile(r"页|条|共|记录|pages?\b|total", re.I)
_TRS_CALL = re.compile(
    r"""createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*["']([\w\-]+)["']\s*,\s*["'](\w+)["']"""
)
_TRS_COUNT = re.compile(r"\bcountPage\s*=\s*(\d+)")
_TRS_CURRENT = re.compile(r"\bcurrentPage\s*=\s*(\d+)")
_MAX_SCRIPT_PAGES = 2000


@dataclass(slots=True)
class Pager:
    """The pager of a list page: every linked page of the list, the next one, and the first one."""

    urls: list[str] = field(default_factory=list)
    next: str | None = None
    first: str | None = None
    anchor: etree._Element | None = None  # one pager link, to find the row group the pager belongs to
    text: str = ""  # the pager block's text ("共1432条 1/144"), for empty-list detection and inspect
    partial: bool = False  # a script pager whose URLs cannot be read: the list has pages not followed

    def __bool__(self) -> bool:
        return bool(self.urls) or bool(self.text) or self.partial


def _kind(a: Anchor) -> str | None:
    raw = a.text or a.title
    if len(raw) > 14:
        return None  # a title, not a pager word
    if not raw:
        for img in a.el.iter("img"):
            raw = collapse(img.get("alt") or img.get("title"))
            if raw:
                break
    text = raw.strip(_EDGE) if raw else ""
    if text:
        if "篇" in text or "条" in text:
            return None  # 上一篇 / 下一篇 / 下一条: neighbouring articles, not pages
        for kind, pattern in _WORDS.items():
            if pattern.match(text):
                return kind
        m = _NUMBER.match(text)
        if m:
            return "number"
    elif raw:
        return _SYMBOLS.get(raw.replace(" ", ""))
    m2 = (
        _CLASS_KIND.search(marker(a.el)) if len(text) <= 6 and (a.el.get("class") or a.el.get("id")) else None
    )
    if m2:
        return "prev" if m2.group(1) == "previous" else m2.group(1)
    return None


def _trs_pages(doc: Doc) -> Pager | None:
    """TRS WCM writes its pager with a script: createPageHTML(count, current, "index", "html")."""
    if "Page" not in doc.scripts:
        return None
    m = _TRS_CALL.search(doc.scripts)
    if m:
        count, current, prefix, suffix = int(m[1]), int(m[2]), m[3], m[4]
    else:
        c1, c2 = _TRS_COUNT.search(doc.scripts), _TRS_CURRENT.search(doc.scripts)
        if not (c1 and c2):
            return None
        count, current = int(c1[1]), int(c2[1])
        path = urlsplit(doc.url).path
        name = path.rsplit("/", 1)[-1]
        stem, _, suffix = name.partition(".")
        prefix = stem.split("_")[0] or "index"
        suffix = suffix or "html"
    count = min(count, _MAX_SCRIPT_PAGES)
    if count <= 1:
        return Pager(text=f"{count} page") if count == 1 else None

    def page(i: int) -> str | None:
        return resolve_url(doc.base, f"{prefix}.{suffix}" if i == 0 else f"{prefix}_{i}.{suffix}")

    urls = [u for u in (page(i) for i in range(count) if i != current) if u]
    return Pager(
        urls=urls,
        next=page(current + 1) if current + 1 < count else None,
        first=page(0),
        text=f"{count} pages",
    )


def find_pager(doc: Doc) -> Pager:
    """The page's pager (empty when it has none)."""
    kinds: dict[etree._Element, str] = {}
    for a in doc.anchors:
        k = _kind(a)
        if k:
            kinds[a.el] = k
    blocks: dict[etree._Element, list[etree._Element]] = {}
    lone: list[etree._Element] = []
    for el in kinds:
        block = None
        node = el.getparent()
        for _ in range(4):
            if node is None:
                break
            inside = sum(1 for x in node.iter("a", "area") if x in kinds)
            if doc.link_count.get(node, 0) - inside > 2:
                break  # the block has grown past the pager into menus or content
            if inside >= 2:
                block = node
                break
            node = node.getparent()
        if block is None:
            if kinds[el] in ("next", "prev", "last") and len(doc.by_el[el].text) <= 8:
                lone.append(el)
        else:
            blocks.setdefault(block, []).append(el)
    chosen: list[etree._Element] = []
    texts: list[str] = []
    for block, members in blocks.items():
        found = {kinds[m] for m in members}
        numbers = sum(1 for m in members if kinds[m] == "number")
        text = collapse("".join(block.itertext()))
        if found & {"next", "prev", "last"} or (found & {"last_or_next", "first_or_prev"} and numbers):
            ok = True
        else:
            ok = numbers >= 2 and bool(
                _PAGER_MARK.search(doc.marks.get(block, "")) or _PAGER_TEXT.search(text)
            )
        if ok and len(text) <= 400:
            chosen.extend(members)
            texts.append(text)
    chosen.extend(lone)
    for el in lone[:1]:
        parent = el.getparent()
        text = collapse("".join(parent.itertext())) if parent is not None else ""
        if len(text) <= 200:
            texts.append(text)
    trs = _trs_pages(doc)
    script = (script_pager(doc) or load_more(doc)) if trs is None else None
    if not chosen:
        if trs:
            return trs
        if script:
            text = " ".join(x for x in (_count_text(doc), script.text) if x)
            return Pager(urls=script.urls, next=script.next, text=text, partial=script.partial)
        jump = _select_pages(doc)
        if jump is not None:
            return jump
        counted = _count_text(doc)
        # the page says it has more pages, and none can be read: the count is partial, never exact
        return Pager(text=counted, partial=_stated_pages(counted) > 1)
    host = urlsplit(doc.url).netloc
    here = doc.url
    pager = Pager(anchor=chosen[0], text=" ".join(texts)[:400])
    seen: set[str] = set()
    fallback_next = None
    for el in chosen:
        a = doc.by_el[el]
        if urlsplit(a.url).netloc != host:
            continue
        kind = kinds[el]
        if a.url != here and a.url not in seen:
            seen.add(a.url)
            pager.urls.append(a.url)
        is_one = kind == "number" and a.text.strip(_EDGE) == "1"
        if (kind == "first" or is_one) and pager.first is None:
            pager.first = a.url  # may be this very page: then this page is the list's first
        if a.url == here:
            continue
        if kind == "next" and pager.next is None:
            pager.next = a.url
        elif kind == "last_or_next" and fallback_next is None:
            fallback_next = a.url
    if pager.next is None:
        pager.next = fallback_next
    if trs:
        pager.urls.extend(u for u in trs.urls if u not in seen)
        pager.next = pager.next or trs.next
        pager.first = pager.first or trs.first
    if script:
        pager.urls.extend(u for u in script.urls if u not in seen and u != here)
        pager.next = pager.next or script.next
        pager.partial = script.partial
    return pager


_NAVIGATES = re.compile(r"location(\.href)?\s*=|location\.(assign|replace)\s*\(|window\.open\s*\(")
_VALUE_AFTER = re.compile(r"""['"]([^'"]{0,200})['"]\s*\+\s*this\.(?:value|options\[[^\]]{0,40}\]\.value)""")
_PAGE_OPTION = re.compile(r"^(第\s*\d{1,5}\s*页|\d{1,5})$")
_PAGES_STATED = re.compile(r"共\s*(\d{1,5})\s*页|\d{1,5}\s*/\s*(\d{1,5})\s*页")


def _select_pages(doc: Doc) -> Pager | None:
    """A jump menu that is the list's only pager: `<select onchange="location.href=this.value">` whose
    options are its pages (第2页 / 2), their URLs in the values or after a prefix the handler writes
    (`'list.asp?page=' + this.value`). A select of other sites (友情链接) names no pages: not a pager."""
    host = urlsplit(doc.url).netloc
    for handler, options in doc.jump_menus:
        if not _NAVIGATES.search(handler):
            continue
        if len(options) < 2 or not all(_PAGE_OPTION.match(text) for text, _, _ in options):
            continue
        prefix = _VALUE_AFTER.search(handler)
        pages: list[str | None] = []
        for _, value, _ in options:
            raw = prefix.group(1) + value if prefix else value
            url = resolve_url(doc.base, raw) if raw and not raw.isdigit() else None
            pages.append(url if url and urlsplit(url).netloc == host else None)
        if sum(1 for u in pages if u) < 2:
            continue
        current = next((i for i, (_, _, chosen) in enumerate(options) if chosen), None)
        if current is None:
            current = next((i for i, u in enumerate(pages) if u == doc.url), 0)
        nxt = pages[current + 1] if current + 1 < len(pages) else None
        urls = list(dict.fromkeys(u for u in pages if u and u != doc.url and u != pages[current]))
        return Pager(urls=urls, next=nxt, first=pages[0], text=f"jump menu of {len(options)} pages")
    return None


def _stated_pages(text: str) -> int:
    """The number of pages a pager's count text states (共3页, 1/3页), else 0."""
    m = _PAGES_STATED.search(text)
    return int(m.group(1) or m.group(2)) if m else 0


_COUNT = re.compile(r"共\s*\d+\s*(条|页|篇)|总共\s*\d+|\b\d+\s*/\s*\d+\s*页|每页\s*\d+")


def _count_text(doc: Doc) -> str:
    """A pager that prints only counts (共0条, 1/1页) still tells us this is a list template."""
    for el in doc.marked(_PAGER_MARK):
        if True:
            text = collapse("".join(el.itertext()))
            if text and len(text) <= 200 and _COUNT.search(text):
                return text
    return ""
