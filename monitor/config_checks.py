"""Checks that span several tables of the configuration: names that must refer to something that exists.

`load_config` runs these after each table was checked alone, so a route naming an unknown site, a rule
naming an unknown 清单 item or category, or a catalog entry without a cadence stops every command before
anything is written.
"""

from __future__ import annotations

from monitor.config import Config, ConfigError


def check_references(config: Config) -> None:
    """Raise ConfigError naming the file and key of the first reference to something that does not exist."""
    from monitor.judge import context_from_config  # builds the catalog, mapper and rules: all their checks
    from monitor.mail.routing import routes_from_config  # each route's addresses and sites

    ctx = context_from_config(config)
    routes_from_config(config)
    categories = {c.name for c in ctx.catalog.categories}
    for i, route in enumerate(config.array("email.routes")):
        for name in route.categories:
            if name not in categories:
                raise ConfigError(
                    f"{config.path}: key email.routes[{i}].categories: expected 清单 categories "
                    f"({', '.join(sorted(categories))}), got {name!r}"
                )
