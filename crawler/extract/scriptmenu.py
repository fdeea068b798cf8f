"""Navigation a script builds: read its entries from the page, or say where they come from, or that they
cannot be read.

Many college and government CMS templates write the menu in the browser: from a data literal in an inline
script (`var navData = [{name: …, url: …, children: […]}]`, read by crawler/extract/menuentries.py), from
HTML in strings (`document.write('<li><a href="/xxgk/">信息公开</a></li>')`, `innerHTML = '…'`,
`html += '<a href="' + … + '">'` — a link whose URL or text the script computes is not taken), or from a
template (`<script type="text/html">`, `<template>`). `script_menu(doc)` reads all of them into navigation
links. When the page shows an empty menu container (a `<ul id="nav"></ul>` or `<div class="menu">` with no
link and no text, not a slot of a menu the server wrote) and a script, and the page itself holds no
entries, the menu is built from elsewhere: the page's same-site external scripts (`<script
src="js/nav.js">`, libraries by name left out) and the requests its scripts make for menu data
(`$.getJSON('/api/nav')`, `fetch`, `axios.get`, `$.ajax({url})`, `$('#nav').load('/inc/nav.html')`) are
its `sources`, which the spider fetches and reads (crawler/menusource.py); `unread` says why the page's
menu is script-built when no entry could be read on the page itself, so that a menu nobody could read is
reported, never silently missing. An empty container holding only an unrendered template (`<li
v-for="m in menus">{{ m.name }}</li>`) is empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree

from .dom import Doc, el_text, resolve_url
from .jsliteral import HOLE, literals, strings_soup, tokens, unquote
from .menuentries import menu_entries
from .scriptpager import bound_strings

__all__ = ["ScriptMenu", "fragment_links", "menu_like", "menu_requests", "script_links", "script_menu"]

MAX_SOURCES = 4  # menu sources asked for per page (scripts and requests together)
_MENU_MARK = re.compile(r"nav|menu|daohang|lanmu|(?:^|[\s_-])dh(?:$|[\s_-])", re.I)
_NOT_CONTAINER = re.compile(
    r"btn|button|toggle|icon|switch|close|mask|arrow|burger|trigger|search|shadow", re.I
)
_CONTAINER_TAGS = frozenset({"ul", "ol", "nav", "div", "dl", "section", "header", "td"})
_LIBRARY = re.compile(
    r"jquery|vue|react|angular|bootstrap|layui|layer|swiper|echarts|element|axios|lodash|polyfill|require|"
    r"zepto|moment|dayjs|flexible|html5|respond|modernizr|wow|animate|superslide|slick|owl|lazy|qrcode|md5|"
    r"base64|json2|counter|analytics|gtag|hm\.js|placeholder|select2|date|viewer|pdf|video|player|share|"
    r"weixin|jweixin|map|clicks?|openlink|cutimg|\.min\.",
    re.I,
)
_SOURCE_HINT = re.compile(
    r"nav|menu|daohang|lanmu|column|channel|catalog|tree|header|head|top|common|public", re.I
)
_CALLS = frozenset({"getJSON", "get", "fetch", "load", "ajax", "axios", "getScript"})
_TEMPLATE_HOLES = ("{{", "<%", "${", "{$", "[@", "{#")
_PLACEHOLDERS = re.compile(r"\{\{.*?\}\}|<%.*?%>|\$\{.*?\}", re.S)  # an unrendered template's text


@dataclass(frozen=True, slots=True)
class ScriptMenu:
    """What the page's scripts say about its navigation."""

    links: tuple[tuple[str, str], ...] = ()  # (absolute URL, name) of the entries read on the page
    sources: tuple[str, ...] = ()  # absolute URLs the menu's entries come from (scripts, data, fragments)
    unread: str | None = None  # why the menu is script-built, when its entries are not on the page


