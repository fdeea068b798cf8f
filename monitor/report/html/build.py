"""Read the history and the judgement into the HTML report's data (`model.HtmlReport`).

Every figure comes from storage through its named queries and from the judgement, so the page agrees with
`xxgk report --format json` for the same day: the current week of the heat map IS that judgement, and each
earlier week is the same judgement of the crawls stored by then (`assess` on `column_facts` as of the week's
last day). Nothing is crawled or recomputed from the web.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

import duckdb

import storage
from monitor.column_status import judge_column
from monitor.config import Config
from monitor.findings import Coverage, Section
from monitor.judge import assess, end_of_day, judge_with
from monitor.judge_context import Context, context_from_config
from monitor.judgement import Judgement
from monitor.mail.routing import OFFICE_NAME, Route, routes_from_config
from monitor.statuses import LATE, SEVERITY
from storage.facts import ColumnFacts, ItemFacts

from .model import (
    CARD_STATUSES,
    Annual,
    CatalogLine,
    Cell,
    ColumnView,
    HtmlReport,
    InstitutionView,
    Point,
    Scorecard,
    SiteView,
    Week,
)

WEEKS = 26  # heat-map weeks: the last 26 crawl weeks, or all there are
ANNUAL_REPORT = "basic.annual_report"  # the 清单 item of the annual report (shipped catalog id)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
RECENT = 20  # items listed on a column page


def page_name(kind: str, *parts: str) -> str:
    """A stable file name for a site or column page (names and URLs are not safe file names)."""
    digest = hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{kind}-{digest}.html"


def iso_week(day: date) -> tuple[str, str]:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}", f"第{week}周"


def crawl_weeks(times: Iterable[datetime], ctx: Context, as_of: date, limit: int = WEEKS) -> list[Week]:
    """The weeks with a finished crawl up to `as_of`, each judged as of its Sunday; the last one is `as_of`
    itself (the report's day), so the heat map ends with the judgement the report shows."""
    weeks: dict[str, Week] = {}
    for t in times:
        d = t.astimezone(ctx.zone).date()
        if d > as_of:
            continue
        iso, label = iso_week(d)
        weeks[iso] = Week(iso, label, min(d + timedelta(days=7 - d.isoweekday()), as_of))
    if not weeks:
        return []
    iso, label = iso_week(as_of)
    weeks[iso] = Week(iso, label, as_of)
    return list(weeks.values())[-limit:]


def _contacts(s: Section, routes: Sequence[Route]) -> list[str]:
    named = [
        f"{r.name or '栏目负责人'}（{'、'.join(r.to)}）"
        for r in routes
        if not r.office and r.takes_column(s.site or "", s.department, s.category or "", s.name, s.url or "")
    ]
    return named or [OFFICE_NAME]


def _order(statuses: Iterable[str]) -> list[str]:
    return sorted(set(statuses), key=lambda s: (SEVERITY.get(s, len(SEVERITY)), s))


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _card(name: str, sections: Sequence[Section], lags: list[int]) -> Scorecard:
    counts = dict.fromkeys(CARD_STATUSES, 0)
    for s in sections:
        counts[s.status] = counts.get(s.status, 0) + 1
    return Scorecard(name=name, counts=counts, columns=len(sections), median_lag=_median(lags))


def _annual(columns: Sequence[ColumnView], covered: Coverage | None, applicable: set[str]) -> Annual | None:
    """The annual report's line of a scorecard, from its 清单 coverage (a column, or a title showing it)."""
    if ANNUAL_REPORT not in applicable:
        return None
    if covered is None:
        return Annual("missing", "—", None, None, None)
    verdict = {"fresh": "按时", "stale": "逾期", "empty": "未发布", "missing": "未找到"}.get(
        covered.status, covered.label
    )
    carriers = [c for c in columns if ANNUAL_REPORT in c.section.cover_ids]
    page = min(carriers, key=lambda c: c.section.sort_key()).page if carriers else None
    if covered.decided_by == "titles":
        return Annual(covered.status, verdict, covered.last_published, covered.due, page)
    if not carriers:
        return Annual(covered.status, verdict, None, None, None)
    s = min(carriers, key=lambda c: c.section.sort_key()).section
    return Annual(covered.status, verdict, s.last_published, s.due, page)


def _points(snapshots: Sequence[storage.SnapshotFacts], ctx: Context) -> list[Point]:
    out = []
    for snap in snapshots:
        day = snap.observed_at.astimezone(ctx.zone).date()
        age = (day - snap.newest).days if snap.newest else None
        out.append(Point(day, snap.state, snap.items, snap.newest, age))
    return out


def _added(items: Sequence[ItemFacts], first: datetime | None, weeks: Sequence[Week], ctx: Context) -> tuple:
    """Items first seen each week (not those listed at the column's first look) and their publication lags."""
    per_week: dict[str, int] = defaultdict(int)
    lags = []
    for i in items:
        if first is not None and i.first_seen <= first:
            continue
        seen = i.first_seen.astimezone(ctx.zone).date()
        per_week[iso_week(seen)[0]] += 1
        if i.date_shown is not None:
            lags.append((seen - i.date_shown).days)
    return [(w.iso, per_week.get(w.iso, 0)) for w in weeks], lags


def _recent(items: Sequence[ItemFacts], limit: int = RECENT) -> list[ItemFacts]:
    listed = [i for i in items if i.vanished_at is None]
    listed.sort(
        key=lambda i: (i.date_shown is not None, i.date_shown or date.min, i.first_seen), reverse=True
    )
    return listed[:limit]


def build_report(
    conn: duckdb.DuckDBPyConnection, config: Config, *, as_of: date, site: str | None = None
) -> HtmlReport:
    """Everything the HTML report shows, as of the end of `as_of` (college time)."""
    ctx = context_from_config(config)
    if site is not None and ctx.site(site) is None:
        config.site(site)  # raises ConfigError listing the known sites
    judgement = judge_with(conn, ctx, as_of=as_of, site=site)
    until = end_of_day(as_of, ctx.zone)
    weeks = crawl_weeks(storage.crawl_times(conn, until=until), ctx, as_of)
    history: list[Judgement] = [
        judgement
        if w.as_of == as_of
        else assess(
            storage.column_facts(conn, as_of=end_of_day(w.as_of, ctx.zone)),
            storage.site_facts(conn, as_of=end_of_day(w.as_of, ctx.zone)),
            ctx,
            as_of=w.as_of,
            site=site,
        )
        for w in weeks
    ]
    by_week = [{(s.site, s.url): s for s in j.columns} for j in history]
    facts: dict[tuple[str, str], ColumnFacts] = {
        (f.site, f.url): f for f in storage.column_facts(conn, as_of=until)
    }
    snapshots: dict[tuple[str, str], list[storage.SnapshotFacts]] = defaultdict(list)
    for snap in storage.column_snapshots(conn, since=EPOCH, until=until):
        snapshots[(snap.site, snap.column_url)].append(snap)
    items: dict[tuple[str, str], list[ItemFacts]] = defaultdict(list)
    column_of: dict[tuple[str, str], tuple[str, str]] = {}  # (site, page url) -> its column
    for i in storage.item_facts(conn, as_of=until):
        items[(i.site, i.column_url)].append(i)
        column_of[(i.site, i.url)] = (i.site, i.column_url)
    routes = routes_from_config(config)

    views: dict[tuple[str, str], ColumnView] = {}
    for s in judgement.columns:
        key = (s.site or "", s.url or "")
        column_of[key] = key
        f = facts.get(key)
        view = ColumnView(
            section=s,
            page=page_name("col", *key),
            site_page=page_name("site", key[0]),
            contacts=_contacts(s, routes),
            points=_points(snapshots.get(key, []), ctx),
        )
        for w, week in zip(weeks, by_week, strict=True):
            then = week.get((s.site, s.url))
            view.cells.append(
                Cell(w, then.status, then.last_published, then.age_days, then.items)
                if then
                else Cell(w, None)
            )
        view.added, view.lags = _added(items.get(key, []), f.first_seen if f else None, weeks, ctx)
        view.recent = _recent(items.get(key, []))
        views[key] = view
    former = _former(facts, views, by_week, weeks, snapshots, ctx, routes, as_of=as_of, site=site)
    for key, view in former.items():
        column_of[key] = key
        view.recent = _recent(items.get(key, []))
    every = {**views, **former}
    for d in storage.deleted_items(conn, since=EPOCH, until=until):
        if (v := every.get((d.site, d.column_url))) is not None:
            v.deleted.append(d)
    for e in storage.edited_items(conn, since=EPOCH, until=until):
        if (v := every.get(column_of.get((e.site, e.url), ("", "")))) is not None:
            v.edited.append(e)
    for link in storage.broken_links(conn, as_of=until):
        if (v := every.get(column_of.get((link.site, link.referer or ""), ("", "")))) is not None:
            v.broken.append(link)
    for finding in judgement.findings:
        if finding.kind == "backdated" and (v := views.get((finding.site, finding.column_url))) is not None:
            v.backdated.append(finding)

    institutions = _institutions(judgement, ctx, views, former)
    late = [v for v in views.values() if v.section.status in LATE]
    statuses = _order(
        [
            *CARD_STATUSES,
            *(s.status for s in judgement.sections),
            *(c.status for v in views.values() for c in v.cells if c.status),
        ]
    )
    return HtmlReport(
        judgement=judgement,
        generated=datetime.now(ctx.zone),
        weeks=weeks,
        institutions=institutions,
        todo=sorted(late, key=lambda v: v.section.sort_key()),
        statuses=statuses,
        notes=list(judgement.notes),
    )


def _former(
    facts: dict[tuple[str, str], ColumnFacts],
    views: dict[tuple[str, str], ColumnView],
    by_week: Sequence[dict[tuple[str | None, str | None], Section]],
    weeks: Sequence[Week],
    snapshots: dict[tuple[str, str], list[storage.SnapshotFacts]],
    ctx: Context,
    routes: Sequence[Route],
    *,
    as_of: date,
    site: str | None,
) -> dict[tuple[str, str], ColumnView]:
    """Columns gone before the report's window (no longer news, so not in the judgement) that a heat-map
    week still judged: a row of their own, their history until they vanished, then gone cells."""
    out: dict[tuple[str, str], ColumnView] = {}
    for key, f in facts.items():
        info = ctx.site(f.site)
        if key in views or f.state != "gone" or info is None or (site is not None and f.site != site):
            continue
        if not any(key in week for week in by_week):
            continue  # vanished before the first week shown: history, not on this page
        section = judge_column(f, info, ctx, as_of=as_of, site_down=False)
        view = ColumnView(
            section=section,
            page=page_name("col", *key),
            site_page=page_name("site", key[0]),
            contacts=_contacts(section, routes),
            points=_points(snapshots.get(key, []), ctx),
            former=True,
        )
        seen = False
        for w, week in zip(weeks, by_week, strict=True):
            then = week.get(key)
            seen = seen or then is not None
            if then is not None:
                view.cells.append(Cell(w, then.status, then.last_published, then.age_days, then.items))
            elif seen:  # judged before, not any more: it had vanished by then
                view.cells.append(Cell(w, "gone", section.last_published, None, section.items))
            else:
                view.cells.append(Cell(w, None))
        out[key] = view
    return out


def _institutions(
    judgement: Judgement,
    ctx: Context,
    views: dict[tuple[str, str], ColumnView],
    former: dict[tuple[str, str], ColumnView],
) -> list[InstitutionView]:
    assert ctx.mapper is not None
    lines = {line.site: line for line in judgement.sites}
    names = list(dict.fromkeys(s.institution for s in ctx.sites if s.name in lines))
    out = []
    for name in names:
        mine = [v for v in views.values() if v.section.institution == name]
        missing = {s.item_id for s in judgement.missing if s.institution == name and s.item_id}
        applicable = ctx.mapper.applicable(name)
        card = _card(
            name or judgement.college or "本校", [v.section for v in mine], [n for v in mine for n in v.lags]
        )
        card.applicable = len(applicable)
        card.missing = len(missing)
        card.annual = _annual(
            mine,
            next(
                (c for c in judgement.coverage if c.institution == name and c.item_id == ANNUAL_REPORT), None
            ),
            {i.id for i in applicable},
        )
        inst = InstitutionView(card=card)
        for info in ctx.sites:
            if info.institution != name or info.name not in lines:
                continue
            cols = [v for v in mine if v.section.site == info.name]
            cols.sort(key=lambda v: (ctx.catalog.category_order(v.section.category), v.section.sort_key()))
            site_card = _card(
                judgement.site_name(info.name), [v.section for v in cols], [n for v in cols for n in v.lags]
            )
            site_card.page = page_name("site", info.name)
            site_card.site = lines[info.name]
            gone = [v for v in former.values() if v.section.site == info.name]
            gone.sort(key=lambda v: (ctx.catalog.category_order(v.section.category), v.section.name))
            inst.sites.append(SiteView(card=site_card, page=site_card.page, columns=cols, former=gone))
        inst.sites.sort(key=lambda sv: sv.card.worst_key())
        covered = {c.item_id: c for c in judgement.coverage if c.institution == name}
        for item in applicable:
            covering = tuple(v for v in mine if item.id in v.section.cover_ids)
            c = covered.get(item.id)
            status = c.status if c is not None else "—"
            wording = c.item if c is not None else ctx.catalog.name_of(item.id, name)
            inst.catalog.append(CatalogLine(name, item.category, wording, item.id, status, covering, c))
        out.append(inst)
    out.sort(key=lambda i: i.card.worst_key())
    return out
