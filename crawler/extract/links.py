"""Every outgoing link of a page, absolute, once, with its role: pager, attachment, content, nav, other, menu.

The spider follows links to discover columns; roles let it tell a column's other pages (pager) and items
(content) from menus (nav) and documents (attachment, which are checked, not parsed). Entries of a menu a
script builds (crawler/extract/scriptmenu.py) are nav links too; `menu` links are where a script-built
menu's entries come from (a script, a JSON endpoint, an HTML fragment): the spider fetches and reads them.
"""

from __future__ import annotations

from storage.records import Link

from .article import is_attachment
from .dom import Doc
from .names import more_link_name
from .row import is_more_link
from .scriptmenu import ScriptMenu

__all__ = ["ROLE_RANK", "collect_links"]

ROLE_RANK = {"pager": 0, "attachment": 1, "content": 2, "nav": 3, "other": 4, "menu": 5}


def collect_links(
    doc: Doc, pager_urls: list[str], content_urls: set[str], menu: ScriptMenu | None = None
) -> list[Link]:
    """Links in page order, each URL once with its strongest role; frames and redirects count as nav.

    A box's 更多 (more) link leads to a column: it is navigation, named by the title of its box (the text
    更多 names nothing), so a column reached only through it is reported like one in the menu."""
    found: dict[str, Link] = {}
    pager_set = set(pager_urls)
    more = {a.el for a in doc.anchors if a.url != doc.url and is_more_link(a)}
    for a in doc.anchors:
        text = a.text or a.title
        if a.url in pager_set:
            role = "pager"
        elif is_attachment(a):
            role = "attachment"
        elif a.url in content_urls:
            role = "content"
        elif a.el in more:
            role, text = "nav", more_link_name(doc, a.el, more) or text
        elif a.nav:
            role = "nav"
        else:
            role = "other"
        old = found.get(a.url)
        if old is None or ROLE_RANK[role] < ROLE_RANK[old.role]:
            found[a.url] = Link(url=a.url, text=text or (old.text if old else ""), role=role)
    for url in pager_urls:  # pages a script pager (TRS createPageHTML) declares have no <a> of their own
        if url not in found:
            found[url] = Link(url=url, text="", role="pager")
    for url, _how in doc.extra_links:
        if url not in found:
            found[url] = Link(url=url, text="", role="nav")
    if menu is not None:
        for url, text in menu.links:  # a script's menu entries: navigation, named by the entry's text
            old = found.get(url)
            if old is None or ROLE_RANK[old.role] > ROLE_RANK["nav"]:
                found[url] = Link(url=url, text=text or (old.text if old else ""), role="nav")
        for url in menu.sources:
            found.setdefault(url, Link(url=url, text="", role="menu"))
    return list(found.values())
