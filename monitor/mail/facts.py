"""The week's facts for the digests, from the judgement and storage: the one module that knows their shapes.

`collect_facts` judges every column as of the digest's day and as of the same weekday of each earlier week
(the category × week table, and "late now but not a week ago"), and adds the item findings of the
judgement's window ([report] changes_days) and the attachments that no longer open. Columns of a site that
is down are counted but left out of the late list: the site's one line says it, as in the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import storage
from monitor.config import Config
from monitor.failure_words import error_words
from monitor.findings import Finding, Section, SiteLine
from monitor.judgement import Judgement
from monitor.limits import menu_words
from monitor.statuses import LATE

from .digest import EMPTY_SITE_WHY, BrokenLink, ColumnLine, ItemLine, MissingItem, SiteDown, WeekFacts
from .routing import Route, routes_from_config
from .todo import Owner, column_due, item_due, owner_of, reminder


@dataclass(frozen=True, slots=True)
class _Who:
    """What the facts need to say who acts on a row (the routes and the office's addresses) and whether a
    fresh annual column is due soon (the day, [email] remind_days)."""

    routes: list[Route]
    office: tuple[str, ...]
    as_of: date
    remind_days: int

    def of(self, site: str, department: str, category: str, name: str = "", url: str = "") -> Owner:
        return owner_of(
            self.routes, self.office, site=site, department=department, category=category, name=name, url=url
        )


def _why(s: Section) -> str:
    """Why the column is late, in the report's words (an unreachable one's says what went wrong); for a
    blocked one, what blocked it too."""
    if s.status == "blocked":
        cause = error_words(s.error)
        if not cause or cause in s.reason:
            return s.reason or cause
        return f"{s.reason}：{cause}" if s.reason else cause
    return s.reason


def _column(s: Section, new: bool, who: _Who | None, down: bool = False) -> ColumnLine:
    since = s.since.date() if s.since else None
    return ColumnLine(
        site=s.site or "",
        name=s.name,
        url=s.url or "",
        status=s.status,
        department=s.department,
        category=s.category or "",
        item=s.item or "",
        age_days=s.age_days,
        limit_days=s.limit_days,
        last_published=s.last_published,
        newest_title=s.newest_title,
        newest_url=s.newest_url,
        note=_why(s),
        since=since,
        new_this_week=new,
        site_down=down,
        owner=who.of(s.site or "", s.department, s.category or "", s.name, s.url or "") if who else None,
        deadline=s.due,
        reminder=reminder(
            who.as_of,
            last_published=s.last_published,
            limit_days=s.limit_days,
            next_due=s.next_due,
            days=who.remind_days,
        )
        if who and s.status == "fresh"
        else None,
    )


def _item(f: Finding, zone: ZoneInfo) -> ItemLine:
    return ItemLine(
        kind=f.kind,
        site=f.site,
        column=f.column,
        title=f.title,
        url=f.url,
        column_url=f.column_url,
        department=f.department,
        category=f.category or "",
        shown=f.date_shown,
        seen=f.when.astimezone(zone).date() if f.when else None,  # the college's day, not UTC's
        detail=f.detail,
    )


def _week_label(day: date) -> str:
    return f"第{day.isocalendar()[1]}周"


def _end_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), zone)


def collect_facts(conn: Any, config: Config, *, as_of: date) -> WeekFacts:
    """Everything the week's digests show, for every column (routes select from it later)."""
    from monitor.judge import judge_with
    from monitor.judge_context import context_from_config

    zone = ZoneInfo(config.college.timezone)
    weeks = max(int(config.email.weeks), 2)
    ctx = context_from_config(config)
    judged: list[Judgement] = [judge_with(conn, ctx, as_of=as_of - timedelta(weeks=k)) for k in range(weeks)]
    now, before = judged[0], judged[1]
    was_late = {(s.site, s.url): s.status in LATE for s in before.columns}
    down = {line.site for line in now.sites_down}
    routes = routes_from_config(config)
    who = _Who(routes, tuple(config.email.to), as_of, config.email.remind_days)
    columns = [
        _column(
            s,
            new=s.status in LATE and was_late.get((s.site, s.url)) is False,
            who=who,
            down=s.site_down or s.site in down,
        )
        for s in now.columns
    ]
    departments = {site.name: site.department for site in config.sites}
    broken = [
        BrokenLink(
            site=link.site,
            page_url=link.referer or "",
            url=link.url,
            error=error_words(link.error or (f"HTTP {link.status}" if link.status else link.outcome)),
            text=link.link_text or "",
            department=departments.get(link.site, ""),
        )
        for link in storage.broken_links(conn, as_of=_end_of(as_of, zone))
        if link.role == "attachment"
    ]
    return WeekFacts(
        college=now.college or config.college.name,
        as_of=as_of,
        columns=columns,
        history=[
            (_week_label(j.as_of), [_column(s, False, None) for s in j.columns]) for j in reversed(judged)
        ],
        sites_down=[_site_down(line, who) for line in now.sites_down]
        + [_site_empty(line, who) for line in now.sites if line.status == "ok" and not line.columns]
        + [_site_menu(line, who) for line in now.sites if line.status == "ok" and line.menu_notice],
        missing=[
            MissingItem(
                s.category or "",
                s.name,
                s.reason,
                owner=who.of("", "", s.category or ""),
                due=item_due(ctx.catalog.item(s.item_id).cadence if s.item_id else None, as_of),
                institution=s.institution,
            )
            for s in now.missing
        ]
        + late_by_titles(now, who),
        items=[_item(f, zone) for f in now.findings],
        broken=broken,
        report_url=config.report.html_url,
        crawl_note=now.crawl.note,
        site_names=dict(now.site_names),
        institutions=list(dict.fromkeys(config.institution(site) for site in config.sites)),
        departments=list(
            dict.fromkeys(
                [r.name for r in routes if not r.office and r.name] + [d for d in departments.values() if d]
            )
        ),
    )


