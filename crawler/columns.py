"""Column assembly: turn one run's list pages and failures into ColumnObservations.

A column (栏目) is a set of list pages joined by their pager links. Its first page is the page the pager
calls 首页 / page 1, else the page reached from outside the column (navigation, a start URL, a content link),
else the shallowest; the URL recorded is the one navigation links when two URLs serve the same page
(`/list/` and `/list/index.html`, or a redirect). Rows are merged over all pages and deduplicated by URL;
the newest date is the newest of all rows (pinned old items sit on top of list pages, so the first row proves
nothing).

Pages that failed matter too: a column known from earlier runs, or a navigation link to a page, whose fetch
failed this run is `unreachable` with the reason; a page behind a login wall or a JavaScript challenge is
`blocked`. Pure bookkeeping: fed by the pipeline with what the spider yields, no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from storage.records import LIMIT_OUTCOMES, ColumnObservation, FetchRecord, PageParse, Row

LIST_KINDS = frozenset({"list", "empty"})
# Failures that make a navigation link's target an unreachable column (robots denials and off-site
# redirects are the site's own choice, and a non-HTML target is a file, not a column).
UNREACHABLE = frozenset({"http_error", "network_error", "timeout", "too_large", "redirect_loop"})
FETCHED = frozenset({"ok", "not_modified"})
# Link texts of sign-in pages: a login wall linked from every header is not a blocked column.
LOGIN_WORDS = ("登录", "登陆", "登入", "统一身份认证", "login", "log in", "sign in")
MAX_NAME = 20  # longer link texts are article titles or sentences, not column names
TEMPLATE_PAGES = 3  # a link (not a row or pager link) on this many pages is part of the site's navigation


@dataclass(slots=True)
class _Page:
    url: str
    parse: PageParse
    via: str
    depth: int
    link_text: str | None


@dataclass(slots=True)
class _Failure:
    outcome: str
    error: str | None
    link_text: str | None


@dataclass(slots=True)
class ColumnCollector:
    """Everything column assembly needs from one site's run, gathered item by item."""

    site: str
    start_urls: list[str]
    selectors: dict[str, str] = field(default_factory=dict)
    pages: dict[str, _Page] = field(default_factory=dict)  # list / empty pages, by requested URL
    blocked: dict[str, _Page] = field(default_factory=dict)
    failures: dict[str, _Failure] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # URL a limit kept from being requested -> outcome
    final: dict[str, str] = field(default_factory=dict)  # requested URL -> URL after redirects
    nav: dict[str, str] = field(default_factory=dict)  # URL -> text, for every navigation link seen
    # pages linking a URL outside rows and pagers, and the first text: menus the extractor did not call nav
    linked: Counter[str] = field(default_factory=Counter)
    linked_text: dict[str, str] = field(default_factory=dict)
    # start URL -> (outcome, page kind or None, error): decides the fate of known columns nobody linked
    starts: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    # article pages: URL -> (title, publication date); a navigation link to one is a single-page column
    articles: dict[str, tuple[str | None, date | None]] = field(default_factory=dict)
    # the college's today: year-less list dates are read across a column's pages against it (None: each
    # page's own reading stands)
    today: date | None = None
    shown_dates: dict[str, date] = field(default_factory=dict)  # article URL -> the date its page shows
    # pages that are neither list nor article (home, directory and hub pages): their short-named links, to
    # tell a directory's failing column links from broken links (`_directory_links`)
    hubs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    fetched: set[str] = field(default_factory=set)  # every page read (200 or 304) this run

    def add(self, record: FetchRecord, parse: PageParse | None, via: str) -> None:
        if record.role != "page":
            return
        url = record.url
        if via == "start":
            self.starts[url] = (record.outcome, parse.kind if parse else None, record.error)
        if record.final_url and record.final_url != url:
            self.final[url] = record.final_url
        if record.outcome in LIMIT_OUTCOMES:  # no verdict: the column it belongs to is incomplete
            self.skipped[url] = record.outcome
            return
        if record.outcome not in FETCHED:
            self.failures[url] = _Failure(record.outcome, record.error, record.link_text)
            return
        if parse is None:
            return
        self.fetched.add(url)
        nav, linked, texts = self.nav, self.linked, self.linked_text
        named: list[tuple[str, str]] = []
        for link in parse.links:
            role = link.role
            if role == "nav" or role == "other":
                if role == "nav" and link.url not in nav:
                    nav[link.url] = link.text
                linked[link.url] += 1
                texts.setdefault(link.url, link.text)
                if 0 < len(link.text.strip()) <= MAX_NAME:
                    named.append((link.url, link.text.strip()))
        if parse.kind == "other" and named:
            self.hubs[url] = named
        if parse.kind == "article":
            self.articles[url] = (parse.title, parse.published)
            if parse.published is not None and parse.published_source != "url":
                self.shown_dates[url] = parse.published
        if parse.kind in LIST_KINDS or parse.kind == "blocked":
            # keep what assembly reads, not the page's links and text: memory grows with list pages only
            slim = replace(parse, links=[], attachments=[], text="")
            pages = self.blocked if parse.kind == "blocked" else self.pages
            pages[url] = _Page(url, slim, via, record.depth, record.link_text)

    # -- assembly --------------------------------------------------------------------------------------------

    def observations(self, known: dict[str, str]) -> list[ColumnObservation]:
        """The columns of this run: assembled list pages, then blocked and unreachable ones, one per URL."""
        found: dict[str, ColumnObservation] = {}
        covered: set[str] = set()  # every URL that belongs to an assembled column
        for component in self._components():
            column, urls = self._column(component)
            covered |= urls
            if column.url not in found:
                found[column.url] = column
        directory = self._directory_links(found, covered)
        self._single_pages(found, covered, directory)
        for url, page in self.blocked.items():
            # a list only a script fills is a column however it was linked (a box's 更多 link, a directory)
            scripted = page.parse.blocked_reason == "needs_js" and page.via != "pager"
            if url in found or not (scripted or page.via == "start" or url in known or self._navigation(url)):
                continue
            name = known.get(url) or self._link_text(url) or page.link_text or page.parse.column_name or url
            if scripted and page.parse.column_name and not (url in known or self._navigation(url)):
                name = page.parse.column_name  # the link said 更多; the page says what it is
            if page.via != "start" and url not in known and any(w in name.lower() for w in LOGIN_WORDS):
                continue
            found[url] = ColumnObservation(
                self.site, url, name, "blocked", name_source="link_text", error=_blocked_error(page.parse)
            )
        for url, failure in self.failures.items():
            if url in found or url in covered:
                continue
            text = self._link_text(url) or directory.get(url, "")
            linked_as_column = self._navigation(url) or url in directory
            if url in known or (
                failure.outcome in UNREACHABLE and linked_as_column and 0 < len(text) <= MAX_NAME
            ):
                name = known.get(url) or text or failure.link_text or url
                reason = f"{failure.outcome}: {failure.error}" if failure.error else failure.outcome
                found[url] = ColumnObservation(
                    self.site, url, name, "unreachable", name_source="link_text", failed_pages=1, error=reason
                )
        self._unreached_known(known, found, covered)
        return list(found.values())

    def _directory_links(self, found: dict[str, ColumnObservation], covered: set[str]) -> dict[str, str]:
        """Links (URL -> text) of directory pages: a page (not a list, not an article) most of whose own
        short-named links (not the menus every page repeats) that were read lead to list columns (at least
        two) is a directory, such as a 信息公开目录, and each of its own links is a column link: one that
        failed is an unreachable column and one to an article a single-page column, however seldom the
        site links it (not a broken link or a page among others)."""
        columns = covered | set(found) | set(self.blocked)
        out: dict[str, str] = {}
        for links in self.hubs.values():
            own = [(u, text) for u, text in links if not self._navigation(u)]  # not the site's menus
            read = [u for u, _ in own if u in self.fetched]
            hits = sum(1 for u in read if u in columns or self._canon(u) in columns)
            if hits >= 2 and 2 * hits >= len(read):
                for u, text in own:
                    out.setdefault(u, text)
        return out

    def _single_pages(
        self, found: dict[str, ColumnObservation], covered: set[str], directory: dict[str, str]
    ) -> None:
        """Single-page columns (单页栏目: 学校简介, 学校章程): a navigation link straight to one article is a
        column of that one item, dated by the article's own publication date. An article some list shows as
        a row is that list's item, unless the site's navigation itself names it (role nav). A page that
        shows no publication date (an undated 学院简介 text) is still a column, of one undated item, with the
        error UNDATED_ERROR: it was read and has content, but no date to judge its timeliness by (the
        monitor says so: never stale, never fresh)."""
        listed = {row.url for page in self.pages.values() for row in page.parse.rows}
        for url, (title, published) in self.articles.items():
            if url in found or url in covered or not (self._navigation(url) or url in directory):
                continue
            text = self._link_text(url) or directory.get(url, "")
            if not 0 < len(text) <= MAX_NAME or (url in listed and url not in self.nav):
                continue
            if published is None:
                row, error = Row(title or text, url), UNDATED_ERROR
            else:
                row, error = Row(title or text, url, published, published.isoformat()), None
            found[url] = ColumnObservation(
                self.site, url, text, "ok", name_source="link_text", pages=1, rows=[row], error=error
            )

    def _unreached_known(
        self, known: dict[str, str], found: dict[str, ColumnObservation], covered: set[str]
    ) -> None:
        """Known columns never requested this run share the fate of the site when its start pages failed."""
        if not self.starts or any(o in FETCHED and k != "blocked" for o, k, _ in self.starts.values()):
            return  # the site answered: a column it no longer links is not reported here
        blocked = any(k == "blocked" for _, k, _ in self.starts.values())
        reason = "; ".join(f"{u}: {o}" + (f" ({e})" if e else "") for u, (o, _, e) in self.starts.items())
        for url, name in known.items():
            if url in found or url in covered or url in self.failures:
                continue
            state = "blocked" if blocked else "unreachable"
            found[url] = ColumnObservation(
                self.site,
                url,
                name,
                state,
                name_source="link_text",
                error=f"site start page failed ({reason})",
            )

    def _canon(self, url: str) -> str:
        return self.final.get(url, url)

    def _components(self) -> list[list[str]]:
        """List pages (by canonical URL) grouped by the pager links between them (union-find)."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        canon_pages = {self._canon(u) for u in self.pages}
        same_body: dict[str, str] = {}  # content hash -> first node: one body under two URLs is one page
        for url, page in self.pages.items():
            me = find(self._canon(url))
            twin = same_body.setdefault(page.parse.content_hash, me)
            if twin != me:
                union(me, twin)
            targets = list(page.parse.pager)
            if page.parse.pager_first:
                targets.append(page.parse.pager_first)
            for target in targets:
                other = self._canon(target)
                if other in canon_pages or target in self.failures or target in self.skipped:
                    union(me, other)
        groups: dict[str, list[str]] = {}
        for node in set(parent) | canon_pages:
            groups.setdefault(find(node), []).append(node)
        return [sorted(g) for g in groups.values() if any(n in canon_pages for n in g)]

    def _column(self, component: list[str]) -> tuple[ColumnObservation, set[str]]:
        members = set(component)
        # requested URLs of each node (several URLs can reach one page through redirects)
        urls_of: dict[str, list[str]] = {}
        for url in self.pages:
            canon = self._canon(url)
            if canon in members:
                urls_of.setdefault(canon, []).append(url)
        failed = [n for n in component if n not in urls_of and n in self.failures]
        skipped = [n for n in component if n not in urls_of and n in self.skipped]
        first_node = self._first_node(urls_of)
        # the same body under two URLs (`/list/` and `/list/index.html`) is one page
        by_hash: dict[str, list[str]] = {}
        for node, urls in urls_of.items():
            by_hash.setdefault(self.pages[urls[0]].parse.content_hash, []).append(node)
        first_hash = self.pages[urls_of[first_node][0]].parse.content_hash
        same_page = [u for node in by_hash[first_hash] for u in urls_of[node]]
        display = min(same_page, key=lambda u: self._url_preference(u))
        first = self.pages[urls_of[first_node][0]]

        others = sorted(
            (h for h in by_hash if h != first_hash),
            key=lambda h: min((self.pages[urls_of[n][0]].depth, n) for n in by_hash[h]),
        )
        ordered_hashes = self._pager_order(first_hash, others, by_hash, urls_of)
        rows: dict[str, Row] = {}
        kinds: set[str] = set()
        partial = False
        for h in ordered_hashes:
            page = self.pages[urls_of[by_hash[h][0]][0]]
            kinds.add(page.parse.kind)
            partial = partial or page.parse.pager_partial
            for row in page.parse.rows:
                seen = rows.get(row.url)
                if seen is None or (seen.date is None and row.date is not None):
                    rows[row.url] = row
        if self.today is not None:
            rows = self._years(rows, self.today)
        name, source = self._name(display, first.parse, {}, first.link_text)
        state, error = ("ok" if rows else "empty"), None
        if not rows:  # a list the crawler could not see is never empty: say why not
            blocked = [self.blocked[t] for t in self._pager_targets(component) if t in self.blocked]
            if blocked:
                state, error = "blocked", _blocked_error(blocked[0].parse)
            elif failed:
                f = self.failures[failed[0]]
                state = "unreachable"
                error = f"{f.outcome}: {f.error}" if f.error else f.outcome
        if partial and state == "ok":
            error = PARTIAL_ERROR
        column = ColumnObservation(
            self.site,
            display,
            name,
            state,
            name_source=source,
            pages=len(by_hash),
            failed_pages=len(failed),
            skipped_pages=len(skipped),
            rows=list(rows.values()),
            error=error,
            partial=partial and state == "ok",
        )
        covered = {u for urls in urls_of.values() for u in urls} | set(failed) | members
        return column, covered

    def _pager_order(
        self, first: str, others: list[str], by_hash: dict[str, list[str]], urls_of: dict[str, list[str]]
    ) -> list[str]:
        """Page bodies in list order: from the first page along each page's 下一页 link, then the rest (by
        depth). VSB numbers its static pages backwards, so the links, not the URLs, give the order."""
        hash_of = {node: h for h, nodes in by_hash.items() for node in nodes}
        order, seen = [first], {first}
        current = first
        while True:
            nxt = self.pages[urls_of[by_hash[current][0]][0]].parse.pager_next
            h = hash_of.get(self._canon(nxt)) if nxt else None
            if h is None or h in seen:
                break
            order.append(h)
            seen.add(h)
            current = h
        return order + [h for h in others if h not in seen]

    def _years(self, rows: dict[str, Row], today: date) -> dict[str, Row]:
        """Year-less dates read over the whole column, anchored on its articles' own dates (yearless.py)."""
        from crawler.extract.yearless import column_years  # lazy: the extractor loads on the first page

        resolved = column_years(list(rows.values()), self.shown_dates, today)
        return {row.url: row for row in resolved}

    def _pager_targets(self, component: list[str]) -> set[str]:
        members = set(component)
        return {
            t for url, page in self.pages.items() if self._canon(url) in members for t in page.parse.pager
        }

    def _first_node(self, urls_of: dict[str, list[str]]) -> str:
        """The first page: the pager's 首页 target, else the page entered from outside, else shallowest."""
        votes: Counter[str] = Counter()
        for urls in urls_of.values():
            target = self.pages[urls[0]].parse.pager_first
            if target and self._canon(target) in urls_of:
                votes[self._canon(target)] += 1
        if votes:
            best = max(votes.values())
            return min((n for n, v in votes.items() if v == best), key=self._node_preference(urls_of))
        return min(urls_of, key=self._node_preference(urls_of))

    def _node_preference(self, urls_of: dict[str, list[str]]) -> Callable[[str], tuple[int, int, str]]:
        def key(node: str) -> tuple[int, int, str]:
            return min(self._url_preference(u) for u in urls_of[node])

        return key

    def _url_preference(self, url: str) -> tuple[int, int, str]:
        """Smaller is better: linked from navigation or a start URL, then entered not by a pager, shallow."""
        page = self.pages[url]
        if url in self.nav or page.via in ("start", "nav"):
            rank = 0
        elif page.via != "pager":
            rank = 1
        else:
            rank = 2
        return (rank, page.depth, url)

    def _navigation(self, url: str) -> bool:
        """Linked as navigation: a nav link, or a link repeated on several pages (a menu in the template)."""
        return url in self.nav or self.linked[url] >= TEMPLATE_PAGES

    def _link_text(self, url: str) -> str:
        return (self.nav.get(url) or self.linked_text.get(url) or "").strip()

    def _name(
        self, url: str, parse: PageParse, known: dict[str, str], link_text: str | None
    ) -> tuple[str, str]:
        """The name a person sees, and where it came from (storage.records.NAME_SOURCES).

        The extractor's name comes with its real source (config, breadcrumb, heading, meta, title or the link
        text it was given); without one, the stored name, the navigation's link text, the <title>, the URL.
        """
        if parse.column_name:
            return parse.column_name, parse.column_name_source or "heading"
        if url in known:
            return known[url], "link_text"
        text = (self.nav.get(url) or link_text or "").strip()
        if text:
            return text, "link_text"
        if parse.title:
            return parse.title, "title"
        return url, "url"


# The error of a column whose script pager cannot be read (state ok: its newest date counts).
PARTIAL_ERROR = (
    "partial: the pager is a script whose page URLs cannot be read; only the pages read are counted"
)
# The error of a single-page column whose page shows no publication date (state ok: read, with content).
UNDATED_ERROR = "undated: the page shows no publication date, so its timeliness cannot be judged"
# Blocked reasons (storage.records.BLOCKED_REASONS) that need words beyond their name in a report.
BLOCKED_WORDS = {
    "needs_js": "needs JavaScript (the list is filled by a script whose request cannot be read off the page)",
}


def _blocked_error(parse: PageParse) -> str:
    reason = parse.blocked_reason or "blocked"
    return f"blocked: {BLOCKED_WORDS.get(reason, reason)}"
