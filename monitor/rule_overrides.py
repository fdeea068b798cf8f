"""The configuration's `[[rules.overrides]]`: rule tables for sites, categories, items or columns, checked.

Each entry is read by `monitor.rules.overrides` (the cadence it carries) and checked here against what it
refers to: a 清单 item id and a category of the catalog, a site of `[[sites]]`. A mistake is a ConfigError
naming the file and the key.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from monitor.catalog import Catalog, normalize
from monitor.config import Config, ConfigError
from monitor.rules import SpecError
from monitor.rules.overrides import RuleOverride, overrides_from_tables


def rule_overrides_from_config(config: Config, catalog: Catalog) -> list[RuleOverride]:
    """The checked overrides, their column names normalised as the mapper compares them."""
    try:
        overrides = overrides_from_tables([asdict(o) for o in config.rules_overrides])
    except SpecError as exc:
        raise ConfigError(f"{config.path}: key {exc}") from None
    categories = {c.name for c in catalog.categories}
    for o in overrides:
        where = f"{config.path}: key rules.overrides[{o.index}]"
        if o.item and not catalog.has_item(o.item):
            raise ConfigError(f"{where}.item: expected a 清单 item id (moe_list.toml), got {o.item!r}")
        if o.category and o.category not in categories:
            raise ConfigError(f"{where}.category: expected one of {', '.join(sorted(categories))}")
        if o.site and all(s.name != o.site for s in config.sites):
            raise ConfigError(f"{where}.site: expected a site named in [[sites]], got {o.site!r}")
    return [replace(o, column=o.column if "://" in o.column else normalize(o.column)) for o in overrides]
