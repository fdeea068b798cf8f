"""One list row: which link is the item, what its title is, and which date is printed beside it.

Dates sit in the same element as the link, in a neighbouring cell (<dt> link, <dd> date), after a bare link
(`<a>…</a> 2026-07-13<br>`), split into year-month and day elements, inside the link next to the title, or
as a year-less `MM-DD` whose year the list's order, a year heading or the neighbouring rows give
(`yearless.py`). `rows.py` finds the repeated structures; this module reads one member of such a structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml import etree

from storage.records import Row

from .dates import MIN_YEAR, find_dates, fold, parse_month_day, parse_relative, parse_split_date
from .dom import Anchor, Doc, collapse, marker, text_chunks
from .yearless import Stamp, resolve_years

__all__ = [
    "MORE_TEXT",
    "Draft",
    "date_from_chunks",
    "draft_row",
    "is_more_link",
    "is_pagerish",
    "resolve_rows",
]

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
_BRACKETED = re.compile(r"^[\[【〔(（].*[\]】〕)）]$")
_EMPTY_BRACKETS = re.compile(r"[\[【(（〔]\s*[\]】)）〕]")
_DIGIT = re.compile(r"[0-9０-９]")
_MONTH_ONLY = re.compile(r"((?:19|20)\d\d)\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?")
# Labels before a date in a row: a deadline or an event's date is not when the row was published.
_EVENT_LABEL = re.compile(
    r"(截止|结束|开始|报名|举办|举行|活动|会议|考试|有效期|期限|至|到|~|—|－)\s*(日期|时间)?\s*[:：]?\s*$"
)
_PUBLISHED_LABEL = re.compile(r"(发布|更新|上传|公布|发文|录入|日期|时间)\s*[:：]?\s*$")
# A date label left behind at either end of a title once the date it introduced is taken out.
_DANGLING_LABEL = re.compile(
    r"^\s*[\[【(（]?(?:发布时间|发布日期|更新时间|更新日期|日期|时间)\s*[:：]\s*|"
    r"[\[【(（]?(?:发布时间|发布日期|更新时间|更新日期|日期|时间)\s*[:：]\s*[\]】)）]?\s*$"
)
# A month-day at the start (bracketed, or followed by a space) or the end (after a space) of a link's text.
_EDGE_MD = re.compile(
    r"^\s*(?:[\[【(]\s*(\d{1,2})[-/.](\d{1,2})\s*[\]】)]|(\d{2})[-/.](\d{2})(?=\s))"
    r"|(?<=\s)[\[【(]?(\d{2})[-/.](\d{2})[\]】)]?\s*$"
)
_TITLE_LABEL = re.compile(
    r"(?:文章|新闻|信息)?标\s*题\s*[:：]\s*(.+?)\s*(?=(?:作\s*者|发布人|发布者|录入|来\s*源|更新时间|发布时间|"
    r"点击次数|点击数|浏览次数|时\s*间)\s*[:：]|$)"
)
_MAX_ROW_TEXT = 400  # a "row" with more text outside its link than this is a content block, not a row


@dataclass(slots=True)
class Draft:
    member: etree._Element
    anchor: Anchor
    title: str
    found: tuple[date, str] | None
    month_day: tuple[int, int] | None
    date_text: str | None
    heading_year: int | None = None  # the year of a year heading above the row (for a year-less date)


def is_more_link(a: Anchor) -> bool:
    text = a.text or a.title
    if text and MORE_TEXT.match(text) and text.strip(" >»›+＋.…[]"):
        return True
    if not text:
        return any("more" in (img.get("src") or "").lower() for img in a.el.iter("img"))
    return False


def _chunks(el: etree._Element, skip: etree._Element | None) -> list[str]:
    """Text pieces of `el` in order, leaving out the subtree of `skip` (its tail stays)."""
    return text_chunks(el, {skip} if skip is not None else None, limit=5000)


# `_is_date_only` asks about shape, not the calendar: any year from 1990 on looks like a date (no clock).
_ANY_DAY = date(9000, 1, 1)


def _is_date_only(text: str) -> bool:
    if len(text) > 30 or not _DIGIT.search(text):
        return False
    core = text.strip("[]【】()（） ")
    if not core or len(core) > 24:
        return False
    hits = find_dates(core, today=_ANY_DAY)
    return bool(hits and len(hits[0][1]) >= 0.6 * len(core)) or parse_month_day(core) is not None


def _pick_anchor(doc: Doc, member: etree._Element) -> Anchor | None:
    """The row's item link: the one with the longest title that is neither 更多, a pager word nor a date."""
    if member.tag in ("a", "area") or member in doc.by_el:  # a link, or a row clicked by script
        return doc.by_el.get(member)
    best: Anchor | None = None
    best_len = -1
    for el in member.iter("a", "area"):
        a = doc.by_el.get(el)
        if a is None or is_more_link(a) or _PAGERISH.match(a.text or "-"):
            continue
        length = max(len(a.text), len(a.title))
        if a.text and _is_date_only(a.text):
            length = 0
        elif _BRACKETED.match(a.text):
            length //= 3  # a [category] link in front of the title
        if length > best_len:
            best, best_len = a, length
    return best


