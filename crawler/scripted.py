"""Lists that only JavaScript fills: find the JSON endpoint the page's own script requests.

A page with an empty list container (`<ul id="newsList"></ul>`, an empty `<tbody>`, or one holding only an
unrendered Vue / AngularJS row template such as `<li v-for="item in list">`) and a script that calls
`fetch`, `XMLHttpRequest`, `$.ajax` / `$.get` / `$.getJSON` / `$.post` or `axios` holds its rows elsewhere.
`script_source` reads the request from the script when it is written there: the URL as string literals and
variables bound to them (a trailing `'…&page=' + page` is page 1), and the `data: {…}` / `params: {…}`
object whose values are literals or the page variable. A GET becomes the list's next page; a POST whose
body the script states the same way (`$.post`, `$.ajax({type: 'POST'})`, `axios.post`, `fetch` with
`method: 'POST'`) becomes a key (crawler/postjson.py) the spider POSTs. When the request is built at run
time (variables, a body from a form or a function) it cannot be read: the page is `blocked` with the
reason `needs_js`, never an empty column. The answers are read by crawler/jsonrows.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from lxml import etree, html

from crawler.extract.scriptpager import bound_strings, split_plus
from crawler.jsonrows import PAGE_KEYS
from crawler.postjson import post_key
from storage.records import PageParse

__all__ = ["ScriptSource", "may_be_script_filled", "posted_endpoint", "script_source"]

_CALL = re.compile(
    r"\bfetch\s*\(|XMLHttpRequest|\$\s*\.\s*(ajax|get|getJSON|post)\s*\(|\bjQuery\s*\.\s*(ajax|get|getJSON|post)\s*\(|"
    r"\baxios\b|\.open\s*\(\s*['\"](GET|POST)['\"]",
    re.I,
)
# where a call's URL expression starts: fetch(…), $.get(…), axios.get(…), xhr.open('GET', …), url: …
_URL_AT = [
    re.compile(r"\bfetch\s*\(\s*"),
    re.compile(r"\$\s*\.\s*(?:get|getJSON)\s*\(\s*"),
    re.compile(r"\baxios(?:\s*\.\s*get)?\s*\(\s*"),
    re.compile(r"\.open\s*\(\s*['\"]GET['\"]\s*,\s*", re.I),
    re.compile(r"\burl\s*:\s*"),
]
_POST = re.compile(r"type\s*:\s*['\"]post['\"]|method\s*:\s*['\"]post['\"]", re.I)
_POST_AT = [
    re.compile(r"(?:\$|\bjQuery)\s*\.\s*post\s*\(\s*"),
    re.compile(r"\baxios\s*\.\s*post\s*\(\s*"),
]
_STRINGIFY = re.compile(r"JSON\s*\.\s*stringify\s*\(\s*\{([^{}]{0,400})\}\s*\)")
_STRINGIFY_DATA = re.compile(r"\bdata\s*:\s*JSON\s*\.\s*stringify\s*\(\s*\{([^{}]{0,400})\}\s*\)")
_SEARCH_PARAMS = re.compile(r"new\s+URLSearchParams\s*\(\s*\{([^{}]{0,400})\}\s*\)")
_BODY = re.compile(r"\bbody\s*:\s*((?:JSON\s*\.\s*stringify|new\s+URLSearchParams)\s*\([^()]*\)|[^,}]+)")
_JSON_TYPE = re.compile(r"(contentType|['\"]?Content-Type['\"]?)\s*:\s*['\"]application/json", re.I)
_DATA = re.compile(r"\b(?:data|params)\s*:\s*\{([^{}]{0,400})\}")
_ARGS = re.compile(r"\s*,\s*\{([^{}]{0,400})\}")  # $.get(url, {…})
_PAIR = re.compile(r"""\s*['"]?([A-Za-z_$][\w$]{0,30})['"]?\s*:\s*(.+?)\s*$""", re.S)
_LITERAL = re.compile(r"""'([^'\n]{0,300})'|"([^"\n]{0,300})"|`([^`$\n]{0,300})`|(-?\d{1,9})""")
_NAME = re.compile(r"[A-Za-z_$][\w$.]{0,60}")
_EMPTY_CONTAINERS = ("ul", "ol", "tbody", "table", "dl", "div")
_REPEATS = frozenset({"v-for", "ng-repeat", "x-for", "wx:for", "data-ng-repeat"})
_LISTISH = re.compile(r"list|news|article|data|item|notice|tzgg|xw|gg|content|table|grid|rows?\b", re.I)
# requests a page makes besides its rows: counters, statistics, weather, menus
_NOT_ROWS = re.compile(r"count|click|hits?\b|visit|stat|log|weather|menu|nav|banner|login|user", re.I)


@dataclass(frozen=True, slots=True)
class ScriptSource:
    """What a script-filled list page says about its rows: the endpoint (page 1), or why it cannot be read."""

    endpoint: str | None
    reason: str  # in words: "fetch('/api/list?page=1')" or "needs JavaScript (…)"


