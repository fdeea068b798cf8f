"""Configuration: the declared keys (`keys.py`), their validation (`load.py`), and the `Config` object.

Owns: reading config.toml (or $XXGK_CONFIG, or --config), rejecting mistakes with one clear message (exit
code 2), and turning a valid configuration into the crawl plan the crawler process reads. Imports nothing
of ours but its own modules: the crawl plan is written as plain JSON, so the monitor never imports the
crawler.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .keys import ARRAYS, TABLES, Key
from .load import CHECKS, ConfigError, Section, read_toml, resolve_path, validate

__all__ = ["ARRAYS", "CHECKS", "TABLES", "Config", "ConfigError", "Key", "load_config", "resolve_path"]


class Config:
    """A validated configuration: tables are attributes (`config.crawl.timeout`), arrays lists of Sections."""

    def __init__(self, path: Path, values: dict[str, Any]):
        self.path = path
        self.values = values
        self.sections = {name: Section(name, values[name]) for name in TABLES}
        self.sites: list[Section] = [Section("sites", s) for s in values["sites"]]
        self.check_sites()

    def __getattr__(self, name: str) -> Section:
        """A table of the configuration: `config.crawl`, `config.email` ... (declared in keys.TABLES)."""
        sections = self.__dict__.get("sections", {})
        if name in sections:
            return sections[name]
        raise AttributeError(f"configuration has no table [{name}]")

    def array(self, name: str) -> list[Section]:
        """An array of tables such as "email.routes", each entry a Section."""
        return [Section(name, e) for e in self.values.get(name, [])]

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

    def site(self, name: str) -> Section:
        for s in self.sites:
            if s.name == name:
                return s
        known = ", ".join(s.name for s in self.sites) or "none"
        raise ConfigError(f"{self.path}: no site named {name!r} in [[sites]] (known: {known})")

    def institution(self, site: Section) -> str:
        return site.institution or self.college.name

    def plan(
        self, sites: list[str] | None = None, *, observed_at: str | None = None, progress: str = "auto"
    ) -> dict:
        """The crawl plan (crawler/plan.py's CrawlPlan, as a dict) for the named sites, or all of them."""
        chosen = [self.site(n) for n in sites] if sites else self.sites
        crawl = self.crawl
        return {
            "db_path": str(self.db_path),
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
            "observed_at": observed_at,
            "progress": progress,
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

    def plan_json(self, sites: list[str] | None = None, **kw: Any) -> str:
        return json.dumps(self.plan(sites, **kw), ensure_ascii=False, indent=2)


def load_config(path: str | Path | None = None) -> Config:
    """Load and validate; raises ConfigError naming the file, key and expectation."""
    p = resolve_path(str(path) if path is not None else None)
    config = Config(p, validate(p, read_toml(p)))
    from monitor.config_checks import check_references  # the catalog and rules live outside this package

    check_references(config)
    return config
