"""The HTML part of the weekly email, rendered from `monitor/templates/email.html`.

Mail clients (Outlook, Foxmail, webmail) drop <style> blocks and ignore most layout CSS, so the template gives
every element its own `style` and lays out with nested tables: no image, script or external resource. The
environment (`monitor.templating`) escapes every string, so a title such as `</table><script>` shows as text
and changes nothing; links are made only for http(s) URLs.
"""

from __future__ import annotations

from monitor.statuses import LATE
from monitor.templating import render

from .digest import ABSENT_TITLE, Digest


def summary_statuses(d: Digest) -> list[str]:
    """The summary row: the late statuses and fresh, then any other status the judgement gave."""
    shown = [*LATE, "fresh"]
    return shown + [s for s in d.counts if s not in shown]


def render_html(d: Digest, *, title: str) -> str:
    """The whole HTML document for one digest (it links the HTML report when `d.report_url` is set)."""
    return render(
        "email.html",
        d=d,
        title=title,
        summary=summary_statuses(d),
        report_url=d.report_url,
        absent_title=ABSENT_TITLE,
    )
