"""The week's facts for the digests, from the judgement and storage: the one module that knows their shapes.

`collect_facts` judges every column as of the digest's day and as of the same weekday of each earlier week
(the category × week table, and "late now but not a week ago"), and adds the item findings of the
judgement's window ([report] changes_days) and the attachments that no longer open. Columns of a site that
is down are counted but left out of the late list: the site's one line says it, as in the report.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import storage
from monitor.config import Config
from monitor.findings import LATE, Finding, Judgement, Section
from monitor.limits import error_words

from .digest import BrokenLink, ColumnLine, ItemLine, MissingItem, SiteDown, WeekFacts


def _column(s: Section, new: bool, down: bool = False) -> ColumnLine:
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
        note=error_words(s.error) if s.status in ("unreachable", "blocked") else s.reason,
        since=s.since.date() if s.since else None,
        new_this_week=new,
        site_down=down,
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
    from monitor.judge import context_from_config, judge_with

    zone = ZoneInfo(config.college.timezone)
    weeks = max(int(config.email.weeks), 2)
    ctx = context_from_config(config)
    judged: list[Judgement] = [judge_with(conn, ctx, as_of=as_of - timedelta(weeks=k)) for k in range(weeks)]
    now, before = judged[0], judged[1]
    was_late = {(s.site, s.url): s.status in LATE for s in before.columns}
    down = {line.site for line in now.sites_down}
    columns = [
        _column(
            s,
            new=s.status in LATE and was_late.get((s.site, s.url)) is False,
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
        history=[(_week_label(j.as_of), [_column(s, False) for s in j.columns]) for j in reversed(judged)],
        sites_down=[
            SiteDown(
                line.site,
                line.home_url or "",
                error_words(line.error) or "无法访问",
                department=line.department,
            )
            for line in now.sites_down
        ],
        missing=[MissingItem(s.category or "", s.name, s.reason) for s in now.missing] + late_by_titles(now),
        items=[_item(f, zone) for f in now.findings],
        broken=broken,
        report_url=config.report.html_url,
    )


def late_by_titles(judgement: Judgement) -> list[MissingItem]:
    """清单 items no column carries whose titles show only an out-of-date publication: to act on, like a
    missing item (the 2025 budget not out by its deadline while "2024年部门预算" is)."""
    return [
        MissingItem(c.category, c.item, f"仅见标题“{c.newest_title}”：{c.reason}")
        for c in judgement.coverage
        if c.via == "titles" and c.status != "fresh"
    ]
