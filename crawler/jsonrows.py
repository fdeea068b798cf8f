"""Rows from the JSON a script-filled list's endpoint answers (crawler/scripted.py finds the endpoint).

`json_page` reads one answer: the largest array of objects in it whose members hold a title (text), a date
(a date string or an epoch timestamp) and usually a link — recognised by their values, not by key names
(`wzbt`, `fbrq`, `ljdz` are as common as `title`, `date`, `url`). Its next page is the same URL with the
page parameter (`page`, `pageNo`, `pageIndex`, `current` …) one higher — for a POSTed list
(crawler/postjson.py) the same body with its page field one higher — while the answer has rows and its
total (when it states one) is not reached. JSONP (`callback({…})`) is read too.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, tzinfo
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit
from zoneinfo import ZoneInfo

from crawler.extract.dates import parse_date
from crawler.plan import DEFAULT_TIMEZONE
from crawler.postjson import split_post_key
from storage.records import Row

__all__ = ["PAGE_KEYS", "json_page"]

PAGE_KEYS = frozenset(
    k.lower()
    for k in (
        *("page", "pageNo", "pageNum", "pageIndex", "pageNumber", "current", "currentPage", "curPage"),
        *("p", "pn", "page_no", "page_num", "cpage"),
    )
)
_TOTAL_KEYS = frozenset({"total", "totalcount", "count", "totalelements", "recordstotal", "totalrecord"})
_URLISH = re.compile(r"^(https?://|/|\./|\.\./)|\.(s?html?|jsp|php|aspx?|do)(\?|#|$)", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_JSON_PAGES = 500
COLLEGE_ZONE = ZoneInfo(DEFAULT_TIMEZONE)  # when no zone is given (the spider gives the plan's)
_JSONP = re.compile(r"^\s*[\w$.]{1,60}\s*\(\s*([\[{].*[\]}])\s*\)\s*;?\s*$", re.S)


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
    posted = split_post_key(url)
    fields = list(posted.fields) if posted else parse_qsl(urlsplit(url).query)
    paged = any(k.lower() in PAGE_KEYS for k, _ in fields)
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
    posted = split_post_key(url)
    if posted is not None:  # a POSTed list: the page field of its body
        for key, value in posted.fields:
            if key.lower() in PAGE_KEYS and value.isdigit():
                page = int(value)
                if page >= MAX_JSON_PAGES or (total is not None and page * rows >= total):
                    return None
                return posted.with_field(key, str(page + 1)).key()
        return None
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
