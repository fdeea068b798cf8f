"""What the judgement found, row by row: plain data shared by the report, the weekly email and the stats.

Three layers (rules → findings → renderers): `monitor.judge` builds a `Judgement` (monitor/judgement.py) of
these rows; `monitor.report`, the mail digest and `monitor.stats` only read it. These dataclasses are a
contract between engineers: fields are added, never renamed or removed. Text fields come from the web (column
names, titles, errors): every renderer escapes them for its format. Their statuses and labels are
`monitor.statuses`.

- `Section`: one row of the report — a discovered column with its mapping, rule and status, or a 清单 item no
  column maps to (`status == "missing"`, `url is None`).
- `SiteLine`: one line per site: up, down (one line instead of fifty unreachable columns), or never crawled;
  and the limits its latest crawl hit (a crawl cut short: its unseen columns are `unchecked`).
- `Finding`: one item-level timeliness finding: back-dated/late, deleted, edited after publication.
- `Coverage`: one 清单 item of an institution: covered by the columns mapped to it and/or by items whose
  titles show it (`TitleEvidence`), its status and the evidence that decided; or missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from monitor.statuses import COVERED_VIA, FINDING_LABELS, SEVERITY, STATUS_LABELS


def iso(value: date | datetime | None) -> str | None:
    """A date or time as ISO text for JSON; None stays None."""
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class Section:
    """One report row: a column as judged on `as_of`, or a missing 清单 item.

    The first eleven fields are the report's JSON contract (see `to_json`); the rest explain them.
    """

    site: str | None  # the site's name; for a missing item, the institution's disclosure site
    name: str  # the column's name as the site shows it; for a missing item, the item's name
    url: str | None  # the column's first list page as the site links it; None for a missing item
    category: str | None  # 清单 category (None: the column matched no category)
    item: str | None  # 清单 item name (None: no item, generic rules)
    last_published: date | None  # newest date shown on any item (None: no dated item)
    items: int  # items listed at the last successful look
    status: str  # a key of STATUS_LABELS
    age_days: int | None  # as_of - last_published
    limit_days: int | None  # the largest fresh age on as_of under the column's rule
    institution: str = ""
    item_id: str | None = None
    covers: tuple[str, ...] = ()  # names of every 清单 item the column counts for
    cover_ids: tuple[str, ...] = ()  # their ids
    via: str = "none"  # how it was mapped: override | directory | keyword | path | category | none
    mapped_by: str = ""  # the mapping in words (关键词“招生章程”)
    rule: str = ""  # the cadence in words (每年10月31日前 / 每14天)
    rule_source: str = ""  # where the cadence came from (清单:basic.annual_report, generic:新闻动态, config)
    reason: str = ""  # why this status, in Chinese
    undated: int = 0  # items shown without a date
    due: date | None = None  # annual rules: the deadline that decided
    next_due: date | None = None  # annual rules: the next deadline
    since: datetime | None = None  # unreachable/blocked: first failing crawl of the current streak;
    # gone/unchecked: the first crawl that did not see it
    error: str | None = None  # why unreachable/blocked, as recorded by the crawl
    department: str = ""  # [[sites]] department
    site_kind: str = ""  # disclosure | portal | department
    site_down: bool = False  # the whole site was down (the report shows one line for it)
    newest_title: str | None = None
    newest_url: str | None = None
    working_days: int | None = None  # the 20-working-day rule that applies, when the item has one
    partial: bool = False  # read in part (a script pager hid pages): `items` counts the pages read

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def overdue_days(self) -> int:
        if self.age_days is None or self.limit_days is None:
            return 0
        return max(self.age_days - self.limit_days, 0)

    def sort_key(self) -> tuple[Any, ...]:
        """Worst first: status severity, most overdue, oldest, then name for a stable order."""
        return (
            SEVERITY.get(self.status, 99),
            -self.overdue_days,
            -(self.age_days if self.age_days is not None else 10**6),
            self.name,
            self.url or "",
        )

    def to_json(self) -> dict[str, Any]:
        """The report's JSON contract (exact keys first), then the explanation."""
        return {
            "site": self.site,
            "name": self.name,
            "url": self.url,
            "category": self.category,
            "item": self.item,
            "last_published": iso(self.last_published),
            "items": self.items,
            "status": self.status,
            "age_days": self.age_days,
            "limit_days": self.limit_days,
            "institution": self.institution,
            "item_id": self.item_id,
            "covers": list(self.covers),
            "via": self.via,
            "mapping": self.mapped_by,
            "rule": self.rule,
            "rule_source": self.rule_source,
            "reason": self.reason,
            "undated": self.undated,
            "due": iso(self.due),
            "since": iso(self.since),
            "error": self.error,
            "department": self.department,
            "site_down": self.site_down,
            "partial": self.partial,
        }


