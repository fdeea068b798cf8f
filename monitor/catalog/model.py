"""The catalog in memory: 清单 categories and items, the school directory, the generic limits.

Plain frozen dataclasses built by `monitor.catalog.load_catalog` from the shipped TOML and the config's
overrides. Nothing here reads files; the mapping and the judge only query these objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from monitor.rules import Cadence

PROGRAMS = ("undergraduate", "vocational", "graduate")


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    keywords: tuple[str, ...] = ()
    order: int = 0


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """One item of the 清单: what the report names it, how a column is recognised, what cadence it keeps."""

    id: str
    category: str
    name: str
    cadence: Cadence
    full_name: str = ""
    keywords: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    applies_to: frozenset[str] = frozenset(PROGRAMS)
    order: int = 0  # position in the 清单, for stable output and tie-breaks
    disabled: bool = False
    # regular expressions searched in a normalised item title: a title that matches shows the item itself
    # (e.g. "2025年部门预算" for 收支预算表), whatever column lists it
    titles: tuple[re.Pattern[str], ...] = ()
    # the item's wording for a programme other than the default one, e.g. (("vocational", "…"),)
    names: tuple[tuple[str, str], ...] = ()

    def applies(self, programs: frozenset[str]) -> bool:
        return not self.disabled and bool(self.applies_to & programs)

    def name_for(self, programs: frozenset[str]) -> str:
        """The wording an institution of `programs` reads: `name`, unless it runs no undergraduate
        programme and the item has a wording for one of its programmes (a vocational college reads
        高等职业教育质量年度报告)."""
        if "undergraduate" in programs:
            return self.name
        own = dict(self.names)
        for program in PROGRAMS:
            if program in programs and program in own:
                return own[program]
        return self.name

    def title_match(self, normalized_title: str) -> str | None:
        """The pattern a normalised title matches, or None."""
        for pattern in self.titles:
            if pattern.search(normalized_title):
                return pattern.pattern
        return None


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """A column of a school's own directory (目录): recognised by its exact name, carrying some 清单 items."""

    name: str
    category: str
    items: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    cadence: Cadence | None = None
    order: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class GenericGroup:
    """A government-threshold group: a column whose name contains a keyword may be `max_age_days` old."""

    name: str
    keywords: tuple[str, ...]
    max_age_days: int


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything the mapping and the rules need to know about what a college should publish."""

    categories: tuple[Category, ...]
    items: tuple[CatalogItem, ...]
    directory: tuple[DirectoryEntry, ...]
    generic: tuple[GenericGroup, ...]
    default_max_age_days: int
    programs: frozenset[str] = frozenset(("undergraduate", "graduate"))
    disabled: frozenset[str] = frozenset()
    # per institution: (programs, extra disabled ids), from [[catalog.institutions]]
    institutions: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)

    def item(self, item_id: str) -> CatalogItem:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def has_item(self, item_id: str) -> bool:
        return any(it.id == item_id for it in self.items)

    def category_order(self, name: str | None) -> int:
        for c in self.categories:
            if c.name == name:
                return c.order
        return len(self.categories)

    def programs_of(self, institution: str | None = None) -> frozenset[str]:
        """The programmes `institution` runs ([[catalog.institutions]], else [catalog] programs)."""
        return self.institutions.get(institution or "", (self.programs, frozenset()))[0]

    def name_of(self, item_id: str, institution: str | None = None) -> str:
        """An item's wording as `institution` reads it (the vocational wording at a vocational college)."""
        return self.item(item_id).name_for(self.programs_of(institution))

    def applicable(self, institution: str | None = None) -> tuple[CatalogItem, ...]:
        """The items expected of `institution` (its own programmes if configured), in 清单 order."""
        programs, disabled = self.institutions.get(institution or "", (self.programs, frozenset()))
        off = self.disabled | disabled
        return tuple(it for it in self.items if it.applies(programs) and it.id not in off)

    def generic_for(self, normalized_name: str) -> tuple[int, str]:
        """(limit in days, group name) for a column name (already normalised), or the default ("其他栏目")."""
        for group in self.generic:
            if any(k in normalized_name for k in group.keywords):
                return group.max_age_days, group.name
        return self.default_max_age_days, "其他栏目"
