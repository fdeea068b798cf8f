"""The judgement: every column's status on a day, every missing 清单 item, every site that is down.

`judge(conn, config, as_of=...)` reads storage's facts as known at the end of `as_of` (college time) and
hands them to `assess`, which is pure (facts + a `Context` in, a `Judgement` out): tables of hand-built
facts test it.

Statuses of a column, decided in this order:
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
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import duckdb

import storage
from monitor import coverage, timeliness
from monitor.catalog import Catalog, load_catalog, normalize
from monitor.config import Config, ConfigError, default
from monitor.crawl_state import crawl_state
from monitor.findings import NO_COLUMNS_REASON, Coverage, Finding, Judgement, Section, SiteLine
from monitor.limits import error_words, gone_words, limit_words
from monitor.mapping import Mapper, Mapping, overrides_from_config
from monitor.rule_overrides import rule_overrides_from_config
from monitor.rules import Cadence, Evidence, evaluate
from monitor.rules.overrides import RuleOverride, choose
from monitor.sitenames import display_names
from storage.facts import ColumnFacts, ItemFacts, SiteFacts

# Appended to the reason of a column read in part: the count is not the column's, the newest date is.
PARTIAL_NOTE = "；分页由脚本生成无法读取，仅统计已读到的部分页面（条目数不完整，最新日期仍有效）"

# A site that answered but in which no column was found: said, never a quiet "0 columns".
NO_COLUMNS = "{site}可以访问，但" + NO_COLUMNS_REASON + "；请用 xxgk inspect 检查其首页 {home}"
# A single page read with content but no publication date: no verdict on its timeliness, said so.
UNDATED_REASON = (
    "页面可以访问且有内容，但未标注发布日期，无法判断是否及时更新（请在页面上标注发布或更新日期）"
)

__all__ = ["Context", "SiteInfo", "assess", "context_from_config", "end_of_day", "judge"]


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What the config says about a site."""

    name: str
    kind: str = "disclosure"
    institution: str = ""
    department: str = ""
    title: str = ""  # [[sites]] title: the name people read ("" : the crawled <title>, see monitor.sitenames)
    host: str = ""  # its first start URL's host: tells apart sites that would share a display name


@dataclass(slots=True)
class Context:
    """Everything `assess` needs besides the facts: catalog, mapping, rule overrides, the configured sites."""

    catalog: Catalog
    sites: list[SiteInfo]
    mapper: Mapper | None = None
    overrides: list[RuleOverride] = field(default_factory=list)
    # Defaults (for contexts built by hand, as in tests) are the config's, from the key table.
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(default("college", "timezone")))
    backdated_days: int = field(default_factory=lambda: default("rules", "backdated_days"))
    changes_days: int = field(default_factory=lambda: default("report", "changes_days"))
    # the n-working-day rule for columns no 清单 item gives one
    working_days: int = field(default_factory=lambda: default("rules", "working_days"))
    college: str = ""

    def __post_init__(self) -> None:
        if self.mapper is None:
            self.mapper = Mapper(self.catalog)

    def site(self, name: str) -> SiteInfo | None:
        return next((s for s in self.sites if s.name == name), None)


def context_from_config(config: Config) -> Context:
    """Build the catalog, the mapper and the rule overrides; every mistake is a ConfigError naming its key."""
    catalog = load_catalog(config)
    mapper = Mapper(catalog, overrides_from_config(config, catalog), use_paths=config.mapping.use_paths)
    overrides = rule_overrides_from_config(config, catalog)
    try:
        zone = ZoneInfo(config.college.timezone)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"{config.path}: key college.timezone: expected an IANA zone ({exc})") from None
    sites = [
        SiteInfo(s.name, s.kind, config.institution(s), s.department, s.title, _host(s.start_urls))
        for s in config.sites
    ]
    return Context(
        catalog=catalog,
        sites=sites,
        mapper=mapper,
        overrides=overrides,
        zone=zone,
        backdated_days=config.rules.backdated_days,
        changes_days=config.report.changes_days,
        working_days=config.rules.working_days,
        college=config.college.name,
    )


def _host(urls: Sequence[str]) -> str:
    return urlsplit(urls[0]).netloc if urls else ""


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


