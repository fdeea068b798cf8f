"""清单 coverage from evidence: the columns mapped to an item, and the items whose titles show it.

A college does not always give each 清单 item a column of its own: the budget is often a row
"2025年部门预算" in a generic 信息公开目录 or a 财务公开 column, the annual report a row of 通知公告.
So an item is covered when a column maps to it (`monitor.mapping`) OR when items whose titles match the
item's `titles` patterns (catalog data, overridable in config.toml) are listed in any column of the
institution. Titles are compared after the same normalisation as column names (`catalog.normalize`).

Timeliness follows the evidence: the title evidence is judged by the item's cadence (a `[[rules.overrides]]`
entry for the item or its category first) on the newest date among the matching titles; an item is `fresh`
when either its columns or its titles are; otherwise its columns' worst status stands, or — titles only —
the titles' verdict. A column whose status is no verdict on timeliness (`undated`: a single page showing no
date; `unchecked`: a limit kept the crawl from it) does not outweigh the columns that have one: an item
carried by a fresh dated column and an undated 单页 is fresh (its undated page keeps its own row); only when
no column has a verdict does the worst of theirs stand. A column keeps its own status in its own row:
coverage only says whether the 清单 item is published. A column that is gone (no longer seen) covers
nothing and its items are no evidence; an item that vanished from its column is none either.

Pure: sections and item facts in, `Coverage` out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime

from monitor.catalog import CatalogItem, normalize
from monitor.findings import Coverage, Section, TitleEvidence
from monitor.rules import Cadence, Evidence, evaluate
from monitor.rules.overrides import RuleOverride, choose
from monitor.statuses import MISSING_REASON, SEVERITY
from storage.facts import ItemFacts

__all__ = ["NO_VERDICT", "cover", "title_evidence"]

# Column statuses that say nothing about an item's timeliness: they yield to a column that has a verdict.
NO_VERDICT = frozenset({"undated", "unchecked"})


def title_evidence(
    items: Iterable[ItemFacts],
    columns: Mapping[tuple[str, str], Section],
    catalog_items: Sequence[CatalogItem],
    *,
    until: datetime,
) -> dict[str, list[TitleEvidence]]:
    """Per 清单 item id: the listed items (of the given columns) whose titles show it, newest first.

    `columns` are the institution's columns by (site, url), gone ones left out; an item that vanished by
    `until` is no evidence.
    """
    patterned = [it for it in catalog_items if it.titles]
    found: dict[str, list[TitleEvidence]] = {}
    if not patterned:
        return found
    for fact in items:
        column = columns.get((fact.site, fact.column_url))
        if column is None or (fact.vanished_at is not None and fact.vanished_at <= until):
            continue
        title = normalize(fact.title)
        for it in patterned:
            pattern = it.title_match(title)
            if pattern is not None:
                found.setdefault(it.id, []).append(
                    TitleEvidence(
                        site=fact.site,
                        column=column.name,
                        column_url=fact.column_url,
                        title=fact.title,
                        url=fact.url,
                        date_shown=fact.date_shown,
                        pattern=pattern,
                    )
                )
    for item_id, evidence in found.items():
        evidence.sort(key=lambda t: (t.date_shown or date.min, t.title, t.url, t.column_url), reverse=True)
        # an article listed by several columns (a 信息公开目录 and its own column) is one piece of evidence
        found[item_id] = list({(t.site, t.url): t for t in reversed(evidence)}.values())
        found[item_id].sort(
            key=lambda t: (t.date_shown or date.min, t.title, t.url, t.column_url), reverse=True
        )
    return found


def _cadence(item: CatalogItem, overrides: Sequence[RuleOverride]) -> Cadence:
    override = choose(overrides, site="", category=item.category, items=(item.id,), name="", url="")
    return override.cadence if override is not None else item.cadence


def cover(
    item: CatalogItem,
    wording: str,
    institution: str,
    columns: Sequence[Section],
    titles: Sequence[TitleEvidence],
    *,
    as_of: date,
    overrides: Sequence[RuleOverride] = (),
    generic_limit: int = 365,
    home: str | None = None,
) -> Coverage:
    """One item's coverage from the columns mapped to it and the titles that show it."""
    cols = tuple(sorted(columns, key=Section.sort_key))
    dates = [c.last_published for c in cols if c.last_published] + [
        t.date_shown for t in titles if t.date_shown
    ]
    base = Coverage(
        institution=institution,
        category=item.category,
        item_id=item.id,
        item=wording,
        status="missing",
        via="column+titles" if cols and titles else "column" if cols else "titles" if titles else "none",
        site=home,
        columns=cols,
        titles=tuple(titles),
        last_published=max(dates, default=None),
        rule=item.cadence.describe(),
        reason=MISSING_REASON,
    )
    verdict = None
    cadence = _cadence(item, overrides)
    if titles:
        dated = [t.date_shown for t in titles if t.date_shown]
        undated = len(titles) - len(dated)
        verdict = evaluate(
            cadence, Evidence(as_of, max(dated, default=None), len(titles), undated, generic_limit)
        )
    judged = [c for c in cols if c.status not in NO_VERDICT] or list(cols)  # worst first, as `cols`
    worst = judged[0] if judged else None
    columns_fresh = worst is not None and worst.status == "fresh"
    if verdict is not None and not columns_fresh and (verdict.status == "fresh" or worst is None):
        newest = next((t for t in titles if t.date_shown), titles[0])
        return replace(
            base,
            status=verdict.status,
            decided_by="titles",
            age_days=verdict.age_days,
            limit_days=verdict.limit_days,
            due=verdict.due,
            next_due=verdict.next_due,
            rule=cadence.describe(),
            reason=f"由条目标题确认：{verdict.reason}",
            newest_title=newest.title,
            newest_url=newest.url,
        )
    if worst is not None:
        return replace(
            base,
            status=min((c.status for c in judged), key=lambda st: SEVERITY.get(st, 99)),
            decided_by="column",
            age_days=worst.age_days,
            limit_days=worst.limit_days,
            due=worst.due,
            next_due=worst.next_due,
            rule=worst.rule,
            reason=worst.reason,
            newest_title=worst.newest_title,
            newest_url=worst.newest_url,
        )
    return base
