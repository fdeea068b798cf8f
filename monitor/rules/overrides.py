"""Per-site, per-category, per-item and per-column limits: `[[rules.overrides]]`, the most specific one wins.

Specificity: a column selector outranks an item, an item a category, a category a site; selectors add up
(site + column beats column alone); on a tie the later entry in config.toml wins, so a file reads top-down as
"general, then exceptions". Pure: the judge hands in the column's coordinates and gets a cadence or None.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .spec import Cadence, SpecError, cadence_from

_WEIGHTS = {"column": 8, "item": 4, "category": 2, "site": 1}


@dataclass(frozen=True, slots=True)
class RuleOverride:
    cadence: Cadence
    site: str = ""
    category: str = ""
    item: str = ""  # 清单 item id
    column: str = ""  # a column name (compared normalised by the caller) or URL
    index: int = 0

    def score(self, *, site: str, category: str | None, items: Iterable[str], name: str, url: str) -> int:
        """0 when a selector does not match; else the summed weights of the selectors given (≥ 1)."""
        total = 0
        if self.site:
            if self.site != site:
                return 0
            total += _WEIGHTS["site"]
        if self.category:
            if self.category != category:
                return 0
            total += _WEIGHTS["category"]
        if self.item:
            if self.item not in set(items):
                return 0
            total += _WEIGHTS["item"]
        if self.column:
            if self.column not in (name, url):
                return 0
            total += _WEIGHTS["column"]
        return max(total, 1)


def overrides_from_tables(
    tables: Iterable[Mapping[str, Any]], where: str = "rules.overrides"
) -> list[RuleOverride]:
    """Read `[[rules.overrides]]` tables (already type-checked); each must carry exactly one cadence."""
    out: list[RuleOverride] = []
    for i, t in enumerate(tables):
        prefix = f"{where}[{i}]."
        cadence = cadence_from(t, prefix, source=f"config:{where}[{i}]", required=True)
        assert cadence is not None
        out.append(
            RuleOverride(
                cadence,
                site=t.get("site", ""),
                category=t.get("category", ""),
                item=t.get("item", ""),
                column=t.get("column", ""),
                index=i,
            )
        )
    return out


def choose(
    overrides: Iterable[RuleOverride],
    *,
    site: str,
    category: str | None,
    items: Iterable[str],
    name: str,
    url: str,
) -> RuleOverride | None:
    """The override that applies to a column, or None."""
    ids = tuple(items)
    best: tuple[int, int, RuleOverride] | None = None
    for o in overrides:
        s = o.score(site=site, category=category, items=ids, name=name, url=url)
        if s and (best is None or (s, o.index) > best[:2]):
            best = (s, o.index, o)
    return best[2] if best else None


__all__ = ["RuleOverride", "SpecError", "choose", "overrides_from_tables"]
