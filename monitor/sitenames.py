"""Sites as people read them: every configured site's display name, never its config id.

A site's name is `[[sites]] title`, else the `<title>` of its start page as crawled (`storage.site_titles`,
one line, without a 首页 part, cut to `TITLE_LIMIT` characters), else its department's or kind's name
(财务处网站, 信息公开网); sites that would share a name get their start page's host beside it. The
judgement carries the names (`Judgement.site_names`); the text, HTML and Excel reports, the statistics and
the weekly email show them; the machine forms (JSON, plain CSV) keep the config id and add the name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Protocol

__all__ = ["KIND_NAMES", "TITLE_LIMIT", "display_names", "kind_name", "shown_title"]

KIND_NAMES = {"disclosure": "信息公开网", "portal": "门户网站", "department": "部门网站"}
TITLE_LIMIT = 40  # a crawled <title> longer than this is cut (some sites put a slogan in it)


class NamedSite(Protocol):
    """What naming a site needs of its configuration."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def department(self) -> str: ...
    @property
    def institution(self) -> str: ...
    @property
    def host(self) -> str: ...


def kind_name(kind: str) -> str:
    """A site kind in words (信息公开网, 门户网站, 部门网站; anything else 网站)."""
    return KIND_NAMES.get(kind, "网站")


def display_names(
    sites: Iterable[NamedSite], crawled: Mapping[str, str], college: str = ""
) -> dict[str, str]:
    """Every site's display name: its title, else its crawled <title>, else its department's or kind's name
    (prefixed with its institution when that is not the college itself)."""
    out: dict[str, str] = {}
    for site in sites:
        title = site.title or shown_title(crawled.get(site.name, ""))
        if not title:
            kind = kind_name(site.kind)
            if site.department:
                title = f"{site.department}{'网站' if site.kind == 'department' else kind}"
            else:
                prefix = site.institution if site.institution and site.institution != college else ""
                title = f"{prefix}{kind}"
        out[site.name] = title
    shared = Counter(out.values())
    for site in sites:
        if shared[out[site.name]] > 1 and site.host:
            out[site.name] = f"{out[site.name]}（{site.host}）"
    return out


_PARTS = re.compile(r"\s*[-|｜_—–]\s*")
_HOME_WORDS = {"首页", "主页", "网站首页", "home", "index", "welcome"}


def shown_title(title: str) -> str:
    """A crawled start-page title as a site's name: one line, without a 首页 part ("首页 - X" is X), cut."""
    title = " ".join(title.split())
    parts = [p for p in _PARTS.split(title) if p and p.lower() not in _HOME_WORDS]
    title = " - ".join(parts)
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1] + "…"
