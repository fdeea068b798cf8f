"""The judgement: every column's status on a day, every missing 清单 item, every site that is down.

`judge(conn, config, as_of=...)` reads storage's facts as known at the end of `as_of` (college time) and
hands them to `assess`, which is pure (facts + a `Context` in, a `Judgement` out): tables of hand-built
facts test it. The context (catalog, mapping, rule overrides, sites) is built by `monitor.judge_context`;
each column's status by `monitor.column_status`; this module puts the day together (sections, site lines,
清单 coverage and missing items, findings, notes).

Statuses of a column, decided in this order (`monitor.column_status.judge_column`):
- its site is down (no page answered in the latest crawl): `unreachable`, and the site gets ONE line;
- `unreachable` / `blocked` in the latest crawl: that, with since when — never `stale` because a fetch failed;
- not seen by a latest crawl that a limit cut short (max_pages, max_depth, a trap): `unchecked`, with the
  limit and since when; it keeps its last look and still counts for its 清单 items — a limit is no verdict;
- a single page read with content that shows no publication date: `undated` (no verdict: never stale, never
  fresh), with the reason;
- reachable with no item (暂无信息, or no row): `empty`;
- else its rule (`monitor.rules`) says `fresh` or `stale`; undated items count as not updated.
Per institution, every 清单 item that applies is covered by the columns mapped to it or by items whose titles
show it (`monitor.coverage`), or it is `missing`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import duckdb

import storage
from monitor import coverage, timeliness
from monitor.column_status import judge_column
from monitor.config import Config
from monitor.crawl_state import crawl_state
from monitor.findings import Coverage, Finding, Section, SiteLine
from monitor.judge_context import Context, context_from_config
from monitor.judgement import Judgement
from monitor.limits import menu_words
from monitor.sitenames import display_names
from monitor.statuses import NO_COLUMNS_REASON
from storage.facts import ColumnFacts, ItemFacts, SiteFacts

# A site that answered but in which no column was found: said, never a quiet "0 columns".
NO_COLUMNS = "{site}可以访问，但" + NO_COLUMNS_REASON + "；请用 xxgk inspect 检查其首页 {home}"

__all__ = ["assess", "end_of_day", "judge", "judge_with"]


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The last moment of `day` in the college's zone: crawls observed up to then count for `--as-of day`."""
    return datetime.combine(day + timedelta(days=1), time(0), zone) - timedelta(microseconds=1)


def judge(
    conn: duckdb.DuckDBPyConnection, config: Config, *, as_of: date, site: str | None = None
) -> Judgement:
    """Judge every column of every configured site (or of `site`) as known at the end of `as_of`."""
    ctx = context_from_config(config)
    if site is not None and ctx.site(site) is None:
        config.site(site)  # raises ConfigError listing the known sites
    return judge_with(conn, ctx, as_of=as_of, site=site)


def judge_with(
    conn: duckdb.DuckDBPyConnection, ctx: Context, *, as_of: date, site: str | None = None
) -> Judgement:
    """`judge` with a ready context (the stats judge many days with one)."""
    until = end_of_day(as_of, ctx.zone)
    since = until - timedelta(days=ctx.changes_days)
    columns = storage.column_facts(conn, as_of=until)
    sites = storage.site_facts(conn, as_of=until)
    items = storage.item_facts(conn, as_of=until)
    snapshots = storage.column_snapshots(conn, since=since - timedelta(days=120), until=until)
    findings = timeliness.backdated_items(
        items, snapshots, threshold_days=ctx.backdated_days, zone=ctx.zone, since=since, until=until
    )
    findings += timeliness.deleted_findings(storage.deleted_items(conn, since=since, until=until), ctx.zone)
    findings += timeliness.edited_findings(
        storage.edited_items(conn, since=since, until=until), items, ctx.zone
    )
    titles = storage.site_titles(conn, as_of=until)
    judgement = assess(
        columns, sites, ctx, as_of=as_of, site=site, findings=findings, items=items, titles=titles
    )
    mine = [f for f in sites if (site is None or f.site == site) and ctx.site(f.site) is not None]
    judgement.crawl = crawl_state(storage.runs_summary(conn, limit=50), mine, ctx.zone, until=until)
    return judgement


