"""The annual statistics as plain data: counts per site, category and column, the 清单 table, departments.

Built by `monitor.stats.compute`, laid out by the renderers. The JSON form (`Stats.to_json`) carries at least
`{"period": [start, end], "by_site": {...}, "catalog": [{category, item, columns: [{name, url}],
items_in_period, last_published, status}, ...]}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from monitor.findings import TITLES_SHOWN


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True, slots=True)
class ColumnCount:
    """One column's items in the period: by the date shown, and by the day the crawler saw them appear."""

    site: str
    name: str
    url: str
    category: str | None
    item: str | None
    by_date_shown: int
    appeared: int  # first seen in the period, not on the column's first crawl (the crawler saw them appear)
    appeared_undated: int


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One line of the 清单事项公开情况表."""

    institution: str
    category: str
    item: str
    item_id: str
    columns: tuple[tuple[str, str, str], ...]  # (site, name, url) of every column that carries it
    items_in_period: int
    last_published: date | None
    status: str  # the worst status of its columns on the period's last day, or "missing"
    working_days: int | None = None  # the n-working-day rule, if the item has one
    met_working_days: int = 0  # items of the period that appeared within it
    known_working_days: int = 0  # items of the period for which it can be known
    via: str = "column"  # how it is covered: column | titles | column+titles | none (monitor.coverage)
    # (site, column, title, url, date shown) of the items whose titles show it, newest first
    titles: tuple[tuple[str, str, str, str, date | None], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "institution": self.institution,
            "category": self.category,
            "item": self.item,
            "item_id": self.item_id,
            "columns": [{"site": s, "name": n, "url": u} for s, n, u in self.columns],
            "items_in_period": self.items_in_period,
            "last_published": _iso(self.last_published),
            "status": self.status,
            "working_days": self.working_days,
            "met_working_days": self.met_working_days,
            "known_working_days": self.known_working_days,
            "via": self.via,
            "title_count": len(self.titles),
            "titles": [
                {"site": s, "column": c, "title": t, "url": u, "date_shown": _iso(d)}
                for s, c, t, u, d in self.titles[:TITLES_SHOWN]
            ],
        }


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    """A department's (or email contact's) timeliness: the share of its columns fresh at each weekly crawl."""

    name: str
    columns: int  # columns it is responsible for (on the period's last day)
    weeks: int  # weekly crawls in the period
    mean_share: float | None  # mean share of fresh columns over those crawls (None: no crawl)
    min_share: float | None
    last_share: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "columns": self.columns,
            "weeks": self.weeks,
            "fresh_share_mean": self.mean_share,
            "fresh_share_min": self.min_share,
            "fresh_share_last": self.last_share,
        }


@dataclass(slots=True)
class Stats:
    """Everything `xxgk stats` reports for one period."""

    start: date
    end: date
    as_of: date  # the day statuses were judged (the period's end, or today for a period not over yet)
    college: str = ""
    by_site: dict[str, int] = field(default_factory=dict)  # items by date shown
    appeared_by_site: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    columns: list[ColumnCount] = field(default_factory=list)
    deleted_by_site: dict[str, int] = field(default_factory=dict)
    edited_by_site: dict[str, int] = field(default_factory=dict)
    catalog: list[CatalogRow] = field(default_factory=list)
    departments: list[DepartmentRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    site_names: dict[str, str] = field(default_factory=dict)  # config id -> display name (monitor.sitenames)

    def site_name(self, site: str) -> str:
        """A site as people read it: its display name, never its config id (unknown: 网站)."""
        return self.site_names.get(site) or "网站"

    @property
    def total(self) -> int:
        return sum(self.by_site.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "period": [self.start.isoformat(), self.end.isoformat()],
            "as_of": self.as_of.isoformat(),
            "college": self.college,
            "total": self.total,
            "by_site": dict(self.by_site),
            "appeared_by_site": dict(self.appeared_by_site),
            "by_category": dict(self.by_category),
            "columns": [
                {
                    "site": c.site,
                    "name": c.name,
                    "url": c.url,
                    "category": c.category,
                    "item": c.item,
                    "by_date_shown": c.by_date_shown,
                    "appeared": c.appeared,
                    "appeared_undated": c.appeared_undated,
                }
                for c in self.columns
            ],
            "deleted_by_site": dict(self.deleted_by_site),
            "edited_by_site": dict(self.edited_by_site),
            "catalog": [r.to_json() for r in self.catalog],
            "departments": [d.to_json() for d in self.departments],
            "notes": list(self.notes),
            "site_names": dict(self.site_names),
        }