def _title_of(a: Anchor, date_text: str | None) -> str:
    """The row title: the link text, or its full title attribute when the text is cut short or empty.

    A link that wraps a whole card (image, heading, summary, date) is titled by its heading.
    """
    text = a.text
    el = a.el
    if len(el):  # a link wrapping a card (heading, summary, date) is titled by its heading
        for child in el.iter():
            if (
                child is not el
                and isinstance(child.tag, str)
                and (child.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or _TITLEISH.search(marker(child)))
            ):
                heading = collapse("".join(child.itertext()))
                if heading and not _is_date_only(heading):
                    text = heading
                    break
    if date_text:
        for piece in (date_text, *date_text.split()) if date_text not in text else (date_text,):
            text = text.replace(piece, " ", 1)
        text = collapse(_EMPTY_BRACKETS.sub(" ", text)).strip(" -|")
        text = _DANGLING_LABEL.sub("", text).strip(" -|")
    title = _labelled_title(a.title)
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


def _labelled_title(title: str) -> str:
    """A title attribute that is a card of labelled lines (动易: `文章标题：… 作 者：… 更新时间：…`) gives the
    text after its title label; any other title attribute is taken as it is."""
    m = _TITLE_LABEL.search(title) if title and "标题" in title else None
    return collapse(m.group(1)) if m else title


def date_from_chunks(
    chunks: list[str], today: date
) -> tuple[tuple[date, str] | None, tuple[int, int] | None]:
    """A row's date from its text pieces: a short date cell first, then a split date, then longer text."""
    if not chunks:
        return None, None
    short = [c for c in chunks if len(c) <= 40]
    best = _labelled_first(short, today)
    if best:
        return best, None
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
    for chunk in short:  # 今天, 昨天, 3天前, 2小时前: counted back from the college's today
        day = parse_relative(chunk, today=today)
        if day is not None:
            return (day, chunk), None
    for chunk in short:  # a month alone (2026-10, 2026年10月: a monthly report's row): its first day
        m = _MONTH_ONLY.fullmatch(fold(chunk).strip(" []【】()（）"))
        if m and MIN_YEAR <= int(m[1]) <= today.year and 1 <= int(m[2]) <= 12:
            first = date(int(m[1]), int(m[2]), 1)
            if first <= today:
                return (first, chunk), None
    return None, None


def _labelled_first(chunks: list[str], today: date) -> tuple[date, str] | None:
    """The row's publication date among the dates of its short pieces: one labelled as published (发布,
    更新, 日期 …) before an unlabelled one, and either before a deadline or an event's date (报名截止：…,
    活动时间：…); in page order otherwise."""
    ranked: list[tuple[int, int, int, tuple[date, str]]] = []
    for n, chunk in enumerate(chunks):
        at = 0
        for found in find_dates(chunk, today=today):
            where = chunk.find(found[1], at)
            label = chunk[max(0, where - 8) : max(where, 0)]
            rank = 2 if _EVENT_LABEL.search(label) else 0 if _PUBLISHED_LABEL.search(label) else 1
            ranked.append((rank, n, where, found))
            at = max(where, 0) + len(found[1])
    return min(ranked, key=lambda r: r[:3])[3] if ranked else None


def _date_cell(chunks: list[str], today: date) -> tuple[tuple[date, str] | None, tuple[int, int] | None, str]:
    """A date inside a link that also holds the title: a split date, or a piece that is (nearly) only a
    date. Returns (date and its text, or a year-less month-day) and the text to drop from the title."""
    split = parse_split_date(chunks, today=today)
    if split:
        return split, None, split[1]
    for chunk in chunks:
        core = chunk.strip("[]【】()（） ")
        hits = find_dates(core, today=today)
        if hits and len(hits[0][1]) >= 0.6 * len(core):
            return hits[0], None, chunk
        md = parse_month_day(chunk)
        if md:
            return None, md, chunk
        day = parse_relative(chunk, today=today)
        if day is not None:
            return (day, chunk), None, chunk
    return None, None, ""


