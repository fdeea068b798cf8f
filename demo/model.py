"""The demo college's timeline: every item of every column, with dates relative to `as_of`.

Why a timeline rather than fixed pages: the demo must always show a mix of fresh and stale columns whatever
day it is run, and must be able to show "the same college N days later" for recrawl tests. So each column is
a sequence of items dated `as_of + offset`; fresh columns keep publishing into the future (one item every
3–8 days, so their newest item is never more than 7 days old on any day up to FUTURE_DAYS later), stale
columns stopped more than STALE_MIN_AGE days ago, or longer when the shipped rules table (`demo.rules`)
gives their 清单 item a yearly deadline that could still call them fresh. A view `days_later = n` shows the
items dated on or before `as_of + n`, minus the item deleted in later views, with one article's body edited.

Everything is drawn from `random.Random` seeded by strings, so the same (as_of, scale) gives the same
college.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from demo import words
from demo.layout import SITES, ColumnSpec, SiteSpec
from demo.rules import band

FUTURE_DAYS = 120  # how far `days_later` may go: fresh columns are generated this far ahead
FRESH_MAX_AGE = 10  # a fresh column's newest item is at most this many days old (in fact ≤ 7)
STALE_MIN_AGE = 400  # a stale column's newest item is at least this many days old (more if its rule wants)
HISTORY_DAYS = 4 * 365  # fresh columns spread their items over about this many days
HOSTILE_TITLE = "网络安全宣传周：警惕<script>alert(1)</script>类钓鱼链接"
_ID_BASE = {"disclosure": 60000, "portal": 120000, "dept-jwc": 3000, "dept-zsjy": 500, "dept-cwc": 800}
_EXTS = ("pdf", "pdf", "doc", "docx", "xls", "xlsx")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file linked from an article. `broken`: the link answers 404."""

    name: str  # the file name shown as the link text
    ext: str
    index: int  # position among the item's attachments
    broken: bool = False


@dataclass(slots=True)
class Item:
    """One published item: a row on its column's list pages and an article page of its own."""

    site: str
    column: str
    seq: int  # position in the column's generation order (stable)
    title: str
    day: date  # the publication date it carries (shown unless `dated` is False)
    time: str  # HH:MM, shown on article pages
    url_day: date  # the date in URL schemes that carry one (usually `day`; sometimes a few days earlier)
    author: str
    seed: str
    dated: bool = True
    pinned: bool = False
    attachments: tuple[Attachment, ...] = ()
    id: int = 0  # assigned per site once every column is generated (grows with date, like a CMS sequence)

    def body(self, edited: bool = False) -> tuple[str, ...]:
        """The article text; `edited` appends the correction made in later views."""
        paragraphs = words.body_for(random.Random(self.seed), self.day)
        if edited:
            paragraphs += ("（更正：本文第二段所述时间有误，已于近日更正，特此说明。）",)
        return paragraphs


@dataclass(slots=True)
class Column:
    site: str
    spec: ColumnSpec
    items: list[Item] = field(default_factory=list)  # every item, future ones included, newest first


