"""One URL per page: canonical URLs, and the unbounded URL spaces (crawler traps) the spider does not follow.

`Canonicalizer.url` is applied to every URL before it is requested or stored (start URLs, links, rows, pager
links, attachments): it drops the fragment and path parameters (`;jsessionid=…`), the query keys the plan
ignores (session ids and tracking tags: `sid`, `PHPSESSID`, `utm_source` …, `[crawl] ignore_query_keys`),
lower-cases scheme and host and drops a default port. Everything else is kept as written — order and
percent-encoding of the query included — so a URL a person copies from the report still opens the page.

`TrapGuard.check` says whether a link leads into an unbounded URL space, and which: a calendar (a query value
that is a date; only a navigation link to a date near today is followed, once per path and key) or a path
whose query takes ever-new values (more than `max_variants` distinct queries of one path and key set among
navigation and other links; pager and row links are a column's pages and items, never a trap). A trapped URL
is not requested; the spider records it with outcome `trap`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from urllib.parse import urlsplit, urlunsplit

from storage.records import PageParse

# Query keys that carry a session or a tracking tag, never what a page shows (compared in lower case).
DEFAULT_IGNORED_KEYS = (
    "jsessionid",
    "phpsessid",
    "aspsessionid",
    "sid",
    "sessionid",
    "session_id",
    "cfid",
    "cftoken",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "spm",
)
# A query value that is a date: 2027-12-20, 2027/12/20, 20271220, 2027-12 (a month).
_DATE = re.compile(r"^(19|20)(\d\d)[-/.]?(0[1-9]|1[0-2])(?:[-/.]?(0[1-9]|[12]\d|3[01]))?$")
NEAR_DAYS = 45  # a navigation link to a calendar date this close to today is followed (once per path and key)


class Canonicalizer:
    """Canonical URLs for one crawl (see the module docstring); `None` for a URL that is not http(s)."""

    def __init__(self, ignored_keys: Iterable[str] = DEFAULT_IGNORED_KEYS):
        self.ignored = frozenset(k.strip().lower() for k in ignored_keys if k.strip())
        self._cache: dict[str, str | None] = {}

    def url(self, raw: str) -> str | None:
        found = self._cache.get(raw, "")
        if found != "":
            return found
        clean = self._canonical(raw)
        if len(self._cache) > 65536:
            self._cache.clear()
        self._cache[raw] = clean
        return clean

    def _canonical(self, raw: str) -> str | None:
        plain = _PLAIN.match(raw)
        if plain and int(plain[1] or plain[2] or 1) <= 65535 and self._plain_query(raw):
            return raw  # already canonical: what most links a page prints are (~4x faster than parsing it)
        try:
            parts = urlsplit(raw.strip())
            port = parts.port
        except ValueError:
            return None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            return None
        host = parts.hostname.lower()
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        netloc = host if port is None or port == {"http": 80, "https": 443}[scheme] else f"{host}:{port}"
        if parts.username or parts.password:
            netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
        path = parts.path
        if ";" in path:
            path = "/".join(segment.split(";", 1)[0] for segment in path.split("/"))
        query = parts.query
        if query and self.ignored:
            kept = [p for p in query.split("&") if p and p.split("=", 1)[0].lower() not in self.ignored]
            query = "&".join(kept)
        return urlunsplit((scheme, netloc, path, query, ""))

    def _plain_query(self, raw: str) -> bool:
        """Whether the query of a `_PLAIN` URL (if any) keeps every one of its keys as written."""
        query = raw.partition("?")[2]
        if not query:
            return "?" not in raw  # a bare "?" is dropped
        if not self.ignored:
            return True
        return all(p and p.split("=", 1)[0].lower() not in self.ignored for p in query.split("&"))


# A URL `_canonical` would return unchanged: http(s) in lower case, a lower-case host name (letters, digits,
# dots, hyphens) with no user and no default port, and no fragment, path parameter, whitespace or control
# character anywhere; its query is checked apart (`_plain_query`).
_PLAIN = re.compile(
    r"(?:http://[a-z0-9.-]+(?::(?!80(?![0-9]))([1-9][0-9]{0,4}))?"
    r"|https://[a-z0-9.-]+(?::(?!443(?![0-9]))([1-9][0-9]{0,4}))?)"
    r"(?:[/?][^\x00-\x20#;\x7f]*)?\Z"
)


def query_date(value: str) -> date | None:
    """The date a query value spells, or None."""
    match = _DATE.match(value)
    if not match:
        return None
    year, month = int(match.group(1) + match.group(2)), int(match.group(3))
    day = int(match.group(4)) if match.group(4) else 1
    try:
        return date(year, month, day)
    except ValueError:
        return None


class TrapGuard:
    """Per site: which links lead into an unbounded URL space (see the module docstring)."""

    def __init__(self, today: date, max_variants: int):
        self.today = today
        self.max_variants = max_variants
        self.dates: dict[tuple[str, str, str], str] = {}  # (host, path, key) -> the one date value followed
        self.variants: dict[tuple[str, str, tuple[str, ...]], set[str]] = {}

    def check(self, url: str, role: str) -> str | None:
        """Why `url` (canonical) is a trap, in words; None when it may be followed. Remembers what it let
        through, so call it only for URLs about to be requested."""
        if role in ("pager", "row", "start", "attachment"):
            return None
        parts = urlsplit(url)
        if not parts.query:
            return None
        pairs = [p.split("=", 1) for p in parts.query.split("&") if p]
        for pair in pairs:
            if len(pair) != 2:
                continue
            key, value = pair
            day = query_date(value)
            if day is None:
                continue
            where = (parts.netloc, parts.path, key.lower())
            first = self.dates.get(where)
            if first == value:
                continue
            near = abs((day - self.today).days) <= NEAR_DAYS
            if first is None and near and role == "nav":
                self.dates[where] = value
                continue
            return f"calendar: {parts.path}?{key}= takes ever-new dates ({value})"
        keys = tuple(sorted({pair[0].lower() for pair in pairs}))
        seen = self.variants.setdefault((parts.netloc, parts.path, keys), set())
        if parts.query in seen:
            return None
        if len(seen) >= self.max_variants:
            return (
                f"ever-new query values: over {self.max_variants} distinct queries of {parts.path}"
                f" ({', '.join(keys)})"
            )
        seen.add(parts.query)
        return None


def canonical_page(page: PageParse, canon: Canonicalizer) -> None:
    """Every URL of a fresh parse made canonical in place (rows, links, pager, attachments), before it is
    stored: an item listed under a new session id each crawl is still one item."""

    def one(url: str) -> str:
        return canon.url(url) or url

    page.rows = [r if (u := one(r.url)) == r.url else replace(r, url=u) for r in page.rows]
    page.links = [k if (u := one(k.url)) == k.url else replace(k, url=u) for k in page.links]
    page.attachments = [k if (u := one(k.url)) == k.url else replace(k, url=u) for k in page.attachments]
    page.pager = list(dict.fromkeys(one(u) for u in page.pager))
    page.pager_first = one(page.pager_first) if page.pager_first else None
    page.pager_next = one(page.pager_next) if page.pager_next else None
