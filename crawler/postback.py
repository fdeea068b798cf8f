"""ASP.NET WebForms pagers: `javascript:__doPostBack('gvList','Page$2')` links that submit the page's form.

A GridView (`Page$N`, `Page$Next`, `Page$Prev`, `Page$First`) or an AspNetPager (`__doPostBack('pager','2')`)
pages by posting the page's one form back with `__EVENTTARGET` / `__EVENTARGUMENT` set and its hidden state
(`__VIEWSTATE`, `__EVENTVALIDATION` …) unchanged. `postback_pager` reads those links off a page; the spider
posts each with Scrapy's `FormRequest.from_response` (which carries every field of the form), from the page
that shows the link, bounded by the site's page budget like every pager.

Every page of such a list lives at one URL, so each is filed under a key of its own: the list's URL with a
`#postback=TARGET:N` fragment (`postback_key`). The pager links of a page point at those keys, so column
assembly joins the pages into one column like any other pager.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree, html

__all__ = ["Postback", "postback_key", "postback_pager"]

_CALL = re.compile(r"""__doPostBack\(\s*['"]([^'"]{1,200})['"]\s*,\s*['"]([^'"]{0,60})['"]\s*\)""")
_GRID = re.compile(r"^Page\$(\d{1,5}|Next|Prev|First)$", re.I)
_WORD = re.compile(
    r"^[\[\(【]?\s*(\d{1,5}|\.\.\.|…|下一?页|上一?页|首页|尾页|末页|next|prev|first|last|>+|<+)\s*[\]\)】]?$",
    re.I,
)
MAX_PAGES = 2000


@dataclass(frozen=True, slots=True)
class Postback:
    target: str  # __EVENTTARGET
    argument: str  # __EVENTARGUMENT, as the link writes it
    number: int  # the page it shows


def postback_key(url: str, target: str, number: int) -> str:
    """Where page `number` of a postback pager is filed (page 1 is the list's own URL)."""
    return url if number == 1 else f"{url.split('#', 1)[0]}#postback={target}:{number}"


def postback_pager(body: bytes, encoding: str, current: int) -> list[Postback]:
    """The other pages a WebForms pager links, as postbacks from the page numbered `current`."""
    if b"__doPostBack" not in body or b"__VIEWSTATE" not in body:
        return []
    try:
        root = html.document_fromstring(body.decode(encoding or "utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return []
    found: dict[int, Postback] = {}
    for a in root.iter("a"):
        m = _CALL.search(a.get("href") or "") or _CALL.search(a.get("onclick") or "")
        if m is None:
            continue
        target, argument = m.group(1), m.group(2)
        number = _number(argument, " ".join(a.text_content().split()), current)
        if number is not None and number != current and 1 <= number <= MAX_PAGES:
            found.setdefault(number, Postback(target, argument, number))
    return [found[n] for n in sorted(found)]


def _number(argument: str, text: str, current: int) -> int | None:
    grid = _GRID.match(argument)
    if grid:
        word = grid.group(1).lower()
        return {"next": current + 1, "prev": current - 1, "first": 1}.get(word) or int(word)
    if argument.isdigit() and _WORD.match(text):  # AspNetPager: the argument is the page number
        return int(argument)
    return None
