"""Configuration: the declared keys (`keys.py`), their validation (`load.py`), typed values (`values.py`).

Owns: reading config.toml (or $XXGK_CONFIG, or --config), rejecting mistakes with one clear message (exit
code 2), and turning a valid configuration into the crawl plan the crawler process reads (plain JSON, so the
monitor never imports the crawler). Imports of ours only the value checks its keys name: `monitor.rules`
(cadences, MM-DD days) and `monitor.scheduler.expressions` (cron, zones), which import no configuration.
Checks that need the catalog or the sites run after this load, in the modules that own them
(`monitor.configure.load_config`).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .keys import ARRAYS, TABLES, Key, default
from .load import ConfigError, read_toml, resolve_path, validate
from .values import (
    CatalogConfig,
    CatalogItemConfig,
    ClusterConfig,
    CollegeConfig,
    CrawlConfig,
    DirectoryEntryConfig,
    EmailConfig,
    GenericGroupConfig,
    InstitutionConfig,
    MappingConfig,
    MappingOverrideConfig,
    ReportConfig,
    RobotConfig,
    RouteConfig,
    RuleOverrideConfig,
    RulesConfig,
    ScheduleConfig,
    SiteConfig,
    StatsConfig,
    StorageConfig,
)

__all__ = [
    "ARRAYS",
    "TABLES",
    "Config",
    "ConfigError",
    "Key",
    "RobotConfig",
    "RouteConfig",
    "SiteConfig",
    "default",
    "read_config",
    "resolve_path",
]


class Config:
    """A validated configuration, typed: `config.crawl.timeout` is a float, `config.sites` a SiteConfig list.

    Each table is one frozen dataclass of `values.py` (checked against the key table at import); each array of
    tables a list of them (`config.email_routes` holds `[[email.routes]]`).
    """

    def __init__(self, path: Path, values: dict[str, Any]):
        self.path = path
        self.college = CollegeConfig(**values["college"])
        self.storage = StorageConfig(**values["storage"])
        self.crawl = CrawlConfig(**values["crawl"])
        self.cluster = ClusterConfig(**values["cluster"])
        self.email = EmailConfig(**values["email"])
        self.schedule = ScheduleConfig(**values["schedule"])
        self.catalog = CatalogConfig(**values["catalog"])
        self.mapping = MappingConfig(**values["mapping"])
        self.rules = RulesConfig(**values["rules"])
        self.report = ReportConfig(**values["report"])
        self.stats = StatsConfig(**values["stats"])
        self.sites = [SiteConfig(**v) for v in values["sites"]]
        self.email_routes = [RouteConfig(**v) for v in values["email.routes"]]
        self.email_robots = [RobotConfig(**v) for v in values["email.robots"]]
        self.catalog_items = [CatalogItemConfig(**v) for v in values["catalog.items"]]
        self.catalog_directory = [DirectoryEntryConfig(**v) for v in values["catalog.directory"]]
        self.catalog_institutions = [InstitutionConfig(**v) for v in values["catalog.institutions"]]
        self.mapping_overrides = [MappingOverrideConfig(**v) for v in values["mapping.overrides"]]
        self.rules_overrides = [RuleOverrideConfig(**v) for v in values["rules.overrides"]]
        self.rules_generic = [GenericGroupConfig(**v) for v in values["rules.generic"]]
        self.check_sites()
        if self.storage.catalog and not self.storage.data_path:
            raise ConfigError(
                f"{self.path}: key storage.data_path: expected the folder of the lake's Parquet files (the"
                " same path on every node), since storage.catalog is set"
            )

    def check_sites(self) -> None:
        seen: set[str] = set()
        for i, site in enumerate(self.sites):
            if site.name in seen:
                raise ConfigError(
                    f"{self.path}: key sites[{i}].name: expected a unique name, {site.name!r} repeats"
                )
            seen.add(site.name)

    @property
    def db_path(self) -> Path:
        """The DuckDB file; a relative path is taken relative to the config file's folder."""
        p = Path(self.storage.path)
        return p if p.is_absolute() else (self.path.parent / p)

    @property
    def database(self) -> str:
        """What storage opens: the DuckDB file, or with [storage] catalog the shared catalog's locator
        (storage/lake.py; this node's file path is where its spool waits)."""
        if not self.storage.catalog:
            return str(self.db_path)
        from storage.lake import locator  # only with a catalog: the parent of a crawl loads no DuckDB

        data = Path(self.storage.data_path)
        data = data if data.is_absolute() else self.path.parent / data
        return locator(self.storage.catalog, str(data.resolve()) + "/", str(self.db_path.resolve()))

    def site(self, name: str) -> SiteConfig:
        for s in self.sites:
            if s.name == name:
                return s
        known = ", ".join(s.name for s in self.sites) or "none"
        raise ConfigError(f"{self.path}: no site named {name!r} in [[sites]] (known: {known})")

    def institution(self, site: SiteConfig) -> str:
        return site.institution or self.college.name

    def plan(
        self, sites: list[str] | None = None, *, observed_at: str | None = None, progress: str = "auto"
    ) -> dict:
        """The crawl plan (crawler/plan.py's CrawlPlan, as a dict) for the named sites, or all of them."""
        chosen = [self.site(n) for n in sites] if sites else self.sites
        crawl = self.crawl
        return {
            "db_path": self.database,
            "user_agent": crawl.user_agent,
            "concurrency": crawl.concurrency,
            "concurrency_per_host": crawl.concurrency_per_host,
            "delay": crawl.delay,
            "autothrottle": crawl.autothrottle,
            "timeout": crawl.timeout,
            "max_bytes": crawl.max_bytes,
            "obey_robots": crawl.obey_robots,
            "check_attachments": crawl.check_attachments,
            "conditional": crawl.conditional,
            "revisit_every": crawl.revisit_every,
            "ignore_query_keys": list(crawl.ignore_query_keys),
            "max_query_variants": crawl.max_query_variants,
            "observed_at": observed_at,  # naive: college time (the crawler reads it in `timezone`)
            "progress": progress,
            "timezone": self.college.timezone,
            "lock_wait": self.storage.lock_wait,
            "sites": [
                {
                    "name": s.name,
                    "kind": s.kind,
                    "start_urls": list(s.start_urls),
                    "institution": self.institution(s),
                    "allowed_hosts": list(s.allowed_hosts),
                    "max_pages": s.max_pages or crawl.max_pages,
                    "max_depth": s.max_depth if s.max_depth >= 0 else crawl.max_depth,
                    "selectors": dict(s.selectors),
                }
                for s in chosen
            ],
        }

    @property
    def zone(self) -> ZoneInfo:
        """The college's zone ([college] timezone), in which every today, day and week is reckoned."""
        return ZoneInfo(self.college.timezone)

    def today(self) -> date:
        """Today in the college's zone (at 01:00 UTC it is already tomorrow in Beijing)."""
        return datetime.now(self.zone).date()

    def plan_json(self, sites: list[str] | None = None, **kw: Any) -> str:
        return json.dumps(self.plan(sites, **kw), ensure_ascii=False, indent=2)


def read_config(path: str | Path | None = None) -> Config:
    """Read and validate every table and key (types, choices, value checks); raises ConfigError naming the
    file, key and expectation. References to the catalog or between tables are checked by
    `monitor.configure.load_config`, which every command uses."""
    p = resolve_path(str(path) if path is not None else None)
    return Config(p, validate(p, read_toml(p)))
