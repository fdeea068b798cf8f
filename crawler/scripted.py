"""Lists that only JavaScript fills: find the JSON endpoint the page's own script requests, and read its rows.

A page with an empty list container (`<ul id="newsList"></ul>`, an empty `<tbody>`, or one holding only an
unrendered Vue / AngularJS row template such as `<li v-for="item in list">`) and a script that calls
`fetch`, `XMLHttpRequest`, `$.ajax` / `$.get` / `$.getJSON` / `$.post` or `axios` holds its rows elsewhere.
`script_source` reads the request URL from the script when it is written there as a string literal (a
trailing `'…&page=' + page` is page 1); the spider then fetches it as the list's next page. When the URL is
built at run time (variables, a POST with a body) it cannot be read: the page is `blocked` with the reason
`needs_js`, never an empty column.

`json_page` reads one answer of such an endpoint: the largest array of objects in it whose members hold a
title (text), a date (a date string or an epoch timestamp) and usually a link — recognised by their
values, not by key names (`wzbt`, `fbrq`, `ljdz` are as common as `title`, `date`, `url`). Its next
page is the same URL with the page parameter (`page`, `pageNo`, `pageIndex`, `current` …) one higher,
while the answer has rows and its total (when it states one) is not reached.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit
from zoneinfo import ZoneInfo

from lxml import etree, html

from crawler.extract.dates import parse_date
from crawler.extract.scriptpager import bound_strings, split_plus
from crawler.plan import DEFAULT_TIMEZONE
from storage.records import PageParse, Row

__all__ = ["ScriptSource", "json_page", "may_be_script_filled", "script_source"]

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
_DATA = re.compile(r"\b(?:data|params)\s*:\s*\{([^{}]{0,400})\}")
_ARGS = re.compile(r"\s*,\s*\{([^{}]{0,400})\}")  # $.get(url, {…})
_PAIR = re.compile(r"""\s*['"]?([A-Za-z_$][\w$]{0,30})['"]?\s*:\s*(.+?)\s*$""", re.S)
_LITERAL = re.compile(r"""'([^'\n]{0,300})'|"([^"\n]{0,300})"|`([^`$\n]{0,300})`|(-?\d{1,9})""")
_NAME = re.compile(r"[A-Za-z_$][\w$.]{0,60}")
PAGE_KEYS = frozenset(
    k.lower()
    for k in (
        *("page", "pageNo", "pageNum", "pageIndex", "pageNumber", "current", "currentPage", "curPage"),
        *("p", "pn", "page_no", "page_num", "cpage"),
    )
)
_TOTAL_KEYS = frozenset({"total", "totalcount", "count", "totalelements", "recordstotal", "totalrecord"})
_EMPTY_CONTAINERS = ("ul", "ol", "tbody", "table", "dl", "div")
_REPEATS = frozenset({"v-for", "ng-repeat", "x-for", "wx:for", "data-ng-repeat"})
_LISTISH = re.compile(r"list|news|article|data|item|notice|tzgg|xw|gg|content|table|grid|rows?\b", re.I)
# requests a page makes besides its rows: counters, statistics, weather, menus
_NOT_ROWS = re.compile(r"count|click|hits?\b|visit|stat|log|weather|menu|nav|banner|login|user", re.I)
_URLISH = re.compile(r"^(https?://|/|\./|\.\./)|\.(s?html?|jsp|php|aspx?|do)(\?|#|$)", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_JSON_PAGES = 500
COLLEGE_ZONE = ZoneInfo(DEFAULT_TIMEZONE)  # when no zone is given (the spider gives the plan's)
_JSONP = re.compile(r"^\s*[\w$.]{1,60}\s*\(\s*([\[{].*[\]}])\s*\)\s*;?\s*$", re.S)


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
            if pattern.pattern.startswith("\\burl") and _POST.search(window):
                continue  # a POST with a body: not a URL we can ask for
            if pattern is _URL_AT[0] and _POST.search(_call_args(scripts, m.end())):
                continue  # fetch(url, {method: 'POST', body: …}): the same
            endpoint = _endpoint(scripts, m.end(), strings, url)
            if endpoint and urlsplit(endpoint).netloc.lower() in hosts:
                return ScriptSource(endpoint, f"script requests {endpoint}")
    return ScriptSource(
        None, "needs JavaScript (the list is filled by a script whose request cannot be read)"
    )


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


def json_page(
    url: str, body: bytes, today: date, zone: tzinfo = COLLEGE_ZONE
) -> tuple[list[Row], str | None, bool] | None:
    """(rows, next page URL, partial) of one endpoint answer (JSON, or JSONP `callback({…})`); None when it
    is not JSON or holds no list of rows. Partial: the answer states more rows than it holds and its URL has
    no page parameter to ask for the rest."""
    text = body.decode("utf-8-sig", "replace")
    padded = _JSONP.match(text)
    try:
        data = json.loads(padded.group(1) if padded else text)
    except ValueError:
        return None
    best: list[Row] = []
    for items in _arrays(data):
        rows = [r for r in (_row(item, url, n, today, zone) for n, item in enumerate(items)) if r]
        if len(rows) > len(best):
            best = rows
    if not best:
        return ([], None, False) if _says_empty(data) else None
    total = _total(data)
    following = _next_page(url, len(best), total)
    paged = any(k.lower() in PAGE_KEYS for k, _ in parse_qsl(urlsplit(url).query))
    return best, following, following is None and not paged and total is not None and total > len(best)


def _arrays(data: Any) -> list[list[dict[str, Any]]]:
    out: list[list[dict[str, Any]]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            if node and all(isinstance(x, dict) for x in node):
                out.append(node)
            stack.extend(x for x in node if isinstance(x, dict | list))
        elif isinstance(node, dict):
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
    return out


def _says_empty(data: Any) -> bool:
    """An answer whose only arrays are empty is a page with no rows (past the last page, or an empty list),
    not an unreadable one."""
    arrays = 0
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            if node:
                return False
            arrays += 1
        elif isinstance(node, dict):
            stack.extend(node.values())
    return arrays > 0


def _row(item: dict[str, Any], base: str, n: int, today: date, zone: tzinfo) -> Row | None:
    title, link, when, when_text = None, None, None, None
    for value in item.values():
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float) and when is None:
            when = _epoch(value, zone)
            when_text = str(value) if when else None
            continue
        if not isinstance(value, str):
            continue
        text = value.strip()
        if not text:
            continue
        if link is None and " " not in text and _URLISH.search(text):
            link = text
            continue
        if when is None and len(text) <= 32:
            parsed = parse_date(text, today=today)
            if parsed is not None and _mostly_date(text):
                when, when_text = parsed, text
                continue
        if _CJK.search(text) and len(text) <= 200 and (title is None or len(text) > len(title)):
            title = text
    if title is None or when is None:
        return None
    url = urljoin(base, link) if link else f"{base}#row-{n}"
    return Row(title, url, when, when_text)


def _mostly_date(text: str) -> bool:
    """A value that is a date (with maybe a time), not a sentence that mentions one."""
    return len(re.sub(r"[\d\-/.:年月日时分秒\sTZ+]", "", text)) <= 2


def _epoch(value: float, zone: tzinfo) -> date | None:
    """Epoch seconds or milliseconds of 2000..2100 as the college's day (in its zone)."""
    seconds = value / 1000 if value > 10**11 else value
    if not 946_684_800 <= seconds <= 4_102_444_800:
        return None
    return datetime.fromtimestamp(seconds, zone).date()


def _total(data: Any) -> int | None:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key.lower() in _TOTAL_KEYS and isinstance(value, int) and not isinstance(value, bool):
                    return value
                if isinstance(value, dict):
                    stack.append(value)
    return None


def _next_page(url: str, rows: int, total: int | None) -> str | None:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (key, value) in enumerate(query):
        if key.lower() in PAGE_KEYS and value.isdigit():
            page = int(value)
            if page >= MAX_JSON_PAGES or (total is not None and page * rows >= total):
                return None
            query[i] = (key, str(page + 1))
            return parts._replace(query=urlencode(query)).geturl()
    return None
