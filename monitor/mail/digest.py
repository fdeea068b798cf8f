"""The weekly digest for one recipient: what of theirs is late, worst first, plus the last weeks at a glance.

The model is plain data, built once per recipient from the week's facts (`facts.WeekFacts`) and a route; the
two renderers (`render_html`, `render_text`) only lay it out. Nothing here escapes text: escaping belongs to
the renderer that knows its output format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from monitor.statuses import FINDING_LABELS, LATE, MISSING_REASON, NO_COLUMNS_REASON, SEVERITY, STATUS_LABELS

from .routing import OFFICE_NAME, Route
from .todo import Due, Owner, column_due

# Statuses, their Chinese names and their order are the report's: one vocabulary for every output.
ITEM_LABELS = FINDING_LABELS
# Columns without a verdict: seen before and not now (栏目消失 / 本次未检查), or a single page that shows no
# date (未标注日期). A section of their own, never silence.
ABSENT = ("gone", "unchecked", "undated")
ABSENT_TITLE = "栏目消失 / 本次未检查 / 未标注日期"


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
    owner: Owner | None = None  # who acts on it (责任部门 and contact)
    deadline: date | None = None  # an annual rule's deadline that decided (Section.due)
    reminder: Due | None = None  # fresh, but its next annual deadline is near and its new cycle not out

    def due(self, as_of: date) -> Due:
        """By when it should have been updated or repaired (monitor.mail.todo.column_due)."""
        return column_due(
            self.status,
            as_of,
            last_published=self.last_published,
            limit_days=self.limit_days,
            deadline=self.deadline,
            since=self.since,
        )

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
    reason: str  # in Chinese
    department: str = ""
    owner: Owner | None = None
    # or "site_empty": it answered, and no column was found in it; or "site_menu": its menu is drawn by a
    # script that could not be read, so columns only that menu links may be missing from the report
    kind: str = "site_down"


@dataclass(frozen=True, slots=True)
class MissingItem:
    """A 清单 item for which no column was found on any site."""

    category: str
    item: str
    note: str = ""
    owner: Owner | None = None
    due: Due | None = None
    institution: str = ""
    status: str = "missing"  # or, for an item whose titles show only an out-of-date publication, theirs


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


# What a to-do row is, in the order rows of one department are listed (worst first), with its Chinese name.
TODO_KINDS: dict[str, str] = {
    "site_down": "网站无法访问",
    "site_empty": "网站未发现栏目",
    "site_menu": "导航菜单未能读取",
    "unreachable": "栏目无法访问",
    "stale": STATUS_LABELS["stale"],
    "blocked": STATUS_LABELS["blocked"],
    "empty": STATUS_LABELS["empty"],
    "missing": "缺失清单事项",
    "upcoming": "即将到期",
}
SITE_KINDS = ("site_down", "site_empty", "site_menu")  # rows about a whole site, not a column or a 清单 item
# Why a site that answered but showed no column is on the to-do.
EMPTY_SITE_WHY = f"网站可以访问，但{NO_COLUMNS_REASON}"
OFFICE_OWNER = Owner(OFFICE_NAME, office=True)
MISSING_WHY = MISSING_REASON  # the judgement's reason for a 清单 item nothing covers


@dataclass(frozen=True, slots=True)
class TodoRow:
    """One thing to do: who (the group it is in), what, by when, why."""

    kind: str  # a key of TODO_KINDS
    site: str  # the site's display name ("" for a 清单 item no site has)
    column: str  # the column's name ("" for a site or a missing item)
    url: str  # the column's (or the site's) address
    category: str
    item: str  # the 清单 item
    due: Due
    why: str  # in the report's Chinese
    newest_title: str | None = None
    newest_url: str | None = None
    last_published: date | None = None
    new_this_week: bool = False

    @property
    def label(self) -> str:
        return TODO_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True)
class Group:
    """One department's rows: what the office forwards to it, or what its own copy lists."""

    owner: Owner
    rows: list[TodoRow]


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
    site_names: dict[str, str] = field(default_factory=dict)  # config name -> display name
    departments: list[str] = field(default_factory=list)  # the order groups are listed in (the config's)
    crawl_note: str = ""  # the latest crawl did not finish: which run the week is judged on (Chinese)
    # the configured colleges (several: a row names its own)
    institutions: list[str] = field(default_factory=list)


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
    site_names: dict[str, str] = field(default_factory=dict)
    departments: list[str] = field(default_factory=list)  # the order of the to-do's groups
    upcoming: list[ColumnLine] = field(default_factory=list)  # fresh annual columns due soon (即将到期)
    crawl_note: str = ""  # the latest crawl did not finish: which run the digest is judged on
    institutions: list[str] = field(default_factory=list)

    @property
    def groups(self) -> list[Group]:
        """The to-do by department: what each one acts on, worst first."""
        return group_rows(self, self.departments)

    def site_name(self, site: str) -> str:
        """A site as people read it: its display name, never its config id (unknown: the kind's name)."""
        return self.site_names.get(site) or "网站"

    @property
    def todo(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    @property
    def order_line(self) -> str:
        """One line saying how the to-do is ordered and grouped."""
        kinds = "、".join(TODO_KINDS.values())
        within = f"最紧急的在前（{kinds}），同类中超期天数多的在前"
        if self.office:
            return (
                f"排列：按责任部门分组（部门顺序同配置，{OFFICE_NAME}自办的在最后），每组可整组转发给该部门；"
                f"组内{within}。"
            )
        return f"排列：{self.audience}负责的事项，{within}；每项写明应完成日期。"

    def tally(self) -> list[tuple[str, int]]:
        """Every kind of news with its count (none left out, zeros dropped), worst first: the subject's."""
        statuses = [c.status for c in self.late] + [m.status for m in self.missing]
        late = {k: statuses.count(k) for k in LATE}
        kinds = [
            (TODO_KINDS["site_down"], sum(1 for s in self.sites_down if s.kind == "site_down")),
            (TODO_KINDS["site_empty"], sum(1 for s in self.sites_down if s.kind == "site_empty")),
            (TODO_KINDS["site_menu"], sum(1 for s in self.sites_down if s.kind == "site_menu")),
            *((TODO_KINDS[k], late[k]) for k in LATE),
            (STATUS_LABELS["gone"], sum(1 for c in self.absent if c.status == "gone")),
            (TODO_KINDS["missing"], sum(1 for m in self.missing if m.status == "missing")),
            (TODO_KINDS["upcoming"], len(self.upcoming)),
            ("存疑条目", len(self.items)),
            ("失效附件", len(self.broken)),
        ]
        return [(name, n) for name, n in kinds if n]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def has_news(self) -> bool:
        """True when there is anything to act on (a digest without news goes only to the office)."""
        gone = any(c.status == "gone" for c in self.absent)
        news = self.late or self.sites_down or self.missing or self.items or self.broken or self.upcoming
        return bool(news or gone)


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
        site_names=facts.site_names,
        departments=facts.departments,
        upcoming=[c for c in mine if c.reminder is not None and c.status == "fresh"],
        crawl_note=facts.crawl_note,
        institutions=facts.institutions,
    )


