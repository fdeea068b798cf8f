"""The one Jinja2 environment every HTML output renders from (email, stats, the HTML report).

Templates live in `monitor/templates/` (package data). Autoescape is on for every template, so anything that
came from the web (titles, column names, URLs, error text) is escaped by the environment, not by each caller;
`Markup` is made in one place only: the `link` filter, which builds an `<a>` for http(s) URLs (anything else,
`javascript:` included, stays text). The filters for dates, statuses and links are here and nowhere else:

- `day`: a date or datetime as YYYY-MM-DD (a datetime first converted to the college's zone), "—" for None;
- `when`: a datetime as YYYY-MM-DD HH:MM in the college's zone;
- `status_label`, `status_bg`, `status_fg`: a status's Chinese name and colours (any status, known or not);
- `link(url, text="", style="")`: a safe link, or the escaped text;
- `failure`: a recorded fetch error in Chinese words (`monitor.failure_words`), never the technical text.

The zone is the template variable `zone` (an IANA name; Asia/Shanghai when absent).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from monitor.config import default
from monitor.failure_words import error_words
from monitor.statuses import FINDING_LABELS, STATUS_LABELS

DEFAULT_ZONE: str = default("college", "timezone")
# Background / text colour per status; every cell also names its status in words, so colour is never the
# only carrier. A status this table does not know (added by the judgement later) gets the neutral pair.
COLOURS: dict[str, tuple[str, str]] = {
    "unreachable": ("#f8d7da", "#842029"),
    "gone": ("#adb5bd", "#212529"),  # a column that disappeared: dark grey, not the red of a failing page
    "stale": ("#fde2c8", "#8a4b08"),
    "blocked": ("#e2d9f3", "#4b2c83"),
    "empty": ("#fff3cd", "#664d03"),
    "missing": ("#e9ecef", "#495057"),
    "unchecked": ("#cfe2ff", "#084298"),  # not looked at this time (a limit): blue, no verdict
    "undated": ("#cff4fc", "#055160"),  # read, no date to judge by: cyan, no verdict
    "fresh": ("#d1e7dd", "#0f5132"),
}
NEUTRAL = ("#e9ecef", "#495057")


def _zone(ctx: Context) -> ZoneInfo:
    name = ctx.get("zone") or DEFAULT_ZONE
    return ZoneInfo(str(name))


@pass_context
def day(ctx: Context, value: date | datetime | None, empty: str = "—") -> str:
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = value.astimezone(_zone(ctx)).date() if value.tzinfo else value.date()
    return value.isoformat()


@pass_context
def when(ctx: Context, value: datetime | None, empty: str = "—") -> str:
    if value is None:
        return empty
    if value.tzinfo:
        value = value.astimezone(_zone(ctx))
    return f"{value:%Y-%m-%d %H:%M}"


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "—")


def finding_label(kind: str | None) -> str:
    return FINDING_LABELS.get(kind or "", kind or "—")


def status_bg(status: str | None) -> str:
    return COLOURS.get(status or "", NEUTRAL)[0]


def status_fg(status: str | None) -> str:
    return COLOURS.get(status or "", NEUTRAL)[1]


def is_web_url(url: object) -> bool:
    return isinstance(url, str) and urlsplit(url).scheme.lower() in ("http", "https")


def link(url: str | None, text: object = None, style: str = "") -> Markup:
    """`<a href=url>text</a>` for an http(s) URL; the escaped text (or URL) for anything else."""
    label = escape(text if text not in (None, "") else (url or ""))
    if url and is_web_url(url):
        attr = Markup(' style="{}"').format(style) if style else Markup("")
        return Markup('<a href="{}"{}>{}</a>').format(url, attr, label)
    return Markup(label)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("monitor", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        day=day,
        when=when,
        status_label=status_label,
        finding_label=finding_label,
        status_bg=status_bg,
        status_fg=status_fg,
        link=link,
        failure=error_words,
    )
    env.tests["web_url"] = is_web_url
    return env


def render(template: str, **values: Any) -> str:
    """Render `monitor/templates/<template>` with `values` (every web string in them is escaped)."""
    return environment().get_template(template).render(**values)
