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

from .dates import find_dates, parse_month_day, parse_split_date, resolve_yearless
from .dom import Anchor, Doc, collapse, marker, text_chunks

__all__ = ["MORE_TEXT", "RowGroup", "choose_main", "find_row_groups", "rows_from_selector"]

# "More" links mark a teaser box (a home page's or sidebar's preview of a column), not the column itself.
MORE_TEXT = re.compile(
    r"^[\s>»›+＋.…\]\[]*(更多|查看更多|更多内容|更多信息|more|MORE|More)?[\s>»›+＋.…\]\[]*$"
)
_PAGERISH = re.compile(
    r"^(下一页|下页|上一页|上页|首页|尾页|末页|最后一页|第一页|next|prev|previous|last|first|\d{1,4})$", re.I
)
_TITLEISH = re.compile(r"title|tit\b|tit_|bt\b|name|heading|subject", re.I)
_LEAD_NOISE = re.compile(r"^[\s·•●■□◆◇▪▫►▶>›»\-—–*]+")
_PINNED = re.compile(r"^[\[【(（]?\s*(置顶|推荐|荐|new|NEW|最新)\s*[\]】)）]\s*")
_OUTSIDE_LINKS = etree.XPath(".//text()[not(ancestor::a[@href])]")
_EMPTY_BRACKETS = re.compile(r"[\[【(（〔]\s*[\]】)）〕]")
_MAX_ROW_LINKS = 3
# Containers whose one child may be a whole list (a column holding a single item).
_LISTISH_TAG = {"ul": "li", "ol": "li", "tbody": "tr", "table": "tr", "dl": "dd"}
_MAX_ROW_TEXT = 400  # a "row" with more text outside its link than this is a content block, not a row


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
    extra_containers: list[etree._Element] = field(default_factory=list)

    @property
    def dated(self) -> int:
        return sum(1 for r in self.rows if r.date is not None)


@dataclass(slots=True)
class _Draft:
    member: etree._Element
    anchor: Anchor
    title: str
    found: tuple[date, str] | None
    month_day: tuple[int, int] | None
    date_text: str | None


def _is_more_link(a: Anchor) -> bool:
    text = a.text or a.title
    if text and MORE_TEXT.match(text) and text.strip(" >»›+＋.…[]"):
        return True
    if not text:
        return any("more" in (img.get("src") or "").lower() for img in a.el.iter("img"))
    return False


def _chunks(el: etree._Element, skip: etree._Element | None) -> list[str]:
    """Text pieces of `el` in order, leaving out the subtree of `skip` (its tail stays)."""
    return text_chunks(el, {skip} if skip is not None else None, limit=5000)


def _pick_anchor(doc: Doc, member: etree._Element) -> Anchor | None:
    if member.tag in ("a", "area"):
        return doc.by_el.get(member)
    best: Anchor | None = None
    best_len = -1
    for el in member.iter("a", "area"):
        a = doc.by_el.get(el)
        if a is None or _is_more_link(a) or _PAGERISH.match(a.text or "-"):
            continue
        length = max(len(a.text), len(a.title))
        if length > best_len:
            best, best_len = a, length
    return best


def _title_of(a: Anchor, date_text: str | None) -> str:
    """The row title: the link text, or its full title attribute when the text is cut short or empty."""
    text = a.text
    el = a.el
    if len(el) and (date_text or len(text) > 60):
        for child in el.iter():
            if child is not el and isinstance(child.tag, str):
                if child.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or _TITLEISH.search(marker(child)):
                    heading = collapse("".join(child.itertext()))
                    if heading:
                        text = heading
                        break
    if date_text and date_text in text:
        text = _EMPTY_BRACKETS.sub(" ", text.replace(date_text, " "))
        text = collapse(text).strip(" -|")
    title = a.title
    if title and (
        not text
        or text.endswith(("…", "...", "..", "･･･"))
        or (len(title) > len(text) and title.startswith(text.rstrip(".…").strip()[:4]))
    ):
        text = title
    if not text:
        for img in el.iter("img"):
            text = collapse(img.get("alt") or img.get("title"))
            if text:
                break
    text = _PINNED.sub("", _LEAD_NOISE.sub("", text))
    return text