def rule_for(facts: ColumnFacts, mapping: Mapping, ctx: Context) -> tuple[Cadence, int, str]:
    """(cadence, generic limit, generic group) for a column: override > directory > 清单 item > generic."""
    name = normalize(facts.name)
    generic_limit, group = ctx.catalog.generic_for(name)
    override = choose(
        ctx.overrides,
        site=facts.site,
        category=mapping.category,
        items=mapping.covers,
        name=name,
        url=facts.url,
    )
    if override is not None:
        return override.cadence, generic_limit, group
    if mapping.cadence is not None:
        return mapping.cadence, generic_limit, group
    if mapping.item_id is not None:
        return ctx.catalog.item(mapping.item_id).cadence, generic_limit, group
    generic = Cadence("max_age_days", {"max_age_days": generic_limit}, f"generic:{group}")
    return generic, generic_limit, group


def judge_column(
    facts: ColumnFacts, info: SiteInfo, ctx: Context, *, as_of: date, site_down: bool
) -> Section:
    """One column's section: mapping, rule and status."""
    assert ctx.mapper is not None
    mapping = ctx.mapper.map(facts.site, facts.name, facts.url, info.institution)
    cadence, generic_limit, _ = rule_for(facts, mapping, ctx)
    base = Section(
        site=facts.site,
        name=facts.name,
        url=facts.url,
        category=mapping.category,
        item=ctx.catalog.name_of(mapping.item_id, info.institution) if mapping.item_id else None,
        last_published=facts.newest,
        items=facts.items,
        status="fresh",
        age_days=(as_of - facts.newest).days if facts.newest else None,
        limit_days=None,
        institution=info.institution,
        item_id=mapping.item_id,
        covers=tuple(ctx.catalog.name_of(i, info.institution) for i in mapping.covers),
        cover_ids=mapping.covers,
        via=mapping.via,
        mapped_by=mapping.describe(),
        rule=cadence.describe(),
        rule_source=cadence.source,
        undated=facts.undated,
        department=info.department,
        site_kind=info.kind,
        site_down=site_down,
        newest_title=facts.newest_title,
        newest_url=facts.newest_url,
        working_days=cadence.working_days,
    )
    since = facts.failing_since.astimezone(ctx.zone) if facts.failing_since else None
    if site_down or facts.state == "unreachable":
        when = f"自{since:%Y-%m-%d}起" if since else ""
        what = "整个站点无法访问" if site_down else "栏目页面无法访问"
        why = f"：{error_words(facts.error)}" if facts.error else ""
        reason = f"{when}{what}{why}"
        return replace(base, status="unreachable", since=since, error=facts.error, reason=reason)
    if facts.state == "blocked":
        when = f"自{since:%Y-%m-%d}起" if since else ""
        if facts.error and "needs JavaScript" in facts.error:
            reason = f"{when}栏目列表由网页脚本加载，无法读取其请求，未能检查内容"
        else:
            reason = f"{when}需要登录、验证码或脚本验证，无法读取内容"
        return replace(base, status="blocked", since=since, error=facts.error, reason=reason)
    if facts.state == "unchecked":
        since = facts.absent_since.astimezone(ctx.zone) if facts.absent_since else None
        when = f"自{since:%Y-%m-%d}起" if since else ""
        why = limit_words((facts.error or "").removeprefix("limit: ")) or "抓取上限"
        reason = f"{when}抓取达到{why}，本次未检查该栏目（保留上次所见）"
        return replace(base, status="unchecked", since=since, error=facts.error, reason=reason)
    if facts.state == "gone":
        since = facts.absent_since.astimezone(ctx.zone) if facts.absent_since else None
        when = f"自{since:%Y-%m-%d}起" if since else ""
        reason = f"{when}未再发现该栏目：{gone_words(facts.error)}"
        return replace(base, status="gone", since=since, error=facts.error, reason=reason)
    if facts.shows_no_date and facts.newest is None and facts.items > 0:
        return replace(base, status="undated", age_days=None, error=facts.error, reason=UNDATED_REASON)
    if facts.state == "empty" or facts.items == 0:
        return replace(base, status="empty", age_days=None, reason="栏目可以访问，但没有任何信息（空白栏目）")
    evidence = Evidence(as_of, facts.newest, facts.items, facts.undated, generic_limit)
    verdict = evaluate(cadence, evidence)
    partial = facts.partial
    return replace(
        base,
        status=verdict.status,
        age_days=verdict.age_days,
        limit_days=verdict.limit_days,
        reason=verdict.reason + (PARTIAL_NOTE if partial else ""),
        due=verdict.due,
        next_due=verdict.next_due,
        partial=partial,
    )


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
            )
        )
    return lines
