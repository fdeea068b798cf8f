"""A site's menu that a script builds and nobody could read: the run says so, never a quiet absence.

A page whose menu container is empty and filled by a script (crawler/extract/scriptmenu.py sets
`PageParse.menu_script` and lists the menu's sources as `menu` links) has its menu read when any of those
sources, fetched (crawler/menusource.py), gave entries — or a source it points to did. When none did (no
source could be found, each failed, or none held entries a crawler can read), columns that menu links may
be missing from the report, and `MenuWatch.notice` says it for the site (`site_snapshots.menu_notice`),
with the reason: the report shows it on the site's line. Pure bookkeeping, fed by column assembly's
collector.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.records import PageParse

__all__ = ["MenuWatch"]


@dataclass(slots=True)
class MenuWatch:
    """The script-built menus of one site's run and what their sources gave."""

    pages: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # page -> (why, sources)
    entries: dict[str, int] = field(default_factory=dict)  # a fetched source -> menu entries read
    further: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a source -> the sources it names

    def add(self, url: str, parse: PageParse, via: str) -> None:
        if via == "menu":
            self.entries[url] = sum(1 for link in parse.links if link.role == "nav")
            self.further[url] = tuple(link.url for link in parse.links if link.role == "menu")
        elif parse.menu_script:
            sources = tuple(link.url for link in parse.links if link.role == "menu")
            self.pages[url] = (parse.menu_script, sources)

    def notice(self, failed: dict[str, str]) -> str | None:
        """The run's word on the site's unread script menus (`failed`: URL -> why its fetch failed), or
        None when every script-built menu was read."""
        unread = [
            (url, why, sources) for url, (why, sources) in self.pages.items() if not self._read(sources)
        ]
        if not unread:
            return None
        url, why, sources = min(unread, key=lambda u: (len(u[0]), u[0]))
        if sources:
            tried = "sources tried: " + "; ".join(f"{s}: {self._outcome(s, failed)}" for s in sources)
        else:
            tried = "no script or request of the page says where they come from"
        pages = f" on {len(unread)} pages" if len(unread) > 1 else ""
        return (
            f"script menu: {url}{pages}: {why}, and its entries could not be read ({tried}); columns only "
            "that menu links may be missing"
        )

    def _read(self, sources: tuple[str, ...], depth: int = 0) -> bool:
        for source in sources:
            if self.entries.get(source, 0) > 0:
                return True
            if depth < 3 and self._read(self.further.get(source, ()), depth + 1):
                return True
        return False

    def _outcome(self, source: str, failed: dict[str, str]) -> str:
        if source in failed:
            return failed[source]
        if source in self.entries:
            return "no menu entries in it"
        return "not fetched"
