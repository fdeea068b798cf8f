"""Computing the annual statistics from storage: counts, the 清单 table, departments' timeliness.

`compute(conn, config, start=..., end=...)` reads only; the period's statuses are judged on its last day
(or today, for a period not over yet) with the same judge as `xxgk report`: the 清单 table and the report
agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import duckdb

import storage
from monitor import timeliness
from monitor.config import Config
from monitor.findings import Section
from monitor.judge import assess, end_of_day
from monitor.judge_context import Context, context_from_config
from monitor.judgement import Judgement
from monitor.rules.annual import month_day
from monitor.statuses import SEVERITY
from storage.facts import ColumnFacts, ItemFacts

from .model import CatalogRow, ColumnCount, DepartmentRow, Stats

UNCATEGORISED = "未归类"


def academic_year(year: int, year_end: str = "08-31") -> tuple[date, date]:
    """The statistics year ending on `year_end` (MM-DD) of `year`: by default Sept 1 (year-1) – Aug 31."""
    m, d = month_day(year_end)
    end = date(year, m, d)
    return date(year - 1, m, d) + timedelta(days=1), end


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    return end_of_day(day - timedelta(days=1), zone)


def compute(
    conn: duckdb.DuckDBPyConnection, config: Config, *, start: date, end: date, today: date | None = None
) -> Stats:
    """The statistics of [start, end] (inclusive), judged as known at the end of the period (or today)."""
    ctx = context_from_config(config)
    today = today or datetime.now(ctx.zone).date()
    return compute_with(conn, ctx, start=start, end=end, today=today, routes=_routes(config))


def compute_with(
    conn: duckdb.DuckDBPyConnection,
    ctx: Context,
    *,
    start: date,
    end: date,
    today: date,
    routes: Sequence[tuple[str, dict[str, frozenset[str]]]] = (),
) -> Stats:
    as_of = min(end, today)
    until = period_until = end_of_day(as_of, ctx.zone)
    since = start_of_day(start, ctx.zone)
    configured = {s.name for s in ctx.sites}
    facts = storage.column_facts(conn, as_of=until)
    late_start = not facts and as_of < today
    if late_start:  # monitoring began after the period: judge what is known today rather than nothing
        as_of, until = today, end_of_day(today, ctx.zone)
        facts = storage.column_facts(conn, as_of=until)
    items = [i for i in storage.item_facts(conn, as_of=until) if i.site in configured]
    titles = storage.site_titles(conn, as_of=until)
    judgement = assess(
        facts, storage.site_facts(conn, as_of=until), ctx, as_of=as_of, items=items, titles=titles
    )
    sections = {(s.site, s.url): s for s in [*judgement.columns, *judgement.gone]}
    first_crawl = {(f.site, f.url): f.first_seen for f in facts}
    stats = Stats(start=start, end=end, as_of=as_of, college=ctx.college, site_names=judgement.site_names)
    appeared = _appeared(items, first_crawl, start, end, ctx.zone)
    for pc in storage.items_published(conn, start=start, end=end, zone=ctx.zone.key):
        if pc.site not in configured:
            continue
        sec = sections.get((pc.site, pc.column_url))
        category = sec.category if sec else None
        n_app, n_undated = appeared.get((pc.site, pc.column_url), (0, 0))
        item = sec.item if sec else None
        counted = ColumnCount(
            pc.site, pc.column_name, pc.column_url, category, item, pc.by_date_shown, n_app, n_undated
        )
        stats.columns.append(counted)
    for site in ctx.sites:
        stats.by_site[site.name] = sum(c.by_date_shown for c in stats.columns if c.site == site.name)
        stats.appeared_by_site[site.name] = sum(c.appeared for c in stats.columns if c.site == site.name)
    by_category: Counter[str] = Counter()
    for c in stats.columns:
        by_category[c.category or UNCATEGORISED] += c.by_date_shown
    order = {c.name: n for n, c in enumerate(ctx.catalog.categories)}
    stats.by_category = dict(sorted(by_category.items(), key=lambda kv: order.get(kv[0], 99)))
    listed = {i.url for i in items}
    stats.deleted_by_site = dict(
        Counter(i.site for i in storage.deleted_items(conn, since=since, until=period_until))
    )
    edits = storage.edited_items(conn, since=since, until=period_until)
    stats.edited_by_site = dict(Counter(e.site for e in edits if e.url in listed and e.site in configured))
    stats.catalog = catalog_rows(judgement, ctx, items, first_crawl, start, end)
    # like the 清单 table, a period with no crawl is judged on what is known on `as_of` (its last crawl)
    stats.departments = department_rows(
        conn, ctx, routes, judgement, since, until if late_start else period_until, last_only=late_start
    )
    first = min(first_crawl.values(), default=None)
    if first is not None and first > since:
        stats.notes.append(
            f"统计期开始时尚未开始监测（首次抓取为{first.astimezone(ctx.zone):%Y-%m-%d}）："
            "按发布日期的计数包括此前发布、首次抓取时仍在栏目中的信息；按首次发现的计数只包括此后出现的信息。"
        )
    if late_start:
        stats.notes.append(
            f"统计期结束时尚无抓取记录：清单事项的状态和各部门时效按{as_of.isoformat()}以前最近一次抓取的结果判断。"
        )
    elif as_of < end:
        stats.notes.append(f"统计期尚未结束：状态按{as_of.isoformat()}判断。")
    note = timeliness.calendar_note([start, end])
    if note:
        stats.notes.append(note)
    return stats


def _appeared(
    items: Iterable[ItemFacts],
    first_crawl: dict[tuple[str, str], datetime],
    start: date,
    end: date,
    zone: ZoneInfo,
) -> dict[tuple[str, str], tuple[int, int]]:
    """Per column: items seen to appear in the period (not on its first crawl), and of them undated."""
    out: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for i in items:
        key = (i.site, i.column_url)
        first = first_crawl.get(key)
        if first is None or i.first_seen <= first:
            continue
        if start <= timeliness.local_day(i.first_seen, zone) <= end:
            out[key][0] += 1
            out[key][1] += i.date_shown is None
    return {k: (v[0], v[1]) for k, v in out.items()}


def catalog_rows(
    judgement: Judgement,
    ctx: Context,
    items: Sequence[ItemFacts],
    first_crawl: dict[tuple[str, str], datetime],
    start: date,
    end: date,
) -> list[CatalogRow]:
    """The 清单事项公开情况表: every applicable item per institution, its columns, counts, status."""
    assert ctx.mapper is not None
    in_period: dict[tuple[str, str], list[ItemFacts]] = defaultdict(list)
    newest_by_column: dict[tuple[str, str], date] = {}
    for i in items:
        if i.date_shown is None or i.date_shown > end:
            continue
        key = (i.site, i.column_url)
        newest_by_column[key] = max(newest_by_column.get(key, i.date_shown), i.date_shown)
        if start <= i.date_shown:
            in_period[key].append(i)
    covered = {(c.institution, c.item_id): c for c in judgement.coverage}
    by_url = {(i.site, i.column_url, i.url): i for i in items}
    rows: list[CatalogRow] = []
    for institution in dict.fromkeys(s.institution for s in ctx.sites):
        mine = [s for s in judgement.columns if s.institution == institution]
        for item in ctx.mapper.applicable(institution):
            cols = [s for s in mine if item.id in s.cover_ids]
            cov = covered.get((institution, item.id))
            # items whose titles show it, up to the period's end; those of its own columns are counted there
            titles = [t for t in (cov.titles if cov else ()) if t.date_shown is None or t.date_shown <= end]
            own = {(s.site or "", s.url or "") for s in cols}
            period_items = [i for key in own for i in in_period.get(key, [])]
            for t in titles:
                fact = by_url.get((t.site, t.column_url, t.url))
                if (t.site, t.column_url) in own or fact is None or fact.date_shown is None:
                    continue
                if start <= fact.date_shown <= end:
                    period_items.append(fact)
            wd = item.cadence.working_days or ctx.working_days
            met = known = 0
            for i in period_items:
                first = first_crawl.get((i.site, i.column_url))
                # Known when the crawler saw it appear, or when even the first crawl that listed it was
                # within the limit of the date it shows (it cannot have appeared later than that).
                on_time = timeliness.within_working_days(i, ctx.zone, wd)
                if on_time or (first is not None and i.first_seen > first):
                    known += 1
                    met += on_time
            count = len(period_items)
            # the newest date shown up to the period's end, from the items themselves: a column's newest
            # as judged may be later than the period (a period judged on a later crawl)
            newest = [d for s in cols if (d := newest_by_column.get((s.site or "", s.url or "")))]
            newest += [t.date_shown for t in titles if t.date_shown is not None]
            rows.append(
                CatalogRow(
                    institution=institution,
                    category=item.category,
                    item=cov.item if cov else ctx.catalog.name_of(item.id, institution),
                    item_id=item.id,
                    columns=tuple(
                        (s.site or "", s.name, s.url or "") for s in sorted(cols, key=Section.sort_key)
                    ),
                    items_in_period=count,
                    last_published=max(newest, default=None),
                    status=cov.status if cov else _worst(cols) if cols else "missing",
                    via=cov.via if cov else "column" if cols else "none",
                    titles=tuple((t.site, t.column, t.title, t.url, t.date_shown) for t in titles),
                    working_days=wd,
                    met_working_days=met,
                    known_working_days=known,
                )
            )
    return rows


def _worst(cols: Sequence[Section]) -> str:
    return min((s.status for s in cols), key=lambda st: SEVERITY.get(st, 99))


def _routes(config: Config) -> list[tuple[str, dict[str, frozenset[str]]]]:
    """The email routes as (contact name, selectors), when configured."""
    out = []
    for n, r in enumerate(config.email_routes):
        name = r.name or "、".join(r.to) or f"routes[{n}]"
        selectors = {
            "sites": frozenset(r.sites),
            "departments": frozenset(r.departments),
            "categories": frozenset(r.categories),
            "columns": frozenset(r.columns),
        }
        out.append((name, selectors))
    return out


def _takes(selectors: dict[str, frozenset[str]], s: Section) -> bool:
    return (
        (s.site or "") in selectors["sites"]
        or bool(s.department and s.department in selectors["departments"])
        or bool(s.category and s.category in selectors["categories"])
        or s.name in selectors["columns"]
        or (s.url or "") in selectors["columns"]
    )


def _groups(
    ctx: Context, routes: Sequence[tuple[str, dict[str, frozenset[str]]]], sections: Iterable[Section]
):
    """Department name → its sections: by email route when routes exist, else by the site's department."""
    out: dict[str, list[Section]] = defaultdict(list)
    for s in sections:
        if routes:
            for name, sel in routes:
                if _takes(sel, s):
                    out[name].append(s)
        else:
            out[s.department or s.site or ""].append(s)
    return out


