"""The judgement as rows for storage (`judged_columns`, `judged_items`): what analysts query in SQL.

`store_judgement` writes what the report decided for its day, so `v_column_judgement` and
`v_catalog_coverage` hold the same statuses as `xxgk report --format json` for that day. A write that cannot
happen (another process holds the file past [storage] lock_wait, read-only media) never fails the report:
it returns why nothing was stored, for the caller to say so.
"""

from __future__ import annotations

from datetime import date, timedelta

import storage
from monitor.catalog import Catalog, load_catalog
from monitor.config import Config
from monitor.findings import SEVERITY, Judgement, Section
from storage.judgements import JudgedColumn, JudgedItem

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


def item_rows(judgement: Judgement, catalog: Catalog) -> list[JudgedItem]:
    """Every 清单 item the judgement speaks of, per institution: missing, or the worst of its columns."""
    covering: dict[tuple[str, str], list[Section]] = {}
    missing: set[tuple[str, str]] = set()
    for s in judgement.sections:
        for item_id in s.cover_ids:
            if s.status == "missing":
                missing.add((s.institution, item_id))
            else:
                covering.setdefault((s.institution, item_id), []).append(s)
    out: list[JudgedItem] = []
    for key in sorted({*covering, *missing}, key=lambda k: (k[0], _order(catalog, k[1]))):
        institution, item_id = key
        cols = sorted(covering.get(key, []), key=Section.sort_key)
        known = catalog.item(item_id) if catalog.has_item(item_id) else None
        dated = [c.last_published for c in cols if c.last_published is not None]
        out.append(
            JudgedItem(
                institution=institution,
                category=known.category if known else None,
                item_id=item_id,
                item=known.name if known else item_id,
                status=min((c.status for c in cols), key=lambda st: SEVERITY.get(st, 99))
                if cols
                else "missing",
                covered_by=tuple(f"{c.site}/{c.name}" for c in cols),
                last_published=max(dated, default=None),
            )
        )
    return out


def _order(catalog: Catalog, item_id: str) -> int:
    return catalog.item(item_id).order if catalog.has_item(item_id) else 10**6


def store_judgement(path: str, judgement: Judgement, config: Config) -> str | None:
    """Store a whole judgement (one restricted by --site is not stored: the stored day stays whole).

    Returns None when stored (or not to be stored), else why the database could not take it.
    """
    if judgement.site is not None:
        return None
    columns, items = column_rows(judgement), item_rows(judgement, load_catalog(config))
    try:
        storage.record_judgement(path, judgement.as_of, columns, items, wait=config.storage.lock_wait)
    except storage.StorageError as exc:
        return str(exc)
    return None