def may_be_script_filled(page: PageParse) -> bool:
    """A page whose rows a script may fill (the spider asks `script_source` about it): no rows, not a home
    page, and kind other or empty, or an article without a date (an intro text above a script's list)."""
    from crawler.extract.classify import is_home_url

    undated_text = page.kind == "article" and page.published is None
    return (page.kind in ("other", "empty") or undated_text) and not page.rows and not is_home_url(page.url)


def script_source(body: bytes, encoding: str, url: str, hosts: frozenset[str]) -> ScriptSource | None:
    """The list source of a page whose rows a script fills; None when the page is not such a page."""
    try:
        root = html.document_fromstring(body.decode(encoding or "utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return None
    scripts = "\n".join(s.text or "" for s in root.iter("script") if not s.get("src"))
    if not _CALL.search(scripts) or not _has_empty_container(root):
        return None
    strings = bound_strings(scripts)
    for pattern in _URL_AT:
        for m in pattern.finditer(scripts):
            window = scripts[max(0, m.start() - 300) : m.end() + 400]
            posted = ""
            if pattern is _URL_AT[-1] and _POST.search(window):
                posted = "ajax"  # $.ajax({type: 'POST', url, data})
            elif pattern is _URL_AT[0] and _POST.search(_call_args(scripts, m.end())):
                posted = "fetch"  # fetch(url, {method: 'POST', body})
            if posted:
                endpoint = posted_endpoint(scripts, m.end(), strings, url, posted)
            else:
                endpoint = _endpoint(scripts, m.end(), strings, url)
            if endpoint and urlsplit(endpoint).netloc.lower() in hosts:
                return ScriptSource(endpoint, f"script {'posts to' if posted else 'requests'} {endpoint}")
    for pattern in _POST_AT:  # $.post(url, {…}), axios.post(url, {…})
        for m in pattern.finditer(scripts):
            kind = "axios" if "axios" in m.group(0) else "post"
            endpoint = posted_endpoint(scripts, m.end(), strings, url, kind)
            if endpoint and urlsplit(endpoint).netloc.lower() in hosts:
                return ScriptSource(endpoint, f"script posts to {endpoint}")
    return ScriptSource(
        None, "needs JavaScript (the list is filled by a script whose request cannot be read)"
    )


def posted_endpoint(scripts: str, start: int, strings: dict[str, str], base: str, kind: str) -> str | None:
    """The key (crawler/postjson.py) of the POST whose URL expression starts at `start`, or None when its
    body cannot be read. `kind` says where the body is: `ajax` (the `data:` member of the `$.ajax({…})`
    object around the URL, maybe `JSON.stringify({…})`), `fetch` (the options' `body:` — JSON.stringify,
    `new URLSearchParams({…})` or a literal string; none: an empty body), `post` / `axios` (the second
    argument: an object literal, or none). Every value must be a literal, a variable bound to one, or the
    page variable (page 1). JSON when the script sends JSON (JSON.stringify, `contentType:
    'application/json'`, axios)."""
    expr = _expression(scripts, start)
    target = _evaluate(expr, strings)
    if not target or target.startswith(("javascript:", "#")) or _looks_static(target):
        return None
    if _NOT_ROWS.search(urlsplit(target).path):
        return None
    absolute = urljoin(base, target)
    if not absolute.startswith(("http://", "https://")):
        return None
    after = scripts[start + len(expr) : start + len(expr) + 600]
    fields: list[tuple[str, str]] | None = []
    as_json = kind == "axios"
    if kind == "fetch":
        options = _call_args(scripts, start)[len(expr) :]
        body = _BODY.search(options)
        if body:
            value = body.group(1).strip()
            stringified, searched = _STRINGIFY.match(value), _SEARCH_PARAMS.match(value)
            literal = _LITERAL.fullmatch(value.rstrip(",").strip())
            if stringified or searched:
                fields = _pairs((stringified or searched).group(1), strings)  # type: ignore[union-attr]
                as_json = bool(stringified)
            elif literal and literal.group(4) is None:
                fields = parse_qsl(next(g for g in literal.groups()[:3] if g is not None))
            else:
                return None
        as_json = as_json or bool(_JSON_TYPE.search(options))
    elif kind == "ajax":
        window = scripts[max(0, start - 300) : start + 600]
        stringified = _STRINGIFY_DATA.search(window)
        data = stringified or _DATA.search(window)
        if data is None and re.search(r"\bdata\s*:", window):
            return None  # data from a variable or a function
        fields = _pairs(data.group(1), strings) if data else []
        as_json = bool(stringified) or bool(_JSON_TYPE.search(window))
    else:  # $.post(url, {…}, cb) / axios.post(url, {…})
        data = _ARGS.match(after)
        if data is None and re.match(r"\s*,\s*(?!function\b)[\w$]", after):
            return None  # a body from a variable
        fields = _pairs(data.group(1), strings) if data else []
    if fields is None:
        return None  # a body with values we cannot read
    return post_key(absolute, fields, as_json)


def _call_args(scripts: str, start: int) -> str:
    """The text of a call's arguments from `start` (just after its opening parenthesis) to the parenthesis
    that closes it (at most 600 characters)."""
    depth = 1
    for i, ch in enumerate(scripts[start : start + 600]):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return scripts[start : start + i]
    return scripts[start : start + 600]


def _has_empty_container(root: etree._Element) -> bool:
    """An element meant to hold rows that holds nothing: an empty <ul>/<tbody>, an empty list <div>, or one
    that holds only a framework's unrendered row template (`<li v-for=…>{{ item.title }}</li>`)."""
    for el in root.iter(*_EMPTY_CONTAINERS):
        if el.tag == "div" and not (el.get("id") or el.get("class")):
            continue
        if not _LISTISH.search(_mark(el)) or (el.text or "").strip():
            continue
        if len(el) == 0 or all(_template(child) for child in el):
            return True
    return False


def _template(el: etree._Element) -> bool:
    """A row template a framework renders in the browser: a repeat directive (Vue `v-for`, AngularJS
    `ng-repeat`, Alpine `x-for`), or a `<tbody>` / `<template>` holding only such rows."""
    if not isinstance(el.tag, str):
        return True  # a comment
    if any(key in _REPEATS for key in el.attrib):
        return True
    return el.tag in ("tbody", "template") and len(el) > 0 and all(_template(c) for c in el)


def _mark(el: etree._Element) -> str:
    return f"{el.get('id') or ''} {el.get('class') or ''}"


def _endpoint(scripts: str, start: int, strings: dict[str, str], base: str) -> str | None:
    """The page-1 URL of the request whose URL expression starts at `start`: string literals, variables
    bound to literals, the page variable after `…page=` (page 1), and a literal `data: {…}` object."""
    expr = _expression(scripts, start)
    url = _evaluate(expr, strings)
    if not url or url.startswith(("javascript:", "#")) or _looks_static(url):
        return None
    if _NOT_ROWS.search(urlsplit(url).path):
        return None
    after = scripts[start + len(expr) : start + len(expr) + 600]
    data = _ARGS.match(after) or _DATA.search(after)
    if data:
        extra = _pairs(data.group(1), strings)
        if extra is None:
            return None  # a data object with values we cannot read
        if extra:
            url += ("&" if "?" in url else "?") + urlencode(extra)
    absolute = urljoin(base, url)
    return absolute if absolute.startswith(("http://", "https://")) else None


def _expression(text: str, start: int) -> str:
    """The JavaScript expression from `start` up to the `,` `)` `;` or `}` that ends it."""
    depth, quote = 0, ""
    for i in range(start, min(len(text), start + 600)):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch in ",);}\n" and depth == 0:
            return text[start:i]
        elif ch == ")":
            depth -= 1
    return text[start : start + 600]


def _evaluate(expr: str, strings: dict[str, str]) -> str | None:
    out = ""
    for token in split_plus(expr):
        token = token.strip()
        lit = _LITERAL.fullmatch(token)
        if lit and lit.group(4) is None:
            out += next(g for g in lit.groups()[:3] if g is not None)
        elif token in strings:
            out += strings[token]
        elif _NAME.fullmatch(token) and _page_key_before(out):
            out += "1"  # `'…&page=' + page`: the list's first page
        else:
            return None
    return out


def _page_key_before(url: str) -> bool:
    key = re.search(r"[?&]([\w]+)=$", url)
    return bool(key) and key.group(1).lower() in PAGE_KEYS  # type: ignore[union-attr]


def _pairs(body: str, strings: dict[str, str]) -> list[tuple[str, str]] | None:
    out: list[tuple[str, str]] = []
    for item in split_plus_commas(body):
        if not item.strip():
            continue
        m = _PAIR.match(item)
        if m is None:
            return None
        key, value = m.group(1), m.group(2).strip()
        lit = _LITERAL.fullmatch(value)
        if lit:
            out.append((key, next(g for g in lit.groups() if g is not None)))
        elif value in strings:
            out.append((key, strings[value]))
        elif _NAME.fullmatch(value) and key.lower() in PAGE_KEYS:
            out.append((key, "1"))
        else:
            return None
    return out


def split_plus_commas(body: str) -> list[str]:
    """An object literal's members, split at top-level commas."""
    out: list[str] = []
    depth, quote, current = 0, "", ""
    for ch in body:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(current)
            current = ""
            continue
        current += ch
    out.append(current)
    return out


def _looks_static(literal: str) -> bool:
    path = urlsplit(literal).path.lower()
    return path.endswith((".js", ".css", ".png", ".jpg", ".gif", ".svg", ".woff", ".ttf"))