class Timeline:
    """All columns of all sites for one (as_of, scale), and the views of it N days later."""

    def __init__(
        self, as_of: date, scale: float = 1.0, sites: tuple[SiteSpec, ...] = SITES, school: str = words.SCHOOL
    ) -> None:
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.as_of = as_of
        self.scale = scale
        self.sites = sites
        self.school = school
        self.columns: dict[tuple[str, str], Column] = {}
        for site in sites:
            for spec in site.columns:
                self.columns[(site.name, spec.key)] = self._generate(site.name, spec)
            self._assign_ids(site.name)
        self.deleted, self.edited = self._pick_probes()

    # -- generation ---------------------------------------------------------------------------------------
    def _count(self, spec: ColumnSpec) -> int:
        if spec.status not in ("fresh", "stale"):
            return 0
        return max(1, round(spec.items * self.scale))

    def _offsets(self, spec: ColumnSpec, rng: random.Random, n: int) -> list[int]:
        """Day offsets from as_of, newest first: n items up to as_of, then (fresh) items into the future."""
        if spec.status == "fresh":
            newest, mean_gap = -rng.randint(0, 2), HISTORY_DAYS / n
        else:
            # older than any day's limit of the column's rule (an annual deadline can allow ~1.7 years)
            floor = max(STALE_MIN_AGE, band(spec.catalog_item, spec.name).stale_min)
            newest, mean_gap = -(floor + rng.randint(20, 500)), rng.uniform(30.0, 120.0)
        offsets = [newest]
        for _ in range(n - 1):
            offsets.append(offsets[-1] - int(rng.uniform(0, 2 * mean_gap)))
        future: list[int] = []
        if spec.status == "fresh":
            day = newest
            while (day := day + rng.randint(3, 8)) <= FUTURE_DAYS:
                future.append(day)
        if spec.pause:  # nothing published from day a to day b - 1, then an item on day b
            start, end = spec.pause
            future = sorted({d for d in future if not start <= d < end} | {end})
        return future[::-1] + offsets

    def _generate(self, site: str, spec: ColumnSpec) -> Column:
        rng = random.Random(f"xxgk-demo:{site}:{spec.key}")
        n = self._count(spec)
        column = Column(site, spec)
        if n == 0:
            return column
        offsets = self._offsets(spec, rng, n)
        for seq, offset in enumerate(offsets):
            day = self.as_of + timedelta(days=offset)
            title = words.title_for(spec.titles, rng, day).replace(words.SCHOOL, self.school)
            url_day = day - timedelta(days=rng.randint(1, 5)) if rng.random() < 0.04 else day
            attachments: tuple[Attachment, ...] = ()
            if rng.random() < spec.attach:
                attachments = tuple(
                    Attachment(f"附件{i + 1}：{title[:14]}", rng.choice(_EXTS), i)
                    for i in range(rng.randint(1, 2))
                )
            column.items.append(
                Item(
                    site=site,
                    column=spec.key,
                    seq=seq,
                    title=title,
                    day=day,
                    time=f"{rng.randint(8, 17):02d}:{rng.randrange(60):02d}",
                    url_day=url_day,
                    author=words.author_for(rng),
                    seed=f"{site}:{spec.key}:{seq}",
                    attachments=attachments,
                )
            )
        self._mark(column, rng)
        return column

    def _mark(self, column: Column, rng: random.Random) -> None:
        """Pin some old items, hide the date of some others, plant the hostile title."""
        spec = column.spec
        base = [i for i in column.items if i.day <= self.as_of]
        if spec.pinned and len(base) >= 4:
            for item in rng.sample(base[len(base) // 2 :], min(spec.pinned, len(base) // 2)):
                item.pinned = True
        candidates = [i for i in base[1:] if not i.pinned]
        for item in rng.sample(candidates, min(spec.undated, len(candidates))):
            item.dated = False
        if spec.probe == "edit" and len(base) > 10:
            base[10].title = HOSTILE_TITLE
        if column.site == "disclosure" and spec.key == "gzzd":
            with_files = [i for i in base if i.attachments]
            if with_files:
                first = with_files[0]
                first.attachments = (
                    Attachment(first.attachments[0].name, "pdf", 0, broken=True),
                    *first.attachments[1:],
                )

    def _assign_ids(self, site: str) -> None:
        items = [i for (s, _), c in self.columns.items() if s == site for i in c.items]
        keys = {key: n for n, (s, key) in enumerate(self.columns) if s == site}
        items.sort(key=lambda i: (i.day, keys[i.column], -i.seq))
        rng = random.Random(f"xxgk-demo-ids:{site}")
        next_id = _ID_BASE.get(site, 1000)
        for item in items:
            next_id += rng.randint(1, 4)
            item.id = next_id
        for (s, _), column in self.columns.items():
            if s == site:
                column.items.sort(key=lambda i: (i.day, i.id), reverse=True)

    def _pick_probes(self) -> tuple[Item | None, Item | None]:
        deleted = edited = None
        for column in self.columns.values():
            base = [i for i in column.items if i.day <= self.as_of and not i.pinned and i.dated]
            if column.spec.probe == "delete" and len(base) > 4:
                deleted = base[3]
            if column.spec.probe == "edit" and len(base) > 3:
                edited = base[2]
        return deleted, edited

    # -- views --------------------------------------------------------------------------------------------
    def view_day(self, days_later: int = 0) -> date:
        if not 0 <= days_later <= FUTURE_DAYS:
            raise ValueError(f"days_later must be within 0..{FUTURE_DAYS}")
        return self.as_of + timedelta(days=days_later)

    def visible(self, site: str, key: str, days_later: int = 0) -> list[Item]:
        """The items a visitor sees in a column on that day, in list order: pinned ones first, then newest."""
        day = self.view_day(days_later)
        column = self.columns[(site, key)]
        gone = self.deleted if days_later >= 1 else None
        shown = [i for i in column.items if i.day <= day and i is not gone]
        return [i for i in shown if i.pinned] + [i for i in shown if not i.pinned]

    def edited_ids(self, site: str, days_later: int = 0) -> frozenset[int]:
        """Ids (unique within a site only) of the items of `site` whose body shows the edit on that day."""
        edited = self.edited
        return frozenset({edited.id}) if edited and edited.site == site and days_later >= 1 else frozenset()

    def site(self, name: str) -> SiteSpec:
        for site in self.sites:
            if site.name == name:
                return site
        raise KeyError(name)