def _date_from_chunks(
    chunks: list[str], today: date
) -> tuple[tuple[date, str] | None, tuple[int, int] | None]:
    """A row's date from its text pieces: a short date cell first, then a split date, then longer text."""
    if not chunks:
        return None, None
    short = [c for c in chunks if len(c) <= 40]
    hits = find_dates(" | ".join(short), today=today) if short else []
    if hits:
        return hits[0], None
    split = parse_split_date(short, today=today)
    if split:
        return split, None
    if len(short) < len(chunks):
        hits = find_dates(" | ".join(chunks), today=today)
        if hits:
            return hits[0], None
    for chunk in short:
        md = parse_month_day(chunk)
        if md:
            return None, md
    return None, None


def _date_cell(chunks: list[str], today: date) -> tuple[tuple[date, str] | None, tuple[int, int] | None]:
    """A piece that is (nearly) only a date, among the pieces inside a link that also holds the title."""
    for chunk in chunks:
        core = chunk.strip("[]【】()（） ")
        hits = find_dates(core, today=today)
        if hits and len(hits[0][1]) >= 0.6 * len(core):
            return hits[0], None
        md = parse_month_day(chunk)
        if md:
            return None, md
    split = parse_split_date(chunks, today=today)
    return (split, None) if split else (None, None)


def _sibling_chunks(
    member: etree._Element, members: set[etree._Element], doc: Doc, forward: bool
) -> list[str]:
    """Text of the neighbouring element of a row when it holds no link: a <dd> date after a <dt> title."""
    sib = member.getnext() if forward else member.getprevious()
    if sib is None or sib in members or doc.link_count.get(sib, 0):
        return []
    chunks = _chunks(sib, None)
    return chunks if sum(len(c) for c in chunks) <= 40 else []


def _inline_chunks(member: etree._Element, members: set[etree._Element], before: bool) -> list[str]:
    """For bare-link rows (<a>…</a> 2026-07-13<br>): the text after (or before) the link up to the next one."""
    out: list[str] = []
    if before:
        prev = member.getprevious()
        if prev is None:
            parent = member.getparent()
            return [collapse(parent.text)] if parent is not None and parent.text else []
        return [collapse(prev.tail)] if prev.tail else []
    if member.tail:
        out.append(collapse(member.tail))
    sib = member.getnext()
    while sib is not None and sib not in members and sib.tag != "br" and len(out) < 4:
        out.extend(_chunks(sib, None))
        if sib.tail:
            out.append(collapse(sib.tail))
        sib = sib.getnext()
    return [c for c in out if c]


def _draft(
    doc: Doc, member: etree._Element, members: set[etree._Element], today: date, before: bool
) -> _Draft | None:
    anchor = _pick_anchor(doc, member)
    if anchor is None:
        return None
    if member is anchor.el:
        outside = _inline_chunks(member, members, before)
    elif member in doc.digits:
        outside = [c for c in (collapse(t) for t in _OUTSIDE_LINKS(member)) if c]
    else:
        outside = []
    if sum(len(c) for c in outside) > _MAX_ROW_TEXT:
        return None
    found, month_day = _date_from_chunks(outside, today) if outside else (None, None)
    if found is None and month_day is None and member.getparent() in doc.digits:
        for forward in (True, False):
            found, month_day = _date_from_chunks(_sibling_chunks(member, members, doc, forward), today)
            if found or month_day:
                break
    inner_date_text: str | None = None
    if found is None and month_day is None and anchor.el in doc.digits:
        inner = _chunks(anchor.el, None)
        if len(inner) > 1:
            found, month_day = _date_cell(inner, today)
        elif inner:
            hits = find_dates(inner[0], today=today)
            edge = [
                h for h in hits if inner[0].strip("[]【】() ").endswith(h[1]) or inner[0].startswith(h[1])
            ]
            found = edge[0] if edge else None
        if found:
            inner_date_text = found[1]
    date_text = found[1] if found else None
    return _Draft(member, anchor, _title_of(anchor, inner_date_text), found, month_day, date_text)


