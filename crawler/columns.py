"""Column assembly: turn one run's list pages and failures into ColumnObservations.

A column (栏目) is a set of list pages joined by their pager links. Its first page is the page the pager
calls 首页 / page 1, else the page reached from outside the column (navigation, a start URL, a content link),
else the shallowest; the URL recorded is the one navigation links when two URLs serve the same page
(`/list/` and `/list/index.html`, or a redirect). Rows are merged over all pages and deduplicated by URL;
the newest date is the newest of all rows (pinned old items sit on top of list pages, so the first row proves
nothing).

Pages that failed matter too: a column known from earlier runs, or a navigation link to a page, whose fetch
failed this run is `unreachable` with the reason; a page behind a login wall or a JavaScript challenge is
`blocked`. Those decisions, and single-page and directory columns, are crawler/othercolumns.py's; this module
gathers the run's facts and assembles the lists. Pure bookkeeping: fed by the pipeline with what the spider
yields, no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from crawler.menunotice import MenuWatch
from crawler.othercolumns import (
    FETCHED,
    MAX_NAME,
    PARTIAL_ERROR,
    TEMPLATE_PAGES,
    Failure,
    ReadPage,
    blocked_columns,
    blocked_error,
    directory_links,
    failed_columns,
    file_columns,
    file_failure,
    single_pages,
    unreached_known,
)
from storage.records import LIMIT_OUTCOMES, ColumnObservation, FetchRecord, PageParse, Row

LIST_KINDS = frozenset({"list", "empty"})


@dataclass(slots=True)
class ColumnCollector:
    """Everything column assembly needs from one site's run, gathered item by item."""

    site: str
    start_urls: list[str]
    selectors: dict[str, str] = field(default_factory=dict)
    pages: dict[str, ReadPage] = field(default_factory=dict)  # list / empty pages, by requested URL
    blocked: dict[str, ReadPage] = field(default_factory=dict)
    failures: dict[str, Failure] = field(default_factory=dict)
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
    # tell a directory's failing column links from broken links (`othercolumns.directory_links`)
    hubs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    fetched: set[str] = field(default_factory=set)  # every page read (200 or 304) this run
    # file links (PDF, DOC …) -> pages linking them, and their first text: a file the menu links is a column
    files: Counter[str] = field(default_factory=Counter)
    file_text: dict[str, str] = field(default_factory=dict)
    file_failures: dict[str, tuple[str, str]] = field(default_factory=dict)  # file URL -> (state, reason)
    menus: MenuWatch = field(default_factory=MenuWatch)  # script-built menus and what their sources gave

    def add(self, record: FetchRecord, parse: PageParse | None, via: str) -> None:
        if record.role != "page":
            failed = file_failure(record, parse) if record.role == "attachment" else None
            if failed is not None:
                self.file_failures[record.url] = failed
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
            self.failures[url] = Failure(record.outcome, record.error, record.link_text)
            return
        if parse is None:
            return
        self.fetched.add(url)
        if via == "menu" or parse.menu_script:
            self.menus.add(url, parse, via)
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
            elif role == "attachment" and 0 < len(link.text.strip()) <= MAX_NAME:
                self.files[link.url] += 1
                self.file_text.setdefault(link.url, link.text.strip())
                named.append((link.url, link.text.strip()))  # a directory's own file links are column links
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
            pages[url] = ReadPage(url, slim, via, record.depth, record.link_text)

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
        directory = directory_links(self, found, covered)
        single_pages(self, found, covered, directory)
        file_columns(self, found, directory)
        blocked_columns(self, found, known)
        failed_columns(self, found, covered, known, directory)
        unreached_known(self, known, found, covered)
        return list(found.values())

    def menu_notice(self) -> str | None:
        """The run's word on a script-built menu whose entries could not be read (crawler/menunotice.py)."""
        failed = {u: f"{f.outcome}: {f.error}" if f.error else f.outcome for u, f in self.failures.items()}
        failed |= {u: f"not requested ({outcome})" for u, outcome in self.skipped.items()}
        return self.menus.notice(failed)

    def canon(self, url: str) -> str:
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

        canon_pages = {self.canon(u) for u in self.pages}
        same_body: dict[str, str] = {}  # content hash -> first node: one body under two URLs is one page
        for url, page in self.pages.items():
            me = find(self.canon(url))
            twin = same_body.setdefault(page.parse.content_hash, me)
            if twin != me:
                union(me, twin)
            targets = list(page.parse.pager)
            if page.parse.pager_first:
                targets.append(page.parse.pager_first)
            for target in targets:
                other = self.canon(target)
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
            canon = self.canon(url)
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
                state, error = "blocked", blocked_error(blocked[0].parse)
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
            h = hash_of.get(self.canon(nxt)) if nxt else None
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
        return {t for url, page in self.pages.items() if self.canon(url) in members for t in page.parse.pager}

    def _first_node(self, urls_of: dict[str, list[str]]) -> str:
        """The first page: the pager's 首页 target, else the page entered from outside, else shallowest."""
        votes: Counter[str] = Counter()
        for urls in urls_of.values():
            target = self.pages[urls[0]].parse.pager_first
            if target and self.canon(target) in urls_of:
                votes[self.canon(target)] += 1
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

    def navigation_link(self, url: str) -> bool:
        """Linked as navigation: a nav link, or a link repeated on several pages (a menu in the template)."""
        return url in self.nav or self.linked[url] >= TEMPLATE_PAGES

    def link_text_of(self, url: str) -> str:
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
