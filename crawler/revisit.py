"""The revisit policy: which known articles and attachments a recrawl asks for again, and which it keeps.

A weekly recrawl of an unchanged site would otherwise ask for every page again; even answered by a 304, each
request costs time in Scrapy's stack, and articles and attachments are most of a site. What the monitor judges
— columns, their rows and newest dates — comes from list pages, so:

- list pages, start pages and any page that is not a known article are always requested (conditionally);
- a NEW URL is always fetched, and so is a URL whose latest request failed (a broken link stays reported);
- a KNOWN article (its last parse was kind `article`) still listed on a list page, or a known attachment
  still linked, is requested only on a rotation: the slice whose URL hash matches the site's count of
  finished runs, modulo `revisit_every`, so each is revisited at least every `revisit_every` finished runs;
- a known article whose list row changed (another title or date than any list page showed last time) is
  fetched at once;
- a known article reached first through a link that is not a list row waits (DEFER): if a list page lists it
  before the crawl ends, the row decides; if none does, it is requested when the crawl would otherwise end.

A URL not requested gets no fetch record; its previous parse stands (its links are followed as after a 304,
and column assembly sees it). `revisit_every = 1` requests everything, every crawl.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from storage import RevisitHistory
from storage.records import PreviousPage, Row

Decision = Literal["fetch", "keep", "defer"]
Waiting = tuple[int, str, str, str | None]  # a deferred request: (depth, via, link text, referer)


def slot(url: str, every: int) -> int:
    """The rotation slice of a URL: a stable hash (not Python's salted hash()), modulo `every`."""
    digest = hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % every


@dataclass(slots=True)
class RevisitPolicy:
    """One site's revisit decisions for one crawl; see the module docstring."""

    every: int  # revisit each known article / attachment at least every this many finished runs
    counter: int  # the site's finished runs so far: picks this run's slice
    articles: frozenset[str] = frozenset()  # known article URLs
    attachments: frozenset[str] = frozenset()  # known attachment URLs that answered last time
    failing: frozenset[str] = frozenset()  # URLs whose latest request failed
    listed: Mapping[str, frozenset[tuple[str, date | None]]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, every: int, history: RevisitHistory, previous: Mapping[str, PreviousPage]
    ) -> RevisitPolicy:
        """The policy from the site's history and the parses of the last crawl (storage.load_previous)."""
        articles: set[str] = set()
        listed: dict[str, set[tuple[str, date | None]]] = {}
        for url, page in previous.items():
            parse = page.parse
            if parse is None:
                continue
            if parse.kind == "article":
                articles.add(url)
            for row in parse.rows:
                listed.setdefault(row.url, set()).add((row.title, row.date))
        return cls(
            every=max(1, every),
            counter=history.finished_runs,
            articles=frozenset(articles - history.failing),
            attachments=history.attachments - history.failing,
            failing=history.failing,
            listed={url: frozenset(shown) for url, shown in listed.items()},
        )

    def due(self, url: str) -> bool:
        """Whether this run's rotation slice includes `url`."""
        return self.every <= 1 or slot(url, self.every) == self.counter % self.every

    def decide(self, url: str, via: str, row: Row | None = None) -> Decision:
        """fetch, keep (the previous parse stands, no request) or defer (until a list row decides)."""
        if self.every <= 1 or url in self.failing:
            return "fetch"
        if via == "attachment":
            return "keep" if url in self.attachments and not self.due(url) else "fetch"
        if url not in self.articles or self.due(url):
            return "fetch"
        if row is None:
            return "defer"
        return "keep" if (row.title, row.date) in self.listed.get(url, ()) else "fetch"


class Revisits:
    """The revisit state of one crawl: a policy per site with a previous crawl, the deferred articles, and
    counts for the crawl stats. Sites without a policy (a first crawl, `revisit_every = 1`) fetch all."""

    def __init__(self) -> None:
        self.policies: dict[str, RevisitPolicy] = {}
        self.waiting: dict[str, dict[str, Waiting]] = {}
        self.counts: Counter[str] = Counter()

    def add_site(
        self, site: str, every: int, history: RevisitHistory, previous: Mapping[str, PreviousPage]
    ) -> None:
        self.policies[site] = RevisitPolicy.build(every, history, previous)
        self.waiting[site] = {}

    def decide(self, site: str, url: str, via: str, row: Row | None, request: Waiting) -> Decision:
        """The policy's decision for a URL not requested yet; a deferred one waits with its request."""
        policy = self.policies.get(site)
        if policy is None:
            return "fetch"
        decision = policy.decide(url, via, row)
        waiting = self.waiting[site]
        if decision == "defer":
            waiting.setdefault(url, request)
        else:
            waiting.pop(url, None)
            if decision == "keep":
                self.counts[f"xxgk/revisit/kept/{site}"] += 1
        return decision

    def unlisted(self) -> list[tuple[str, str, Waiting]]:
        """The deferred articles no list row decided on, (site, URL, request), counted and forgotten: the
        spider requests them when it would otherwise close."""
        out = [(site, url, req) for site, waiting in self.waiting.items() for url, req in waiting.items()]
        for site, _, _ in out:
            self.counts[f"xxgk/revisit/unlisted/{site}"] += 1
        for waiting in self.waiting.values():
            waiting.clear()
        return out