def script_menu(doc: Doc) -> ScriptMenu:
    """The navigation the page's scripts and templates build (see the module's docstring)."""
    found: list[tuple[str, str]] = []
    if doc.scripts:
        found += script_links(doc.scripts)
    for template in doc.templates:
        found += fragment_links(template)
    links = _resolved(doc.base, found)
    empty = _empty_menu(doc) if doc.script_count else None
    if empty is None:
        return ScriptMenu(links=links)
    # the empty menu is filled from elsewhere (entries read on the page may be another menu's)
    sources = _sources(doc, empty)
    reason = None if links else f"the menu ({empty}) is empty on the page and filled by a script"
    return ScriptMenu(links=links, sources=sources, unread=reason)


@lru_cache(maxsize=512)
def script_links(script: str) -> tuple[tuple[str, str], ...]:
    """(URL as written, name) of the menu entries a script holds: data literals and the HTML it writes.
    Cached: the same menu script sits on every page of a site."""
    if "<" not in script and "/" not in script and "." not in script:
        return ()
    out: list[tuple[str, str]] = []
    for value in literals(script):
        out += menu_entries(value)
    soup = strings_soup(script)
    if "<a" in soup or "<A" in soup:
        out += fragment_links(soup)
    return tuple(out)


def fragment_links(html: str) -> list[tuple[str, str]]:
    """(href, text) of the links of an HTML fragment whose URL and text are written out (no HOLE, no
    template placeholder)."""
    if "<a" not in html and "<A" not in html:
        return []
    try:
        root = etree.fromstring(f"<html><body>{html}</body></html>", etree.HTMLParser(no_network=True))
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return []
    if root is None:
        return []
    out: list[tuple[str, str]] = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        text = el_text(a).replace(HOLE, "").strip() or (a.get("title") or "").strip()
        if not href or HOLE in href or any(h in href for h in _TEMPLATE_HOLES) or not text:
            continue
        if any(h in text for h in _TEMPLATE_HOLES) or HOLE in el_text(a).strip(HOLE + " "):
            continue
        out.append((href, text))
    return out


def menu_requests(script: str) -> list[tuple[str, str]]:
    """(URL as written, the context after the call) of every request whose URL a script writes out:
    `$.getJSON(url)`, `$.get`, `fetch`, `axios.get`, `$.ajax({url: …})`, `.load(url)`, `$.getScript`; the
    URL may be literals and variables bound to literals joined by `+`."""
    toks = tokens(script)
    strings: dict[str, str] | None = None
    out: list[tuple[str, str]] = []
    for i, (kind, text) in enumerate(toks):
        if kind != "name" or text not in _CALLS or i + 1 >= len(toks) or toks[i + 1] != ("op", "("):
            continue
        if text == "get" and (i == 0 or toks[i - 1] != ("op", ".")):
            continue  # map.get(key), not $.get(url)
        if strings is None:
            strings = bound_strings(script)
        url = _argument_url(toks, i + 2, strings)
        if url:
            context = " ".join(t for _, t in toks[i + 2 : i + 60])
            out.append((url, context))
    return out


def menu_like(url: str, context: str, ident: str = "") -> bool:
    """A request for menu data: its path says so (nav, menu, column, channel …), or the code after the call
    names the menu container (`ident`) or a menu."""
    return (
        bool(_SOURCE_HINT.search(urlsplit(url).path))
        or bool(ident and ident in context)
        or bool(_MENU_MARK.search(context))
    )


def _argument_url(toks: list[tuple[str, str]], i: int, strings: dict[str, str]) -> str | None:
    """The URL of a call's first argument: a concatenation of literals and bound variables, or the `url`
    member of an options object."""
    if i < len(toks) and toks[i] == ("op", "{"):
        depth = 0
        for j in range(i, min(len(toks), i + 200)):
            kind, text = toks[j]
            depth += {"{": 1, "}": -1}.get(text, 0) if kind == "op" else 0
            if depth == 0:
                return None
            is_url_key = depth == 1 and kind in ("name", "str") and text.strip("'\"") == "url"
            if is_url_key and j + 2 < len(toks) and toks[j + 1] == ("op", ":"):
                return _concatenation(toks, j + 2, strings)
        return None
    return _concatenation(toks, i, strings)


