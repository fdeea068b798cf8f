"""Years for year-less list dates (`05-06`, `[12-28]`, `7月13日`), read from the order of the list itself.

Old CMS templates print only month and day. A list is nearly always in date order, newest first, so reading
down, the month-day only goes down — until the year changes: when it goes UP (`01-15` then `12-28`), the year
went back by one. The sequence is seeded by what the page does say: a full date on another row, a year heading
the row sits under (`<tr><td>2025年</td></tr>`, `<h3>2025</h3><ul>…`), else today (the newest row is the
most recent past occurrence of its month-day). A list in the other order (oldest first) is read the other way;
a list in no order at all gets per-row guesses (the nearest full date's year, else the latest past one).

Pinned rows sit on top of a newest-first list with an older date; when the seed is today, a top row older than
the one below it is taken as pinned and resolved on its own, so it does not push the whole list a year back.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from lxml import etree

from storage.records import Row

from .dates import MIN_YEAR, fold, resolve_yearless
from .dom import collapse

__all__ = ["Stamp", "column_years", "heading_year", "heading_years", "inferred_month_day", "resolve_years"]

# A heading that is only a year: 2025 / 2025年 / 2025年度 / 【2025年】 / 2025 年 ▼
_HEADING = re.compile(r"^[\s\[【〔(（<《]*((?:19|20)\d\d)\s*年?度?[\s\]】〕)）>》:：▼▾↓]*$")
_INFERRED_TEXT = re.compile(r"^(\d{2})-(\d{2})$")  # how a row whose year was inferred prints its date
_ANCHOR_REACH = 45  # days: an article's own date this close to a row's month-day gives that row its year
_PINNED_REACH = 3  # rows at the top of a list that may be pinned ones
_MAX_HEADING = 16  # characters: a longer text is not a year heading


@dataclass(frozen=True, slots=True)
class Stamp:
    """What one row prints: a full date, or a month-day (with the year of a heading above it, if any)."""

    full: date | None = None
    month_day: tuple[int, int] | None = None
    heading_year: int | None = None


def heading_year(text: str | None) -> int | None:
    """The year when a short text is nothing but a year (a heading between list rows), else None."""
    if not text or len(text) > _MAX_HEADING:
        return None
    m = _HEADING.match(fold(text))
    return int(m[1]) if m else None


def _element_year(el: etree._Element) -> int | None:
    if not isinstance(el.tag, str) or el.tag in ("script", "style"):
        return None
    text = collapse("".join(el.itertext()))
    return heading_year(text) if len(text) <= _MAX_HEADING else None


def heading_years(members: Iterable[etree._Element]) -> dict[etree._Element, int]:
    """Row element -> the year of the nearest year heading above it among its siblings (or just before
    their parent). Rows are the members; any other sibling whose whole text is a year is a heading."""
    out: dict[etree._Element, int] = {}
    member_set = set(members)
    parents: list[etree._Element] = []
    seen: set[etree._Element] = set()
    for m in member_set:
        parent = m.getparent()
        if parent is not None and parent not in seen:
            seen.add(parent)
            parents.append(parent)
    for parent in parents:
        year: int | None = None
        before = parent.getprevious()
        if before is not None:
            year = _element_year(before)
        for child in parent:
            if child in member_set:
                if year is not None:
                    out[child] = year
                continue
            found = _element_year(child)
            if found is not None:
                year = found
    return out


def _date(year: int, month: int, day: int) -> date | None:
    """The date if it exists; Feb 29 in a year without one steps back to the previous leap year."""
    for y in range(year, max(year - 8, MIN_YEAR - 1), -1):
        try:
            return date(y, month, day)
        except ValueError:
            if not (month == 2 and day == 29):
                return None
    return None


def _older(prev: date, md: tuple[int, int]) -> date | None:
    """The next row below `prev` in a newest-first list: same year unless the month-day went up."""
    year = prev.year - 1 if md > (prev.month, prev.day) else prev.year
    return _date(year, *md) if year >= MIN_YEAR else None


def _newer(nxt: date, md: tuple[int, int]) -> date | None:
    """The row above `nxt` in a newest-first list: same year unless the month-day went down."""
    year = nxt.year + 1 if md < (nxt.month, nxt.day) else nxt.year
    return _date(year, *md)


def _order(stamps: Sequence[Stamp]) -> str | None:
    """'desc' (newest first), 'asc' (oldest first) or None (no order), from consecutive rows: by date where
    both rows carry a year (printed or from a heading), by month-day otherwise."""
    keys: list[tuple[date | None, tuple[int, int]]] = []
    for s in stamps:
        if s.full is not None:
            keys.append((s.full, (s.full.month, s.full.day)))
        elif s.month_day is not None:
            year = _date(s.heading_year, *s.month_day) if s.heading_year is not None else None
            keys.append((year, s.month_day))
    ups = downs = 0
    for (a_date, a_md), (b_date, b_md) in itertools.pairwise(keys):
        a, b = (a_date, b_date) if a_date is not None and b_date is not None else (a_md, b_md)
        ups += b > a  # type: ignore[operator]
        downs += b < a  # type: ignore[operator]
    if ups <= max(1, downs // 2):  # fewer ups than half the downs: year changes (or a pinned row)
        return "desc"
    if downs <= max(1, ups // 2):
        return "asc"
    return None


def resolve_years(stamps: Sequence[Stamp], today: date) -> list[date | None]:
    """The date of every row, in list order: full dates as printed, month-days with an inferred year."""
    if not any(s.month_day is not None and s.full is None for s in stamps):
        return [s.full for s in stamps]
    order = _order(stamps)
    if order is None:
        return _guess_each(stamps, today)
    if order == "asc":
        return _newest_first(list(reversed(stamps)), today)[::-1]
    return _newest_first(list(stamps), today)


def _guess_each(stamps: Sequence[Stamp], today: date) -> list[date | None]:
    """No usable order: each month-day takes its heading's year, the nearest full date's, or the latest."""
    years = [s.full.year if s.full else None for s in stamps]
    out: list[date | None] = []
    for i, s in enumerate(stamps):
        if s.full is not None or s.month_day is None:
            out.append(s.full)
            continue
        context = s.heading_year
        for step in range(1, len(stamps)):
            if context is not None:
                break
            for j in (i - step, i + step):
                if 0 <= j < len(years) and years[j] is not None:
                    context = years[j]
                    break
        out.append(resolve_yearless(*s.month_day, today=today, context_year=context))
    return out


def _newest_first(stamps: list[Stamp], today: date) -> list[date | None]:
    horizon = today + timedelta(days=366)
    out: list[date | None] = [None] * len(stamps)
    pending: list[int] = []
    for i, s in enumerate(stamps):
        if s.full is not None:
            out[i] = s.full
        elif s.month_day is not None and s.heading_year is not None:
            out[i] = _date(s.heading_year, *s.month_day)
        if out[i] is None and s.month_day is not None:
            pending.append(i)
    if not pending:
        return out
    anchored = [i for i, d in enumerate(out) if d is not None]
    if not anchored:
        _seed_from_today(stamps, out, pending, today)
        anchored = [i for i, d in enumerate(out) if d is not None]
    first = anchored[0]
    # above the first anchor: walk up, the year grows when the month-day goes down; never past today
    nxt = out[first]
    for i in range(first - 1, -1, -1):
        md = stamps[i].month_day
        if md is None or out[i] is not None or nxt is None:
            continue
        guess = _newer(nxt, md)
        out[i] = guess if guess is not None and guess <= today else resolve_yearless(*md, today=today)
        nxt = out[i]
    # below it: walk down from the row above, the year drops when the month-day goes up
    prev = out[first]
    for i in range(first + 1, len(stamps)):
        md = stamps[i].month_day
        if out[i] is None and md is not None and prev is not None:
            out[i] = _older(prev, md)
        if out[i] is not None:
            prev = out[i]
    return [d if d is None or d <= horizon else None for d in out]


def _seed_from_today(stamps: list[Stamp], out: list[date | None], pending: list[int], today: date) -> None:
    """No full date or heading: the newest row is its month-day's latest past occurrence. A row among the
    first few that is more recent than the top one, and later in the year than the row above it, is the
    newest: the rows above it are pinned ones, each resolved on its own."""
    top = pending[:_PINNED_REACH]
    latest: list[date | None] = [resolve_yearless(*(stamps[i].month_day or (0, 0)), today=today) for i in top]
    if latest[0] is None:
        return
    head = 0
    for k in range(1, len(top)):
        candidate, best = latest[k], latest[head]
        if candidate is not None and best is not None and candidate > best:
            head = k
    if head and (stamps[top[head]].month_day or (0, 0)) <= (stamps[top[head - 1]].month_day or (0, 0)):
        head = 0  # no step up into it: an ordinary turn of the year, not pinned rows above the newest
    for k in range(head + 1):
        out[top[k]] = latest[k]


def inferred_month_day(row: Row) -> tuple[int, int] | None:
    """(month, day) of a row that prints no year and whose year was inferred (date_text "MM-DD")."""
    m = _INFERRED_TEXT.match(row.date_text or "")
    return (int(m[1]), int(m[2])) if m else None


def _anchored(md: tuple[int, int], published: date | None) -> date | None:
    """The row's date when its own article page shows a full date near its month-day: that date's year."""
    if published is None:
        return None
    best: date | None = None
    for year in (published.year - 1, published.year, published.year + 1):
        d = _date(year, *md)
        near = d is not None and abs((d - published).days) <= _ANCHOR_REACH
        if near and (best is None or abs((d - published).days) < abs((best - published).days)):  # type: ignore[operator]
            best = d
    return best


def column_years(rows: Sequence[Row], published: Mapping[str, date | None], today: date) -> list[Row]:
    """Year-less rows of one column, all its pages together in list order (page 1 first), given their years.

    A page on its own can only seed its top row from today, which is wrong for page 2 onwards (its rows are
    older than page 1's). Read together, the order runs down through every page; any row whose article page
    showed a full date (`published`: article URL -> its 发布时间) anchors the years around it, and only
    the newest row of a column with no anchor at all is seeded from today (a date after today is last year's).
    """
    mds = [inferred_month_day(r) for r in rows]
    if not any(mds):
        return list(rows)
    stamps: list[Stamp] = []
    for row, md in zip(rows, mds, strict=True):
        if md is None:
            stamps.append(Stamp(full=row.date))
            continue
        anchor = _anchored(md, published.get(row.url))
        stamps.append(Stamp(full=anchor) if anchor is not None else Stamp(month_day=md))
    when = resolve_years(stamps, today)
    return [
        replace(row, date=shown) if md is not None else row
        for row, md, shown in zip(rows, mds, when, strict=True)
    ]
