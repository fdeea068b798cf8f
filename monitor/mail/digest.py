"""The weekly digest for one recipient: what of theirs is late, worst first, plus the last weeks at a glance.

The model is plain data, built once per recipient from the week's facts (`facts.WeekFacts`) and a route; the
two renderers (`render_html`, `render_text`) only lay it out. Nothing here escapes text: escaping belongs to
the renderer that knows its output format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from monitor.findings import FINDING_LABELS, LATE, SEVERITY

from .routing import Route

# Statuses, their Chinese names and their order are the report's: one vocabulary for every output.
ITEM_LABELS = FINDING_LABELS
# Columns seen before and not now: a section of their own (栏目消失 / 本次未检查), never silence.
ABSENT = ("gone", "unchecked")
ABSENT_TITLE = "栏目消失 / 本次未检查"


@dataclass(frozen=True, slots=True)
class ColumnLine:
    """One column as judged on the digest's day."""

    site: str
    name: str
    url: str
    status: str
    department: str = ""
    category: str = ""
    item: str = ""
    age_days: int | None = None  # days since the newest item (None: no dated item)
    limit_days: int | None = None  # the rule's limit for this column
    last_published: date | None = None
    newest_title: str | None = None
    newest_url: str | None = None
    note: str = ""  # why unreachable / blocked, or the rule's name
    since: date | None = None  # unreachable / blocked / gone / unchecked: since when
    new_this_week: bool = False  # late now, not late a week ago
    site_down: bool = False  # its whole site is down: shown as one site line, not as a late column

    @property
    def overdue_days(self) -> int:
        if self.age_days is None or self.limit_days is None:
            return 0
        return self.age_days - self.limit_days


@dataclass(frozen=True, slots=True)
class SiteDown:
    """A whole site that could not be read (its columns then show as unreachable too)."""

    site: str
    url: str
    reason: str
    department: str = ""


@dataclass(frozen=True, slots=True)
class MissingItem:
    """A 清单 item for which no column was found on any site."""

    category: str
    item: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One item found back-dated, deleted or edited after publication."""

    kind: str  # backdated | deleted | edited
    site: str
    column: str
    title: str
    url: str
    column_url: str = ""
    department: str = ""
    category: str = ""
    shown: date | None = None  # the date the site shows
    seen: date | None = None  # first seen (back-dated) or last seen (deleted)
    detail: str = ""


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """An attachment or link on a published page that no longer opens."""

    site: str
    page_url: str
    url: str
    error: str
    page_title: str = ""
    text: str = ""
    department: str = ""


@dataclass(frozen=True, slots=True)
class WeekCell:
    """One category in one week: how many of its columns were late, and the worst status among them."""

    late: int
    total: int
    worst: str  # a key of STATUS_LABELS; "fresh" when none was late


@dataclass(slots=True)
class WeekGrid:
    weeks: list[str] = field(default_factory=list)  # labels, oldest first ("第7周")
    rows: list[tuple[str, list[WeekCell | None]]] = field(default_factory=list)  # (category, a cell per week)


@dataclass(slots=True)
class WeekFacts:
    """Everything the week's digests are made of, for all columns (the office's view)."""

    college: str
    as_of: date
    columns: list[ColumnLine]
    history: list[tuple[str, list[ColumnLine]]] = field(
        default_factory=list
    )  # (week label, columns), oldest first
    sites_down: list[SiteDown] = field(default_factory=list)
    missing: list[MissingItem] = field(default_factory=list)
    items: list[ItemLine] = field(default_factory=list)
    broken: list[BrokenLink] = field(default_factory=list)
    report_url: str = ""  # [report] html_url: where the HTML report is published (empty: not linked)


@dataclass(slots=True)
class Digest:
    """What one recipient reads."""

    college: str
    audience: str  # "信息公开办公室" or the route's name
    office: bool
    as_of: date
    week: str  # ISO week, "2026-W07"
    counts: dict[str, int]  # status -> columns, over the recipient's columns
    late: list[ColumnLine]  # worst first
    new_this_week: list[ColumnLine]
    sites_down: list[SiteDown]
    missing: list[MissingItem]
    items: list[ItemLine]
    broken: list[BrokenLink]
    grid: WeekGrid
    report_url: str = ""
    # columns seen before and not now: gone (with the reason), or unchecked (a limit cut the crawl short)
    absent: list[ColumnLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def has_news(self) -> bool:
        """True when there is anything to act on (a digest without news goes only to the office)."""
        gone = any(c.status == "gone" for c in self.absent)
        return bool(self.late or self.sites_down or self.missing or self.items or self.broken or gone)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def worst_first(columns: Iterable[ColumnLine]) -> list[ColumnLine]:
    """Late columns by status severity, then most overdue first, then site and name for a stable order."""
    return sorted(
        (c for c in columns if c.status in LATE and not c.site_down),
        key=lambda c: (
            SEVERITY.get(c.status, 99),
            -c.overdue_days,
            -(c.age_days or 0),
            c.site,
            c.name,
            c.url,
        ),
    )


def week_grid(history: list[tuple[str, list[ColumnLine]]], keep: Callable[[ColumnLine], bool]) -> WeekGrid:
    """The category × week table of the columns `keep` selects: late count and worst status per cell."""
    categories: list[str] = []
    for _, cols in history:
        for c in cols:
            cat = c.category or "未归类"
            if keep(c) and cat not in categories:
                categories.append(cat)
    grid = WeekGrid(weeks=[label for label, _ in history])
    for cat in categories:
        cells: list[WeekCell | None] = []
        for _, cols in history:
            mine = [c for c in cols if keep(c) and (c.category or "未归类") == cat]
            if not mine:
                cells.append(None)
                continue
            late = [c for c in mine if c.status in LATE]
            worst = min((c.status for c in mine), key=lambda s: SEVERITY.get(s, 99))
            cells.append(WeekCell(late=len(late), total=len(mine), worst=worst))
        grid.rows.append((cat, cells))
    return grid


def build_digest(facts: WeekFacts, route: Route) -> Digest:
    """The digest for one route: the office route takes everything, a contact's route only their part."""

    def col(c: ColumnLine) -> bool:
        return route.takes_column(c.site, c.department, c.category, c.name, c.url)

    mine = [c for c in facts.columns if col(c)]
    counts: dict[str, int] = {}
    for c in mine:
        counts[c.status] = counts.get(c.status, 0) + 1
    late = worst_first(mine)
    return Digest(
        college=facts.college,
        audience=route.audience,
        office=route.office,
        as_of=facts.as_of,
        week=iso_week(facts.as_of),
        counts=counts,
        late=late,
        new_this_week=[c for c in late if c.new_this_week],
        sites_down=[s for s in facts.sites_down if route.takes_site(s.site, s.department)],
        missing=[m for m in facts.missing if route.takes_category(m.category)],
        items=[
            i
            for i in facts.items
            if route.takes_column(i.site, i.department, i.category, i.column, i.column_url)
        ],
        broken=[b for b in facts.broken if route.takes_site(b.site, b.department)],
        grid=week_grid(facts.history, col),
        report_url=facts.report_url,
        absent=sorted(
            (c for c in mine if c.status in ABSENT and not c.site_down),
            key=lambda c: (SEVERITY.get(c.status, 99), c.site, c.name, c.url),
        ),
    )