def department_rows(
    conn: duckdb.DuckDBPyConnection,
    ctx: Context,
    routes: Sequence[tuple[str, dict[str, frozenset[str]]]],
    judgement: Judgement,
    since: datetime,
    until: datetime,
    *,
    last_only: bool = False,
) -> list[DepartmentRow]:
    """Share of each department's columns fresh at the last crawl of every week of the period.

    `last_only`: the period has no crawl of its own; its one "week" is the last crawl before `until`.
    """
    runs: dict[int, datetime] = {}
    for snap in storage.column_snapshots(conn, since=since, until=until):
        runs[snap.run_id] = snap.observed_at
    weekly: dict[tuple[int, int], datetime] = {}
    for at in sorted(runs.values())[-1:] if last_only else sorted(runs.values()):
        week = at.astimezone(ctx.zone).isocalendar()
        weekly[(week[0], week[1])] = at  # the last crawl of each week wins
    shares: dict[str, list[float]] = defaultdict(list)
    for at in weekly.values():
        facts: list[ColumnFacts] = storage.column_facts(conn, as_of=at)
        day = at.astimezone(ctx.zone).date()
        j = assess(facts, storage.site_facts(conn, as_of=at), ctx, as_of=day)
        for name, secs in _groups(ctx, routes, j.columns).items():
            shares[name].append(sum(s.status == "fresh" for s in secs) / len(secs))
    current = _groups(ctx, routes, judgement.columns)
    rows = []
    for name in sorted(set(current) | set(shares)):
        values = shares.get(name, [])
        rows.append(
            DepartmentRow(
                name=name,
                columns=len(current.get(name, [])),
                weeks=len(values),
                mean_share=round(sum(values) / len(values), 4) if values else None,
                min_share=round(min(values), 4) if values else None,
                last_share=round(values[-1], 4) if values else None,
            )
        )
    return rows
