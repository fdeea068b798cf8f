"""List rows found by structure, not by template: repeated siblings that each hold a link and a date.

A column page on any CMS is a container (ul, table, dl, div …) whose children repeat: each child (li, tr, dd,
div.item, p, or a bare <a> followed by a date and <br>) holds one item link and, usually, a date beside it, in
the same element, in a neighbouring cell, or split into year-month and day elements. We group such children by
their container, turn each into a `Row`, and leave choosing the page's main group to `choose_main`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from storage.records import Row

from .dates import find_dates, fold
from .dom import Doc, collapse, marker
from .headers import date_cell_index, header_date
from .row import Draft, date_from_chunks, draft_row, inline_chunks, is_more_link, is_pagerish, resolve_rows
from .yearless import heading_years

__all__ = ["RowGroup", "choose_main", "find_row_groups", "rows_from_selector"]

# Anything that could be part of a printed date: a year with a month, a month with a day (any separator).
_DATEISH = re.compile(
    r"(?:19|20)\d\d\s*[-/.年]\s*\d|\d\s*[-/.月]\s*\d|今天|昨天|前天|刚刚|\d\s*(天|小时|分钟|周|个月)前"
)
_MAX_ROW_LINKS = 3
_NOT_ROWS = {"td", "th", "span", "font", "b", "strong", "em", "i", "img", "br", "option", "label"}
_BLOCK_ROWS = {"li", "tr", "dd", "dt", "div", "p", "ul", "ol", "dl", "table", "tbody", "section", "article"}
_LIST_CONTAINERS = {"ul", "ol", "div", "table", "tbody", "dl", "section", "article", "td", "form", "center"}
# Containers whose one child may be a whole list (a column holding a single item).
_LISTISH_TAG = {"ul": "li", "ol": "li", "tbody": "tr", "table": "tr", "dl": "dd"}


@dataclass(slots=True)
class RowGroup:
    """Rows that repeat under one container (or several identical sibling containers)."""

    container: etree._Element
    members: list[etree._Element]
    rows: list[Row]
    order: int  # position of the container in document order (earlier first)
    teaser: bool = False  # a "更多" link sits next to it: a preview box, not a column
    nav: bool = False  # inside navigation, header, footer or a sidebar
    single: bool = False  # a list container holding one dated row: a column with a single item
    nested: bool = False  # sits inside a row of another group: part of that row
    extra_containers: list[etree._Element] = field(default_factory=list)

    @property
    def dated(self) -> int:
        return sum(1 for r in self.rows if r.date is not None)


def _build_group(
    doc: Doc, container: etree._Element, members: list[etree._Element], today: date, min_rows: int = 2
) -> RowGroup | None:
    if not _DATEISH.search(fold("".join(container.itertext()))):
        return None  # nothing that could be a date anywhere in the container: a menu, not a list
    member_set = set(members)
    before = False
    if members[0].tag in ("a", "area"):
        first_before = inline_chunks(members[0], member_set, True)
        before = bool(first_before) and bool(find_dates(" ".join(first_before), today=today))
    drafts = [d for d in (draft_row(doc, m, member_set, today, before) for m in members) if d is not None]
    date_column = date_cell_index(doc, container, members) if len(members[0]) >= 2 else None
    if date_column is not None:
        cells = [header_date(d.member, date_column, today) for d in drafts]
        if any(c is not None and (c[0] or c[1]) for c in cells):  # the named column holds dates
            for d, cell in zip(drafts, cells, strict=True):
                if cell is not None:
                    d.found, d.month_day = cell
                    d.date_text = d.found[1] if d.found else None
    _set_heading_years(drafts)
    dated_marks = {marker(d.member) for d in drafts if d.found or d.month_day}
    if not dated_marks:
        return None
    kept = [
        d
        for d in drafts
        if d.found
        or d.month_day
        or (
            (marker(d.member) in dated_marks or d.member.tag in ("li", "tr", "dd", "dt", "a"))
            and not is_more_link(d.anchor)
            and not is_pagerish(d.anchor.text)
        )
    ]
    rows = resolve_rows(kept, today)
    if len(rows) < min_rows:
        return None
    return RowGroup(container, [d.member for d in kept], rows, 0)


def _set_heading_years(drafts: list[Draft]) -> None:
    """Year-less rows under a year heading (`<tr><td>2025年</td></tr>` between rows) take its year."""
    if any(d.month_day is not None and d.found is None for d in drafts):
        years = heading_years(d.member for d in drafts)
        for d in drafts:
            d.heading_year = years.get(d.member)


def _mark_teasers(doc: Doc, groups: list[RowGroup]) -> None:
    """A "更多/more" link next to rows makes them a preview box. Each such link belongs to the group
    nearest to it (so a sidebar's 更多 never marks the main list beside it), and only within a few levels."""
    if not groups:
        return
    reach: dict[etree._Element, list[tuple[int, RowGroup]]] = {}
    for g in groups:
        node: etree._Element | None = g.container
        budget = len(g.rows) + 8
        for level in range(5):
            if node is None or (level and doc.link_count.get(node, 0) > budget):
                break
            reach.setdefault(node, []).append((level, g))
            node = node.getparent()
    for a in doc.anchors:
        if a.url == doc.url or not is_more_link(a):
            continue
        node = a.el.getparent()
        for up in range(6):
            if node is None:
                break
            near = reach.get(node)
            if near:
                best = min(level for level, _ in near)
                if best + up <= 6:
                    for level, g in near:
                        if level == best and a.url not in {r.url for r in g.rows}:
                            g.teaser = True
                break
            node = node.getparent()


def find_row_groups(doc: Doc, today: date) -> list[RowGroup]:
    """Every group of repeated sibling rows with at least one dated row, in document order."""
    groups: list[RowGroup] = []
    order = {el: i for i, el in enumerate(doc.root.iter())}
    for container, count in doc.link_count.items():
        if (count < 2 and container.tag not in _LISTISH_TAG) or container not in doc.digits:
            continue  # no digit anywhere inside: no dated rows (menus, link lists)
        by_tag: dict[str, list[etree._Element]] = {}
        for child in container:
            tag = child.tag
            if (
                isinstance(tag, str)
                and tag not in _NOT_ROWS
                and 1 <= doc.link_count.get(child, 0) <= _MAX_ROW_LINKS
                and not _holds_rows(doc, child)
            ):
                by_tag.setdefault(tag, []).append(child)
        single = len(by_tag) == 1 and _LISTISH_TAG.get(container.tag) == next(iter(by_tag), "")
        for members in by_tag.values():
            if len(members) < 2 and not single:
                continue
            group = _build_group(doc, container, members, today, min_rows=1 if single else 2)
            if group is not None:
                group.order = order.get(container, 0)
                group.single = len(group.rows) == 1
                groups.append(group)
    groups.sort(key=lambda g: g.order)
    groups = _mark_nested(_merge_split_lists(groups))
    for g in groups:
        g.nav = _is_nav(doc, g)
    _mark_teasers(doc, groups)
    return groups


def _holds_rows(doc: Doc, el: etree._Element) -> bool:
    """An element whose block children repeat with links (a <ul> of items) is a list, not a row."""
    if doc.link_count.get(el, 0) < 2:
        return False
    seen: set[str] = set()
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag in _BLOCK_ROWS and doc.link_count.get(child, 0):
            if tag in seen:
                # repeated blocks with links: a list, unless they all lead to one item (thumbnail + title)
                urls = {doc.by_el[a].url for a in el.iter("a", "area") if a in doc.by_el}
                return len(urls) > 1
            seen.add(tag)
    return False


def _mark_nested(groups: list[RowGroup]) -> list[RowGroup]:
    """A group inside a row of another group (the two links of one <li>) is part of that row, not a list.

    Except in a layout table: when that "row" is the only dated row of its group and holds a group of
    several dated rows, it is the frame's cell around the list (`<table><tr><td class="main">` + the list),
    not a row; the frame's group is dropped and the list inside stands."""
    rows_of: dict[etree._Element, RowGroup] = {m: g for g in groups for m in g.members}
    frames: set[int] = set()
    for g in groups:
        node = g.container
        for _ in range(8):
            if node is None:
                break
            outer = rows_of.get(node)
            if outer is not None and outer is not g:
                if outer.dated <= 1 and g.dated >= 2:
                    frames.add(id(outer))
                else:
                    g.nested = True
                break
            node = node.getparent()
    return [g for g in groups if id(g) not in frames]


def _is_nav(doc: Doc, group: RowGroup) -> bool:
    first = doc.by_el.get(group.members[0]) if group.members else None
    if first is None and group.members:
        for el in group.members[0].iter("a", "area"):
            first = doc.by_el.get(el)
            if first is not None:
                break
    return bool(first and first.nav)


def _merge_split_lists(groups: list[RowGroup]) -> list[RowGroup]:
    """One list printed as several identical sibling containers (ul.list + ul.list) is one group."""
    merged: list[RowGroup] = []
    for g in groups:
        c = g.container
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and c.tag in _LIST_CONTAINERS
            and c.getparent() is not None
            and c.getparent() is prev.container.getparent()
            and c.tag == prev.container.tag
            and (c.get("class") or "") == (prev.container.get("class") or "")
            and not c.get("id")
            and not prev.container.get("id")
            and g.members[0].tag == prev.members[0].tag
        ):
            seen = {r.url for r in prev.rows}
            prev.rows.extend(r for r in g.rows if r.url not in seen)
            prev.members.extend(g.members)
            prev.extra_containers.append(c)
            continue
        merged.append(g)
    return merged