def _resolve(drafts: list[_Draft], today: date) -> list[Row]:
    """Rows, with year-less dates given the year of the nearest fully dated row (else the latest past one)."""
    years = [d.found[0].year if d.found else None for d in drafts]
    rows: list[Row] = []
    seen: set[str] = set()
    for i, d in enumerate(drafts):
        when: date | None = d.found[0] if d.found else None
        text = d.date_text
        if when is None and d.month_day is not None:
            context = None
            for step in range(1, len(drafts)):
                for j in (i - step, i + step):
                    if 0 <= j < len(years) and years[j] is not None:
                        context = years[j]
                        break
                if context is not None:
                    break
            when = resolve_yearless(*d.month_day, today=today, context_year=context)
            text = f"{d.month_day[0]:02d}-{d.month_day[1]:02d}" if when else None
        if d.anchor.url in seen:
            continue
        seen.add(d.anchor.url)
        rows.append(Row(title=d.title or d.anchor.url, url=d.anchor.url, date=when, date_text=text))
    return rows


def _build_group(
    doc: Doc, container: etree._Element, members: list[etree._Element], today: date, min_rows: int = 2
) -> RowGroup | None:
    member_set = set(members)
    before = False
    if members[0].tag in ("a", "area"):
        first_before = _inline_chunks(members[0], member_set, True)
        before = bool(first_before) and bool(find_dates(" ".join(first_before), today=today))
    drafts = [d for d in (_draft(doc, m, member_set, today, before) for m in members) if d is not None]
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
            and not _is_more_link(d.anchor)
            and not _PAGERISH.match(d.anchor.text or "-")
        )
    ]
    rows = _resolve(kept, today)
    if len(rows) < min_rows:
        return None
    return RowGroup(container, [d.member for d in kept], rows, 0)


def _mark_teaser(doc: Doc, group: RowGroup) -> None:
    """A "更多/more" link within a few levels above the rows means this is a preview box."""
    own = {r.url for r in group.rows}
    node = group.container
    budget = len(group.rows) + 8
    for _ in range(4):
        parent = node.getparent()
        if parent is None or doc.link_count.get(parent, 0) > budget:
            return
        node = parent
        for el in node.iter("a", "area"):
            a = doc.by_el.get(el)
            if a is not None and a.url not in own and a.url != doc.url and _is_more_link(a):
                group.teaser = True
                return


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
            if isinstance(tag, str) and 1 <= doc.link_count.get(child, 0) <= _MAX_ROW_LINKS:
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
    groups = _merge_split_lists(groups)
    for g in groups:
        g.nav = _is_nav(doc, g)
        _mark_teaser(doc, g)
    return groups


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
    drafts: list[_Draft] = []
    for m in members:
        d = _draft(doc, m, member_set, today, False)
        if d is None:
            continue
        if date_sel is not None:
            cells = [collapse("".join(x.itertext())) for x in date_sel(m)]
            found, month_day = _date_from_chunks([c for c in cells if c], today)
            d.found, d.month_day, d.date_text = found, month_day, (found[1] if found else None)
        drafts.append(d)
    rows = _resolve(drafts, today)
    if not rows:
        return None
    parent = members[0].getparent()
    return RowGroup(parent if parent is not None else members[0], [d.member for d in drafts], rows, 0)


def choose_main(groups: list[RowGroup], pager_anchor: etree._Element | None) -> RowGroup | None:
    """The page's main row group: the one next to the pager, else the non-teaser group with most dated rows."""
    if not groups:
        return None
    if pager_anchor is not None:
        ancestors = {el: depth for depth, el in enumerate(pager_anchor.iterancestors())}
        best: tuple[int, int, RowGroup] | None = None
        for g in groups:
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
    candidates = [g for g in groups if not g.teaser and g.dated and not g.single]
    if not candidates:
        singles = [g for g in groups if g.single and g.dated and not g.teaser and not g.nav]
        return singles[0] if len(singles) == 1 else None
    return max(candidates, key=lambda g: (g.dated, not g.nav, len(g.rows), -g.order))
