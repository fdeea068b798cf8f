"""One parsed page shared by every extractor: the lxml tree plus facts computed once (anchors, counts, flags).

Parsing dominates the cost of extraction, so a page is parsed once, scripts and comments are set aside,
and the per-element facts the other modules need (how many links sit under an element, whether it is
navigation) are computed in single passes over the tree rather than rediscovered by each module.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from lxml import etree

__all__ = [
    "Anchor",
    "Doc",
    "build_doc",
    "collapse",
    "el_text",
    "marker",
    "resolve_url",
    "text_chunks",
]

_WS = re.compile(r"\s+")
_DROP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:", "vbscript:", "file:", "sms:")
_NAV_TOKENS = re.compile(
    r"nav|menu|header|footer|foot|banner|daohang|topbar|sitemap|yqlj|friend|links?\b|bottom|copyright|crumb|"
    r"position|location|weizhi|dqwz|sidebar|side|left|leftnav|subnav",
    re.I,
)
_NAV_TAGS = {"nav", "header", "footer"}
_LOCAL = threading.local()  # lxml parsers must not be shared between threads


def _parser() -> etree.HTMLParser:
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = etree.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
        )
    return parser


_MARKED = etree.XPath("//*[@class or @id]")
_BLOCK_SKIP = ("script", "style", "noscript", "template", "select", "option", "textarea")


def collapse(text: str | None) -> str:
    """Whitespace (including &nbsp; and ideographic spaces) collapsed to single spaces, stripped."""
    return " ".join(text.split()) if text else ""


def el_text(el: etree._Element) -> str:
    """The collapsed visible text of an element (scripts are already gone from the tree)."""
    if not len(el):
        return collapse(el.text)
    return collapse("".join(el.itertext()))


def marker(el: etree._Element) -> str:
    """An element's class and id, lower-cased, for matching by name."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def resolve_url(base: str, href: str | None) -> str | None:
    """An absolute http(s) URL without fragment, or None for javascript:, mailto:, empty and unparsable hrefs.

    Menus repeat on every page of a site, so results are cached per (base, href). A path from the root
    (`/info/1/2.htm`, what most CMSs write) resolves the same against every page of a host, so it is cached
    per (scheme and host, href), and an absolute URL per href alone: otherwise every article, each its own
    base, would miss the cache on every link.
    """
    if href is None:
        return None
    h = href.lstrip() if href[:1].isspace() else href
    if h[:1] == "#":
        return None  # this very page (and no cache entry per page for it)
    if h[:1] == "/":
        if h[1:2] != "/" and "\t" not in h and "\n" not in h and "\r" not in h:
            base = _origin(base)
    elif h[:8].lower().startswith(("http://", "https://")):
        base = ""  # an absolute URL does not depend on its base at all
    return _resolve(base, href)


@lru_cache(maxsize=1024)
def _origin(base: str) -> str:
    """`scheme://host[:port]` of a URL: what a reference starting with one "/" keeps of its base (RFC 3986
    5.2.2; a base without "://" is returned as it is)."""
    start = base.find("://")
    if start < 0:
        return base
    for i in range(start + 3, len(base)):
        if base[i] in "/?#":
            return base[:i]
    return base


@lru_cache(maxsize=100_000)
def _resolve(base: str, href: str) -> str | None:
    href = href.strip()
    if "\n" in href or "\r" in href or "\t" in href:
        href = href.replace("\n", "").replace("\r", "").replace("\t", "")
    if not href or href[0] == "#":
        return None
    head = href[:11].lower()
    if head.startswith(_DROP_SCHEMES):
        return None
    if head.startswith(("http://", "https://")):
        absolute: str | None = href
    elif href.startswith("//"):
        absolute = base.split(":", 1)[0] + ":" + href
    else:
        try:
            absolute = urljoin(base, href)
        except ValueError:
            return None
    if absolute is None:
        return None
    absolute = absolute.split("#", 1)[0]
    lowered = absolute[:8].lower()
    if lowered.startswith("http://"):
        rest_at = 7
    elif lowered.startswith("https://"):
        rest_at = 8
    else:
        return None
    rest = absolute[rest_at:]
    slash, query = rest.find("/"), rest.find("?")
    cut = len(rest) if slash < 0 and query < 0 else (slash if query < 0 or 0 <= slash < query else query)
    host = rest[:cut]
    if not host or ("[" in host and "]" not in host):
        return None
    if cut == len(rest) or rest[cut] == "?":
        absolute = absolute[: rest_at + cut] + "/" + rest[cut:]
    if " " in absolute:
        absolute = absolute.replace(" ", "%20")
    return absolute


