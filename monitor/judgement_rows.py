"""The judgement as rows for storage (`judged_columns`, `judged_items`): what analysts query in SQL.

`store_judgement` writes what the report decided for its day, so `v_column_judgement` and
`v_catalog_coverage` hold the same statuses as `xxgk report --format json` for that day. A write that cannot
happen (another process holds the file past [storage] lock_wait, read-only media) never fails the report:
it returns why nothing was stored, for the caller to say so.
"""

from __future__ import annotations

from datetime import date, timedelta

import storage
from monitor.config import Config
from monitor.findings import TITLES_SHOWN, Section
from monitor.judgement import Judgement
from storage.judgements import JudgedColumn, JudgedItem, JudgedTitle

NOT_STORED = "注意：判断结果未写入数据库（{why}），v_column_judgement 等视图仍是上次保存的判断。"


def due_date(s: Section) -> date | None:
    """By when the column must publish: an annual rule's deadline, else its newest date plus its limit."""
    if s.due is not None:
        return s.due
    if s.last_published is not None and s.limit_days is not None:
        return s.last_published + timedelta(days=s.limit_days)
    return None


def column_rows(judgement: Judgement) -> list[JudgedColumn]:
    return [
        JudgedColumn(
            institution=s.institution,
            site=s.site,
            department=s.department,
            name=s.name,
            url=s.url,
            category=s.category,
            item=s.item,
            item_id=s.item_id,
            covers=s.cover_ids,
            last_published=s.last_published,
            items=s.items,
            status=s.status,
            age_days=s.age_days,
            limit_days=s.limit_days,
            due=due_date(s) if s.url is not None else None,
            rule=s.rule,
            reason=s.reason,
            error=s.error,
        )
        for s in judgement.sections
    ]


def item_rows(judgement: Judgement) -> list[JudgedItem]:
    """Every 清单 item per institution as the judgement covered it: by columns, by titles, or missing."""
    return [
        JudgedItem(
            institution=c.institution,
            category=c.category,
            item_id=c.item_id,
            item=c.item,
            status=c.status,
            covered_by=tuple(f"{s.site}/{s.name}" for s in c.columns),
            last_published=c.last_published,
            via=c.via,
            titles=tuple(
                JudgedTitle(t.site, t.column, t.title, t.url, t.date_shown) for t in c.titles[:TITLES_SHOWN]
            ),
            decided_by=c.decided_by or None,
            newest_title=c.newest_title,
            newest_url=c.newest_url,
            age_days=c.age_days,
            limit_days=c.limit_days,
            due=c.due,
            reason=c.reason,
        )
        for c in judgement.coverage
    ]


def store_judgement(path: str, judgement: Judgement, config: Config) -> str | None:
    """Store a whole judgement (one restricted by --site is not stored: the stored day stays whole).

    Returns None when stored (or not to be stored), else why the database could not take it.
    """
    if judgement.site is not None:
        return None
    columns, items = column_rows(judgement), item_rows(judgement)
    try:
        storage.record_judgement(path, judgement.as_of, columns, items, wait=config.storage.lock_wait)
    except storage.StorageError as exc:
        return str(exc)
    return None
