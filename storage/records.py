"""The records the crawler hands to storage: plain, typed, and free of Scrapy.

These dataclasses are the contract between `crawler/` (which builds them) and `storage/` (which writes them in
batches). They carry no behaviour beyond small conveniences, so both sides can be tested apart.

Where a column's name came from (`PageParse.column_name_source`, `ColumnObservation.name_source`): `config`
(a per-site selector), `breadcrumb` (its leaf), `heading` (the heading above the rows), `meta` (a ColumnName
meta), `title` (the page's <title>), `link_text` (the text of the link that led there), `url` (nothing else).
Why a page is blocked (`PageParse.blocked_reason`): `login` (a sign-in wall), `captcha`, `js_challenge` (a
JavaScript challenge such as Ruishu's), `waf` (a web application firewall's refusal page), `needs_js` (a list
only a script fills, from a request the crawler cannot read off the page: crawler/scripted.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# What became of one request (`fetches.outcome`).
OUTCOMES = (
    "ok",  # 2xx, body received and parsed
    "not_modified",  # 304 to a conditional request: alive and unchanged, the previous parse stands
    "http_error",  # 4xx / 5xx, or a soft 404 (a 200 page that says it does not exist: error "soft 404: …")
    "network_error",  # DNS, refused, reset, TLS ...
    "timeout",  # no complete answer within the download timeout
    "too_large",  # body over the size limit: cut, not parsed
    "robots_denied",  # robots.txt forbids it: never requested
    "offsite_redirect",  # redirected to a host outside the site: not followed
    "redirect_loop",  # too many redirects
    "not_html",  # a binary or non-HTML body where a page was expected
    # never requested because a limit of the crawl stopped it (LIMIT_OUTCOMES): no verdict on the URL
    "budget",  # the site's page budget ([crawl] / [[sites]] max_pages) was spent
    "depth",  # linked from a page at the depth limit (max_depth)
    "trap",  # an unbounded URL space (ever-new query values, far calendar dates): not followed
)
# Outcomes of requests a limit dropped: no page fetched, no error; a column with such a page is incomplete.
LIMIT_OUTCOMES = ("budget", "depth", "trap")
# The configuration's name of each limit, as the run message and the report say it.
LIMIT_NAMES = {"budget": "max_pages", "depth": "max_depth", "trap": "trap"}

# What a page is (`page_parses.kind`).
PAGE_KINDS = (
    "list",  # main content is a series of rows: a link with a date beside it
    "empty",  # a list page that says 暂无信息 / 暂无内容 / 暂无数据 and has no rows
    "article",  # one published item: a title, a publication date, a body
    "blocked",  # a login wall, a captcha or a JavaScript challenge instead of content
    "other",  # anything else (home page, navigation page, search form ...)
)

# A column's state as observed in one run (`column_snapshots.state`).
COLUMN_STATES = ("ok", "empty", "unreachable", "blocked")

# Where a column's name came from (`page_parses.column_name_source`, `column_snapshots.name_source`).
NAME_SOURCES = ("config", "breadcrumb", "heading", "meta", "title", "link_text", "url")

# Why a page is kind "blocked" (`page_parses.blocked_reason`).
BLOCKED_REASONS = ("login", "captcha", "js_challenge", "waf", "needs_js")


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a list page: a link to an item with the date shown beside it (None when none is shown)."""

    title: str
    url: str
    date: date | None = None
    date_text: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """An outgoing link found on a page. `role` is nav | content | pager | attachment | other."""

    url: str
    text: str = ""
    role: str = "other"


@dataclass(slots=True)
class PageParse:
    """What the extractor made of one page body (fetched at `url`, with content hash `content_hash`)."""

    url: str
    content_hash: str
    kind: str
    encoding: str = "utf-8"
    title: str | None = None  # the page's own title: <title>, or the article heading
    column_name: str | None = None  # the name a person sees: breadcrumb leaf, heading, ColumnName meta
    column_name_source: str | None = None  # where column_name came from: one of NAME_SOURCES
    breadcrumb: tuple[str, ...] = ()
    published: date | None = None  # article pages: the publication date shown
    published_source: str | None = None  # where it came from: meta:PubDate, label:发布时间, url ...
    rows: list[Row] = field(default_factory=list)
    pager: list[str] = field(default_factory=list)  # other pages of the same column (absolute URLs)
    pager_first: str | None = None  # the pager's 首页 / first-page link, when it has one
    pager_next: str | None = None  # the pager's 下一页 / next-page link, when it has one
    pager_partial: bool = False  # a script pager whose page URLs cannot be read: pages not followed
    links: list[Link] = field(default_factory=list)  # every in-page link worth following
    attachments: list[Link] = field(default_factory=list)  # PDF/DOC/XLS/... links of an article
    blocked_reason: str | None = None  # for kind == "blocked": one of BLOCKED_REASONS
    # why the page's menu is built by a script whose entries are not on the page (crawler/extract/
    # scriptmenu.py): its `menu` links are where they come from; None when the menu is on the page
    menu_script: str | None = None
    # The article's body text alone (no heading, info line, prev/next or related links), or a list's row
    # titles. Not stored: storage keeps its hash (page_parses.text_hash), which tells an edited article
    # from one whose surroundings changed.
    text: str = ""


@dataclass(slots=True)
class FetchRecord:
    """One URL requested (or refused) in one run: exactly one per URL per run."""

    site: str
    url: str
    requested_at: datetime
    outcome: str
    status: int | None = None  # HTTP status, None when no response came
    bytes: int = 0  # bytes of body received
    elapsed_ms: float | None = None
    error: str | None = None  # the reason, in words, for any outcome but ok / not_modified
    etag: str | None = None
    last_modified: str | None = None  # as sent by the server; never a publication date
    content_hash: str | None = None  # sha256 of the body (for 304: the hash of the body it confirmed)
    content_type: str | None = None
    final_url: str | None = None  # after redirects, when different
    depth: int = 0
    referer: str | None = None
    link_text: str | None = None  # the anchor text of the link that led here
    role: str = "page"  # page | attachment


@dataclass(slots=True)
class ColumnObservation:
    """A column (栏目) as seen in one run: its first page, its name, and every row of every page."""

    site: str
    url: str  # the first list page, as the site links it
    name: str
    state: str  # one of COLUMN_STATES
    name_source: str = "heading"  # where `name` came from: one of NAME_SOURCES (the first page's parse)
    pages: int = 0  # list pages fetched (or confirmed by 304) in this run
    failed_pages: int = 0  # pages of this column that failed in this run
    skipped_pages: int = 0  # pages of this column a limit kept from being requested (LIMIT_OUTCOMES)
    rows: list[Row] = field(default_factory=list)  # all rows of all its pages, deduplicated by URL
    error: str | None = None  # why unreachable / blocked; for a partial column, why its count is partial
    partial: bool = False  # not every page could be read (a script pager without a readable URL template)

    @property
    def newest(self) -> date | None:
        dated = [r.date for r in self.rows if r.date is not None]
        return max(dated) if dated else None


@dataclass(slots=True)
class PreviousPage:
    """What storage remembers of a URL for the next crawl: validators and the parse of its last body."""

    url: str
    etag: str | None
    last_modified: str | None
    content_hash: str
    parse: PageParse | None
