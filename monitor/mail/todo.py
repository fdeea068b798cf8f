"""The to-do part of the digest: for every late row, who acts, by when, and under which names it is shown.

- **Who** (`owner_of`): the most specific `[[email.routes]]` entry that takes the row — one naming the column
  (name or URL), then one naming the site, then its department, then its 清单 category — gives the 责任部门
  (the route's `name`) and its contact (the route's addresses). With no route, the site's `[[sites]]
  department` is named with no contact (the office forwards it); with neither, the office itself.
- **By when** (`column_due`, `item_due`): a column judged by a cadence was due on its newest date + the
  limit; an annual column on the deadline that decided (预算 5月31日, the annual report 10月31日); either,
  once passed, says 已超期 N 天. A column that cannot be read, is empty or shows no date is due now (立即). A
  清单 item with no column: its yearly deadline from the catalog, else now. `reminder`: a fresh annual
  column whose next deadline is near and whose new cycle is not out yet (即将到期).
- **Where**: sites are shown by the display names the judgement carries (`monitor.sitenames`), never by
  their config ids.

Pure functions over plain values: the facts module calls them once per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from monitor.rules import Cadence, cn_date, deadline_window

from .routing import OFFICE_NAME, Route


@dataclass(frozen=True, slots=True)
class Owner:
    """The department that acts on a row, and how to reach it."""

    department: str  # 责任部门 as people read it
    contact: str = ""  # its addresses, "、"-joined; "" when no route names it
    office: bool = False  # nobody else: the disclosure office itself

    @property
    def label(self) -> str:
        if self.office:
            return f"{OFFICE_NAME}（未指定责任部门）"
        return self.department

    @property
    def reach(self) -> str:
        return self.contact or "未配置联系人，请信息公开办公室转交"


@dataclass(frozen=True, slots=True)
class Due:
    """By when a row should have been done: a day (None: now), and the words for it."""

    day: date | None
    text: str
    overdue_days: int = 0


def owner_of(
    routes: Sequence[Route],
    office_to: Sequence[str],
    *,
    site: str,
    department: str,
    category: str,
    name: str = "",
    url: str = "",
) -> Owner:
    """Who acts on a row of `site` (its `department`), in 清单 `category`, column `name` at `url`."""
    contacts = [r for r in routes if not r.office]
    tests = (
        lambda r: bool(name and name in r.columns) or bool(url and url in r.columns),
        lambda r: site in r.sites,
        lambda r: bool(department and department in r.departments),
        lambda r: bool(category and category in r.categories),
    )
    for test in tests:
        route = next((r for r in contacts if test(r)), None)
        if route is not None:
            return Owner(route.name or department or "栏目负责人", "、".join(route.to))
    if department:
        return Owner(department)
    return Owner(OFFICE_NAME, "、".join(office_to), office=True)


def _overdue(day: date, as_of: date, verb: str = "") -> Due:
    late = (as_of - day).days
    text = f"{cn_date(day)}前{verb}"
    return Due(day, f"{text}（已超期 {late} 天）" if late > 0 else text, max(late, 0))


def column_due(
    status: str,
    as_of: date,
    *,
    last_published: date | None,
    limit_days: int | None,
    deadline: date | None,
    since: date | None,
) -> Due:
    """By when a late column should have been updated or repaired."""
    if status == "stale":
        if deadline is not None:  # an annual rule: the deadline that decided
            return _overdue(deadline, as_of, "发布")
        if last_published is not None and limit_days is not None:
            return _overdue(last_published + timedelta(days=limit_days), as_of, "更新")
        return Due(None, "立即（条目均未标注发布日期，视为未更新）")
    if status in ("unreachable", "blocked"):
        if since is not None:
            days = (as_of - since).days
            return Due(None, f"立即（自{cn_date(since)}起" + (f"，已持续 {days} 天）" if days > 0 else "）"))
        return Due(None, "立即")
    if status == "empty":
        return Due(None, "立即（栏目没有任何信息）")
    return Due(None, "")


def reminder(
    as_of: date,
    *,
    last_published: date | None,
    limit_days: int | None,
    next_due: date | None,
    days: int,
) -> Due | None:
    """A fresh annual column whose next deadline is at most `days` away and whose new cycle is not out yet.

    Fresh before a deadline means the previous cycle's publication still counts: the annual rule's limit says
    which period that is (as_of − limit − 1 is its end), and the next deadline asks for something dated after
    the same day a year later (the 2026 budget, dated after 2025-12-31, by 2026-05-31)."""
    if next_due is None or limit_days is None or days <= 0:
        return None
    left = (next_due - as_of).days
    if not 0 <= left <= days:
        return None
    period = as_of - timedelta(days=limit_days + 1)
    period_next = period.replace(year=period.year + 1)
    if last_published is not None and last_published > period_next:
        return None  # the new cycle is published already
    when = "今天截止" if left == 0 else f"还有 {left} 天"
    return Due(next_due, f"{cn_date(next_due)}前发布（{when}；应发布{cn_date(period_next)}之后的信息）")


def item_due(cadence: Cadence | None, as_of: date) -> Due:
    """By when a 清单 item no column covers should be public: its yearly deadline, else now."""
    if cadence is not None and cadence.kind == "annual":
        passed, _, upcoming = deadline_window(
            as_of, str(cadence.params["due"]), str(cadence.params["period_end"])
        )
        return Due(
            passed, f"{cadence.describe()}（最近一次截止：{cn_date(passed)}；下次：{cn_date(upcoming)}）"
        )
    rule = f"（{cadence.describe()}）" if cadence is not None else ""
    return Due(None, f"立即设立栏目并公开{rule}")
