"""Script-filled lists whose rows a POST fetches: `$.post(url, {…})`, `$.ajax({type: 'POST', data: {…}})`,
`axios.post(url, {…})`, `fetch(url, {method: 'POST', body: JSON.stringify({…})})`.

When the page's script states the endpoint and every field of the body (literals, variables bound to
literals, the page variable: page 1), crawler/scripted.py reads them and the spider POSTs the same body to
the same endpoint (on the site's own hosts), pages by the body's page field, and reads the JSON answer like
a GET endpoint's. Every page of such a list lives at one URL, so each is filed under a key of its own: the
endpoint with a `#post=` fragment holding the form-encoded body (`#post-json=` when the script sends JSON),
as ASP.NET postback pages are (crawler/postback.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

__all__ = ["PostKey", "is_post_key", "post_key", "split_post_key"]

_FORM, _JSON = "#post=", "#post-json="


@dataclass(frozen=True, slots=True)
class PostKey:
    """A POST a list page's script makes: where, with which fields, form-encoded or as JSON."""

    url: str
    fields: tuple[tuple[str, str], ...]
    as_json: bool = False

    def key(self) -> str:
        return post_key(self.url, list(self.fields), self.as_json)

    def body(self) -> tuple[bytes, str]:
        """The request body and its Content-Type (JSON numbers stay numbers, a code like "015" text; no field:
        an empty body, as the script sends it)."""
        if not self.fields:
            return b"", "application/json;charset=UTF-8" if self.as_json else "text/plain;charset=UTF-8"
        if self.as_json:
            data = {k: int(v) if v.isdigit() and (v == "0" or v[0] != "0") else v for k, v in self.fields}
            return json.dumps(data, ensure_ascii=False).encode(), "application/json;charset=UTF-8"
        return urlencode(self.fields).encode(), "application/x-www-form-urlencoded; charset=UTF-8"

    def with_field(self, name: str, value: str) -> PostKey:
        return PostKey(self.url, tuple((k, value if k == name else v) for k, v in self.fields), self.as_json)


def post_key(url: str, fields: list[tuple[str, str]], as_json: bool = False) -> str:
    """Where one page of a POSTed list is filed: the endpoint and its body in a fragment."""
    return f"{url.split('#', 1)[0]}{_JSON if as_json else _FORM}{urlencode(fields)}"


def is_post_key(url: str) -> bool:
    return _FORM in url or _JSON in url


def split_post_key(url: str) -> PostKey | None:
    """The POST a key stands for; None for any other URL."""
    for marker, as_json in ((_JSON, True), (_FORM, False)):
        if marker in url:
            base, _, body = url.partition(marker)
            return PostKey(base, tuple(parse_qsl(body, keep_blank_values=True)), as_json)
    return None
