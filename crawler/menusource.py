"""A source of a script-built menu, fetched: its entries as navigation links, and the sources it points to.

A page whose menu a script fills from elsewhere lists those places as `menu` links
(crawler/extract/scriptmenu.py): a same-site script (`js/nav.js`), a JSON endpoint its script requests
(`/api/nav`), an HTML fragment it loads. The spider fetches each like any page (within the site's hosts and
page budget) and reads the answer here: JSON (or JSONP) by its values (crawler/extract/menuentries.py), a
script by the same reader as an inline one (data literals, the HTML it writes, the further requests it
makes for menu data), an HTML fragment by its links. The result is an `other` page whose links are the
menu's entries (role `nav`, named by the entry's text) and its further sources (role `menu`); column
assembly takes them like the links of a menu the server wrote.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from crawler.extract.decode import decode_body
from crawler.extract.dom import resolve_url
from crawler.extract.menuentries import json_entries
from crawler.extract.scriptmenu import fragment_links, menu_like, menu_requests, script_links
from crawler.sniff import looks_json
from storage.records import Link, PageParse

__all__ = ["menu_page"]

MAX_FURTHER = 2  # further sources one source may point to (a nav.js that asks /api/nav)


def menu_page(url: str, body: bytes, content_type: str | None, charset: str | None) -> PageParse:
    """The menu entries (and further sources) of one fetched menu source, as a page of kind `other`."""
    digest = hashlib.sha256(body).hexdigest()
    text, encoding = decode_body(body, charset)
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    further: list[str] = []
    if looks_json(content_type, body):
        found = json_entries(text)
    elif "html" in kind or text.lstrip()[:1] == "<":
        found = fragment_links(text)
    else:
        found = list(script_links(text))
        host = urlsplit(url).netloc.lower()
        for href, context in menu_requests(text):
            target = resolve_url(url, href)
            if not target or urlsplit(target).netloc.lower() != host or not menu_like(target, context):
                continue
            if target not in further:
                further.append(target)
    links: dict[str, Link] = {}
    for href, name in found:
        target = resolve_url(url, href)
        if target is not None and target not in links:
            links[target] = Link(target, " ".join(name.split()), "nav")
    for target in further[:MAX_FURTHER]:
        links.setdefault(target, Link(target, "", "menu"))
    return PageParse(url, digest, "other", encoding=encoding, links=list(links.values()))