def assess(
    columns: Sequence[ColumnFacts],
    sites: Sequence[SiteFacts],
    ctx: Context,
    *,
    as_of: date,
    site: str | None = None,
    findings: Sequence[Finding] = (),
    items: Sequence[ItemFacts] = (),
    titles: dict[str, str] | None = None,
) -> Judgement:
    """The pure judgement of the facts: sections (columns, then missing items), site lines, findings, and
    the 清单 coverage (`items`: the listed items as of `as_of`, whose titles are evidence too); every
    configured site's display name from its config and `titles` (its start page's crawled <title>)."""
    known = {s.name for s in ctx.sites}
    down = {f.site: f for f in sites if f.down}
    judgement = Judgement(
        as_of=as_of,
        site=site,
        college=ctx.college,
        categories=[c.name for c in ctx.catalog.categories],
        zone=ctx.zone.key,
        site_names=display_names(ctx.sites, titles or {}, ctx.college),
    )
    by_institution: dict[str, list[Section]] = {}
    seen_columns: dict[str, int] = {}
    for facts in columns:
        info = ctx.site(facts.site)
        if info is None:
            continue  # a site no longer configured
        seen_columns[facts.site] = seen_columns.get(facts.site, 0) + 1
        section = judge_column(facts, info, ctx, as_of=as_of, site_down=facts.site in down)
        if facts.state == "gone":
            seen = facts.last_ok_at.astimezone(ctx.zone).date() if facts.last_ok_at else None
            if seen is not None and (as_of - seen).days <= ctx.changes_days:
                # vanished lately: news, counted with its reason; older disappearances are history. A gone
                # column covers no 清单 item: if nothing else does, the item is missing.
                judgement.gone.append(section)
                if site is None or facts.site == site:
                    judgement.sections.append(section)
            continue
        by_institution.setdefault(info.institution, []).append(section)
        if site is None or facts.site == site:
            judgement.sections.append(section)
    order = {s.name: n for n, s in enumerate(ctx.sites)}
    judgement.sections.sort(key=lambda s: (order.get(s.site or "", 0), s.sort_key()))
    judgement.sites = _site_lines(ctx, sites, seen_columns, site)
    for line in judgement.sites:
        if line.status == "ok" and not line.columns:  # it answered, and nothing in it reads as a column
            judgement.notes.append(
                NO_COLUMNS.format(site=judgement.site_name(line.site), home=line.home_url or "")
            )
        if line.menu_notice:  # columns only a script's menu links may be missing: said, never silent
            judgement.notes.append(f"{judgement.site_name(line.site)}：{menu_words(line.menu_notice)}")
    for institution in dict.fromkeys(s.institution for s in ctx.sites):
        home = _home_site(ctx, institution)
        if site is not None and home != site:
            continue
        found = by_institution.get(institution, [])
        if not found:
            judgement.notes.append(
                f"{institution or '本校'}尚无栏目记录（未抓取或抓取失败），未判断清单事项是否缺失。"
            )
            continue
        covered = institution_coverage(found, items, ctx, institution, home, as_of=as_of)
        judgement.coverage.extend(covered)
        judgement.sections.extend(missing_items(covered, ctx, home))
    column_urls = {(s.site, s.url): s for s in judgement.columns}
    for f in findings:
        if f.site in known and (site is None or f.site == site):
            col = column_urls.get((f.site, f.column_url))
            judgement.findings.append(
                replace(f, column=col.name, category=col.category, department=col.department) if col else f
            )
    note = timeliness.calendar_note([as_of])
    if note and any(s.working_days for s in judgement.sections):
        judgement.notes.append(note)
    return judgement


def institution_coverage(
    found: Sequence[Section],
    items: Sequence[ItemFacts],
    ctx: Context,
    institution: str,
    home: str | None,
    *,
    as_of: date,
) -> list[Coverage]:
    """Every applicable 清单 item of the institution with the evidence that covers it (or none)."""
    assert ctx.mapper is not None
    applicable = ctx.mapper.applicable(institution)
    by_url = {(s.site or "", s.url or ""): s for s in found}
    titles = coverage.title_evidence(items, by_url, applicable, until=end_of_day(as_of, ctx.zone))
    programs = ctx.catalog.programs_of(institution)
    return [
        coverage.cover(
            item,
            item.name_for(programs),
            institution,
            [s for s in found if item.id in s.cover_ids],
            titles.get(item.id, []),
            as_of=as_of,
            overrides=ctx.overrides,
            generic_limit=ctx.catalog.default_max_age_days,
            home=home,
        )
        for item in applicable
    ]


def missing_items(covered: Sequence[Coverage], ctx: Context, home: str | None) -> list[Section]:
    """A `missing` section for every applicable 清单 item that no column and no title covers."""
    home_info = ctx.site(home) if home else None
    home_kind = home_info.kind if home_info else ""
    out = []
    for c in covered:
        if c.status != "missing":
            continue
        item = ctx.catalog.item(c.item_id)
        out.append(
            Section(
                site=home,
                name=c.item,
                url=None,
                category=item.category,
                item=c.item,
                last_published=None,
                items=0,
                status="missing",
                age_days=None,
                limit_days=None,
                institution=c.institution,
                item_id=item.id,
                covers=(c.item,),
                cover_ids=(item.id,),
                via="none",
                mapped_by="没有栏目对应该清单事项",
                rule=item.cadence.describe(),
                rule_source=item.cadence.source,
                reason=c.reason,
                site_kind=home_kind,
                working_days=item.cadence.working_days,
            )
        )
    return out


def _home_site(ctx: Context, institution: str) -> str | None:
    """The site a missing item is reported under: the institution's first disclosure site, else its first."""
    mine = [s for s in ctx.sites if s.institution == institution]
    for s in mine:
        if s.kind == "disclosure":
            return s.name
    return mine[0].name if mine else None


def _site_lines(
    ctx: Context, facts: Sequence[SiteFacts], columns: dict[str, int], only: str | None
) -> list[SiteLine]:
    by_name = {f.site: f for f in facts}
    lines = []
    for info in ctx.sites:
        if only is not None and info.name != only:
            continue
        f = by_name.get(info.name)
        if f is None:
            lines.append(SiteLine(info.name, info.institution, info.kind, "never", info.department))
            continue
        lines.append(
            SiteLine(
                site=info.name,
                institution=info.institution,
                kind=info.kind,
                status="down" if f.down else "ok",
                department=info.department,
                since=f.down_since.astimezone(ctx.zone) if f.down and f.down_since else None,
                last_crawl=f.observed_at.astimezone(ctx.zone),
                home_url=f.home_url,
                error=f.error if f.down else None,
                columns=columns.get(info.name, 0),
                limits=f.limits,
                not_requested=f.not_requested,
                menu_notice=f.menu_notice if not f.down else None,
            )
        )
    return lines
