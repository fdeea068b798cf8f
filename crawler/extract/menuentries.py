"""Menu entries in data a script holds: (URL, name) pairs recognised by their values, not their key names.

A menu's data is written in as many shapes as there are CMS templates — `{name: '学校概况', url: '/xxgk/'}`,
`{"title": "通知公告", "href": "tzgg.htm", "child": […]}`, `{text: …, link: …, submenu: […]}`, a flat tree
of `{id, pid, catname, caturl}`, a map `{"学校简介": "xxjj.htm"}`, pairs `[['规章制度', '/gzzd/'], …]`. An
entry is an object (or a short array) holding one URL-like string (a path, a page, an http URL; not an
image, a style sheet, a script or a MIME type) and one short name a person reads (1–20 characters with a
Chinese character, not a date, not markup); the key names only break ties (`url`/`href`/`link`,
`name`/`title`/`text`). Children (any nested array or object) are entries too. An object that also holds a
date is a list row (an article), not a menu entry.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .jsliteral import HOLE

__all__ = ["MIN_ENTRIES", "is_menu_url", "is_name", "json_entries", "menu_entries"]

MIN_ENTRIES = 2  # one pair alone is no menu (a share button's {title, url})
MAX_NAME = 20
MAX_ENTRIES = 400
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DATE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2})?|^\d{1,2}[-/]\d{1,2}$")
_STATIC = re.compile(
    r"\.(?:png|jpe?g|gif|bmp|svg|ico|webp|css|js|mjs|map|woff2?|ttf|eot|mp3|mp4|flv|swf|json)(?:[?#]|$)", re.I
)
_MIME = re.compile(r"^(?:text|application|image|audio|video|multipart|font)/", re.I)
_PAGE = re.compile(r"\.(?:s?html?|jsp|aspx?|php|do|action|psp|cgi)(?:[?#]|$)", re.I)
_PATHLIKE = re.compile(r"^[\w\-.%~/]+(?:\?[^\s]*)?$")
_URL_KEY = re.compile(r"url|href|link|path|addr|target|src", re.I)
_NAME_KEY = re.compile(r"name|title|text|label|caption|mc|lm|cname|catname", re.I)
_JSONP = re.compile(r"^\s*[\w$.]+\s*\(\s*(.*)\)\s*;?\s*$", re.S)


def is_menu_url(value: str) -> bool:
    """A string a menu could link: an http(s) URL, a path, or a page; not a file a page loads, a MIME type,
    a date, markup, an anchor or a script."""
    s = value.strip()
    if not s or len(s) > 300 or HOLE in s or any(c.isspace() for c in s) or "<" in s:
        return False
    low = s.lower()
    if low.startswith(("javascript:", "#", "mailto:", "tel:", "data:")) or _MIME.match(s):
        return False
    if _STATIC.search(s) or _DATE.search(s):
        return False
    if low.startswith(("http://", "https://", "//", "/", "./", "../")):
        return True
    return bool(_PATHLIKE.match(s)) and ("/" in s or bool(_PAGE.search(s)))


def is_name(value: str) -> bool:
    """A short name a person reads: 1–20 characters with a Chinese one, no URL, no date, no markup."""
    s = value.strip()
    return (
        0 < len(s) <= MAX_NAME
        and bool(_CJK.search(s))
        and HOLE not in s
        and "<" not in s
        and not _DATE.search(s)
        and not is_menu_url(s)
    )


def menu_entries(data: Any) -> list[tuple[str, str]]:
    """(URL as written, name) of every menu entry in `data` (lists and dicts, children included), in order,
    each URL once; [] when fewer than MIN_ENTRIES are found."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    _walk(data, out, seen, 0)
    return [(url, name) for name, url in out] if len(out) >= MIN_ENTRIES else []


def json_entries(text: str) -> list[tuple[str, str]]:
    """(URL, name) of the menu entries of a JSON (or JSONP `callback({…})`) answer; [] when it is not JSON."""
    padded = _JSONP.match(text)
    try:
        data = json.loads(padded.group(1) if padded and not text.lstrip().startswith(("{", "[")) else text)
    except ValueError:
        return []
    return menu_entries(data)


def _walk(value: Any, out: list[tuple[str, str]], seen: set[str], depth: int) -> None:
    if depth > 12 or len(out) >= MAX_ENTRIES:
        return
    if isinstance(value, dict):
        entry = _object_entry(value)
        if entry is not None:
            _add(entry, out, seen)
        elif value and all(isinstance(k, str) for k in value):
            for key, v in value.items():  # a map of names to URLs: {"学校简介": "xxjj.htm"}
                if isinstance(v, str) and is_name(key) and is_menu_url(v):
                    _add((key.strip(), v.strip()), out, seen)
        for v in value.values():
            if isinstance(v, (dict, list)):
                _walk(v, out, seen, depth + 1)
    elif isinstance(value, list):
        strings = [v for v in value if isinstance(v, str)]
        if 2 <= len(value) <= 4 and len(strings) == len(value):
            entry = _pair(strings)
            if entry is not None:
                _add(entry, out, seen)
                return
        for v in value:
            if isinstance(v, (dict, list)):
                _walk(v, out, seen, depth + 1)


def _add(entry: tuple[str, str], out: list[tuple[str, str]], seen: set[str]) -> None:
    if entry[1] not in seen:
        seen.add(entry[1])
        out.append(entry)


def _object_entry(obj: dict[str, Any]) -> tuple[str, str] | None:
    """(name, URL) of an object that is one menu entry, or None (no URL, no name, or a dated row)."""
    urls: list[tuple[str, str]] = []
    names: list[tuple[str, str]] = []
    for key, v in obj.items():
        if not isinstance(v, str):
            continue
        if _DATE.search(v) and len(v) <= 30 and not is_menu_url(v):
            return None  # a row of a list (an article and its date), not a menu entry
        if is_menu_url(v):
            urls.append((str(key), v.strip()))
        elif is_name(v):
            names.append((str(key), v.strip()))
    if not urls or not names:
        return None
    url = next((v for k, v in urls if _URL_KEY.search(k)), urls[0][1])
    name = next((v for k, v in names if _NAME_KEY.search(k)), names[0][1])
    return name, url


def _pair(strings: list[str]) -> tuple[str, str] | None:
    urls = [s.strip() for s in strings if is_menu_url(s)]
    names = [s.strip() for s in strings if is_name(s)]
    return (names[0], urls[0]) if len(urls) == 1 and len(names) == 1 else None