def _concatenation(toks: list[tuple[str, str]], i: int, strings: dict[str, str]) -> str | None:
    out = ""
    while i < len(toks):
        kind, text = toks[i]
        if kind == "str":
            out += unquote(text)
        elif kind == "name" and text in strings:
            out += strings[text]
        else:
            return None
        i += 1
        if i < len(toks) and toks[i] == ("op", "+"):
            i += 1
            continue
        break
    if i < len(toks) and toks[i][1] not in (",", ")", "}"):
        return None
    return out if out and HOLE not in out else None


def _resolved(base: str, found: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    out: dict[str, str] = {}
    for href, text in found:
        url = resolve_url(base, href)
        if url is not None and url not in out:
            out[url] = " ".join(text.split())
    return tuple(out.items())


def _empty_menu(doc: Doc) -> str | None:
    """A menu container that holds no link and no text, and is no slot of a menu the server wrote: how it
    is marked (`ul#nav`), or None."""
    candidates = [el for el in doc.marked(_MENU_MARK) if el.tag in _CONTAINER_TAGS]
    candidates += [el for el in doc.body.iter("nav") if el not in doc.marks]
    for el in candidates:
        mark = doc.marks.get(el, "")
        if (
            _NOT_CONTAINER.search(mark)
            or doc.link_count.get(el, 0)
            or _PLACEHOLDERS.sub("", el_text(el)).strip()
        ):
            continue
        if el.find(".//img") is not None or el.find(".//input") is not None:
            continue
        if _in_written_menu(doc, el):
            continue
        ident = el.get("id")
        cls = (el.get("class") or "").split()
        return f"{el.tag}#{ident}" if ident else f"{el.tag}.{cls[0]}" if cls else el.tag
    return None


def _in_written_menu(doc: Doc, el: etree._Element) -> bool:
    """Inside a menu that holds links the server wrote, or beside one (an empty sub-menu or drop-down slot
    of a menu the server wrote, not a menu of its own)."""
    node = el.getparent()
    for _ in range(4):
        if node is None:
            break
        if _written_menu(doc, node):
            return True
        node = node.getparent()
    node = el
    for _ in range(2):  # a sibling of the slot or of its parent
        parent = node.getparent()
        if parent is None:
            return False
        if any(sib is not node and _written_menu(doc, sib) for sib in parent):
            return True
        node = parent
    return False


def _written_menu(doc: Doc, node: etree._Element) -> bool:
    return doc.link_count.get(node, 0) >= 3 and (
        node.tag == "nav" or bool(_MENU_MARK.search(doc.marks.get(node, "")))
    )


def _sources(doc: Doc, empty: str) -> tuple[str, ...]:
    """Where the empty menu's entries may come from: menu requests the inline scripts make (a URL that
    says menu, or a call whose handler names the container or a menu), then the page's same-site scripts
    (hinted names first, libraries left out); at most MAX_SOURCES."""
    host = urlsplit(doc.url).netloc.lower()
    ident = empty.split("#", 1)[-1].split(".", 1)[-1]
    requested: list[str] = []
    for href, context in menu_requests(doc.scripts) if doc.scripts else []:
        url = resolve_url(doc.base, href)
        if url is None or urlsplit(url).netloc.lower() != host:
            continue
        if menu_like(url, context, ident):
            requested.append(url)
    scripts: list[str] = []
    for src in doc.script_srcs:
        url = resolve_url(doc.base, src)
        if url is None or urlsplit(url).netloc.lower() != host:
            continue
        name = urlsplit(url).path.rsplit("/", 1)[-1]
        if not _LIBRARY.search(name):
            scripts.append(url)
    scripts.sort(key=lambda u: 0 if _SOURCE_HINT.search(urlsplit(u).path.rsplit("/", 1)[-1]) else 1)
    out: list[str] = []
    for url in requested + scripts:
        if url not in out and url != doc.url:
            out.append(url)
    return tuple(out[:MAX_SOURCES])