def todo_rows(d: Digest) -> list[tuple[Owner, TodoRow]]:
    """Every row to act on, with who acts: sites down, late columns (by status, then most overdue by the
    due date shown: an annual column counts from its deadline), 清单 items not found."""
    out: list[tuple[Owner, TodoRow]] = []
    for s in d.sites_down:
        why = s.reason
        out.append(
            (s.owner or OFFICE_OWNER, TodoRow(s.kind, d.site_name(s.site), "", s.url, "", "", _NOW, why))
        )
    dues = {id(c): c.due(d.as_of) for c in d.late}
    late = sorted(d.late, key=lambda c: (SEVERITY.get(c.status, 99), -dues[id(c)].overdue_days))  # stable
    for c in late:
        row = TodoRow(
            kind=c.status,
            site=d.site_name(c.site),
            column=c.name,
            url=c.url,
            category=c.category,
            item=c.item,
            due=dues[id(c)],
            why=c.note,
            newest_title=c.newest_title,
            newest_url=c.newest_url,
            last_published=c.last_published,
            new_this_week=c.new_this_week,
        )
        out.append((c.owner or OFFICE_OWNER, row))
    for m in d.missing:
        why = m.note or MISSING_WHY
        college = m.institution if len(d.institutions) > 1 else ""  # whose item, when several are watched
        row = TodoRow(m.status, college, "", "", m.category, m.item, m.due or _NOW, why)
        out.append((m.owner or OFFICE_OWNER, row))
    soon = sorted(
        d.upcoming, key=lambda c: (c.reminder.day if c.reminder and c.reminder.day else d.as_of, c.name)
    )
    for c in soon:
        assert c.reminder is not None
        why = (
            f"本周期尚未发布；目前最新为{c.last_published.isoformat()}"
            if c.last_published
            else "尚无带日期的信息"
        )
        row = TodoRow(
            "upcoming", d.site_name(c.site), c.name, c.url, c.category, c.item, c.reminder, why,
            newest_title=c.newest_title, newest_url=c.newest_url, last_published=c.last_published,
        )  # fmt: skip
        out.append((c.owner or OFFICE_OWNER, row))
    return out


_NOW = Due(None, "立即")


def group_rows(d: Digest, departments: list[str]) -> list[Group]:
    """The rows by department: in `departments`' order, then any other in order of appearance, the office
    last; within a group, rows keep `todo_rows`' order (worst first)."""
    groups: dict[Owner, list[TodoRow]] = {}
    for owner, row in todo_rows(d):
        groups.setdefault(owner, []).append(row)
    rank = {name: n for n, name in enumerate(departments)}
    order = sorted(groups, key=lambda o: (o.office, rank.get(o.department, len(rank)), list(groups).index(o)))
    return [Group(owner, groups[owner]) for owner in order]