@dataclass(frozen=True, slots=True)
class SiteLine:
    """A site on as_of: `ok`, `down` (no page answered in its latest crawl) or `never` (not crawled)."""

    site: str
    institution: str
    kind: str
    status: str  # ok | down | never
    department: str = ""
    since: datetime | None = None  # down: first crawl of the current down streak
    last_crawl: datetime | None = None
    home_url: str | None = None
    error: str | None = None
    columns: int = 0  # columns known on the site
    limits: str | None = None  # the limits its latest crawl hit (max_pages, max_depth, trap), in words
    not_requested: int = 0  # requests those limits dropped
    # the latest crawl's word that the site's menu is drawn by a script whose entries could not be read
    menu_notice: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "institution": self.institution,
            "kind": self.kind,
            "status": self.status,
            "department": self.department,
            "since": iso(self.since),
            "last_crawl": iso(self.last_crawl),
            "home_url": self.home_url,
            "error": self.error,
            "columns": self.columns,
            "limits": self.limits,
            "not_requested": self.not_requested,
            "menu_notice": self.menu_notice,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One item found back-dated or late (`backdated`), deleted, or edited after publication."""

    kind: str  # a key of FINDING_LABELS
    site: str
    url: str
    title: str
    column: str = ""  # the column's name
    column_url: str = ""
    category: str | None = None
    department: str = ""
    date_shown: date | None = None
    first_seen: datetime | None = None
    when: datetime | None = None  # backdated: first seen; deleted: vanished; edited: the crawl that saw it
    lag_days: int | None = None  # first seen (local day) - date shown
    lag_working_days: int | None = None  # the same in working days
    absent_on: date | None = (
        None  # backdated: a check of the column after the shown date that did not list it
    )
    detail: str = ""  # Chinese explanation

    @property
    def label(self) -> str:
        return FINDING_LABELS.get(self.kind, self.kind)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "site": self.site,
            "column": self.column,
            "column_url": self.column_url,
            "url": self.url,
            "title": self.title,
            "category": self.category,
            "date_shown": iso(self.date_shown),
            "first_seen": iso(self.first_seen),
            "when": iso(self.when),
            "lag_days": self.lag_days,
            "lag_working_days": self.lag_working_days,
            "absent_on": iso(self.absent_on),
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class TitleEvidence:
    """An item listed in some column whose title shows a 清单 item (the catalog's `titles` patterns)."""

    site: str
    column: str  # the column's name
    column_url: str
    title: str
    url: str
    date_shown: date | None
    pattern: str  # the pattern it matched

    def to_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "column": self.column,
            "column_url": self.column_url,
            "title": self.title,
            "url": self.url,
            "date_shown": iso(self.date_shown),
            "pattern": self.pattern,
        }


# The newest titles a JSON document lists per 清单 item (a 招标公告 pattern may match thousands); all count.
TITLES_SHOWN = 20


@dataclass(frozen=True, slots=True)
class Coverage:
    """One 清单 item expected of an institution on `as_of`, and the evidence that it is published.

    Covered when a column maps to it (`columns`) or when items whose titles show it are listed in any column
    of the institution (`titles`, newest first). Its status: `fresh` when either kind of evidence is fresh
    under the item's cadence; else the worst status of its columns; else (titles only) the titles' verdict;
    `missing` with no evidence. The numbers (age, limit, due, reason) are those of the evidence that decided.
    """

    institution: str
    category: str
    item_id: str
    item: str  # the wording the institution reads (the vocational one at a vocational college)
    status: str
    via: str  # a key of COVERED_VIA
    site: str | None = None  # the institution's disclosure site (where a missing item is reported)
    columns: tuple[Section, ...] = ()  # the columns mapped to it, worst first
    titles: tuple[TitleEvidence, ...] = ()
    last_published: date | None = None  # the newest date of all its evidence
    decided_by: str = ""  # "column" or "titles": whose numbers follow
    age_days: int | None = None
    limit_days: int | None = None
    due: date | None = None
    rule: str = ""
    reason: str = ""
    newest_title: str | None = None
    newest_url: str | None = None
    next_due: date | None = None  # annual items: the next deadline of the evidence that decided

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def via_label(self) -> str:
        return COVERED_VIA.get(self.via, self.via)

    @property
    def newest_evidence(self) -> TitleEvidence | None:
        return self.titles[0] if self.titles else None

    def evidence_words(self, site_name: Callable[[str | None], str], limit: int = 3) -> str:
        """Which evidence covers it, in Chinese: the columns (site by `site_name`/column) and the newest
        titles with dates."""
        parts = [f"栏目“{site_name(c.site)}/{c.name}”" for c in self.columns[:limit]]
        if len(self.columns) > limit:
            parts.append(f"等{len(self.columns)}个栏目")
        shown = [
            f"“{t.title}”（{t.date_shown.isoformat() if t.date_shown else '未标注日期'}，{t.column}）"
            for t in self.titles[:limit]
        ]
        if shown:
            more = f"等{len(self.titles)}条" if len(self.titles) > limit else ""
            parts.append("标题" + "、".join(shown) + more)
        return "；".join(parts) if parts else "各站点均未找到对应栏目或标题显示该事项的信息"

    def to_json(self) -> dict[str, Any]:
        return {
            "institution": self.institution,
            "category": self.category,
            "item_id": self.item_id,
            "item": self.item,
            "status": self.status,
            "via": self.via,
            "last_published": iso(self.last_published),
            "decided_by": self.decided_by,
            "age_days": self.age_days,
            "limit_days": self.limit_days,
            "due": iso(self.due),
            "next_due": iso(self.next_due),
            "rule": self.rule,
            "reason": self.reason,
            "newest_title": self.newest_title,
            "newest_url": self.newest_url,
            "columns": [
                {"site": c.site, "name": c.name, "url": c.url, "status": c.status} for c in self.columns
            ],
            "title_count": len(self.titles),
            "titles": [t.to_json() for t in self.titles[:TITLES_SHOWN]],
        }
