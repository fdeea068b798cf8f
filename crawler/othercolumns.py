"""Columns that are no assembled list: what column assembly (crawler/columns.py) decides beside the lists.

- `directory_links`: the links of directory pages (a 信息公开目录: a page whose own links lead mostly to list
  columns), each a column link;
- `single_pages`: 单页栏目 — a navigation or directory link straight to one article is a column of that one
  item, dated by the article's own date, or undated (UNDATED_ERROR) when it shows none;
- `file_columns`: a file (PDF, DOC …) the menu or a directory links straight to (学校章程 → xxzc.pdf) is a
  column of that one undated item (UNDATED_FILE_ERROR): published, with no date to judge it by; a file
  whose check failed (`file_failure`: HTTP error, soft 404, timeout; a sign-in page) is `unreachable` or
  `blocked` with the reason, like any column that fails;
- `blocked_columns`: login walls, challenges and lists only a script fills (`blocked`);
- `failed_columns`: navigation, directory and known column links whose fetch failed (`unreachable`);
- `unreached_known`: known columns never requested because the site's start pages failed.

Pure bookkeeping over a `ColumnCollector`'s facts, no I/O.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from crawler.filecheck import login_target
from storage.records import ColumnObservation, FetchRecord, PageParse, Row

__all__ = [
    "BLOCKED_WORDS",
    "PARTIAL_ERROR",
    "UNDATED_ERROR",
    "UNDATED_FILE_ERROR",
    "Failure",
    "ReadPage",
    "blocked_columns",
    "blocked_error",
    "directory_links",
    "failed_columns",
    "file_columns",
    "file_failure",
    "single_pages",
    "unreached_known",
]

# Failures that make a navigation link's target an unreachable column (robots denials and off-site
# redirects are the site's own choice, and a non-HTML target is a file, not a column).
UNREACHABLE = frozenset({"http_error", "network_error", "timeout", "too_large", "redirect_loop"})
FETCHED = frozenset({"ok", "not_modified"})
# Link texts of sign-in pages: a login wall linked from every header is not a blocked column.
LOGIN_WORDS = ("登录", "登陆", "登入", "统一身份认证", "login", "log in", "sign in")
MAX_NAME = 20  # longer link texts are article titles or sentences, not column names
TEMPLATE_PAGES = 3  # a link (not a row or pager link) on this many pages is part of the site's navigation


@dataclass(slots=True)
class ReadPage:
    """A list, empty or blocked page read this run, as column assembly keeps it."""

    url: str
    parse: PageParse
    via: str
    depth: int
    link_text: str | None


@dataclass(slots=True)
class Failure:
    """A page whose fetch failed this run."""

    outcome: str
    error: str | None
    link_text: str | None


class ColumnCollector(Protocol):
    """What these decisions read of crawler.columns.ColumnCollector (a run's facts of one site)."""

    site: str
    nav: dict[str, str]
    pages: dict[str, ReadPage]
    blocked: dict[str, ReadPage]
    failures: dict[str, Failure]
    starts: dict[str, tuple[str, str | None, str | None]]
    articles: dict[str, tuple[str | None, date | None]]
    hubs: dict[str, list[tuple[str, str]]]
    fetched: set[str]
    files: Counter[str]
    file_text: dict[str, str]
    file_failures: dict[str, tuple[str, str]]

    def navigation_link(self, url: str) -> bool: ...
    def link_text_of(self, url: str) -> str: ...
    def canon(self, url: str) -> str: ...


# The error of a column whose script pager cannot be read (state ok: its newest date counts).
PARTIAL_ERROR = (
    "partial: the pager is a script whose page URLs cannot be read; only the pages read are counted"
)
# The error of a single-page column whose page shows no publication date (state ok: read, with content).
UNDATED_ERROR = "undated: the page shows no publication date, so its timeliness cannot be judged"
# The error of a column that is one file the navigation links (state ok: published; a file shows no date).
UNDATED_FILE_ERROR = "undated: the navigation links a file, which shows no publication date"
# Blocked reasons (storage.records.BLOCKED_REASONS) that need words beyond their name in a report.
BLOCKED_WORDS = {
    "needs_js": "needs JavaScript (the list is filled by a script whose request cannot be read off the page)",
}


def blocked_error(parse: PageParse) -> str:
    reason = parse.blocked_reason or "blocked"
    return f"blocked: {BLOCKED_WORDS.get(reason, reason)}"


def directory_links(
    c: ColumnCollector, found: dict[str, ColumnObservation], covered: set[str]
) -> dict[str, str]:
    """Links (URL -> text) of directory pages: a page (not a list, not an article) most of whose own
    short-named links (not the menus every page repeats) that were read lead to list columns (at least
    two) is a directory, such as a 信息公开目录, and each of its own links is a column link: one that
    failed is an unreachable column and one to an article a single-page column, however seldom the
    site links it (not a broken link or a page among others)."""
    columns = covered | set(found) | set(c.blocked)
    out: dict[str, str] = {}
    for links in c.hubs.values():
        own = [(u, text) for u, text in links if not c.navigation_link(u)]  # not the site's menus
        read = [u for u, _ in own if u in c.fetched]
        hits = sum(1 for u in read if u in columns or c.canon(u) in columns)
        if hits >= 2 and 2 * hits >= len(read):
            for u, text in own:
                out.setdefault(u, text)
    return out


def single_pages(
    c: ColumnCollector, found: dict[str, ColumnObservation], covered: set[str], directory: dict[str, str]
) -> None:
    """Single-page columns (单页栏目: 学校简介, 学校章程): a navigation link straight to one article is a
    column of that one item, dated by the article's own publication date. An article some list shows as
    a row is that list's item, unless the site's navigation itself names it (role nav). A page that
    shows no publication date (an undated 学院简介 text) is still a column, of one undated item, with the
    error UNDATED_ERROR: it was read and has content, but no date to judge its timeliness by (the
    monitor says so: never stale, never fresh)."""
    listed = {row.url for page in c.pages.values() for row in page.parse.rows}
    for url, (title, published) in c.articles.items():
        if url in found or url in covered or not (c.navigation_link(url) or url in directory):
            continue
        text = c.link_text_of(url) or directory.get(url, "")
        if not 0 < len(text) <= MAX_NAME or (url in listed and url not in c.nav):
            continue
        if published is None:
            row, error = Row(title or text, url), UNDATED_ERROR
        else:
            row, error = Row(title or text, url, published, published.isoformat()), None
        found[url] = ColumnObservation(
            c.site, url, text, "ok", name_source="link_text", pages=1, rows=[row], error=error
        )


def unreached_known(
    c: ColumnCollector, known: dict[str, str], found: dict[str, ColumnObservation], covered: set[str]
) -> None:
    """Known columns never requested this run share the fate of the site when its start pages failed."""
    if not c.starts or any(o in FETCHED and k != "blocked" for o, k, _ in c.starts.values()):
        return  # the site answered: a column it no longer links is not reported here
    blocked = any(k == "blocked" for _, k, _ in c.starts.values())
    reason = "; ".join(f"{u}: {o}" + (f" ({e})" if e else "") for u, (o, _, e) in c.starts.items())
    for url, name in known.items():
        if url in found or url in covered or url in c.failures:
            continue
        state = "blocked" if blocked else "unreachable"
        found[url] = ColumnObservation(
            c.site,
            url,
            name,
            state,
            name_source="link_text",
            error=f"site start page failed ({reason})",
        )


def file_columns(c: ColumnCollector, found: dict[str, ColumnObservation], directory: dict[str, str]) -> None:
    """A file the site's menu links (on TEMPLATE_PAGES pages or more) or a directory links, under a short
    name (学校章程 → /uploads/xxzc.pdf): a column of that one item, undated — a file shows no publication date
    (its Last-Modified is the server's, never one); a file whose check failed (`file_failure`) is a column
    with that failure's state and reason, and no item."""
    for url, pages in c.files.items():
        if url in found or not (pages >= TEMPLATE_PAGES or url in directory):
            continue
        text = c.file_text.get(url) or directory.get(url, "")
        failed = c.file_failures.get(url)
        if failed is not None:  # the link is there, the file is not (or sits behind a sign-in)
            state, reason = failed
            found[url] = ColumnObservation(
                c.site, url, text, state, name_source="link_text", failed_pages=1, error=reason
            )
            continue
        found[url] = ColumnObservation(
            c.site,
            url,
            text,
            "ok",
            name_source="link_text",
            pages=1,
            rows=[Row(text, url)],
            error=UNDATED_FILE_ERROR,
        )


def file_failure(record: FetchRecord, parse: PageParse | None) -> tuple[str, str] | None:
    """(state, reason) of a file link whose check shows the file is not there — `unreachable` for an HTTP
    error, a soft 404, a timeout or a network error; `blocked` for a sign-in page answered where the file
    was linked (on the site, or a redirect to a sign-in service off it) — or None (the file answered, or
    the answer says nothing against it: a redirect to another host, a file over the size limit)."""
    if parse is not None and parse.kind == "blocked":
        return "blocked", f"{blocked_error(parse)} (answered where a file was linked)"
    if record.outcome == "offsite_redirect" and login_target(record.final_url):
        return "blocked", f"blocked: login ({record.error})"
    if record.outcome in UNREACHABLE and record.outcome != "too_large":
        return "unreachable", f"{record.outcome}: {record.error}" if record.error else record.outcome
    return None


def blocked_columns(c: ColumnCollector, found: dict[str, ColumnObservation], known: dict[str, str]) -> None:
    """Pages behind a login wall, a challenge, or lists only a script fills: `blocked` columns, however a
    script-filled list was linked (a box's 更多 link, a directory); a sign-in page every header links is
    none."""
    for url, page in c.blocked.items():
        # a list only a script fills is a column however it was linked (a box's 更多 link, a directory)
        scripted = page.parse.blocked_reason == "needs_js" and page.via != "pager"
        if url in found or not (scripted or page.via == "start" or url in known or c.navigation_link(url)):
            continue
        name = known.get(url) or c.link_text_of(url) or page.link_text or page.parse.column_name or url
        if scripted and page.parse.column_name and not (url in known or c.navigation_link(url)):
            name = page.parse.column_name  # the link said 更多; the page says what it is
        if page.via != "start" and url not in known and any(w in name.lower() for w in LOGIN_WORDS):
            continue
        found[url] = ColumnObservation(
            c.site, url, name, "blocked", name_source="link_text", error=blocked_error(page.parse)
        )


def failed_columns(
    c: ColumnCollector,
    found: dict[str, ColumnObservation],
    covered: set[str],
    known: dict[str, str],
    directory: dict[str, str],
) -> None:
    """Known columns and navigation or directory links whose fetch failed this run: `unreachable`, with the
    reason (an HTTP error, a soft 404, a timeout …)."""
    for url, failure in c.failures.items():
        if url in found or url in covered:
            continue
        text = c.link_text_of(url) or directory.get(url, "")
        linked_as_column = c.navigation_link(url) or url in directory
        if url in known or (
            failure.outcome in UNREACHABLE and linked_as_column and 0 < len(text) <= MAX_NAME
        ):
            name = known.get(url) or text or failure.link_text or url
            reason = f"{failure.outcome}: {failure.error}" if failure.error else failure.outcome
            found[url] = ColumnObservation(
                c.site, url, name, "unreachable", name_source="link_text", failed_pages=1, error=reason
            )
