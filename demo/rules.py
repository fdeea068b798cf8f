"""The shipped rules table, read as data: at what age of its newest item a column is surely fresh or stale.

The demo imports nothing of the monitor. It reads the monitor's own TOML files (monitor/catalog/moe_list.toml
for the 清单 items' cadences, generic.toml for the limits of every other column), so its ground truth follows
the table the monitor ships instead of keeping a copy of the judging code. For each column the table gives a
`Band`: an item at most `fresh_max` days old is fresh and one at least `stale_min` days old is stale under its
rule on every day of the year (annual deadlines move the limit through the year); the demo dates its fresh and
stale columns outside the band, and refuses a column that falls inside it.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

# The monitor's shipped catalog, next to this package both in a checkout and in an installed wheel.
CATALOG_DIR = Path(__file__).resolve().parents[1] / "monitor" / "catalog"


@dataclass(frozen=True, slots=True)
class Band:
    fresh_max: int  # newest item at most this many days old: fresh on every day
    stale_min: int  # newest item at least this many days old: stale on every day
    source: str  # which rule of the table, for messages


def _read(name: str) -> dict[str, Any]:
    with (CATALOG_DIR / name).open("rb") as f:
        return tomllib.load(f)


def _month_day(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def _annual(due: str, period_end: str, source: str) -> Band:
    """`annual = {due, period_end}`: fresh when something dated after the period end preceding the last passed
    deadline is out. Right after a deadline that period end is `gap` days back, just before the next one a
    year more; a leap day moves either by one."""
    start = date(2001, *_month_day(period_end))
    end = date(2001, *_month_day(due))
    if end <= start:
        end = date(2002, *_month_day(due))
    gap = (end - start).days
    return Band(gap - 1, gap + 367, source)


@functools.cache
def generic_band() -> Band:
    """Columns no 清单 cadence covers take a generic limit by their name (or the default): a band over all."""
    table = _read("generic.toml")
    limits = [int(g["max_age_days"]) for g in table.get("groups", [])] + [
        int(table["default"]["max_age_days"])
    ]
    return Band(min(limits), max(limits) + 1, "generic.toml")


@functools.cache
def _items() -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in _read("moe_list.toml")["items"]}


@functools.cache
def named_band(name: str) -> Band:
    """A column no 清单 item covers, by its name: the first group one of whose keywords the name contains
    (generic.toml's documented order), else the default limit."""
    table = _read("generic.toml")
    for group in table.get("groups", []):
        if any(k in name for k in group["keywords"]):
            limit = int(group["max_age_days"])
            return Band(limit, limit + 1, f"generic.toml {group['name']}")
    limit = int(table["default"]["max_age_days"])
    return Band(limit, limit + 1, "generic.toml default")


def catalog_item_names() -> list[str]:
    """Every 清单 item's name, in moe_list.toml's order."""
    return list(_items())


def band(catalog_item: str | None, name: str | None = None) -> Band:
    """The band of a column standing for `catalog_item` (a 清单 item name as moe_list.toml spells it), or of a
    column no item covers (by its `name` when given, else the band over every generic limit)."""
    if catalog_item is None:
        return named_band(name) if name is not None else generic_band()
    item = _items().get(catalog_item)
    if item is None:
        raise ValueError(f"demo column stands for {catalog_item!r}, which moe_list.toml does not name")
    source = f"moe_list.toml {item['id']}"
    if "annual" in item:
        return _annual(item["annual"]["due"], item["annual"]["period_end"], source)
    limit = item.get("max_age_days", item.get("event", {}).get("max_age_days"))
    if limit is None:  # an event item without a limit of its own: the generic limit of the column's name
        return generic_band()
    return Band(int(limit), int(limit) + 1, source)
