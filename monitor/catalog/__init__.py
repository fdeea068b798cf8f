"""The catalog: what a college is expected to publish, as editable data.

Owns the shipped TOML (`moe_list.toml`: the MoE 清单, 10 categories / 50 items with keywords and cadences;
`directory.toml`: a school directory like the seed's 14 columns; `generic.toml`: the government-website
thresholds) and `load_catalog`, which merges the config's `[catalog]`, `[[catalog.items]]`,
`[[catalog.directory]]`, `[[catalog.institutions]]`, `[rules] default_max_age_days` and
`[[rules.generic]]` into one `Catalog`. Every mistake, in the shipped files or the overrides, is a
`ConfigError` naming the file and key.

Public names: `Catalog`, `CatalogItem`, `Category`, `DirectoryEntry`, `GenericGroup`, `load_catalog`,
`read_shipped`, `normalize`.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, replace
from importlib import resources
from pathlib import Path
from typing import Any

from monitor.config import Config, ConfigError
from monitor.rules import Cadence, SpecError, cadence_from

from .model import PROGRAMS, Catalog, CatalogItem, Category, DirectoryEntry, GenericGroup

__all__ = [
    "PROGRAMS",
    "Catalog",
    "CatalogItem",
    "Category",
    "DirectoryEntry",
    "GenericGroup",
    "load_catalog",
    "normalize",
    "read_shipped",
]

SHIPPED = ("moe_list.toml", "directory.toml", "generic.toml")
_SHIPPED_DIR = "monitor/catalog/"


def normalize(text: str) -> str:
    """A name as the mapping compares it: NFKC (full-width to half-width), lower case, no spaces/punctuation.

    "因公出国（境）" and "因公出国(境)" and " 因公出国 境 " all become "因公出国境".
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZSC")