def _sibling_chunks(
    member: etree._Element, members: set[etree._Element], doc: Doc, forward: bool
) -> list[str]:
    """Text of the neighbouring element of a row when it holds no link: a <dd> date after a <dt> title."""
    sib = member.getnext() if forward else member.getprevious()
    if sib is None or sib in members or doc.link_count.get(sib, 0):
        return []
    chunks = _chunks(sib, None)
    return chunks if sum(len(c) for c in chunks) <= 40 else []


def inline_chunks(member: etree._Element, members: set[etree._Element], before: bool) -> list[str]:
    """For bare-link rows (<a>…</a> 2026-07-13<br>): text after (or before) the link up to the next one."""
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


def draft_row(
    doc: Doc, member: etree._Element, members: set[etree._Element], today: date, before: bool
) -> Draft | None:
    anchor = _pick_anchor(doc, member)
    if anchor is None:
        return None
    if member is anchor.el and member.tag in ("a", "area"):
        outside = inline_chunks(member, members, before)
    elif member is anchor.el:
        outside = []  # a row element that is itself the link: its date is inside it
    elif member in doc.digits:
        outside = [c for c in (collapse(t) for t in _OUTSIDE_LINKS(member)) if c]
    else:
        outside = []
    if sum(len(c) for c in outside) > _MAX_ROW_TEXT:
        return None
    found, month_day = date_from_chunks(outside, today) if outside else (None, None)
    if found is None and month_day is None and member is not anchor.el and member in doc.digits:
        others = [doc.by_el[x].text for x in member.iter("a") if x is not anchor.el and x in doc.by_el]
        found, month_day = date_from_chunks([t for t in others if t and _is_date_only(t)], today)
    if found is None and month_day is None and member.getparent() in doc.digits:
        for forward in (True, False):
            found, month_day = date_from_chunks(_sibling_chunks(member, members, doc, forward), today)
            if found or month_day:
                break
    inner_date_text: str | None = None  # a date printed inside the link: not part of the title
    if found is None and month_day is None and anchor.el in doc.digits:
        inner = _chunks(anchor.el, None)
        if len(inner) > 1:
            found, month_day, inner_date_text = _date_cell(inner, today)
        elif inner:
            hits = find_dates(inner[0], today=today)
            edge = [
                h for h in hits if inner[0].strip("[]【】() ").endswith(h[1]) or inner[0].startswith(h[1])
            ]
            found = edge[0] if edge else None
            inner_date_text = found[1] if found else None
            if found is None:
                month_day, inner_date_text = _edge_month_day(inner[0])
    date_text = found[1] if found else None
    return Draft(member, anchor, _title_of(anchor, inner_date_text), found, month_day, date_text)


def _edge_month_day(text: str) -> tuple[tuple[int, int] | None, str | None]:
    """A year-less date at either end of a link's only text: `[11-03] 关于…`, `关于… 11-03`."""
    m = _EDGE_MD.search(fold(text))
    if m is None:
        return None, None
    month, day = next((int(m[i]), int(m[i + 1])) for i in (1, 3, 5) if m[i])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None, None
    return (month, day), text[m.start() : m.end()].strip()


def resolve_rows(drafts: list[Draft], today: date) -> list[Row]:
    """Rows in list order, year-less dates given a year from the list's order, headings and full dates."""
    when = resolve_years(
        [
            Stamp(d.found[0] if d.found else None, None if d.found else d.month_day, d.heading_year)
            for d in drafts
        ],
        today,
    )
    rows: list[Row] = []
    seen: set[str] = set()
    for d, shown in zip(drafts, when, strict=True):
        text = d.date_text
        if d.found is None and d.month_day is not None:
            # "MM-DD" marks a year inferred from the order (the column's pages together may infer it better,
            # see yearless.column_years); a year heading's year is part of what the page shows.
            text = f"{d.month_day[0]:02d}-{d.month_day[1]:02d}"
            if d.heading_year is not None:
                text = f"{d.heading_year}年 {text}"
        if d.anchor.url in seen:
            continue
        seen.add(d.anchor.url)
        rows.append(Row(title=d.title or d.anchor.url, url=d.anchor.url, date=shown, date_text=text))
    return rows


def is_pagerish(text: str) -> bool:
    """Link text that names a page of a pager (下一页, 尾页, 2 …), never an item."""
    return bool(_PAGERISH.match(text or "-"))