@dataclass(slots=True)
class Anchor:
    """A followable link: the element, its absolute URL and its visible text and title attribute."""

    el: etree._Element
    url: str
    text: str
    title: str
    nav: bool  # sits inside navigation, header, footer, breadcrumb or a sidebar
    attachment: bool | None = None  # computed once by article.is_attachment
    scripted: bool = False  # the URL is read from a script (onclick="window.open('…')", javascript:…)


@dataclass(slots=True)
class Doc:
    """A parsed page and what every extractor needs to know about it."""

    url: str
    base: str
    root: etree._Element
    head_title: str
    scripts: str  # all inline script text, kept for challenge and JS-pager detection
    noscript: str  # text of <noscript> blocks ("请开启JavaScript")
    script_count: int
    anchors: list[Anchor]
    by_el: dict[etree._Element, Anchor]
    link_count: dict[etree._Element, int]  # followable links in each element's subtree
    marks: dict[etree._Element, str]  # "class id" (lower-cased) of every element that has either
    digits: set[etree._Element]  # elements whose text (own or descendants') holds a digit: dates need one
    metas: dict[str, str] = field(
        default_factory=dict
    )  # <meta name|property|http-equiv> lower-cased → content
    extra_links: list[tuple[str, str]] = field(default_factory=list)  # (url, how): frames, refresh, location
    # <select onchange> jump menus, read before selects leave the tree: (handler, [(text, value, selected)])
    jump_menus: list[tuple[str, list[tuple[str, str, bool]]]] = field(default_factory=list)
    # HTML a script renders: `<template>` contents and `<script type="text/html">` blocks (scriptmenu.py)
    templates: list[str] = field(default_factory=list)
    script_srcs: list[str] = field(default_factory=list)  # `<script src>` as written, in page order

    body: etree._Element = field(init=False)
    _mark_text: str | None = field(init=False, default=None)
    _mark_els: list[etree._Element] = field(init=False, default_factory=list)
    _mark_starts: list[int] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        body = self.root.find("body")
        self.body = body if body is not None else self.root

    def marked(self, pattern: re.Pattern[str]) -> list[etree._Element]:
        """Elements (in document order) whose class or id matches `pattern` (one regex scan per pattern)."""
        if not self.marks:
            return []
        if self._mark_text is None:
            self._mark_els = list(self.marks)
            self._mark_text = "\n".join(self.marks.values())
            starts = [0]
            for mark in self.marks.values():
                starts.append(starts[-1] + len(mark) + 1)
            self._mark_starts = starts
        found: list[etree._Element] = []
        last = -1
        for m in pattern.finditer(self._mark_text):
            index = bisect_right(self._mark_starts, m.start()) - 1
            if index != last and self._mark_text.find("\n", m.start(), m.end()) < 0:
                found.append(self._mark_els[index])
                last = index
        return found


_LOCATION = re.compile(r"""(?:window\.|self\.|top\.)?location(?:\.href)?\s*=\s*["']([^"']{1,300})["']""")
_LOCATION_CALL = re.compile(r"""location\.(?:replace|assign)\(\s*["']([^"']{1,300})["']""")
# Where a script sends the reader: window.open('…'), location.href = '…', location.assign/replace('…').
_SCRIPT_NAV = re.compile(
    r"""(?:window\.open|open|(?:location|\.location)(?:\.href)?\s*=|location\.(?:assign|replace))"""
    r"""\s*\(?\s*["']([^"'\s]{1,300})["']"""
)
# The first quoted argument of any other call, when it looks like a page: openArticle('/info/1/2.htm').
_SCRIPT_PAGE = re.compile(
    r"""\w\s*\(\s*["']((?:https?://|/|\.\.?/)?[\w\-./%~]*\.(?:s?html?|jsp|aspx?|php|do|action|psp)"""
    r"""(?:\?[^"'\s]*)?|https?://[^"'\s]+)["']"""
)
_ONCLICK = etree.XPath("//*[@onclick][not(self::a or self::area)]")
_REFRESH = re.compile(r"""url\s*=\s*['"]?([^'";\s]+)""", re.I)


