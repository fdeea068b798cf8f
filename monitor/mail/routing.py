"""Who gets what: the office (`[email] to`) gets everything, each `[[email.routes]]` contact their columns.

A route selects columns by site name, department, 清单 category, or column name/URL (any match selects). A
route that selects nothing, or names a site that is not configured, is a configuration mistake and is
reported at load time with the route's index, not discovered as an empty email months later.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config import Config, ConfigError

OFFICE_NAME = "信息公开办公室"


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
    routes: list[Route] = []
    if email.to:
        routes.append(Route(to=tuple(email.to), name=OFFICE_NAME, office=True, send_empty=True))
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
            )
        )
    return routes
