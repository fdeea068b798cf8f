"""Which 清单 item and category a discovered column stands for, from its name and URL.

Column names differ from school to school (招生章程 / 招生简章 / 本科招生 / 招生信息), so the catalog lists
keywords per item and the mapping takes, in this order:

1. a `[[mapping.overrides]]` entry for the column (by URL, then by name; a site-specific one first);
2. a school directory entry (`directory.toml`, `[[catalog.directory]]`) whose name equals the column's name;
3. the 清单 item with the most specific keyword contained in the name (longest keyword; then the most keyword
   text matched; then 清单 order) — only items that apply to the column's institution take part;
4. when the name names no item and no generic kind (新闻, 通知 ...): an item whose URL path segment
   (pinyin initials such as `zszc`) matches;
5. a category keyword (招生, 财务 ...): the category only, no item;
6. nothing: the column is judged by the generic government thresholds.

Names are compared after `monitor.catalog.normalize` (full-width/half-width, case, spaces and punctuation).
Pure: a `Mapper` is built once from the catalog and the config's overrides, then `map()` is called per column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from monitor.catalog import Catalog, CatalogItem, normalize
from monitor.config import Config, ConfigError
from monitor.rules import Cadence

# URL path pieces that never identify a column.
_PATH_NOISE = frozenset(
    {"htm", "html", "shtml", "jsp", "asp", "aspx", "php", "list", "index", "main", "page", "www"}
)
_PATH_SPLIT = re.compile(r"[/._\-?=&]+")


@dataclass(frozen=True, slots=True)
class Mapping:
    """How a column was recognised: its item (if any), category, the items it counts for, and why."""

    item_id: str | None
    category: str | None
    covers: tuple[str, ...] = ()  # 清单 item ids this column counts for ("missing" is computed from these)
    via: str = "none"  # override | directory | keyword | path | category | none
    matched: str = ""  # the keyword, directory name, path segment or override that decided
    cadence: Cadence | None = None  # a directory entry's own cadence

    def describe(self) -> str:
        """The mapping in words, for the report."""
        return {
            "override": f"配置指定“{self.matched}”",
            "directory": f"目录栏目“{self.matched}”",
            "keyword": f"关键词“{self.matched}”",
            "path": f"网址路径“{self.matched}”",
            "category": f"类别关键词“{self.matched}”",
        }.get(self.via, "未匹配清单事项，按通用规则")


@dataclass(frozen=True, slots=True)
class Override:
    """A `[[mapping.overrides]]` entry, checked against the catalog."""

    column: str  # a URL (contains "://") or a column name
    site: str = ""
    item: str = ""  # an item id, "none", or "" (keep the automatic item)
    category: str = ""

    def matches(self, site: str, name: str, url: str) -> int:
        """0 when it does not apply; else its precedence (higher wins)."""
        if self.site and self.site != site:
            return 0
        if "://" in self.column:
            hit = 4 if self.column == url else 0
        else:
            hit = 2 if normalize(self.column) == normalize(name) else 0
        return hit + (1 if hit and self.site else 0)


def overrides_from_config(config: Config, catalog: Catalog) -> list[Override]:
    """The config's `[[mapping.overrides]]`, with unknown item ids and categories reported by key."""
    categories = {c.name for c in catalog.categories}
    out: list[Override] = []
    for i, entry in enumerate(config.mapping_overrides):
        where = f"{config.path}: key mapping.overrides[{i}]"
        if entry.item and entry.item != "none" and not catalog.has_item(entry.item):
            raise ConfigError(
                f"{where}.item: expected a 清单 item id (moe_list.toml) or 'none', got {entry.item!r}"
            )
        if entry.category and entry.category not in categories:
            known = ", ".join(sorted(categories))
            raise ConfigError(f"{where}.category: expected one of {known}, got {entry.category!r}")
        out.append(Override(entry.column, entry.site, entry.item, entry.category))
    return out


def path_segments(url: str) -> tuple[str, ...]:
    """The words of a URL's path and query, lower case, without file extensions and generic words."""
    parts = urlsplit(url)
    words = _PATH_SPLIT.split(f"{parts.path}?{parts.query}".lower())
    return tuple(w for w in words if w and w not in _PATH_NOISE and not w.isdigit())


class Mapper:
    """Maps columns to the catalog; built once per judgement (caches the applicable items per institution)."""

    def __init__(self, catalog: Catalog, overrides: Iterable[Override] = (), *, use_paths: bool = True):
        self.catalog = catalog
        self.overrides = list(overrides)
        self.use_paths = use_paths
        self._applicable: dict[str, tuple[CatalogItem, ...]] = {}
        self._directory = {normalize(n): e for e in reversed(catalog.directory) for n in e.names}
        self._words = {
            it.id: (*it.keywords, normalize(it.name), *(normalize(n) for _, n in it.names))
            for it in catalog.items
        }
        self._categories = [(c.name, (*c.keywords, normalize(c.name))) for c in catalog.categories]

    def applicable(self, institution: str) -> tuple[CatalogItem, ...]:
        if institution not in self._applicable:
            self._applicable[institution] = self.catalog.applicable(institution)
        return self._applicable[institution]

    def map(self, site: str, name: str, url: str, institution: str = "") -> Mapping:
        found = self._automatic(name, url, institution)
        best = max(self.overrides, key=lambda o: o.matches(site, name, url), default=None)
        if best is None or not best.matches(site, name, url):
            return found
        if best.item == "none":
            return Mapping(None, best.category or found.category, (), "override", best.column)
        if best.item:
            item = self.catalog.item(best.item)
            return Mapping(item.id, best.category or item.category, (item.id,), "override", best.column)
        return Mapping(found.item_id, best.category or found.category, found.covers, "override", best.column)

    def _automatic(self, name: str, url: str, institution: str) -> Mapping:
        n = normalize(name)
        items = self.applicable(institution)
        usable = {it.id for it in items}
        entry = self._directory.get(n) if n else None
        if entry is not None:
            covers = tuple(i for i in entry.items if i in usable)
            primary = covers[0] if covers else None
            category = entry.category or (self.catalog.item(primary).category if primary else None)
            return Mapping(primary, category, covers, "directory", entry.name, entry.cadence)
        if n:
            hit = _best_keyword(n, items, self._words)
            if hit is not None:
                item, keyword = hit
                return Mapping(item.id, item.category, (item.id,), "keyword", keyword)
        if self.use_paths and self.catalog.generic_for(n)[1] == "其他栏目":  # the name says nothing
            segments = set(path_segments(url))
            for item in items:
                for p in item.paths:
                    if p in segments:
                        return Mapping(item.id, item.category, (item.id,), "path", p)
        if n:
            best = ("", "")
            for cat, words in self._categories:
                for k in words:
                    if k in n and len(k) > len(best[1]):
                        best = (cat, k)
            if best[0]:
                return Mapping(None, best[0], (), "category", best[1])
        return Mapping(None, None)


def _best_keyword(
    n: str, items: Iterable[CatalogItem], words_of: dict[str, tuple[str, ...]]
) -> tuple[CatalogItem, str] | None:
    """The item whose keywords identify the normalised name best, and the keyword that decided."""
    best: tuple[tuple[int, int, int], CatalogItem, str] | None = None
    for item in items:
        words = words_of[item.id]
        hits = [k for k in words if k and k in n]
        if not hits:
            continue
        top = max(hits, key=len)
        score = (1 if n in words else 0, len(top), sum(len(h) for h in hits))
        if best is None or score > best[0]:  # strict: on a tie the earlier item (清单 order) stays
            best = (score, item, top)
    return (best[1], best[2]) if best else None