def script_target(base: str, onclick: str | None, href: str | None) -> str | None:
    """The page an item link opens by script (`href="javascript:void(0)" onclick="window.open('…')"`,
    `href="javascript:location.href='…'"`), or None: only a URL written out in the script is taken."""
    scripts = []
    if onclick:
        scripts.append(onclick)
    if href and href.strip()[:11].lower() == "javascript:":
        scripts.append(href.strip()[11:])
    for script in scripts:
        if "(" not in script and "=" not in script:
            continue
        for pattern in (_SCRIPT_NAV, _SCRIPT_PAGE):
            m = pattern.search(script[:1000])
            if m and not m.group(1).lower().startswith(("javascript:", "#")):
                target = resolve_url(base, m.group(1))
                if target is not None:
                    return target
    return None


def build_doc(url: str, text: str) -> Doc | None:
    """Parse decoded HTML once and precompute shared facts; None when there is no document at all."""
    data = text.encode("utf-8", "replace")
    try:
        # Plain lxml.etree elements: lxml.html's element classes cost a Python call per element proxy.
        root = etree.fromstring(data, _parser())
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    script_els = list(root.iter("script"))
    scripts = "\n".join(s.text or "" for s in script_els)
    noscript = collapse(" ".join("".join(n.itertext()) for n in root.iter("noscript")))
    metas: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("name") or m.get("property") or m.get("http-equiv") or m.get("itemprop") or "").lower()
        if key and key not in metas:
            metas[key] = collapse(m.get("content"))
    title_el = root.find(".//title")
    head_title = el_text(title_el) if title_el is not None else ""
    jump_menus = [
        (
            sel.get("onchange") or "",
            [
                (
                    collapse("".join(o.itertext())),
                    (o.get("value") or "").strip(),
                    o.get("selected") is not None,
                )
                for o in sel.iter("option")
            ],
        )
        for sel in root.iter("select")
        if sel.get("onchange")
    ]
    templates = _templates(root, script_els)
    script_srcs = [src for src in (s.get("src") for s in script_els) if src]
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *_BLOCK_SKIP, with_tail=False)

    base = url
    base_el = root.find(".//base[@href]")
    if base_el is not None:
        base = resolve_url(url, base_el.get("href")) or url

    marks: dict[etree._Element, str] = {
        el: f"{el.get('class') or ''} {el.get('id') or ''}".lower() for el in _MARKED(root)
    }
    nav_flag: dict[etree._Element, bool] = {}

    def is_nav(el: etree._Element) -> bool:
        path: list[etree._Element] = []
        node: etree._Element | None = el
        flag = False
        while node is not None:
            known = nav_flag.get(node)
            if known is not None:
                flag = known
                break
            path.append(node)
            mark = marks.get(node)
            if node.tag in _NAV_TAGS or (mark is not None and _NAV_TOKENS.search(mark)):
                flag = True
                break
            node = node.getparent()
        for seen in path:
            nav_flag[seen] = flag
        return flag

    anchors: list[Anchor] = []
    by_el: dict[etree._Element, Anchor] = {}
    link_count: dict[etree._Element, int] = {}

    def add(el: etree._Element, target: str, scripted: bool) -> None:
        a = Anchor(el, target, el_text(el), collapse(el.get("title")), is_nav(el), scripted=scripted)
        anchors.append(a)
        by_el[el] = a
        node: etree._Element | None = el
        while node is not None:
            link_count[node] = link_count.get(node, 0) + 1
            node = node.getparent()

    for el in root.iter("a", "area"):
        href = el.get("href")
        target = resolve_url(base, href)
        if target is not None:
            add(el, target, False)
            continue
        target = script_target(base, el.get("onclick"), href)
        if target is not None:
            add(el, target, True)
    clickable = [el for el in _ONCLICK(root) if el not in by_el]
    for el in clickable:  # <li onclick="location.href='…'"> rows with no followable link inside
        if not any(x in by_el for x in el.iter("a", "area")):
            target = script_target(base, el.get("onclick"), None)
            if target is not None:
                add(el, target, True)
    if clickable:
        order = {el: i for i, el in enumerate(root.iter())}
        anchors.sort(key=lambda a: order.get(a.el, 0))

    extra: list[tuple[str, str]] = []
    for tag in ("frame", "iframe"):
        for fr in root.iter(tag):
            target = resolve_url(base, fr.get("src"))
            if target:
                extra.append((target, tag))
    refresh = metas.get("refresh")
    if refresh:
        m = _REFRESH.search(refresh)
        target = resolve_url(base, m.group(1)) if m else None
        if target:
            extra.append((target, "refresh"))
    for pattern in (_LOCATION, _LOCATION_CALL):
        for m in pattern.finditer(scripts[:20000]):
            target = resolve_url(base, m.group(1))
            if target:
                extra.append((target, "script"))
    return Doc(
        url,
        base,
        root,
        head_title,
        scripts,
        noscript,
        len(script_els),
        anchors,
        by_el,
        link_count,
        marks,
        _digit_holders(root),
        metas,
        extra,
        jump_menus,
        templates,
        script_srcs,
    )


