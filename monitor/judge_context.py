"""What the judgement needs besides the facts: catalog, mapping, rule overrides and the configured sites.

`context_from_config` builds it from a validated config (every mistake a ConfigError naming its key); tests
build a `Context` by hand, with the config's defaults from the key table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from monitor.catalog import Catalog, load_catalog
from monitor.config import Config, ConfigError, default
from monitor.mapping import Mapper, overrides_from_config
from monitor.rule_overrides import rule_overrides_from_config
from monitor.rules.overrides import RuleOverride

__all__ = ["Context", "SiteInfo", "context_from_config"]


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What the config says about a site."""

    name: str
    kind: str = "disclosure"
    institution: str = ""
    department: str = ""
    title: str = ""  # [[sites]] title: the name people read ("" : the crawled <title>, see monitor.sitenames)
    host: str = ""  # its first start URL's host: tells apart sites that would share a display name


@dataclass(slots=True)
class Context:
    """Everything `assess` needs besides the facts: catalog, mapping, rule overrides, the configured sites."""

    catalog: Catalog
    sites: list[SiteInfo]
    mapper: Mapper | None = None
    overrides: list[RuleOverride] = field(default_factory=list)
    # Defaults (for contexts built by hand, as in tests) are the config's, from the key table.
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(default("college", "timezone")))
    backdated_days: int = field(default_factory=lambda: default("rules", "backdated_days"))
    changes_days: int = field(default_factory=lambda: default("report", "changes_days"))
    # the n-working-day rule for columns no 清单 item gives one
    working_days: int = field(default_factory=lambda: default("rules", "working_days"))
    college: str = ""

    def __post_init__(self) -> None:
        if self.mapper is None:
            self.mapper = Mapper(self.catalog)

    def site(self, name: str) -> SiteInfo | None:
        return next((s for s in self.sites if s.name == name), None)


def context_from_config(config: Config) -> Context:
    """Build the catalog, the mapper and the rule overrides; every mistake is a ConfigError naming its key."""
    catalog = load_catalog(config)
    mapper = Mapper(catalog, overrides_from_config(config, catalog), use_paths=config.mapping.use_paths)
    overrides = rule_overrides_from_config(config, catalog)
    try:
        zone = ZoneInfo(config.college.timezone)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"{config.path}: key college.timezone: expected an IANA zone ({exc})") from None
    sites = [
        SiteInfo(s.name, s.kind, config.institution(s), s.department, s.title, _host(s.start_urls))
        for s in config.sites
    ]
    return Context(
        catalog=catalog,
        sites=sites,
        mapper=mapper,
        overrides=overrides,
        zone=zone,
        backdated_days=config.rules.backdated_days,
        changes_days=config.report.changes_days,
        working_days=config.rules.working_days,
        college=config.college.name,
    )


def _host(urls: Sequence[str]) -> str:
    return urlsplit(urls[0]).netloc if urls else ""
