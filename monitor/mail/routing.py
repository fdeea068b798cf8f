"""Who gets what: the office (`[email] to`) gets everything, each `[[email.routes]]` contact their columns.

A route selects columns by site name, department, 清单 category, or column name/URL (any match selects). A
route that selects nothing, or names a site that is not configured, is a configuration mistake and is
reported at load time with the route's index, not discovered as an empty email months later. So is a
route naming a reporter that does not exist: `smtp`, `outbox`, or an `[[email.robots]]` robot's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config import Config, ConfigError

OFFICE_NAME = "信息公开办公室"
BUILT_IN_REPORTERS = ("smtp", "outbox")


@dataclass(frozen=True, slots=True)
class Route:
    """One audience: its addresses and what of the findings it takes."""

    to: tuple[str, ...]
    name: str = ""
    sites: frozenset[str] = frozenset()
    departments: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    columns: frozenset[str] = frozenset()  # column names or URLs
    office: bool = False  # takes everything
    send_empty: bool = False  # write even when nothing is late
    reporters: tuple[str, ...] = ("smtp",)  # how its message is delivered (monitor/mail/reporters)

    @property
    def recipient(self) -> str:
        """The key a send is recorded under (week, recipient): the addresses, sorted and joined."""
        return ",".join(sorted(a.lower() for a in self.to))

    @property
    def audience(self) -> str:
        return OFFICE_NAME if self.office else (self.name or "栏目负责人")

    def takes_site(self, site: str, department: str = "") -> bool:
        return self.office or site in self.sites or bool(department and department in self.departments)

    def takes_category(self, category: str) -> bool:
        return self.office or bool(category and category in self.categories)

    def takes_column(self, site: str, department: str, category: str, name: str, url: str) -> bool:
        return (
            self.takes_site(site, department)
            or self.takes_category(category)
            or bool(name and name in self.columns)
            or bool(url and url in self.columns)
        )


def routes_from_config(config: Config, categories: set[str] | None = None) -> list[Route]:
    """The office route (when `[email] to` is set) first, then every `[[email.routes]]` entry, checked.

    With `categories` (the catalog's 清单 categories), a route naming another category is a mistake too.
    """
    email = config.email
    robots = _check_robots(config)
    routes: list[Route] = []
    if email.to:
        reporters = _reporters(email.reporters, robots, f"{config.path}: key email.reporters")
        routes.append(
            Route(to=tuple(email.to), name=OFFICE_NAME, office=True, send_empty=True, reporters=reporters)
        )
    known_sites = {s.name for s in config.sites}
    for i, entry in enumerate(config.email_routes):
        where = f"{config.path}: key email.routes[{i}]"
        if not (entry.sites or entry.departments or entry.categories or entry.columns):
            raise ConfigError(f"{where}: expected at least one of sites, departments, categories, columns")
        unknown = [s for s in entry.sites if s not in known_sites]
        if unknown:
            known = ", ".join(sorted(known_sites)) or "none"
            raise ConfigError(f"{where}.sites: no site named {unknown[0]!r} in [[sites]] (known: {known})")
        for name in entry.categories:
            if categories is not None and name not in categories:
                raise ConfigError(
                    f"{where}.categories: expected 清单 categories "
                    f"({', '.join(sorted(categories))}), got {name!r}"
                )
        routes.append(
            Route(
                to=tuple(entry.to),
                name=entry.name,
                sites=frozenset(entry.sites),
                departments=frozenset(entry.departments),
                categories=frozenset(entry.categories),
                columns=frozenset(entry.columns),
                send_empty=email.send_empty,
                reporters=_reporters(entry.reporters, robots, f"{where}.reporters"),
            )
        )
    return routes


def _check_robots(config: Config) -> set[str]:
    """The names of the [[email.robots]] robots, each checked (unique, not a built-in, its keys apt)."""
    names: set[str] = set()
    for i, robot in enumerate(config.email_robots):
        where = f"{config.path}: key email.robots[{i}]"
        if robot.name in BUILT_IN_REPORTERS or robot.name in names:
            raise ConfigError(
                f"{where}.name: expected a name of its own (not smtp, outbox or an earlier robot's), "
                f"got {robot.name!r}"
            )
        if robot.secret_env and robot.kind != "dingtalk":
            raise ConfigError(f"{where}.secret_env: only a dingtalk robot signs its requests; remove it")
        names.add(robot.name)
    return names


def _reporters(names: list[str], robots: set[str], where: str) -> tuple[str, ...]:
    if not names:
        raise ConfigError(f"{where}: expected at least one reporter (smtp, outbox, or a robot's name)")
    for name in names:
        if name not in BUILT_IN_REPORTERS and name not in robots:
            known = ", ".join([*BUILT_IN_REPORTERS, *sorted(robots)])
            raise ConfigError(
                f"{where}: no reporter named {name!r} (known: {known}; robots are [[email.robots]])"
            )
    return tuple(dict.fromkeys(names))
