"""Is a linked file there? What a file link's answer says, beyond its HTTP status.

Files (PDF, DOC …) are checked with HEAD. Two answers do not say whether the file is there, and are asked
again with GET (`ask_again`): HTTP 405 / 501 (a server that serves no HEAD), and an HTML page where a file
was linked — a soft 404 (页面不存在 with HTTP 200) or a sign-in page a redirect led to, which only the body
tells apart (the spider reads it like any page: a soft 404 is `http_error`, a login page `blocked`).
A redirect off the site to a sign-in service (统一身份认证, CAS, SSO) is a login wall too (`login_target`).
A file column (crawler/othercolumns.py) takes its status from these outcomes.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["ask_again", "login_target"]

_NO_HEAD = frozenset({405, 501})
# a sign-in service's URL: its path or host says so (…/cas/login, sso.example.edu.cn, authserver, passport)
_LOGIN_URL = re.compile(
    r"(^|[/._-])(login|logon|signin|sign-in|cas|sso|authserver|passport|uia|idp|oauth2?)([/._?=-]|$)", re.I
)


def ask_again(method: str, status: int, content_type: str | None) -> bool:
    """Whether a file link's HEAD answer must be asked again with GET to know if the file is there."""
    if method != "HEAD":
        return False
    if status in _NO_HEAD:
        return True
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    return 200 <= status < 300 and mime in ("text/html", "application/xhtml+xml")


def login_target(url: str | None) -> bool:
    """A URL (where a file link was redirected off the site) that is a sign-in service's."""
    if not url:
        return False
    parts = urlsplit(url)
    return bool(_LOGIN_URL.search(parts.netloc.split(":", 1)[0]) or _LOGIN_URL.search(parts.path))
