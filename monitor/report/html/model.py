"""The HTML report as plain data: what every page shows, computed once, laid out by the templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from monitor.findings import Coverage, Finding, Section, SiteLine
from monitor.judgement import Judgement
from storage.facts import EditFacts, ItemFacts, LinkFacts

# The column statuses every scorecard and the legend show (a status the judgement adds later is shown too);
# gone (栏目消失) and unchecked (本次未检查) are news even at 0, like the text report's counts.
CARD_STATUSES = ("fresh", "stale", "empty", "unreachable", "blocked", "gone", "unchecked")


@dataclass(frozen=True, slots=True)
class Week:
    """One crawl week of the heat map: the ISO week and the day its judgement is as of (its Sunday, or the
    report's day for the current week)."""

    iso: str  # 2026-W07
    label: str  # 第7周
    as_of: date


@dataclass(frozen=True, slots=True)
class Cell:
    """A column in a week: its status as judged then (None: not known yet that week)."""

    week: Week
    status: str | None
    newest: date | None = None
    age_days: int | None = None
    items: int | None = None


@dataclass(frozen=True, slots=True)
class Point:
    """A column at one finished crawl: the time series of the column page."""

    day: date
    state: str
    items: int
    newest: date | None
    age_days: int | None  # crawl day - newest date


@dataclass(slots=True)
class ColumnView:
    section: Section
    page: str  # file name of its page
    site_page: str
    cells: list[Cell] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)  # who acts (routes), the office when no route takes it
    points: list[Point] = field(default_factory=list)
    added: list[tuple[str, int]] = field(default_factory=list)  # (ISO week, items first seen that week)
    deleted: list[ItemFacts] = field(default_factory=list)
    edited: list[EditFacts] = field(default_factory=list)
    backdated: list[Finding] = field(default_factory=list)
    broken: list[LinkFacts] = field(default_factory=list)
    lags: list[int] = field(default_factory=list)  # days from date shown to first seen, items that appeared
    recent: list[ItemFacts] = field(default_factory=list)  # items listed now, newest date first (at most 20)
    former: bool = False  # gone before the report's window: a heat-map row and a page, not counted


@dataclass(frozen=True, slots=True)
class Annual:
    """The annual report (清单 basic.annual_report) of an institution."""

    status: str  # the covering column's status, or missing
    verdict: str  # 按时 / 逾期 / 未找到 / the status label
    last_published: date | None
    due: date | None
    page: str | None  # the column page, if a column carries it


@dataclass(slots=True)
class Scorecard:
    name: str
    counts: dict[str, int]  # status -> columns (CARD_STATUSES always present)
    columns: int
    applicable: int = 0  # 清单 items that apply (institutions only)
    missing: int = 0
    annual: Annual | None = None
    median_lag: float | None = None
    page: str | None = None
    site: SiteLine | None = None  # sites only

    @property
    def covered(self) -> int:
        return self.applicable - self.missing

    @property
    def late(self) -> int:
        return sum(n for s, n in self.counts.items() if s != "fresh")

    @property
    def fresh_share(self) -> float | None:
        return self.counts.get("fresh", 0) / self.columns if self.columns else None

    def worst_key(self) -> tuple[float, int, int, str]:
        """Worst first: the lowest share of fresh columns, then the most late columns, then missing items."""
        share = self.fresh_share
        return (share if share is not None else -1.0, -self.late, -self.missing, self.name)


@dataclass(frozen=True, slots=True)
class CatalogLine:
    """One line of the 清单事项公开情况表."""

    institution: str
    category: str
    item: str
    item_id: str
    status: str  # the coverage's status; "—" when the institution was not judged
    columns: tuple[ColumnView, ...]
    coverage: Coverage | None = None  # the evidence: its columns and the titles that show it


@dataclass(slots=True)
class SiteView:
    card: Scorecard
    page: str
    columns: list[ColumnView] = field(default_factory=list)  # grouped by category, worst first within
    former: list[ColumnView] = field(default_factory=list)  # gone before the window: rows, never counted

    @property
    def groups(self) -> list[tuple[str, list[ColumnView]]]:
        """(category, its columns) in the columns' order, then the former columns: the heat map's rows."""
        out: dict[str, list[ColumnView]] = {}
        for c in [*self.columns, *self.former]:
            out.setdefault(c.section.category or "", []).append(c)
        return list(out.items())


@dataclass(slots=True)
class InstitutionView:
    card: Scorecard
    sites: list[SiteView] = field(default_factory=list)
    catalog: list[CatalogLine] = field(default_factory=list)


@dataclass(slots=True)
class HtmlReport:
    judgement: Judgement
    generated: datetime
    weeks: list[Week]
    institutions: list[InstitutionView]
    todo: list[ColumnView]  # every column that calls for action, worst first
    statuses: list[str]  # the statuses shown in the heat map and scorecards, for the legend
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[ColumnView]:
        return [c for i in self.institutions for s in i.sites for c in s.columns]

    @property
    def former_columns(self) -> list[ColumnView]:
        """Columns gone before the report's window: a heat-map row and a page each, in no count."""
        return [c for i in self.institutions for s in i.sites for c in s.former]

    @property
    def sites(self) -> list[SiteView]:
        return [s for i in self.institutions for s in i.sites]
