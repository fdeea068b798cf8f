"""Client-side redirects: a start page that sends the browser on by `<meta http-equiv="refresh">` or by a
script (`window.location = …`, `location.href = …`, `location.replace(…)`).

Many college sites answer `/` with such a page instead of an HTTP redirect. The spider follows the target as
it follows an HTTP redirect of a start URL: the target becomes the site's start page (depth 0, kind of link
"start"), within the site's allowed hosts. Only a page that says little else is a redirect: a real home page
with a script that moves mobile browsers elsewhere is not.
"""

from __future__ import annotations

import re

from lxml import etree, html

__all__ = ["client_redirect"]

_REFRESH = re.compile(r"""url\s*=\s*['"]?([^'";\s>]+)""", re.I)
_SCRIPT = re.compile(
    r"""(?:window\.|self\.|top\.|document\.)?location(?:\.href)?\s*=\s*(['"])([^'"]{1,300})\1"""
    r"""|location\.(?:replace|assign)\(\s*(['"])([^'"]{1,300})\3\s*\)"""
)
MAX_TEXT = 200  # characters of visible text a redirecting page may hold ("正在跳转…", a noscript link)
MAX_LINKS = 3


def client_redirect(body: bytes, encoding: str) -> str | None:
    """The URL (as written) a redirect-only page sends the browser to, or None."""
    try:
        root = html.document_fromstring(body.decode(encoding or "utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return None
    if len(root.findall(".//a")) > MAX_LINKS:
        return None
    text = " ".join(t for el in root.iter("body") for t in el.itertext() if t.strip())
    scripts = [s.text or "" for s in root.iter("script")]
    visible = text
    for script in scripts:
        visible = visible.replace(script, "")
    if len(" ".join(visible.split())) > MAX_TEXT:
        return None
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() == "refresh":
            m = _REFRESH.search(meta.get("content") or "")
            if m:
                return m.group(1)
    for script in scripts:
        if "navigator" in script or "userAgent" in script:
            continue  # a phone redirect on a page of its own, not the site's move
        m = _SCRIPT.search(script)
        if m:
            return m.group(2) or m.group(4)
    return None