_JS_TYPES = frozenset({"", "text/javascript", "application/javascript", "module", "text/ecmascript"})


def _templates(root: etree._Element, script_els: list[etree._Element]) -> list[str]:
    """HTML a script renders in the browser: `<template>` contents, and `<script>` blocks of an HTML type
    (`text/html`, `text/template`, `text/x-template` …), before scripts and templates leave the tree."""
    out: list[str] = []
    for s in script_els:
        kind = (s.get("type") or "").strip().lower()
        if s.text and "<" in s.text and kind not in _JS_TYPES and "json" not in kind:
            out.append(s.text)
    for tpl in root.iter("template"):
        inner = (tpl.text or "") + "".join(etree.tostring(c, encoding="unicode") for c in tpl)
        if "<a" in inner or "<A" in inner:
            out.append(inner)
    return out


_DIGIT = re.compile(r"[0-9０-９]|今天|昨天|前天|刚刚|今日|昨日")  # relative dates hold no digit


def _digit_holders(root: etree._Element) -> set[etree._Element]:
    """Every element with a digit somewhere in its text: an element without one cannot hold a date.

    One walk over the tree with a regex on each text and tail (an XPath over text nodes took 4× as long)."""
    held: set[etree._Element] = set()
    digit = _DIGIT.search
    for el in root.iter():
        text = el.text
        if text and isinstance(el.tag, str) and digit(text):
            node: etree._Element | None = el
            while node is not None and node not in held:
                held.add(node)
                node = node.getparent()
        tail = el.tail
        if tail and digit(tail):
            node = el.getparent()
            while node is not None and node not in held:
                held.add(node)
                node = node.getparent()
    return held


def text_chunks(
    el: etree._Element, skip: set[etree._Element] | None = None, limit: int = 200_000
) -> list[str]:
    """Collapsed text pieces of `el` in document order, without the subtrees in `skip` (their tails stay)."""
    out: list[str] = []
    total = 0
    if not skip:
        for raw in el.itertext():
            piece = collapse(raw)
            if piece:
                out.append(piece)
                total += len(piece)
                if total >= limit:
                    break
        return out
    stack: list[tuple[etree._Element, bool]] = [(el, False)]
    while stack and total < limit:
        node, tail_only = stack.pop()
        if tail_only:
            if node.tail and node is not el:
                piece = collapse(node.tail)
                if piece:
                    out.append(piece)
                    total += len(piece)
            continue
        stack.append((node, True))
        if node in skip:
            continue
        if node.text and isinstance(node.tag, str):
            piece = collapse(node.text)
            if piece:
                out.append(piece)
                total += len(piece)
        for child in reversed(node):
            stack.append((child, False))
    return out