def rows_from_selector(doc: Doc, row_css: str, date_css: str | None, today: date) -> RowGroup | None:
    """Rows chosen by a per-site CSS override (config `selectors.row`, optionally `selectors.row_date`)."""
    from lxml.cssselect import CSSSelector

    try:
        members = [el for el in CSSSelector(row_css)(doc.root) if isinstance(el.tag, str)]
        date_sel = CSSSelector(date_css) if date_css else None
    except Exception:  # a bad selector in config must not stop the crawl: fall back to the general method
        return None
    if not members:
        return None
    member_set = set(members)
    drafts: list[Draft] = []
    for m in members:
        d = draft_row(doc, m, member_set, today, False)
        if d is None:
            continue
        if date_sel is not None:
            cells = [collapse("".join(x.itertext())) for x in date_sel(m)]
            found, month_day = date_from_chunks([c for c in cells if c], today)
            d.found, d.month_day, d.date_text = found, month_day, (found[1] if found else None)
        drafts.append(d)
    _set_heading_years(drafts)
    rows = resolve_rows(drafts, today)
    if not rows:
        return None
    parent = members[0].getparent()
    return RowGroup(parent if parent is not None else members[0], [d.member for d in drafts], rows, 0)


def choose_main(groups: list[RowGroup], pager_anchor: etree._Element | None) -> RowGroup | None:
    """The page's main row group: the one next to the pager, else the non-teaser one with most dated rows."""
    if not groups:
        return None
    if pager_anchor is not None:
        ancestors = {el: depth for depth, el in enumerate(pager_anchor.iterancestors())}
        best: tuple[int, int, RowGroup] | None = None
        for g in groups:
            if g.nested:
                continue
            node: etree._Element | None = g.container
            up = 0
            while node is not None and node not in ancestors:
                node = node.getparent()
                up += 1
            if node is None:
                continue
            distance = up + ancestors[node]
            key = (distance, -g.dated)
            if best is None or key < best[:2]:
                best = (distance, -g.dated, g)
        if best is not None:
            return best[2]
    candidates = [g for g in groups if not g.teaser and g.dated and not g.single and not g.nested]
    if not candidates:
        singles = [g for g in groups if g.single and g.dated and not g.teaser and not g.nav and not g.nested]
        return singles[0] if len(singles) == 1 else None
    return max(candidates, key=lambda g: (g.dated, not g.nav, len(g.rows), -g.order))