def read_shipped(name: str) -> dict[str, Any]:
    """One of the shipped TOML files, parsed."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # pragma: no cover - a broken shipped file is caught by the tests
        raise ConfigError(f"monitor/catalog/{name}: not valid TOML: {exc}") from None


def _err(where: str, key: str, expected: str) -> ConfigError:
    """`where` is "FILE: prefix." (e.g. "config.toml: catalog.items[2]."): the message names file and key."""
    file, _, prefix = where.partition(": ")
    return ConfigError(f"{file}: key {prefix}{key}: expected {expected}")


def _words(values: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _err(where, key, f"a list of strings, got {values!r}")
    out = tuple(dict.fromkeys(normalize(v) for v in values))
    if "" in out:
        raise _err(where, key, "words with letters, got an empty one")
    return out


def _cadence(table: Mapping[str, Any], where: str, source: str, *, required: bool) -> Cadence | None:
    file, _, prefix = where.partition(": ")
    try:
        return cadence_from(table, prefix, source=source, required=required)
    except SpecError as exc:
        raise ConfigError(f"{file}: key {exc}") from None


def _patterns(values: Any, where: str, key: str) -> tuple[re.Pattern[str], ...]:
    """Title patterns: regular expressions (Python `re`) searched in a normalised title."""
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise _err(where, key, f"a list of regular expressions, got {values!r}")
    out = []
    for v in dict.fromkeys(values):
        try:
            out.append(re.compile(v))
        except re.error as exc:
            raise _err(where, key, f"regular expressions that compile; {v!r} does not ({exc})") from None
        if out[-1].search(""):
            raise _err(where, key, f"patterns that need some text; {v!r} matches an empty title")
    return tuple(out)


def _names(values: Any, where: str, key: str) -> tuple[tuple[str, str], ...]:
    """Wordings per programme: {vocational = "高等职业教育质量年度报告"}."""
    if not isinstance(values, Mapping) or any(
        p not in PROGRAMS or not isinstance(n, str) or not n for p, n in values.items()
    ):
        raise _err(where, key, f"a table of programme = wording ({', '.join(PROGRAMS)}), got {values!r}")
    return tuple((p, values[p]) for p in PROGRAMS if p in values)


def _programs(values: Any, where: str, key: str) -> frozenset[str]:
    if not isinstance(values, list) or any(p not in PROGRAMS for p in values):
        raise _err(where, key, f"programmes among {', '.join(PROGRAMS)}, got {values!r}")
    return frozenset(values)


def _base_catalog() -> tuple[
    list[Category], list[CatalogItem], list[DirectoryEntry], list[GenericGroup], int
]:
    """The shipped files as objects, checked as strictly as a config file."""
    moe, directory, generic = (read_shipped(n) for n in SHIPPED)
    categories = [
        Category(
            c["name"],
            _words(c.get("keywords", []), f"{_SHIPPED_DIR}moe_list.toml: categories[{i}].", "keywords"),
            i,
        )
        for i, c in enumerate(moe["categories"])
    ]
    names = [c.name for c in categories]
    items: list[CatalogItem] = []
    for i, raw in enumerate(moe["items"]):
        where = f"{_SHIPPED_DIR}moe_list.toml: items[{i}]."
        items.append(_item_from(raw, where, i, names, source=f"清单:{raw.get('id')}"))
    ids = {it.id for it in items}
    if len(ids) != len(items):
        raise ConfigError(f"{_SHIPPED_DIR}moe_list.toml: key items[].id: expected unique ids")
    entries = [
        _directory_from(raw, f"{_SHIPPED_DIR}directory.toml: columns[{i}].", i, names, ids)
        for i, raw in enumerate(directory["columns"])
    ]
    groups = [
        GenericGroup(
            g["name"],
            _words(g["keywords"], f"{_SHIPPED_DIR}generic.toml: groups[{i}].", "keywords"),
            g["max_age_days"],
        )
        for i, g in enumerate(generic["groups"])
    ]
    return categories, items, entries, groups, int(generic["default"]["max_age_days"])


_ITEM_KEYS = {
    "id",
    "category",
    "name",
    "full_name",
    "keywords",
    "paths",
    "applies_to",
    "max_age_days",
    "annual",
}
_ITEM_KEYS |= {"event", "titles", "names"}


def _item_from(
    raw: Mapping[str, Any], where: str, order: int, categories: list[str], *, source: str
) -> CatalogItem:
    for key in raw:
        if key not in _ITEM_KEYS:
            raise _err(where, key, "no such key; known keys here: " + ", ".join(sorted(_ITEM_KEYS)))
    for key in ("id", "category", "name"):
        if not raw.get(key):
            raise _err(where, key, "a value (a new 清单 item needs id, name, category and a cadence)")
    if raw["category"] not in categories:
        raise _err(where, "category", f"one of {', '.join(categories)}, got {raw['category']!r}")
    cadence = _cadence(raw, where, source, required=True)
    assert cadence is not None
    return CatalogItem(
        id=raw["id"],
        category=raw["category"],
        name=raw["name"],
        full_name=raw.get("full_name", ""),
        keywords=_words(raw.get("keywords", []), where, "keywords"),
        paths=tuple(p.lower() for p in raw.get("paths", [])),
        applies_to=_programs(raw.get("applies_to", list(PROGRAMS)), where, "applies_to"),
        cadence=cadence,
        order=order,
        titles=_patterns(raw.get("titles", []), where, "titles"),
        names=_names(raw.get("names", {}), where, "names"),
    )


def _directory_from(
    raw: Mapping[str, Any], where: str, order: int, categories: list[str], ids: set[str]
) -> DirectoryEntry:
    category = raw.get("category", "")
    if category and category not in categories:
        raise _err(where, "category", f"one of {', '.join(categories)}, got {category!r}")
    for item_id in raw.get("items", []):
        if item_id not in ids:
            raise _err(where, "items", f"清单 item ids (see monitor/catalog/moe_list.toml), got {item_id!r}")
    return DirectoryEntry(
        name=raw["name"],
        category=category,
        items=tuple(raw.get("items", [])),
        aliases=tuple(raw.get("aliases", [])),
        cadence=_cadence(raw, where, f"目录:{raw['name']}", required=False),
        order=order,
    )


def _override_item(
    base: CatalogItem, raw: Mapping[str, Any], where: str, categories: list[str]
) -> CatalogItem:
    """Apply one [[catalog.items]] entry (validated by the config loader) to a shipped item."""
    changes: dict[str, Any] = {}
    for key in ("name", "full_name", "category"):
        if raw.get(key):
            changes[key] = raw[key]
    if changes.get("category") and changes["category"] not in categories:
        raise _err(where, "category", f"one of {', '.join(categories)}, got {changes['category']!r}")
    if raw.get("keywords"):
        changes["keywords"] = _words(raw["keywords"], where, "keywords")
    if raw.get("add_keywords"):
        extra = _words(raw["add_keywords"], where, "add_keywords")
        changes["keywords"] = tuple(dict.fromkeys((*changes.get("keywords", base.keywords), *extra)))
    if raw.get("paths"):
        changes["paths"] = tuple(p.lower() for p in raw["paths"])
    if raw.get("titles"):
        changes["titles"] = _patterns(raw["titles"], where, "titles")
    if raw.get("add_titles"):
        extra_titles = _patterns(raw["add_titles"], where, "add_titles")
        changes["titles"] = tuple(dict.fromkeys((*changes.get("titles", base.titles), *extra_titles)))
    if raw.get("names"):
        changes["names"] = tuple(
            dict({**dict(base.names), **dict(_names(raw["names"], where, "names"))}).items()
        )
    if raw.get("applies_to"):
        changes["applies_to"] = frozenset(raw["applies_to"])
    cadence = _cadence(raw, where, f"config:{base.id}", required=False)
    if cadence is not None:
        changes["cadence"] = cadence
    if raw.get("disabled"):
        changes["disabled"] = True
    return replace(base, **changes)


def load_catalog(config: Config | None = None) -> Catalog:
    """The shipped catalog with the configuration's overrides; raises ConfigError naming file and key."""
    categories, items, entries, groups, default_days = _base_catalog()
    if config is None:
        return Catalog(tuple(categories), tuple(items), tuple(entries), tuple(groups), default_days)
    path = config.path
    names = [c.name for c in categories]
    by_id = {it.id: it for it in items}
    for i, raw in enumerate(config.catalog_items):
        values = asdict(raw)
        where = f"{path}: catalog.items[{i}]."
        if values["id"] in by_id:
            by_id[values["id"]] = _override_item(by_id[values["id"]], values, where, names)
        else:
            new = {k: v for k, v in values.items() if v not in ("", [], {}, 0, False) and k in _ITEM_KEYS}
            if values.get("add_titles"):
                new["titles"] = [*new.get("titles", []), *values["add_titles"]]
            by_id[values["id"]] = _item_from(new, where, len(by_id), names, source=f"config:{values['id']}")
    ids = set(by_id)
    catalog_section = config.catalog
    for item_id in catalog_section.disabled:
        if item_id not in ids:
            raise _err(f"{path}: ", "catalog.disabled", f"清单 item ids (see moe_list.toml), got {item_id!r}")
    own = [
        _directory_from(asdict(e), f"{path}: catalog.directory[{i}].", i, names, ids)
        for i, e in enumerate(config.catalog_directory)
    ]
    own_names = {normalize(n) for e in own for n in e.names}
    shipped = [e for e in entries if not {normalize(n) for n in e.names} & own_names]
    directory = own + (shipped if catalog_section.shipped_directory else [])
    institutions: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for i, inst in enumerate(config.catalog_institutions):
        for item_id in inst.disabled:
            if item_id not in ids:
                raise _err(
                    f"{path}: catalog.institutions[{i}].", "disabled", f"清单 item ids, got {item_id!r}"
                )
        institutions[inst.name] = (frozenset(inst.programs), frozenset(inst.disabled))
    groups = _merge_groups(groups, config, path)
    default = config.rules.default_max_age_days or default_days
    return Catalog(
        categories=tuple(categories),
        items=tuple(by_id.values()),
        directory=tuple(directory),
        generic=tuple(groups),
        default_max_age_days=default,
        programs=frozenset(catalog_section.programs),
        disabled=frozenset(catalog_section.disabled),
        institutions=institutions,
    )


def _merge_groups(groups: list[GenericGroup], config: Config, path: Path) -> list[GenericGroup]:
    """[[rules.generic]]: change a shipped group's limit or keywords (by name), or add a group before them."""
    merged = list(groups)
    added: list[GenericGroup] = []
    for i, g in enumerate(config.rules_generic):
        keywords = _words(g.keywords, f"{path}: rules.generic[{i}].", "keywords") if g.keywords else ()
        for n, old in enumerate(merged):
            if old.name == g.name:
                merged[n] = GenericGroup(old.name, keywords or old.keywords, g.max_age_days)
                break
        else:
            if not keywords:
                raise _err(f"{path}: rules.generic[{i}].", "keywords", "some keywords for a new group")
            added.append(GenericGroup(g.name, keywords, g.max_age_days))
    return added + merged