def _site_empty(line: SiteLine, who: _Who) -> SiteDown:
    """A site that answered but in which no column was found: the office checks how it is laid out."""
    return SiteDown(
        line.site,
        line.home_url or "",
        EMPTY_SITE_WHY,
        department=line.department,
        owner=who.of(line.site, line.department, ""),
        kind="site_empty",
    )


def _site_menu(line: SiteLine, who: _Who) -> SiteDown:
    """A site whose menu a script draws and whose entries could not be read: columns may be missing."""
    return SiteDown(
        line.site,
        line.home_url or "",
        menu_words(line.menu_notice),
        department=line.department,
        owner=who.of(line.site, line.department, ""),
        kind="site_menu",
    )


def _site_down(line: SiteLine, who: _Who) -> SiteDown:
    since = f"自{line.since:%Y-%m-%d}起" if line.since else ""
    cause = error_words(line.error)
    reason = f"{since}整站无法访问" + (f"：{cause}" if cause else "")
    return SiteDown(
        line.site,
        line.home_url or "",
        reason,
        department=line.department,
        owner=who.of(line.site, line.department, ""),
    )


def late_by_titles(judgement: Judgement, who: _Who) -> list[MissingItem]:
    """清单 items no column carries whose titles show only an out-of-date publication: to act on, like a
    missing item (the 2025 budget not out by its deadline while "2024年部门预算" is), with their status and
    the due date of that evidence."""
    return [
        MissingItem(
            c.category,
            c.item,
            f"仅见标题“{c.newest_title}”：{c.reason}",
            owner=who.of("", "", c.category),
            due=column_due(
                c.status,
                judgement.as_of,
                last_published=c.last_published,
                limit_days=c.limit_days,
                deadline=c.due,
                since=None,
            ),
            institution=c.institution,
            status=c.status,
        )
        for c in judgement.coverage
        if c.via == "titles" and c.status != "fresh"
    ]
