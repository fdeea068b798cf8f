"""Date columns named by a list's header row: 信息公开目录 (索引号 | 名称 | 文号 | 成文日期 | 发布日期).

A disclosure catalogue prints several numbers per row: an index number (`11230000MB0123456X/2026-00031`), a
document number (`黑职院发〔2026〕12号`), the date the document was written (成文日期) and the date it was
published (发布日期). The row's date is the cell under the header that names the publication, not the first
date-like text: the header decides, and a header naming no date leaves the row to the general rules.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from .dates import find_dates, parse_month_day
from .dom import Doc, el_text

__all__ = ["date_cell_index", "header_date"]

# Header words by rank: the publication date first, then the other dates a catalogue prints.
_HEADER_RANKS = (
    re.compile(r"^(发布|公开|发文|印发|發布)(日期|时间|時間)$"),
    re.compile(r"^(生成|更新|信息生成|上网)(日期|时间)$"),
    re.compile(r"^(日期|时间|時間|发布于|date|Date|DATE)$"),
    re.compile(r"^(成文|签发|制发)(日期|时间)$"),
)
_EDGE = " :：[]【】()（）"


def _cells(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def _header_row(doc: Doc, container: etree._Element, members: set[etree._Element]) -> etree._Element | None:
    """The row of column names over `members`: a linkless sibling row before them (<tr><th>…), the <thead>
    of their table, or the element just before their container (<div class="head"><span>…</span>)."""
    candidates: list[etree._Element] = []
    for child in container:
        if child in members:
            break
        if isinstance(child.tag, str):
            candidates.append(child)
    table = container if container.tag == "table" else container.getparent()
    if table is not None and table.tag == "table":
        for head in table.iter("thead"):
            candidates.extend(head.iter("tr"))
    before = container.getprevious()
    if before is not None:
        candidates.append(before)
    for row in reversed(candidates):
        if not doc.link_count.get(row, 0) and len(_cells(row)) >= 2:
            return row
    return None


def _width(cells: list[etree._Element]) -> int:
    total = 0
    for c in cells:
        span = c.get("colspan") or "1"
        total += int(span) if span.isdigit() and 0 < int(span) < 50 else 1
    return total


def date_cell_index(
    doc: Doc, container: etree._Element, members: list[etree._Element]
) -> tuple[int, int] | None:
    """(position of the date cell the header names, the header's width), or None when no header names a
    date."""
    header = _header_row(doc, container, set(members))
    if header is None:
        return None
    cells = _cells(header)
    names = [el_text(c).strip(_EDGE) for c in cells]
    for pattern in _HEADER_RANKS:
        for i, name in enumerate(names):
            if pattern.match(name):
                return _width(cells[:i]), _width(cells)
    return None


def header_date(
    member: etree._Element, column: tuple[int, int], today: date
) -> tuple[tuple[date, str] | None, tuple[int, int] | None] | None:
    """The date in the row's cell under the date header: (date, text) or a month-day; None when the row is
    not laid out like the header (another width: the general rules read it)."""
    cells = _cells(member)
    index, width = column
    if _width(cells) != width or any(c.get("colspan") for c in cells):
        return None
    text = el_text(cells[index])
    hits = find_dates(text, today=today)
    if hits:
        return hits[0], None
    return None, parse_month_day(text)
