"""Load the configuration whole: every key (monitor.config), then every reference between tables.

`load_config` is what every command, the daemon and the bench call. The config package checks each key
alone and knows nothing of the catalog; the checks that need the catalog, the sites or the routes run here,
each in the module that owns what it refers to, once, in this order:

- `monitor.catalog.load_catalog`: [[catalog.items]], [[catalog.directory]], [[catalog.institutions]],
  [catalog] disabled, [[rules.generic]];
- `monitor.mapping.overrides_from_config`: [[mapping.overrides]] (item ids, categories);
- `monitor.rule_overrides.rule_overrides_from_config`: [[rules.overrides]] (cadences, items, categories,
  sites);
- `monitor.mail.routing.routes_from_config`: [[email.routes]] (what each selects, sites, categories).

The first mistake raises ConfigError naming the file and the key, before anything is written.
"""

from __future__ import annotations

from pathlib import Path

from monitor.catalog import load_catalog
from monitor.config import Config, read_config
from monitor.mail.routing import routes_from_config
from monitor.mapping import overrides_from_config
from monitor.rule_overrides import rule_overrides_from_config

__all__ = ["check_references", "load_config"]


def load_config(path: str | Path | None = None) -> Config:
    """Read, validate and cross-check the configuration; a mistake raises ConfigError naming file and key."""
    config = read_config(path)
    check_references(config)
    return config


def check_references(config: Config) -> None:
    """Raise ConfigError naming the file and key of the first reference to something that does not exist."""
    catalog = load_catalog(config)
    overrides_from_config(config, catalog)
    rule_overrides_from_config(config, catalog)
    routes_from_config(config, categories={c.name for c in catalog.categories})
