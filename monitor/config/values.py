"""The validated configuration as typed values: one frozen dataclass per table and per array of tables.

The key table (`keys.py`) says what each key is, its default and its help; these classes give the values a
type, so that `config.crawl.timout` is a mypy error and not a runtime surprise. `check_against_keys()` runs
at import: a class whose fields differ from its table's keys (a key added to one and not the other, or a
different type) stops the import with the names of both.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .keys import ARRAYS, TABLES


@dataclass(frozen=True, slots=True)
class CollegeConfig:
    name: str
    timezone: str


@dataclass(frozen=True, slots=True)
class StorageConfig:
    path: str
    lock_wait: float
    catalog: str
    data_path: str


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    nodes: list[str]
    project: str
    shared_dir: str
    job_sites: int
    attempts: int
    poll_interval: float
    node_timeout: float


@dataclass(frozen=True, slots=True)
class CrawlConfig:
    user_agent: str
    concurrency: int
    concurrency_per_host: int
    delay: float
    autothrottle: bool
    timeout: float
    max_bytes: int
    max_pages: int
    max_depth: int
    obey_robots: bool
    check_attachments: bool
    conditional: bool
    revisit_every: int
    ignore_query_keys: list[str]
    max_query_variants: int
    crawl_timeout: float


@dataclass(frozen=True, slots=True)
class EmailConfig:
    smtp_host: str
    smtp_port: int
    security: str
    ca_file: str
    username: str
    password_env: str
    sender: str
    sender_name: str
    to: list[str]
    send_empty: bool
    subject: str
    weeks: int
    remind_days: int
    timeout: float
    retries: int
    retry_delay: float
    outbox: str
    reporters: list[str]


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    crawl: str
    email: str
    timezone: str
    catch_up: bool
    stop_timeout: float


@dataclass(frozen=True, slots=True)
class CatalogConfig:
    programs: list[str]
    disabled: list[str]
    shipped_directory: bool


@dataclass(frozen=True, slots=True)
class MappingConfig:
    use_paths: bool


@dataclass(frozen=True, slots=True)
class RulesConfig:
    default_max_age_days: int
    backdated_days: int
    working_days: int


@dataclass(frozen=True, slots=True)
class ReportConfig:
    format: str
    csv_style: str
    changes_days: int
    html_url: str
    attach_html: bool


@dataclass(frozen=True, slots=True)
class StatsConfig:
    year_end: str
    format: str


@dataclass(frozen=True, slots=True)
class SiteConfig:
    name: str
    kind: str
    start_urls: list[str]
    institution: str
    allowed_hosts: list[str]
    max_pages: int
    max_depth: int
    department: str
    title: str
    selectors: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RouteConfig:
    to: list[str]
    name: str
    sites: list[str]
    departments: list[str]
    categories: list[str]
    columns: list[str]
    reporters: list[str]


@dataclass(frozen=True, slots=True)
class RobotConfig:
    name: str
    kind: str
    url_env: str
    secret_env: str


@dataclass(frozen=True, slots=True)
class CatalogItemConfig:
    id: str
    name: str
    category: str
    full_name: str
    keywords: list[str]
    add_keywords: list[str]
    paths: list[str]
    titles: list[str]
    add_titles: list[str]
    names: dict[str, Any]
    applies_to: list[str]
    max_age_days: int
    annual: dict[str, Any]
    event: dict[str, Any]
    disabled: bool


@dataclass(frozen=True, slots=True)
class DirectoryEntryConfig:
    name: str
    aliases: list[str]
    category: str
    items: list[str]
    max_age_days: int
    annual: dict[str, Any]
    event: dict[str, Any]


@dataclass(frozen=True, slots=True)
class InstitutionConfig:
    name: str
    programs: list[str]
    disabled: list[str]


@dataclass(frozen=True, slots=True)
class MappingOverrideConfig:
    column: str
    site: str
    item: str
    category: str


@dataclass(frozen=True, slots=True)
class RuleOverrideConfig:
    site: str
    category: str
    item: str
    column: str
    max_age_days: int
    annual: dict[str, Any]
    event: dict[str, Any]


@dataclass(frozen=True, slots=True)
class GenericGroupConfig:
    name: str
    keywords: list[str]
    max_age_days: int


# Which class holds which table of keys.TABLES / keys.ARRAYS.
TABLE_TYPES: dict[str, type] = {
    "college": CollegeConfig,
    "storage": StorageConfig,
    "crawl": CrawlConfig,
    "cluster": ClusterConfig,
    "email": EmailConfig,
    "schedule": ScheduleConfig,
    "catalog": CatalogConfig,
    "mapping": MappingConfig,
    "rules": RulesConfig,
    "report": ReportConfig,
    "stats": StatsConfig,
}
ARRAY_TYPES: dict[str, type] = {
    "sites": SiteConfig,
    "email.routes": RouteConfig,
    "email.robots": RobotConfig,
    "catalog.items": CatalogItemConfig,
    "catalog.directory": DirectoryEntryConfig,
    "catalog.institutions": InstitutionConfig,
    "mapping.overrides": MappingOverrideConfig,
    "rules.overrides": RuleOverrideConfig,
    "rules.generic": GenericGroupConfig,
}

# The Python type (as written in the classes above) of each key type of keys.py.
PYTHON_TYPES = {
    "str": "str",
    "cron": "str",
    "date": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "list[str]": "list[str]",
    "url-list": "list[str]",
    "table": "dict[str, Any]",
    "list[table]": "list[dict[str, Any]]",
}


def mismatches() -> list[str]:
    """Every difference between the classes above and the key table (empty when they agree)."""
    problems: list[str] = []
    for kind, tables, types in (("TABLES", TABLES, TABLE_TYPES), ("ARRAYS", ARRAYS, ARRAY_TYPES)):
        if set(tables) != set(types):
            problems.append(f"keys.{kind} {sorted(tables)} but values.py classes for {sorted(types)}")
        for name in sorted(set(tables) & set(types)):
            cls = types[name]
            declared = {k.name: PYTHON_TYPES.get(k.type, f"<key type {k.type}>") for k in tables[name]}
            fields = {f.name: str(f.type) for f in dataclasses.fields(cls)}
            for key in declared.keys() - fields.keys():
                problems.append(f"keys.{kind}[{name!r}] declares {key!r}: add it to {cls.__name__}")
            for key in fields.keys() - declared.keys():
                problems.append(f"{cls.__name__}.{key} is not a key of keys.{kind}[{name!r}]")
            for key in declared.keys() & fields.keys():
                if declared[key] != fields[key]:
                    problems.append(
                        f"{cls.__name__}.{key} is {fields[key]}, keys.{kind}[{name!r}] says {declared[key]}"
                    )
    return problems


def check_against_keys() -> None:
    problems = mismatches()
    if problems:
        raise TypeError("monitor/config/values.py disagrees with keys.py: " + "; ".join(problems))


check_against_keys()
